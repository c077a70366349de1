{#-
    The register stocks (fct_register_quarter) as long cells: one row per
    quarter × region × target group × measure, before any total. Persons and
    jobs are counted exactly; totals over groups and regions follow in
    pub_additive_cells. The jobs by sector (jobs_market, jobs_government) are
    the jobs of the sector breakdown (pub_register_breakdown_cells) and are
    published where it is: nationally, per group and for all groups (the
    disclosure control counts their persons there).
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
        unpivoted.measure in ('jobs_market', 'jobs_government') as per_group_nationally_only

    from unpivoted

)

select * from final
