{{ config(materialized='table') }}

{#-
    Every raw sheltered_work_requests row with the first quarantine rule it
    breaks (NULL when it is accepted). Rule order: see seed quarantine_rules.
-#}


with

requests as (

    select * from {{ ref('stg_raw__sheltered_work_requests') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

municipalities as (

    select * from {{ ref('int_municipalities_known') }}

),

row_checks as (

    select
        requests.*,
        case
            when requests.is_request_date_unreadable then 'unreadable_value:request_date'
            when requests.is_decision_date_unreadable then 'unreadable_value:decision_date'
            when requests.is_advice_valid_until_unreadable
                then 'unreadable_value:advice_valid_until'
            when requests.request_id is null then 'missing_value:request_id'
            when requests.person_id is null then 'missing_value:person_id'
            when requests.gemeente_code is null then 'missing_value:gemeente_code'
            when requests.requester is null then 'missing_value:requester'
            when requests.request_date is null then 'missing_value:request_date'
            when requests.decision is null then 'missing_value:decision'
            when requests.decision in ('positive', 'negative') and requests.decision_date is null
                then 'missing_value:decision_date'
            when not {{ is_contract_code('requests.requester', 'requester') }}
                then 'unknown_code:requester'
            when not {{ is_contract_code('requests.decision', 'decision') }}
                then 'unknown_code:decision'
            when {{ is_implausible_date('requests.request_date') }}
                then 'implausible_date:request_date'
            when {{ is_implausible_date('requests.decision_date') }}
                then 'implausible_date:decision_date'
            when {{ is_implausible_date('requests.advice_valid_until') }}
                then 'implausible_date:advice_valid_until'
            when requests.decision_date < requests.request_date
                then 'invalid_interval:decision_date'
            when requests.advice_valid_until <= requests.decision_date
                then 'invalid_interval:advice_valid_until'
            when requests.decision = 'pending' and requests.decision_date is not null
                then 'inconsistent_value:decision_date'
        end as row_rule

    from requests

),

copies as (

    select
        row_checks.*,
        row_number() over (
            partition by
                row_checks.row_rule,
                row_checks.request_id,
                row_checks.person_id,
                row_checks.gemeente_code,
                row_checks.requester,
                row_checks.request_date,
                row_checks.decision,
                row_checks.decision_date,
                row_checks.advice_valid_until
            order by row_checks.request_id
        ) as copy_number

    from row_checks

),

key_variants as (

    select
        copies.*,
        sum(case when copies.row_rule is null and copies.copy_number = 1 then 1 else 0 end)
            over (partition by copies.request_id) as count_key_variants

    from copies

),

validated as (

    select
        key_variants.*,
        coalesce(
            key_variants.row_rule,
            case
                when key_variants.copy_number > 1 then 'duplicate_row:'
                when key_variants.count_key_variants > 1 then 'conflicting_key:request_id'
                when persons.person_id is null then 'unknown_person:person_id'
                when municipalities.gemeente_code is null
                    then 'unknown_municipality:gemeente_code'
            end
        ) as rule_and_column

    from key_variants
    left join persons
        on key_variants.person_id = persons.person_id
    left join municipalities
        on key_variants.gemeente_code = municipalities.gemeente_code

),

final as (

    select
        ---------- ids
        validated.request_id,
        validated.person_id,
        validated.gemeente_code,

        ---------- parsed values
        validated.requester,
        validated.request_date,
        validated.decision,
        validated.decision_date,
        validated.advice_valid_until,

        ---------- raw values as they arrived (kept for quarantined rows only)
        {{ raw_if_quarantined('request_id') }} as request_id_raw,
        {{ raw_if_quarantined('person_id') }} as person_id_raw,
        {{ raw_if_quarantined('gemeente_code') }} as gemeente_code_raw,
        {{ raw_if_quarantined('requester') }} as requester_raw,
        {{ raw_if_quarantined('request_date') }} as request_date_raw,
        {{ raw_if_quarantined('decision') }} as decision_raw,
        {{ raw_if_quarantined('decision_date') }} as decision_date_raw,
        {{ raw_if_quarantined('advice_valid_until') }} as advice_valid_until_raw,

        ---------- quarantine (NULL = accepted)
        nullif(split_part(validated.rule_and_column, ':', 1), '') as quarantine_rule,
        nullif(split_part(validated.rule_and_column, ':', 2), '') as quarantine_column

    from validated

)

select * from final
