{{ config(materialized='table') }}

{#-
    One row per person and quarter with accepted payroll rows: paid hours by
    employment kind and, for the counting (`regular`) employments, by sector.
    All rows of an employment-month add up (corrections). Payroll is read once
    here; every later model uses this aggregate.
-#}

with

payroll as (

    select * from {{ ref('int_payroll__accepted') }}

),

aggregated as (

    select
        payroll.person_id,
        {{ quarter_index('payroll.period_month') }} as quarter_index,
        sum(case when payroll.employment_kind = 'regular' then payroll.paid_hours else 0 end)
            as paid_hours_regular,
        sum(case
            when payroll.employment_kind = 'regular' and payroll.sector = 'market'
                then payroll.paid_hours
            else 0
        end) as paid_hours_regular_market,
        sum(case
            when payroll.employment_kind = 'regular' and payroll.sector = 'government'
                then payroll.paid_hours
            else 0
        end) as paid_hours_regular_government,
        sum(case when payroll.employment_kind = 'sheltered_work' then payroll.paid_hours else 0 end)
            as paid_hours_sheltered_work,
        sum(case when payroll.employment_kind = 'wsw_sheltered' then payroll.paid_hours else 0 end)
            as paid_hours_wsw_sheltered

    from payroll
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
