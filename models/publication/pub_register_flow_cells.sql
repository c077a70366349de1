{#-
    The register flows (fct_register_flows_quarter) as long cells: one row per
    quarter × region × target group × measure, before any total.
-#}

{%- set flow_counts = public_measures('fct_register_flows_quarter') %}

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
        true as per_group_nationally_only

    from unpivoted

)

select * from final
