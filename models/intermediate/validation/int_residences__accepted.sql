with

validated as (

    select * from {{ ref('int_residences__validated') }}

),

accepted as (

    select
        validated.person_id,
        validated.gemeente_code,
        validated.valid_from,
        validated.valid_until

    from validated
    where validated.quarantine_rule is null

)

select * from accepted
