{{ config(materialized='table') }}

{#-
    Every raw payroll row with the first quarantine rule it breaks (NULL when it
    is accepted). Rule order: see seed quarantine_rules. Rows for the same
    employment and month that differ are corrections and all accepted; only
    exact copies are duplicates.
-#}


with

payroll as (

    select * from {{ ref('stg_raw__payroll') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

row_checks as (

    select
        payroll.*,
        case
            when payroll.is_period_month_unreadable then 'unreadable_value:period_month'
            when payroll.is_paid_hours_unreadable then 'unreadable_value:paid_hours'
            when payroll.is_employment_start_unreadable then 'unreadable_value:employment_start'
            when payroll.person_id is null then 'missing_value:person_id'
            when payroll.employment_id is null then 'missing_value:employment_id'
            when payroll.employer_id is null then 'missing_value:employer_id'
            when payroll.sector is null then 'missing_value:sector'
            when payroll.period_month is null then 'missing_value:period_month'
            when payroll.paid_hours is null then 'missing_value:paid_hours'
            when payroll.contract_type is null then 'missing_value:contract_type'
            when payroll.employment_kind is null then 'missing_value:employment_kind'
            when payroll.employment_start is null then 'missing_value:employment_start'
            when not {{ is_contract_code('payroll.sector', 'sector') }}
                then 'unknown_code:sector'
            when not {{ is_contract_code('payroll.contract_type', 'contract_type') }}
                then 'unknown_code:contract_type'
            when not {{ is_contract_code('payroll.employment_kind', 'employment_kind') }}
                then 'unknown_code:employment_kind'
            when payroll.paid_hours < 0 then 'negative_hours:paid_hours'
            when extract(day from payroll.period_month) <> 1
                then 'invalid_period_month:period_month'
        end as row_rule

    from payroll

),

copies as (

    select
        row_checks.*,
        row_number() over (
            partition by
                row_checks.row_rule,
                row_checks.person_id,
                row_checks.employment_id,
                row_checks.employer_id,
                row_checks.sector,
                row_checks.period_month,
                row_checks.paid_hours,
                row_checks.contract_type,
                row_checks.employment_kind,
                row_checks.employment_start
            order by row_checks.person_id
        ) as copy_number

    from row_checks

),

validated as (

    select
        copies.*,
        coalesce(
            copies.row_rule,
            case
                when copies.copy_number > 1 then 'duplicate_row:'
                when persons.person_id is null then 'unknown_person:person_id'
            end
        ) as rule_and_column

    from copies
    left join persons
        on copies.person_id = persons.person_id

),

final as (

    select
        ---------- ids
        validated.person_id,
        validated.employment_id,
        validated.employer_id,

        ---------- parsed values
        validated.sector,
        validated.period_month,
        validated.paid_hours,
        validated.contract_type,
        validated.employment_kind,
        validated.employment_start,

        ---------- raw values as they arrived (kept for quarantined rows only)
        {{ raw_if_quarantined('person_id') }} as person_id_raw,
        {{ raw_if_quarantined('employment_id') }} as employment_id_raw,
        {{ raw_if_quarantined('employer_id') }} as employer_id_raw,
        {{ raw_if_quarantined('sector') }} as sector_raw,
        {{ raw_if_quarantined('period_month') }} as period_month_raw,
        {{ raw_if_quarantined('paid_hours') }} as paid_hours_raw,
        {{ raw_if_quarantined('contract_type') }} as contract_type_raw,
        {{ raw_if_quarantined('employment_kind') }} as employment_kind_raw,
        {{ raw_if_quarantined('employment_start') }} as employment_start_raw,

        ---------- quarantine (NULL = accepted)
        nullif(split_part(validated.rule_and_column, ':', 1), '') as quarantine_rule,
        nullif(split_part(validated.rule_and_column, ':', 2), '') as quarantine_column

    from validated

)

select * from final
