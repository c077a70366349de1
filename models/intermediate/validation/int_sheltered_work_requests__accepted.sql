with

validated as (

    select * from {{ ref('int_sheltered_work_requests__validated') }}

),

accepted as (

    select
        validated.request_id,
        validated.person_id,
        validated.gemeente_code,
        validated.requester,
        validated.request_date,
        validated.decision,
        validated.decision_date,
        validated.advice_valid_until

    from validated
    where validated.quarantine_rule is null

)

select * from accepted
