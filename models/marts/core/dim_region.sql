{#- One row per labour-market region (35) plus UNKNOWN (no residence on the peildatum). -#}

with

regions as (

    select * from {{ ref('labour_market_regions') }}

),

unioned as (

    select
        regions.region_code,
        regions.region_name,
        regions.region_name_cbs_2026,
        false as is_unknown

    from regions

    union all

    select
        'UNKNOWN' as region_code,
        'Onbekend' as region_name,
        'Onbekend' as region_name_cbs_2026,
        true as is_unknown

),

final as (

    select
        cast(unioned.region_code as {{ dbt.type_string() }}) as region_code,
        cast(unioned.region_name as {{ dbt.type_string() }}) as region_name,
        cast(unioned.region_name_cbs_2026 as {{ dbt.type_string() }}) as region_name_cbs_2026,
        unioned.is_unknown

    from unioned

)

select * from final
