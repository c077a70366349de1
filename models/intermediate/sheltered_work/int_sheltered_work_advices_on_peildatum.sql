{#-
    Beschut werk advices that hold on each peildatum. One row per person ×
    reported quarter × requesting municipality with a valid positive advice on
    the peildatum from that municipality, with its region in that year (as UWV
    counts), and whether the person worked in a `sheltered_work` employment in
    the quarter. A positive advice is valid on day d when its decision_date <= d,
    advice_valid_until is empty or after d, and the person has not died on or
    before d. Two valid advices of one person from one municipality are one row;
    the marts count a person once per municipality and once per region.
-#}

with

requests as (

    select * from {{ ref('int_sheltered_work_requests__accepted') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

municipalities as (

    select * from {{ ref('int_municipalities_yearly') }}

),

payroll as (

    select * from {{ ref('int_payroll_person_quarters') }}

),

positive_advices as (

    select
        requests.request_id,
        requests.person_id,
        requests.gemeente_code,
        {{ quarter_index('requests.decision_date') }} as first_valid_quarter_index,
        {{ quarter_index('requests.advice_valid_until') }} as expiry_quarter_index,
        {{ quarter_index('persons.date_of_death') }} as death_quarter_index

    from requests
    inner join persons
        on requests.person_id = persons.person_id
    where requests.decision = 'positive'

),

valid_on_peildatum as (

    {#- valid on the last day of quarter q: decided in q or before, not expired and
        the person alive on that day (an end date in q is before the peildatum) -#}
    select
        positive_advices.person_id,
        quarters.quarter_index,
        positive_advices.gemeente_code,
        municipalities.region_code

    from positive_advices
    inner join quarters
        on positive_advices.first_valid_quarter_index <= quarters.quarter_index
        and (
            positive_advices.expiry_quarter_index is null
            or positive_advices.expiry_quarter_index > quarters.quarter_index
        )
        and (
            positive_advices.death_quarter_index is null
            or positive_advices.death_quarter_index > quarters.quarter_index
        )
    inner join municipalities
        on positive_advices.gemeente_code = municipalities.gemeente_code
        and quarters.calendar_year = municipalities.calendar_year

),

distinct_persons as (

    select distinct
        valid_on_peildatum.person_id,
        valid_on_peildatum.quarter_index,
        valid_on_peildatum.gemeente_code,
        valid_on_peildatum.region_code

    from valid_on_peildatum

),

final as (

    select
        distinct_persons.person_id,
        distinct_persons.quarter_index,
        distinct_persons.gemeente_code,
        distinct_persons.region_code,
        coalesce(payroll.paid_hours_sheltered_work > 0, false) as is_working_sheltered

    from distinct_persons
    left join payroll
        on distinct_persons.person_id = payroll.person_id
        and distinct_persons.quarter_index = payroll.quarter_index

)

select * from final
