{{ config(materialized='table') }}

{#-
    One row per accepted register spell, with death applied: a spell no longer
    holds on or after the person's date of death (as if its valid_until were
    that date) and then its outflow reason is `death`, whatever the extract
    says. Quarter numbers (see macro quarter_index) say on which peildata the
    spell holds: a spell holds on the peildatum of quarter q exactly when
    first_held_quarter_index <= q <= last_held_quarter_index.
-#}

with

spells as (

    select * from {{ ref('int_register_spells__accepted') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

with_death as (

    select
        spells.*,
        persons.date_of_death,
        coalesce(
            persons.date_of_death is not null
            and (spells.valid_until is null or persons.date_of_death <= spells.valid_until),
            false
        ) as is_ended_by_death

    from spells
    inner join persons
        on spells.person_id = persons.person_id

),

effective as (

    select
        with_death.*,
        case
            when with_death.is_ended_by_death then with_death.date_of_death
            else with_death.valid_until
        end as effective_valid_until,
        case
            when with_death.is_ended_by_death then 'death'
            when with_death.valid_until is not null then with_death.outflow_reason
        end as effective_outflow_reason

    from with_death

),

final as (

    select
        ---------- ids
        effective.spell_id,
        effective.person_id,

        ---------- properties
        effective.target_group,
        effective.inflow_reason,
        effective.effective_outflow_reason,

        ---------- dates
        effective.valid_from,
        effective.valid_until,
        effective.date_of_death,
        effective.effective_valid_until,
        effective.is_ended_by_death,

        ---------- which spell counts where spells overlap: the highest precedence
        ---------- (latest valid_from, then highest spell_id compared as text)
        row_number() over (
            partition by effective.person_id
            order by effective.valid_from, effective.spell_id
        ) as precedence,

        ---------- quarters
        {{ quarter_index('effective.valid_from') }} as start_quarter_index,
        {{ quarter_index('effective.effective_valid_until') }} as end_quarter_index,
        {{ quarter_index('effective.valid_from') }} as first_held_quarter_index,
        {{ quarter_index('effective.effective_valid_until') }} - 1 as last_held_quarter_index

    from effective

)

select * from final
