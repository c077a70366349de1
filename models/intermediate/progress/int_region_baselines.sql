{#-
    One row per labour-market region: its baseline (nulmeting) in jobs, the
    national baseline in use split over the regions by their (synthetic) share,
    in whole jobs that add up exactly to the national baseline. With var
    regional_targets_csv, the baselines of the user's table are used as given.
-#}

{%- if var('regional_targets_csv', '') %}

with

supplied as (

    select * from {{ ref('stg_inputs__regional_targets') }}

),

final as (

    select distinct
        supplied.region_code,
        supplied.baseline_jobs

    from supplied

)

select * from final

{%- else %}

with

shares as (

    select * from {{ ref('regional_target_shares') }}

),

baseline as (

    select * from {{ ref('banenafspraak_national_baseline') }}

),

weighted as (

    select
        shares.region_code,
        shares.share,
        {{ scaled('baseline.baseline_jobs') }} as national_baseline_jobs,
        'all' as nation

    from shares
    cross join baseline

),

allocated as (

    {{ apportion('weighted', 'national_baseline_jobs', 'share', 'nation', 'region_code',
                 'baseline_jobs') }}

),

final as (

    select
        allocated.region_code,
        allocated.baseline_jobs

    from allocated

)

select * from final

{%- endif %}
