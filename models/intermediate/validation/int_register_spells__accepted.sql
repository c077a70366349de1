with

validated as (

    select * from {{ ref('int_register_spells__validated') }}

),

accepted as (

    select
        validated.spell_id,
        validated.person_id,
        validated.target_group,
        validated.valid_from,
        validated.valid_until,
        validated.inflow_reason,
        validated.outflow_reason

    from validated
    where validated.quarantine_rule is null

)

select * from accepted
