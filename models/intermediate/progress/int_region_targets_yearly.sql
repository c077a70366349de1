{#-
    One row per labour-market region and target year: the region's target for
    the end of the year (cumulative extra jobs against its baseline), the
    national target in use split over the regions by their (synthetic) share in
    whole jobs that add up exactly to the national target; likewise the market
    part; the government part is the rest. No public regional targets exist.
    With var regional_targets_csv, the user's table is used as given instead
    (stg_inputs__regional_targets, checked by its tests).
-#}

{%- if var('regional_targets_csv', '') %}

with

supplied as (

    select * from {{ ref('stg_inputs__regional_targets') }}

),

final as (

    select
        supplied.region_code,
        supplied.target_year,
        supplied.target_total,
        supplied.target_market,
        supplied.target_government

    from supplied

)

select * from final

{%- else %}

with

shares as (

    select * from {{ ref('regional_target_shares') }}

),

national as (

    select * from {{ ref('int_national_targets_scaled') }}

),

weighted as (

    select
        national.target_year,
        shares.region_code,
        shares.share,
        national.target_total,
        coalesce(national.target_market, 0) as target_market,
        national.target_market is null as is_market_unknown

    from national
    cross join shares

),

total_allocated as (

    {{ apportion('weighted', 'target_total', 'share', 'target_year', 'region_code',
                 'region_target_total') }}

),

market_allocated as (

    {{ apportion('total_allocated', 'target_market', 'share', 'target_year', 'region_code',
                 'region_target_market') }}

),

final as (

    select
        market_allocated.region_code,
        market_allocated.target_year,
        market_allocated.region_target_total as target_total,
        case
            when not market_allocated.is_market_unknown
                then market_allocated.region_target_market
        end as target_market,
        case
            when not market_allocated.is_market_unknown
                then market_allocated.region_target_total - market_allocated.region_target_market
        end as target_government

    from market_allocated

)

select * from final

{%- endif %}
