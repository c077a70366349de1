{#-
    One row per gemeente code × reported year: the municipality's name and the
    labour-market region it counts in that year and its province, former codes
    (mergers) included with their successor.
-#}

with

municipalities as (

    select * from {{ ref('int_municipalities_yearly') }}

),

final as (

    select
        cast(municipalities.gemeente_code as {{ dbt.type_string() }}) as gemeente_code,
        cast(municipalities.calendar_year as integer) as year,
        cast(municipalities.gemeente_name as {{ dbt.type_string() }}) as gemeente_name,
        cast(municipalities.region_code as {{ dbt.type_string() }}) as region_code,
        municipalities.is_former_code,
        cast(municipalities.successor_gemeente_code as {{ dbt.type_string() }})
            as successor_gemeente_code,
        cast(municipalities.indeling_year as integer) as indeling_year,
        cast(municipalities.province_code as {{ dbt.type_string() }}) as province_code,
        cast(municipalities.province_name as {{ dbt.type_string() }}) as province_name

    from municipalities

)

select * from final
