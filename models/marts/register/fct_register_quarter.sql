{#-
    One row per quarter × region × target group with at least one registered
    person: the register stock on the peildatum, how many of them work, and
    the jobs their paid hours make (docs/definitions.md#stocks and #jobs).
-#}

with

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}

),

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

cells as (

    select
        person_quarters.quarter_index,
        person_quarters.region_code,
        person_quarters.target_group,
        count(*) as persons_registered,
        sum(case when person_quarters.is_working then 1 else 0 end) as persons_working,
        sum(person_quarters.paid_hours) as paid_hours,
        sum(person_quarters.paid_hours_market) as paid_hours_market,
        sum(person_quarters.paid_hours_government) as paid_hours_government

    from person_quarters
    group by 1, 2, 3

),

final as (

    select
        ---------- keys
        quarters.quarter_label,
        quarters.quarter_end_date,
        cells.region_code,
        cells.target_group,

        ---------- persons
        cast(cells.persons_registered as bigint) as persons_registered,
        cast(cells.persons_working as bigint) as persons_working,
        cast(cells.persons_registered - cells.persons_working as bigint) as persons_not_working,

        ---------- hours and jobs
        cast(cells.paid_hours as decimal(18, 4)) as paid_hours,
        {{ hours_to_jobs('cells.paid_hours') }} as jobs,
        {{ hours_to_jobs('cells.paid_hours_market') }} as jobs_market,
        {{ hours_to_jobs('cells.paid_hours_government') }} as jobs_government

    from cells
    inner join quarters
        on cells.quarter_index = quarters.quarter_index

)

select * from final
