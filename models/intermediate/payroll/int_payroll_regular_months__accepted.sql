{#-
    The accepted regular payroll per person × employment × quarter × month ×
    contract type × sector: the hours of the rows that pass every rule (row
    rules, a known person; exact copies counted once: their extra copies' hours
    taken off, as in int_payroll_employment_quarters__accepted). A view, read
    once: int_payroll_employment_attributes takes each employment's contract
    type, sector and hours by code from it for the breakdowns
    (docs/definitions.md#breakdowns); nothing person-level by month is written.
-#}

with

checked as (

    select * from {{ ref('int_payroll__checked') }}

),

duplicates as (

    select * from {{ ref('int_payroll_duplicate_rows') }}

),

month_values as (

    {#- hours per employment × month × contract type × sector, copies included -#}
    select
        checked.person_id,
        checked.employment_id,
        checked.quarter_index,
        checked.period_month,
        checked.contract_type,
        checked.sector,
        sum(checked.paid_hours) as paid_hours

    from checked
    where not checked.breaks_row_rule
        and not checked.is_unknown_person
        and checked.employment_kind = 'regular'
    group by 1, 2, 3, 4, 5, 6

),

copy_hours as (

    select
        duplicates.person_id,
        duplicates.employment_id,
        duplicates.quarter_index,
        duplicates.period_month,
        duplicates.contract_type,
        duplicates.sector,
        sum(duplicates.extra_copies * duplicates.paid_hours) as paid_hours

    from duplicates
    where duplicates.employment_kind = 'regular'
    group by 1, 2, 3, 4, 5, 6

),

final as (

    select
        month_values.person_id,
        month_values.employment_id,
        month_values.quarter_index,
        month_values.period_month,
        month_values.contract_type,
        month_values.sector,
        month_values.paid_hours - coalesce(copy_hours.paid_hours, 0) as paid_hours

    from month_values
    left join copy_hours
        on month_values.person_id = copy_hours.person_id
        and month_values.employment_id = copy_hours.employment_id
        and month_values.quarter_index = copy_hours.quarter_index
        and month_values.period_month = copy_hours.period_month
        and month_values.contract_type = copy_hours.contract_type
        and month_values.sector = copy_hours.sector

)

select * from final
