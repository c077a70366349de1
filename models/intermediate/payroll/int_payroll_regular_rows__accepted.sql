{#-
    The accepted regular payroll, row by row and signed: every regular row that
    passes every rule (row rules, a known person), and for every set of exact
    copies one row of negative hours, its extra copies' (as in
    int_payroll_employment_quarters__accepted, where an exact copy counts once).
    Summed over any grouping of person, employment, month, contract type and sector,
    the hours are the accepted hours and accepted_rows the accepted rows. A view,
    read once: int_payroll_employment_attributes takes each employment's contract
    type, sector and hours by code from it in one grouped pass
    (docs/definitions.md#breakdowns); nothing person-level by month is written.
-#}

with

checked as (

    select * from {{ ref('int_payroll__checked') }}

),

duplicates as (

    select * from {{ ref('int_payroll_duplicate_rows') }}

),

accepted_rows as (

    select
        checked.person_id,
        checked.employment_id,
        checked.quarter_index,
        checked.period_month,
        checked.contract_type,
        checked.sector,
        checked.paid_hours,
        1 as accepted_rows

    from checked
    where not checked.breaks_row_rule
        and not checked.is_unknown_person
        and checked.employment_kind = 'regular'

),

copy_corrections as (

    {#- The copies of an unknown person's rows have no accepted row to correct: their
        employment × quarter adds up to fewer than one row, and the reader drops it. -#}
    select
        duplicates.person_id,
        duplicates.employment_id,
        duplicates.quarter_index,
        duplicates.period_month,
        duplicates.contract_type,
        duplicates.sector,
        -(duplicates.extra_copies * duplicates.paid_hours) as paid_hours,
        -duplicates.extra_copies as accepted_rows

    from duplicates
    where duplicates.employment_kind = 'regular'

),

unioned as (

    select * from accepted_rows
    union all
    select * from copy_corrections

),

final as (

    select
        unioned.person_id,
        unioned.employment_id,
        unioned.quarter_index,
        unioned.period_month,
        unioned.contract_type,
        unioned.sector,
        cast(unioned.paid_hours as decimal(18, 4)) as paid_hours,
        cast(unioned.accepted_rows as bigint) as accepted_rows

    from unioned

)

select * from final
