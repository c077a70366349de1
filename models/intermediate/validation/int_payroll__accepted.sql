with

validated as (

    select * from {{ ref('int_payroll__validated') }}

),

accepted as (

    select
        validated.person_id,
        validated.employment_id,
        validated.employer_id,
        validated.sector,
        validated.period_month,
        validated.paid_hours,
        validated.contract_type,
        validated.employment_kind,
        validated.employment_start

    from validated
    where validated.quarantine_rule is null

)

select * from accepted
