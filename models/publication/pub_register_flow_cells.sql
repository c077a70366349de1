{#-
    The register flows (fct_register_flows_quarter) as long cells: one row per
    quarter × region × target group × measure, before any total.
-#}

{%- set flow_counts = ['registered_start', 'inflow', 'outflow', 'moved_in', 'moved_out', 'group_in',
                       'group_out', 'registered_end', 'working_start', 'found_work', 'lost_work',
                       'inflow_working', 'outflow_working', 'moved_in_working', 'moved_out_working',
                       'group_in_working', 'group_out_working', 'working_end'] %}

with

flows as (

    select * from {{ ref('fct_register_flows_quarter') }}

),

unpivoted as (

    {{ unpivot(
        'flows',
        ['flows.quarter_label as period', 'flows.quarter_end_date as period_end_date',
         'flows.region_code', 'flows.target_group', "'all' as breakdown"],
        flow_counts
    ) }}

),

final as (

    select
        unpivoted.*,
        true as is_flow

    from unpivoted

)

select * from final
