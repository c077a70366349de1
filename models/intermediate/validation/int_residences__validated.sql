{{ config(materialized='table') }}

{#-
    Every raw residences row with the first quarantine rule it breaks (NULL when
    it is accepted). Rule order: see seed quarantine_rules.
-#}


with

residences as (

    select * from {{ ref('stg_raw__residences') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

municipalities as (

    select * from {{ ref('int_municipalities_known') }}

),

row_checks as (

    select
        residences.*,
        case
            when residences.is_valid_from_unreadable then 'unreadable_value:valid_from'
            when residences.is_valid_until_unreadable then 'unreadable_value:valid_until'
            when residences.person_id is null then 'missing_value:person_id'
            when residences.gemeente_code is null then 'missing_value:gemeente_code'
            when residences.valid_from is null then 'missing_value:valid_from'
            when {{ is_implausible_date('residences.valid_from') }}
                then 'implausible_date:valid_from'
            when {{ is_implausible_date('residences.valid_until') }}
                then 'implausible_date:valid_until'
            when residences.valid_until <= residences.valid_from
                then 'invalid_interval:valid_until'
        end as row_rule

    from residences

),

{{ validated_rows('residences', lookups=[
    ('persons', 'person_id', 'unknown_person'),
    ('municipalities', 'gemeente_code', 'unknown_municipality'),
]) }}

select * from final
