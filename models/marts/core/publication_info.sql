{#-
    One row: the run that built the marts (dbt invocation id, time), the vars
    and raw inputs it used and the quarters it reports. The only place a run id
    lives in the marts, so marts of two runs on the same input are identical.
-#}

with

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

reported as (

    select
        min(quarters.quarter_index) as first_quarter_index,
        max(quarters.quarter_index) as last_quarter_index,
        count(*) as count_quarters

    from quarters

),

final as (

    select
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as run_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at,
        cast('{{ dbt_version }}' as {{ dbt.type_string() }}) as dbt_version,
        cast(
            {{ sql_text(var("raw_path", "") or "demo seeds (schema raw)") }}
            as {{ dbt.type_string() }}
        ) as raw_inputs,
        cast(
            '{{ var("raw_format", "parquet") if var("raw_path", "") else "seed" }}'
            as {{ dbt.type_string() }}
        ) as raw_format,
        cast({{ sql_text(tojson({
            "raw_path": var("raw_path", ""),
            "raw_format": var("raw_format", "parquet"),
            "first_quarter": var("first_quarter", ""),
            "last_quarter": var("last_quarter", ""),
            "paid_hours_per_job_month": var("paid_hours_per_job_month"),
        })) }} as {{ dbt.type_string() }}) as vars_used,
        cast(first_quarter.quarter_label as {{ dbt.type_string() }}) as first_quarter,
        cast(last_quarter.quarter_label as {{ dbt.type_string() }}) as last_quarter,
        cast(reported.count_quarters as integer) as count_quarters

    from reported
    left join quarters as first_quarter
        on reported.first_quarter_index = first_quarter.quarter_index
    left join quarters as last_quarter
        on reported.last_quarter_index = last_quarter.quarter_index

)

select * from final
