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

{{ validated_rows('sheltered_work_requests', key='request_id', lookups=[
    ('persons', 'person_id', 'unknown_person'),
    ('municipalities', 'gemeente_code', 'unknown_municipality'),
]) }}

select * from final
