{#-
    The regional targets file a user supplies (var regional_targets_csv) is
    complete and sound: one row per failure, naming the region, the year and the
    rule it breaks. No rows without the var (the staging model is empty).
    Arguments: regions_model (the 35 labour-market regions). The rules every
    supplied file follows (macro supplied_input_failures): missing_value,
    unreadable_value (not a whole number or not a four-digit year),
    negative_value, unknown_region (not one of the 35 labour-market regions),
    duplicate_row (region and year twice), missing_region (a year of the file
    without a line for a region), year_gap (a year between the first and the last
    of the file without lines); and this file's own: split_incomplete (only one of
    market and government), split_not_total (market + government is not the
    total), baseline_differs (a region with two baselines).
-#}
{% test supplied_regional_targets_valid(model, regions_model) %}

with

common_rules as (

    {{ supplied_input_failures(model, 'region_code', 'region', regions_model, 'target_year',
                               ['target_total', 'target_market', 'target_government', 'baseline_jobs'],
                               optional=['target_market', 'target_government']) }}

),

split_checks as (

    select
        region_code,
        target_year_raw as target_year,
        case
            when (target_market_raw is null) <> (target_government_raw is null)
                then 'split_incomplete'
            when target_market + target_government <> target_total
                then 'split_not_total'
        end as rule,
        cast(null as {{ dbt.type_string() }}) as column_name
    from {{ model }}

),

baselines as (

    select
        region_code,
        cast(null as {{ dbt.type_string() }}) as target_year,
        'baseline_differs' as rule,
        'baseline_jobs' as column_name
    from {{ model }}
    where region_code is not null and baseline_jobs is not null
    group by region_code
    having count(distinct baseline_jobs) > 1

),

failures as (

    select * from common_rules
    union all
    select * from split_checks where rule is not null
    union all
    select * from baselines

)

select * from failures

{% endtest %}
