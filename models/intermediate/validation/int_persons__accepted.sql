with

validated as (

    select * from {{ ref('int_persons__validated') }}

),

accepted as (

    select
        validated.person_id,
        validated.birth_date,
        validated.gender,
        validated.date_of_death

    from validated
    where validated.quarantine_rule is null

)

select * from accepted
