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

copies as (

    select
        row_checks.*,
        row_number() over (
            partition by
                row_checks.row_rule,
                row_checks.person_id,
                row_checks.gemeente_code,
                row_checks.valid_from,
                row_checks.valid_until
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
                when municipalities.gemeente_code is null
                    then 'unknown_municipality:gemeente_code'
            end
        ) as rule_and_column

    from copies
    left join persons
        on copies.person_id = persons.person_id
    left join municipalities
        on copies.gemeente_code = municipalities.gemeente_code

),

final as (

    select
        ---------- ids
        validated.person_id,
        validated.gemeente_code,

        ---------- parsed values
        validated.valid_from,
        validated.valid_until,

        ---------- raw values as they arrived (kept for quarantined rows only)
        {{ raw_if_quarantined('person_id') }} as person_id_raw,
        {{ raw_if_quarantined('gemeente_code') }} as gemeente_code_raw,
        {{ raw_if_quarantined('valid_from') }} as valid_from_raw,
        {{ raw_if_quarantined('valid_until') }} as valid_until_raw,

        ---------- quarantine (NULL = accepted)
        nullif(split_part(validated.rule_and_column, ':', 1), '') as quarantine_rule,
        nullif(split_part(validated.rule_and_column, ':', 2), '') as quarantine_column

    from validated

)

select * from final
