{#-
    The counts of beschut werk (fct_sheltered_work_quarter) as long cells: one
    row per quarter × region × measure (target group `all`), before the
    national total. The share working and the quota: pub_sheltered_work_cells.
-#}

with

sheltered as (

    select * from {{ ref('fct_sheltered_work_quarter') }}

),

unpivoted as (

    {{ unpivot(
        'sheltered',
        ['sheltered.quarter_label as period', 'sheltered.quarter_end_date as period_end_date',
         'sheltered.region_code', "'all' as target_group", "'all' as breakdown"],
        public_measures('fct_sheltered_work_quarter', ['count_of_persons'])
    ) }}

),

final as (

    select
        unpivoted.*,
        false as per_group_nationally_only

    from unpivoted

)

select * from final
