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

copies as (

    select
        row_checks.*,
        row_number() over (
            partition by
                row_checks.row_rule,
                row_checks.spell_id,
                row_checks.person_id,
                row_checks.target_group,
                row_checks.valid_from,
                row_checks.valid_until,
                row_checks.inflow_reason,
                row_checks.outflow_reason
            order by row_checks.spell_id
        ) as copy_number

    from row_checks

),

key_variants as (

    select
        copies.*,
        sum(case when copies.row_rule is null and copies.copy_number = 1 then 1 else 0 end)
            over (partition by copies.spell_id) as count_key_variants

    from copies

),

validated as (

    select
        key_variants.*,
        coalesce(
            key_variants.row_rule,
            case
                when key_variants.copy_number > 1 then 'duplicate_row:'
                when key_variants.count_key_variants > 1 then 'conflicting_key:spell_id'
                when persons.person_id is null then 'unknown_person:person_id'
            end
        ) as rule_and_column

    from key_variants
    left join persons
        on key_variants.person_id = persons.person_id

),

final as (

    select
        ---------- ids
        validated.spell_id,
        validated.person_id,

        ---------- parsed values
        validated.target_group,
        validated.valid_from,
        validated.valid_until,
        validated.inflow_reason,
        validated.outflow_reason,

        ---------- raw values as they arrived (kept for quarantined rows only)
        {{ raw_if_quarantined('spell_id') }} as spell_id_raw,
        {{ raw_if_quarantined('person_id') }} as person_id_raw,
        {{ raw_if_quarantined('target_group') }} as target_group_raw,
        {{ raw_if_quarantined('valid_from') }} as valid_from_raw,
        {{ raw_if_quarantined('valid_until') }} as valid_until_raw,
        {{ raw_if_quarantined('inflow_reason') }} as inflow_reason_raw,
        {{ raw_if_quarantined('outflow_reason') }} as outflow_reason_raw,

        ---------- quarantine (NULL = accepted)
        nullif(split_part(validated.rule_and_column, ':', 1), '') as quarantine_rule,
        nullif(split_part(validated.rule_and_column, ':', 2), '') as quarantine_column

    from validated

)

select * from final
