{#-
    On a reasons model (fct_register_flow_reasons_quarter): fails for every
    quarter × region × target group where the persons per reason do not add up
    to the flows model's inflow or outflow (a cell missing on either side
    counts as 0, so a flow without reasons fails too).
    Arguments: flows_model (the flows mart).
-#}
{% test flow_reasons_sum_to_flows(model, flows_model) %}

with

reasons as (

    select
        quarter_label,
        region_code,
        target_group,
        sum(case when direction = 'inflow' then persons else 0 end) as inflow,
        sum(case when direction = 'outflow' then persons else 0 end) as outflow

    from {{ model }}
    group by 1, 2, 3

),

flows as (

    select quarter_label, region_code, target_group, inflow, outflow
    from {{ flows_model }}
    where inflow <> 0 or outflow <> 0

),

compared as (

    select
        coalesce(flows.quarter_label, reasons.quarter_label) as quarter_label,
        coalesce(flows.region_code, reasons.region_code) as region_code,
        coalesce(flows.target_group, reasons.target_group) as target_group,
        coalesce(flows.inflow, 0) as inflow,
        coalesce(reasons.inflow, 0) as inflow_by_reason,
        coalesce(flows.outflow, 0) as outflow,
        coalesce(reasons.outflow, 0) as outflow_by_reason

    from flows
    full outer join reasons
        on flows.quarter_label = reasons.quarter_label
        and flows.region_code = reasons.region_code
        and flows.target_group = reasons.target_group

)

select *
from compared
where inflow <> inflow_by_reason or outflow <> outflow_by_reason

{% endtest %}
