{#-
    One row per gemeente code and reported year: the labour-market region the
    municipality counts in that year. Current codes take the latest CBS indeling
    at or before the year (the earliest indeling for years before it); former
    codes (mergers) count in the region of their successor. The province comes
    from the 2026 indeling (municipality_province), for a former code that of its
    successor; UNKNOWN where there is none.
-#}

with

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

indeling as (

    select * from {{ ref('municipality_region') }}

),

former_codes as (

    select * from {{ ref('former_municipality_codes') }}

),

provinces as (

    select * from {{ ref('municipality_province') }}

),

years as (

    select distinct quarters.calendar_year from quarters

),

indeling_years as (

    select distinct indeling.indeling_year from indeling

),

applicable_indeling as (

    select
        years.calendar_year,
        coalesce(
            max(case
                when indeling_years.indeling_year <= years.calendar_year
                    then indeling_years.indeling_year
            end),
            min(indeling_years.indeling_year)
        ) as indeling_year

    from years
    cross join indeling_years
    group by years.calendar_year

),

current_codes as (

    select
        applicable_indeling.calendar_year,
        indeling.gemeente_code,
        indeling.gemeente_name,
        indeling.region_code,
        indeling.indeling_year,
        false as is_former_code,
        cast(null as {{ dbt.type_string() }}) as successor_gemeente_code

    from applicable_indeling
    inner join indeling
        on applicable_indeling.indeling_year = indeling.indeling_year

),

former_code_years as (

    select
        years.calendar_year,
        former_codes.gemeente_code,
        former_codes.gemeente_name,
        former_codes.region_code,
        cast(null as integer) as indeling_year,
        true as is_former_code,
        former_codes.successor_gemeente_code

    from years
    cross join former_codes
    left join current_codes
        on years.calendar_year = current_codes.calendar_year
        and former_codes.gemeente_code = current_codes.gemeente_code
    where current_codes.gemeente_code is null

),

unioned as (

    select * from current_codes

    union all

    select * from former_code_years

),

final as (

    {#- the province of the code, or of its successor for a former code (2026 indeling) -#}
    select
        unioned.*,
        coalesce(provinces.province_code, 'UNKNOWN') as province_code,
        coalesce(provinces.province_name, 'Onbekend') as province_name

    from unioned
    left join provinces
        on coalesce(unioned.successor_gemeente_code, unioned.gemeente_code)
        = provinces.gemeente_code

)

select * from final
