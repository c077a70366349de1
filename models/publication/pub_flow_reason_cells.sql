{#-
    The flow reasons (fct_register_flow_reasons_quarter) as long cells: one row
    per quarter × region × target group × `inflow:<reason>` / `outflow:<reason>`
    (the breakdown), measure `persons`, before any total.
-#}

with

reasons as (

    select * from {{ ref('fct_register_flow_reasons_quarter') }}

),

unpivoted as (

    {{ unpivot(
        'reasons',
        ['reasons.quarter_label as period', 'reasons.quarter_end_date as period_end_date',
         'reasons.region_code', 'reasons.target_group',
         dbt.concat(['reasons.direction', "':'", 'reasons.reason']) ~ ' as breakdown'],
        public_measures('fct_register_flow_reasons_quarter')
    ) }}

),

final as (

    select
        unpivoted.*,
        true as per_group_nationally_only

    from unpivoted

)

select * from final
