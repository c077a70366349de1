{#-
    One row per year with a national target: the national baseline and the
    year's targets in use (times reference_scale(): 1 with real data, the demo
    scale in the demo), rounded half up. The government part is the total minus
    the market part, so the two add up.
-#}

with

targets as (

    select * from {{ ref('banenafspraak_national_targets') }}

),

baseline as (

    select * from {{ ref('banenafspraak_national_baseline') }}

),

final as (

    select
        targets.year as target_year,
        {{ scaled('baseline.baseline_jobs') }} as baseline_jobs,
        {{ scaled('targets.target_total') }} as target_total,
        {{ scaled('targets.target_market') }} as target_market,
        {{ scaled('targets.target_total') }} - {{ scaled('targets.target_market') }}
            as target_government

    from targets
    cross join baseline

)

select * from final
