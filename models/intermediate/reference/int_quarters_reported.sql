{{ config(materialized='table') }}

{#-
    One row per reported quarter. The range is first_quarter … last_quarter
    (vars); where a var is empty, the first (last) quarter whose three months all
    have accepted payroll rows. Payroll arrives with a lag, register spells often
    start long before, so payroll decides. A range wider than the quarter
    series (max_reported_quarters) stops the build.
-#}

with

payroll as (

    select * from {{ ref('int_payroll_employment_quarters__accepted') }}

),

months_per_quarter as (

    {#- months_mask: one bit per month of the quarter with accepted payroll rows -#}
    select
        payroll.quarter_index,
        bit_count(bit_or(payroll.months_mask)) as count_months

    from payroll
    group by 1

),

bounds as (

    select
        coalesce(
            {{ quarter_label_index(var('first_quarter', '')) }},
            min(months_per_quarter.quarter_index)
        ) as first_quarter_index,
        coalesce(
            {{ quarter_label_index(var('last_quarter', '')) }},
            max(months_per_quarter.quarter_index)
        ) as last_quarter_index

    from months_per_quarter
    where months_per_quarter.count_months = 3

),

offsets as (

    {{ integer_series(max_reported_quarters()) }}

),

quarters as (

    select
        bounds.first_quarter_index + offsets.n as quarter_index,
        bounds.first_quarter_index

    from bounds
    cross join offsets
    where bounds.first_quarter_index + offsets.n <= bounds.last_quarter_index
        and {{ fail_when(
            'bounds.last_quarter_index - bounds.first_quarter_index >= ' ~ max_reported_quarters(),
            'int_quarters_reported: the reported quarters span more than '
                ~ max_reported_quarters() ~ ' quarters; set vars first_quarter and last_quarter'
                ~ ' or check the payroll months') }} is null

),

calendar as (

    select
        quarters.quarter_index,
        quarters.first_quarter_index,
        cast(floor(quarters.quarter_index / 4) as integer) as calendar_year,
        cast(floor((quarters.quarter_index + 1) / 4) as integer) as next_quarter_year

    from quarters

),

final as (

    select
        calendar.quarter_index,
        {{ dbt.concat([
            "cast(calendar.calendar_year as " ~ dbt.type_string() ~ ")",
            "'Q'",
            "cast(calendar.quarter_index - 4 * calendar.calendar_year + 1 as "
                ~ dbt.type_string() ~ ")"
        ]) }} as quarter_label,
        calendar.calendar_year,
        calendar.quarter_index - 4 * calendar.calendar_year + 1 as quarter_of_year,
        make_date(
            calendar.calendar_year,
            3 * (calendar.quarter_index - 4 * calendar.calendar_year) + 1,
            1
        ) as quarter_start_date,
        {{ day_before("make_date(calendar.next_quarter_year, "
            ~ "3 * (calendar.quarter_index + 1 - 4 * calendar.next_quarter_year) + 1, 1)") }}
            as quarter_end_date,
        calendar.quarter_index = calendar.first_quarter_index as is_first_reported_quarter

    from calendar

)

select * from final
