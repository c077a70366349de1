{#-
    One row per municipality and calendar_year: the minimum number of beschut werk places
    (taakstelling) in use: the (synthetic) seed's places times reference_scale(),
    split so that municipalities add up exactly to the scaled national total
    (with real data, scale 1, these are the seed's values unchanged). With var
    sheltered_work_quota_csv, the user's quotas are used as given (never scaled).
-#}

{%- if var('sheltered_work_quota_csv', '') %}

with

supplied as (

    select * from {{ ref('stg_inputs__sheltered_work_quota') }}

),

final as (

    select
        supplied.gemeente_code,
        supplied.calendar_year,
        supplied.quota_places

    from supplied

)

select * from final

{%- else %}

with

quota as (

    select * from {{ ref('sheltered_work_quota') }}

),

national as (

    select
        quota.year,
        sum(quota.quota_places) as national_places

    from quota
    group by 1

),

weighted as (

    select
        quota.gemeente_code,
        quota.year,
        quota.quota_places,
        {{ scaled('national.national_places') }} as national_places_in_use

    from quota
    inner join national
        on quota.year = national.year

),

allocated as (

    {{ apportion('weighted', 'national_places_in_use', 'quota_places', 'year', 'gemeente_code',
                 'quota_places_in_use') }}

),

final as (

    select
        allocated.gemeente_code,
        allocated.year as calendar_year,
        allocated.quota_places_in_use as quota_places

    from allocated

)

select * from final

{%- endif %}
