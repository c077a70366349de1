{#-
    The register stocks (fct_register_quarter) as long cells: one row per
    quarter × region × target group × measure, before any total. Persons and
    jobs are counted exactly; totals over groups and regions follow in
    pub_additive_cells.
-#}

with

register as (

    select * from {{ ref('fct_register_quarter') }}

),

unpivoted as (

    {{ unpivot(
        'register',
        ['register.quarter_label as period', 'register.quarter_end_date as period_end_date',
         'register.region_code', 'register.target_group', "'all' as breakdown"],
        public_measures('fct_register_quarter')
    ) }}

),

final as (

    select
        unpivoted.*,
        false as is_flow

    from unpivoted

)

select * from final
