{#-
    Each accepted beschut werk request placed in time and region: the quarter of
    its request_date and of its decision_date, each with the region of the
    request's municipality in that quarter's year (as UWV counts).
-#}

with

requests as (

    select * from {{ ref('int_sheltered_work_requests__accepted') }}

),

municipalities as (

    select * from {{ ref('int_municipalities_yearly') }}

),

quartered as (

    select
        requests.*,
        {{ quarter_index('requests.request_date') }} as request_quarter_index,
        {{ quarter_index('requests.decision_date') }} as decision_quarter_index

    from requests

),

final as (

    select
        quartered.request_id,
        quartered.person_id,
        quartered.gemeente_code,
        quartered.requester,
        quartered.decision,
        quartered.request_quarter_index,
        request_municipalities.region_code as request_region_code,
        quartered.decision_quarter_index,
        decision_municipalities.region_code as decision_region_code

    from quartered
    left join municipalities as request_municipalities
        on quartered.gemeente_code = request_municipalities.gemeente_code
        and cast(floor(quartered.request_quarter_index / 4) as integer)
        = request_municipalities.calendar_year
    left join municipalities as decision_municipalities
        on quartered.gemeente_code = decision_municipalities.gemeente_code
        and cast(floor(quartered.decision_quarter_index / 4) as integer)
        = decision_municipalities.calendar_year

)

select * from final
