{#-
    The regional baselines and yearly targets a user supplies as a CSV file
    (var regional_targets_csv), one row per line of the file, cast. Without the
    var it has no rows and the synthetic split is used (int_region_targets_yearly,
    int_region_baselines). The file's content is checked by the tests of this
    model (supplied_regional_targets_valid): a bad file stops the
    build there, before any target is used.
-#}

{#- the source in the lineage in both modes; read only when the var names a file -#}
-- depends_on: {{ source('inputs', 'regional_targets') }}
{% set columns = ['target_total', 'target_market', 'target_government', 'baseline_jobs'] %}
{% if var('regional_targets_csv', '') %}

with

source as (

    select * from {{ source('inputs', 'regional_targets') }}

),

renamed as (

    select
        ---------- keys
        {{ clean_text('region_code') }} as region_code,
        {{ input_year('target_year') }} as target_year,

        ---------- jobs (whole numbers)
        {%- for column in columns %}
        {{ input_whole_number(column) }} as {{ column }},
        {%- endfor %}

        ---------- values as they arrived, as text, for the checks
        {{ clean_text('target_year') }} as target_year_raw,
        {%- for column in columns %}
        {{ clean_text(column) }} as {{ column }}_raw{{ ',' if not loop.last }}
        {%- endfor %}

    from source

)

select * from renamed

{% else %}

{#- no file supplied: the same columns, no rows -#}
select
    cast(null as {{ dbt.type_string() }}) as region_code,
    cast(null as int) as target_year,
    cast(null as bigint) as target_total,
    cast(null as bigint) as target_market,
    cast(null as bigint) as target_government,
    cast(null as bigint) as baseline_jobs,
    cast(null as {{ dbt.type_string() }}) as target_year_raw,
    cast(null as {{ dbt.type_string() }}) as target_total_raw,
    cast(null as {{ dbt.type_string() }}) as target_market_raw,
    cast(null as {{ dbt.type_string() }}) as target_government_raw,
    cast(null as {{ dbt.type_string() }}) as baseline_jobs_raw
where 1 = 0

{% endif %}
