{#-
    One row per labour-market region (35) plus UNKNOWN (no residence on the
    peildatum), with the region's baseline in jobs (0 for UNKNOWN).
-#}

with

regions as (

    select * from {{ ref('labour_market_regions') }}

),

baselines as (

    select * from {{ ref('int_region_baselines') }}

),

unioned as (

    select
        regions.region_code,
        regions.region_name,
        regions.region_name_cbs_2026,
        coalesce(baselines.baseline_jobs, 0) as baseline_jobs,
        false as is_unknown

    from regions
    left join baselines
        on regions.region_code = baselines.region_code

    union all

    select
        'UNKNOWN' as region_code,
        'Onbekend' as region_name,
        'Onbekend' as region_name_cbs_2026,
        0 as baseline_jobs,
        true as is_unknown

),

final as (

    select
        cast(unioned.region_code as {{ dbt.type_string() }}) as region_code,
        cast(unioned.region_name as {{ dbt.type_string() }}) as region_name,
        cast(unioned.region_name_cbs_2026 as {{ dbt.type_string() }}) as region_name_cbs_2026,
        cast(unioned.baseline_jobs as bigint) as baseline_jobs,
        unioned.is_unknown

    from unioned

)

select * from final
