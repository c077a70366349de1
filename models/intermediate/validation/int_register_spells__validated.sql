{{ config(materialized='table') }}

{#-
    Every raw register_spells row with the first quarantine rule it breaks (NULL
    when it is accepted). Rule order: see seed quarantine_rules. An outflow
    reason on a spell without valid_until is not a fault (it is ignored).
-#}


with

spells as (

    select * from {{ ref('stg_raw__register_spells') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

row_checks as (

    select
        spells.*,
        case
            when spells.is_valid_from_unreadable then 'unreadable_value:valid_from'
            when spells.is_valid_until_unreadable then 'unreadable_value:valid_until'
            when spells.spell_id is null then 'missing_value:spell_id'
            when spells.person_id is null then 'missing_value:person_id'
            when spells.target_group is null then 'missing_value:target_group'
            when spells.valid_from is null then 'missing_value:valid_from'
            when spells.inflow_reason is null then 'missing_value:inflow_reason'
            when spells.valid_until is not null and spells.outflow_reason is null
                then 'missing_value:outflow_reason'
            when not {{ is_contract_code('spells.target_group', 'target_group') }}
                then 'unknown_code:target_group'
            when not {{ is_contract_code('spells.inflow_reason', 'inflow_reason') }}
                then 'unknown_code:inflow_reason'
            when spells.outflow_reason is not null
                and not {{ is_contract_code('spells.outflow_reason', 'outflow_reason') }}
                then 'unknown_code:outflow_reason'
            when {{ is_implausible_date('spells.valid_from') }}
                then 'implausible_date:valid_from'
            when {{ is_implausible_date('spells.valid_until') }}
                then 'implausible_date:valid_until'
            when spells.valid_until <= spells.valid_from then 'invalid_interval:valid_until'
        end as row_rule

    from spells

),

{{ validated_rows('register_spells', key='spell_id', lookups=[
    ('persons', 'person_id', 'unknown_person'),
]) }}

select * from final
