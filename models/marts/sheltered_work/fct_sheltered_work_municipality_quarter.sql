{#-
    Beschut werk per municipality (the quota is set per gemeente): per quarter
    and the municipality of the request, requests by requester, positive
    advices, persons with a valid positive advice on the peildatum and how many
    of them work in a sheltered job, positive advices since the first reported
    quarter, and the year's quota with the share realised (persons working in
    beschut werk / quota). One row per reported quarter × municipality of that
    year's indeling (former codes too where they have requests or advices),
    zeros included (docs/definitions.md#sheltered-work).
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

    select * from {{ ref('dim_municipality') }}

),

request_events as (

    {#- a request counts in the quarter of its request_date, a positive advice in the
        quarter of its decision_date, each at the request's municipality -#}
    select
        requests.request_quarter_index as quarter_index,
        requests.gemeente_code,
        {{ count_where("requests.requester = 'municipality'") }} as requests_municipality,
        {{ count_where("requests.requester = 'citizen'") }} as requests_citizen,
        0 as positive_advices

    from requests
    group by 1, 2

    union all

    select
        requests.decision_quarter_index as quarter_index,
        requests.gemeente_code,
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
        request_events.gemeente_code,
        sum(request_events.requests_municipality) as requests_municipality,
        sum(request_events.requests_citizen) as requests_citizen,
        sum(request_events.positive_advices) as positive_advices

    from request_events
    group by 1, 2

),

advice_counts as (

    select
        advices.quarter_index,
        advices.gemeente_code,
        count(*) as valid_positive_advices,
        {{ count_where('advices.is_working_sheltered') }} as persons_working_sheltered

    from advices
    group by 1, 2

),

grid_keys as (

    {#- every current municipality in every quarter, and a former code in a quarter it
        has requests or advices -#}
    select
        quarters.quarter_index,
        municipalities.gemeente_code

    from quarters
    inner join municipalities
        on quarters.calendar_year = municipalities.year
    where not municipalities.is_former_code

    union

    select
        request_counts.quarter_index,
        request_counts.gemeente_code

    from request_counts

    union

    select
        advice_counts.quarter_index,
        advice_counts.gemeente_code

    from advice_counts

),

grid as (

    select
        quarters.quarter_index,
        quarters.quarter_label,
        quarters.quarter_end_date,
        quarters.calendar_year,
        grid_keys.gemeente_code

    from grid_keys
    inner join quarters
        on grid_keys.quarter_index = quarters.quarter_index

),

final as (

    select
        ---------- keys
        grid.quarter_label,
        grid.quarter_end_date,
        grid.gemeente_code,

        ---------- requests and advices in the quarter
        cast(coalesce(request_counts.requests_municipality, 0) as bigint) as requests_municipality,
        cast(coalesce(request_counts.requests_citizen, 0) as bigint) as requests_citizen,
        cast(coalesce(request_counts.positive_advices, 0) as bigint) as positive_advices,
        {#- since the first reported quarter: a former code's quarters without activity
            are not in the grid, but they hold no advices either -#}
        cast(sum(coalesce(request_counts.positive_advices, 0)) over (
            partition by grid.gemeente_code
            order by grid.quarter_index
            rows between unbounded preceding and current row
        ) as bigint) as positive_advices_cumulative,

        ---------- on the peildatum
        cast(coalesce(advice_counts.valid_positive_advices, 0) as bigint) as valid_positive_advices,
        cast(coalesce(advice_counts.persons_working_sheltered, 0) as bigint)
            as persons_working_sheltered,

        ---------- the year's quota and how much of it is realised
        cast(quota.quota_places as bigint) as quota,
        {{ exact_ratio('coalesce(advice_counts.persons_working_sheltered, 0)',
                       'quota.quota_places') }} as share_quota_realised

    from grid
    left join request_counts
        on grid.quarter_index = request_counts.quarter_index
        and grid.gemeente_code = request_counts.gemeente_code
    left join advice_counts
        on grid.quarter_index = advice_counts.quarter_index
        and grid.gemeente_code = advice_counts.gemeente_code
    left join quota
        on grid.calendar_year = quota.calendar_year
        and grid.gemeente_code = quota.gemeente_code

)

select * from final
