{#-
    The regional targets file a user supplies (var regional_targets_csv) is
    complete and sound: one row per failure, naming the region, the year and the
    rule it breaks. No rows without the var (the staging model is empty).
    Arguments: regions_model (the 35 labour-market regions). Rules:
    missing_value, unreadable_value (not a whole number or not a four-digit
    year), negative_value, unknown_region (not one of the 35
    labour-market regions), duplicate_row (region and year twice), missing_region
    (a year of the file without a line for a region), year_gap (a year between
    the first and the last of the file without lines), split_incomplete (only one
    of market and government), split_not_total (market + government is not the
    total), baseline_differs (a region with two baselines).
-#}
{% test supplied_regional_targets_valid(model, regions_model) %}

with

supplied as (

    select * from {{ model }}

),

regions as (

    select region_code from {{ regions_model }}

),

value_checks as (

    {%- set numbers = ['target_total', 'target_market', 'target_government', 'baseline_jobs'] %}
    {%- for column in ['target_year'] + numbers %}
    select
        region_code,
        target_year_raw as target_year,
        case
            when {{ column }}_raw is null
                and '{{ column }}' not in ('target_market', 'target_government')
                then 'missing_value'
            when {{ column }}_raw is not null and {{ column }} is null then 'unreadable_value'
            when {{ column }} < 0 then 'negative_value'
        end as rule,
        '{{ column }}' as column_name
    from supplied
    {{ 'union all' if not loop.last }}
    {%- endfor %}
    union all
    select region_code, target_year_raw, 'missing_value', 'region_code'
    from supplied
    where region_code is null

),

row_checks as (

    select
        supplied.region_code,
        supplied.target_year_raw as target_year,
        case
            when regions.region_code is null then 'unknown_region'
            when (supplied.target_market_raw is null) <> (supplied.target_government_raw is null)
                then 'split_incomplete'
            when supplied.target_market + supplied.target_government <> supplied.target_total
                then 'split_not_total'
        end as rule,
        cast(null as {{ dbt.type_string() }}) as column_name
    from supplied
    left join regions
        on supplied.region_code = regions.region_code
    where supplied.region_code is not null

),

duplicates as (

    select
        region_code,
        cast(target_year as {{ dbt.type_string() }}) as target_year,
        'duplicate_row' as rule,
        cast(null as {{ dbt.type_string() }}) as column_name
    from supplied
    where region_code is not null and target_year is not null
    group by region_code, target_year
    having count(*) > 1

),

years as (

    select distinct target_year from supplied where target_year is not null

),

year_span as (

    select min(target_year) as first_year, max(target_year) as last_year from years

),

missing_regions as (

    select
        regions.region_code,
        cast(years.target_year as {{ dbt.type_string() }}) as target_year,
        'missing_region' as rule,
        cast(null as {{ dbt.type_string() }}) as column_name
    from years
    cross join regions
    left join supplied
        on supplied.target_year = years.target_year
        and supplied.region_code = regions.region_code
    where supplied.region_code is null

),

year_gaps as (

    select
        cast(null as {{ dbt.type_string() }}) as region_code,
        cast(year_span.first_year + offsets.n as {{ dbt.type_string() }}) as target_year,
        'year_gap' as rule,
        cast(null as {{ dbt.type_string() }}) as column_name
    from year_span
    cross join ({{ integer_series(200) }}) as offsets
    left join years
        on years.target_year = year_span.first_year + offsets.n
    where year_span.first_year + offsets.n < year_span.last_year
        and years.target_year is null

),

baselines as (

    select
        region_code,
        cast(null as {{ dbt.type_string() }}) as target_year,
        'baseline_differs' as rule,
        'baseline_jobs' as column_name
    from supplied
    where region_code is not null and baseline_jobs is not null
    group by region_code
    having count(distinct baseline_jobs) > 1

),

failures as (

    select * from value_checks where rule is not null
    union all
    select * from row_checks where rule is not null
    union all
    select * from duplicates
    union all
    select * from missing_regions
    union all
    select * from year_gaps
    union all
    select * from baselines

)

select * from failures

{% endtest %}
