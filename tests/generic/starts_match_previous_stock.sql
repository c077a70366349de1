{#-
    On a flows model: the stock a flows row starts with is the register stock
    of the same cell in the previous quarter (registered_start = persons
    registered at q - 1, working_start likewise). Fails for every cell where
    they differ (a missing side counts as 0).
    Arguments: register_model (fct_register_quarter), quarters_model
    (dim_quarter, for the previous quarter of each quarter).
-#}
{% test starts_match_previous_stock(model, register_model, quarters_model) %}

with

flows as (

    select
        flows.quarter_label,
        flows.region_code,
        flows.target_group,
        flows.registered_start,
        flows.working_start

    from {{ model }} as flows
    where flows.registered_start <> 0 or flows.working_start <> 0

),

previous_register as (

    select
        quarters.quarter_label,
        register.region_code,
        register.target_group,
        register.persons_registered,
        register.persons_working

    from {{ register_model }} as register
    inner join {{ quarters_model }} as quarters
        on register.quarter_label = quarters.previous_quarter_label
    where quarters.quarter_label in (select distinct quarter_label from {{ model }})

),

compared as (

    select
        coalesce(flows.quarter_label, previous_register.quarter_label) as quarter_label,
        coalesce(flows.region_code, previous_register.region_code) as region_code,
        coalesce(flows.target_group, previous_register.target_group) as target_group,
        coalesce(flows.registered_start, 0) as registered_start,
        coalesce(previous_register.persons_registered, 0) as persons_registered_previous,
        coalesce(flows.working_start, 0) as working_start,
        coalesce(previous_register.persons_working, 0) as persons_working_previous

    from flows
    full outer join previous_register
        on flows.quarter_label = previous_register.quarter_label
        and flows.region_code = previous_register.region_code
        and flows.target_group = previous_register.target_group

)

select *
from compared
where registered_start <> persons_registered_previous
    or working_start <> persons_working_previous

{% endtest %}
