{{ config(materialized='table') }}

{#-
    Every raw persons row with the first quarantine rule it breaks (NULL when it
    is accepted). Rule order: see seed quarantine_rules.
-#}


with

persons as (

    select * from {{ ref('stg_raw__persons') }}

),

row_checks as (

    select
        persons.*,
        case
            when persons.is_birth_date_unreadable then 'unreadable_value:birth_date'
            when persons.is_date_of_death_unreadable then 'unreadable_value:date_of_death'
            when persons.person_id is null then 'missing_value:person_id'
            when persons.birth_date is null then 'missing_value:birth_date'
            when persons.gender is null then 'missing_value:gender'
            when not {{ is_contract_code('persons.gender', 'gender') }} then 'unknown_code:gender'
            when {{ is_implausible_date('persons.birth_date') }}
                then 'implausible_date:birth_date'
            when {{ is_implausible_date('persons.date_of_death') }}
                then 'implausible_date:date_of_death'
            when persons.date_of_death < persons.birth_date
                then 'invalid_interval:date_of_death'
        end as row_rule

    from persons

),

{{ validated_rows('persons', key='person_id') }}

select * from final
