{{ config(**quarter_incremental_config()) }}
{%- set cutoff = incremental_cutoff_quarter() %}

{#-
    One row per person and quarter with accepted payroll: paid hours by
    employment kind and, for the counting (`regular`) employments, by sector.
-#}

with

employment_quarters as (

    select * from {{ ref('int_payroll_employment_quarters__accepted') }}

),

aggregated as (

    select
        employment_quarters.person_id,
        employment_quarters.quarter_index,
        sum(case when employment_quarters.employment_kind = 'regular'
                then employment_quarters.paid_hours
            else 0
        end) as paid_hours_regular,
        sum(case
            when employment_quarters.employment_kind = 'regular'
                and employment_quarters.sector = 'market'
                then employment_quarters.paid_hours
            else 0
        end) as paid_hours_regular_market,
        sum(case
            when employment_quarters.employment_kind = 'regular'
                and employment_quarters.sector = 'government'
                then employment_quarters.paid_hours
            else 0
        end) as paid_hours_regular_government,
        sum(case when employment_quarters.employment_kind = 'sheltered_work'
                then employment_quarters.paid_hours
            else 0
        end) as paid_hours_sheltered_work,
        sum(case when employment_quarters.employment_kind = 'wsw_sheltered'
                then employment_quarters.paid_hours
            else 0
        end) as paid_hours_wsw_sheltered

    from employment_quarters
    where true{{ and_from_cutoff('employment_quarters.quarter_index', cutoff) }}
    group by 1, 2

),

final as (

    select
        aggregated.person_id,
        aggregated.quarter_index,
        cast(aggregated.paid_hours_regular as decimal(18, 4)) as paid_hours_regular,
        cast(aggregated.paid_hours_regular_market as decimal(18, 4)) as paid_hours_regular_market,
        cast(aggregated.paid_hours_regular_government as decimal(18, 4))
            as paid_hours_regular_government,
        cast(aggregated.paid_hours_sheltered_work as decimal(18, 4)) as paid_hours_sheltered_work,
        cast(aggregated.paid_hours_wsw_sheltered as decimal(18, 4)) as paid_hours_wsw_sheltered

    from aggregated

)

select * from final
