{#-
    Durability of work per cohort year × region × durability group
    (docs/definitions.md#durability-of-work): of the persons who started a new job while registered,
    how many still work a year later (werkbehoud) and how many in that same job
    (baanbehoud). Only complete cohort years; a row for every combination with at
    least one person in the cohort.
-#}

with

cohort as (

    select * from {{ ref('int_work_durability_cohort') }}

),

cells as (

    select
        cohort.cohort_year,
        cohort.region_code,
        cohort.durability_group,
        count(*) as persons_started,
        sum(case when cohort.is_still_working then 1 else 0 end) as persons_still_working,
        sum(case when cohort.is_same_job then 1 else 0 end) as persons_same_job

    from cohort
    group by 1, 2, 3

),

final as (

    select
        cast(cells.cohort_year as integer) as cohort_year,
        cells.region_code,
        cells.durability_group,
        cast(cells.persons_started as bigint) as persons_started,
        cast(cells.persons_still_working as bigint) as persons_still_working,
        cast(cells.persons_same_job as bigint) as persons_same_job,
        {{ exact_ratio('cells.persons_still_working', 'cells.persons_started') }}
            as share_still_working,
        {{ exact_ratio('cells.persons_same_job', 'cells.persons_started') }}
            as share_same_job

    from cells

)

select * from final
