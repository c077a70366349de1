{#-
    Beschut werk per quarter and region: requests, positive advices, persons
    with a valid positive advice on the peildatum and how many of them work in
    a sheltered job, against the region's minimum number of places. Region =
    the region of the request's municipality in that year (as UWV counts).
    One row per reported quarter × labour-market region (35), zeros included.
-#}

with

requests as (

    select * from {{ ref('int_sheltered_work_requests_located') }}

),

advices as (

    select * from {{ ref('int_sheltered_work_advices_on_peildatum') }}

),

quota as (

    select * from {{ ref('int_sheltered_work_quota_municipalities') }}

),

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

municipalities as (

    select * from {{ ref('int_municipalities_yearly') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

request_events as (

    {#- a request counts in the quarter of its request_date, a positive advice in the
        quarter of its decision_date, each in the region of its municipality -#}
    select
        requests.request_quarter_index as quarter_index,
        requests.request_region_code as region_code,
        {{ count_where("requests.requester = 'municipality'") }} as requests_municipality,
        {{ count_where("requests.requester = 'citizen'") }} as requests_citizen,
        0 as positive_advices

    from requests
    group by 1, 2

    union all

    select
        requests.decision_quarter_index as quarter_index,
        requests.decision_region_code as region_code,
        0 as requests_municipality,
        0 as requests_citizen,
        count(*) as positive_advices

    from requests
    where requests.decision = 'positive'
    group by 1, 2

),

request_counts as (

    select
        request_events.quarter_index,
        request_events.region_code,
        sum(request_events.requests_municipality) as requests_municipality,
        sum(request_events.requests_citizen) as requests_citizen,
        sum(request_events.positive_advices) as positive_advices

    from request_events
    group by 1, 2

),

advice_counts as (

    {#- a person with valid advices from two municipalities of one region counts once -#}
    select
        advices.quarter_index,
        advices.region_code,
        count(distinct advices.person_id) as valid_positive_advices,
        count(distinct case when advices.is_working_sheltered then advices.person_id end)
            as persons_working_sheltered

    from advices
    group by 1, 2

),

region_quota as (

    select
        quota.calendar_year,
        municipalities.region_code,
        sum(quota.quota_places) as quota

    from quota
    inner join municipalities
        on quota.gemeente_code = municipalities.gemeente_code
        and quota.calendar_year = municipalities.calendar_year
    group by 1, 2

),

grid as (

    select
        quarters.quarter_index,
        quarters.quarter_label,
        quarters.quarter_end_date,
        quarters.calendar_year,
        regions.region_code

    from quarters
    cross join regions
    where not regions.is_unknown

),

final as (

    select
        ---------- keys
        grid.quarter_label,
        grid.quarter_end_date,
        grid.region_code,

        ---------- requests and advices in the quarter
        cast(coalesce(request_counts.requests_municipality, 0) as bigint) as requests_municipality,
        cast(coalesce(request_counts.requests_citizen, 0) as bigint) as requests_citizen,
        cast(coalesce(request_counts.positive_advices, 0) as bigint) as positive_advices,

        ---------- on the peildatum
        cast(coalesce(advice_counts.valid_positive_advices, 0) as bigint) as valid_positive_advices,
        cast(coalesce(advice_counts.persons_working_sheltered, 0) as bigint)
            as persons_working_sheltered,
        {{ exact_ratio('advice_counts.persons_working_sheltered',
                       'coalesce(advice_counts.valid_positive_advices, 0)') }} as share_working,

        ---------- the year's minimum number of places
        cast(region_quota.quota as bigint) as quota

    from grid
    left join request_counts
        on grid.quarter_index = request_counts.quarter_index
        and grid.region_code = request_counts.region_code
    left join advice_counts
        on grid.quarter_index = advice_counts.quarter_index
        and grid.region_code = advice_counts.region_code
    left join region_quota
        on grid.calendar_year = region_quota.calendar_year
        and grid.region_code = region_quota.region_code

)

select * from final
