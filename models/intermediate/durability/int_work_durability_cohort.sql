{%- if target.type == 'spark' %}
{{ config(materialized='table') }}
{%- else %}
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='cohort_year', on_schema_change='fail',
          pre_hook="{{ clear_recomputed_window(durability_cutoff_year, 'cohort_year') }}") }}
{%- endif %}
{%- set first_year = durability_cutoff_year() %}
{#- the first start quarter of the first recomputed cohort, (first_year − 1)Q4: the
    starts and peildatums from there on give exactly the recomputed cohorts, the
    payroll from four quarters later their s+4 -#}
{%- set first_quarter = none if first_year is none else 4 * first_year - 1 %}

{#-
    One row per person × cohort year (docs/definitions.md#durability-of-work): the
    persons registered on the peildatum of a quarter s from (y−1)Q4 to yQ3 who
    started a new job in s. A person belongs once per cohort, with the first such
    s; target group, durability group and region are those on the peildatum of s.
    Still working (werkbehoud): paid hours > 0 in any regular employment in s+4,
    registered then or not. Same job (baanbehoud): paid hours > 0 in s+4 in one of
    the new jobs the person started in s. Only complete cohort years: all four
    start quarters and their s+4 lie within the reported quarters.
    On DuckDB incremental by cohort year: a refresh recomputes the cohorts whose
    quarters reach the look-back window, or every cohort when an employment start
    or a reported quarter that an older cohort read changed (macro
    durability_cutoff_year); a table on Spark.
-#}

{{ recompute_marker(first_year) }}
with

starts as (

    select * from {{ ref('int_payroll_employment_starts') }}
    where true{{ and_from_cutoff('start_quarter_index', first_quarter) }}

),

employment_quarters as (

    select * from {{ ref('int_payroll_employment_quarters__accepted') }}
    where true{{ and_from_cutoff('quarter_index', first_quarter, offset=4) }}

),

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}
    where true{{ and_from_cutoff('quarter_index', first_quarter) }}

),

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

reported_range as (

    select
        min(quarters.quarter_index) as first_quarter_index,
        max(quarters.quarter_index) as last_quarter_index

    from quarters

),

-- persons registered on the peildatum of the quarter in which a new job started;
-- cohort year y takes starts from (y−1)Q4 (index 4y − 1) to yQ3 (index 4y + 2)
registered_starts as (

    select distinct
        starts.person_id,
        starts.start_quarter_index,
        cast(floor((starts.start_quarter_index + 1) / 4.0) as integer) as cohort_year

    from starts
    inner join person_quarters
        on starts.person_id = person_quarters.person_id
        and starts.start_quarter_index = person_quarters.quarter_index

),

first_starts as (

    select
        registered_starts.person_id,
        registered_starts.cohort_year,
        min(registered_starts.start_quarter_index) as start_quarter_index

    from registered_starts
    cross join reported_range
    where 4 * registered_starts.cohort_year - 1 >= reported_range.first_quarter_index
        and 4 * registered_starts.cohort_year + 6 <= reported_range.last_quarter_index
    group by 1, 2

),

-- paid regular hours in s+4 per employment (all sectors together), only for the
-- persons and quarters of the cohort (not a pass over every employment quarter)
employment_hours as (

    select
        first_starts.person_id,
        first_starts.cohort_year,
        first_starts.start_quarter_index,
        employment_quarters.employment_id,
        sum(employment_quarters.paid_hours) as paid_hours

    from first_starts
    inner join employment_quarters
        on first_starts.person_id = employment_quarters.person_id
        and first_starts.start_quarter_index + 4 = employment_quarters.quarter_index
    where employment_quarters.employment_kind = 'regular'
    group by 1, 2, 3, 4

),

working_after_a_year as (

    select
        employment_hours.person_id,
        employment_hours.cohort_year,
        max(case when employment_hours.paid_hours > 0 then 1 else 0 end) as is_still_working,
        max(case
            when employment_hours.paid_hours > 0 and new_jobs.employment_id is not null then 1
            else 0
        end) as is_same_job

    from employment_hours
    left join starts as new_jobs
        on employment_hours.person_id = new_jobs.person_id
        and employment_hours.employment_id = new_jobs.employment_id
        and employment_hours.start_quarter_index = new_jobs.start_quarter_index
    group by 1, 2

),

final as (

    select
        first_starts.person_id,
        first_starts.cohort_year,
        first_starts.start_quarter_index,
        person_quarters.target_group,
        case
            when person_quarters.target_group in ('wsw', 'wiw_id') then 'wsw_wiw'
            else person_quarters.target_group
        end as durability_group,
        person_quarters.region_code,
        coalesce(working_after_a_year.is_still_working, 0) = 1 as is_still_working,
        coalesce(working_after_a_year.is_same_job, 0) = 1 as is_same_job

    from first_starts
    inner join person_quarters
        on first_starts.person_id = person_quarters.person_id
        and first_starts.start_quarter_index = person_quarters.quarter_index
    left join working_after_a_year
        on first_starts.person_id = working_after_a_year.person_id
        and first_starts.cohort_year = working_after_a_year.cohort_year

)

select * from final
