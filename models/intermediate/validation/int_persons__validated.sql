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

copies as (

    select
        row_checks.*,
        row_number() over (
            partition by
                row_checks.row_rule,
                row_checks.person_id,
                row_checks.birth_date,
                row_checks.gender,
                row_checks.date_of_death
            order by row_checks.person_id
        ) as copy_number

    from row_checks

),

key_variants as (

    select
        copies.*,
        sum(case when copies.row_rule is null and copies.copy_number = 1 then 1 else 0 end)
            over (partition by copies.person_id) as count_key_variants

    from copies

),

validated as (

    select
        key_variants.*,
        coalesce(
            key_variants.row_rule,
            case
                when key_variants.copy_number > 1 then 'duplicate_row:'
                when key_variants.count_key_variants > 1 then 'conflicting_key:person_id'
            end
        ) as rule_and_column

    from key_variants

),

final as (

    select
        ---------- ids
        validated.person_id,

        ---------- parsed values
        validated.birth_date,
        validated.gender,
        validated.date_of_death,

        ---------- raw values as they arrived (kept for quarantined rows only)
        {{ raw_if_quarantined('person_id') }} as person_id_raw,
        {{ raw_if_quarantined('birth_date') }} as birth_date_raw,
        {{ raw_if_quarantined('gender') }} as gender_raw,
        {{ raw_if_quarantined('date_of_death') }} as date_of_death_raw,

        ---------- quarantine (NULL = accepted)
        nullif(split_part(validated.rule_and_column, ':', 1), '') as quarantine_rule,
        nullif(split_part(validated.rule_and_column, ':', 2), '') as quarantine_column

    from validated

)

select * from final
