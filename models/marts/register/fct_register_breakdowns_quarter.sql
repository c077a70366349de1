{#-
    One row per quarter × region × target group × breakdown × class: the
    register stock, working persons and jobs split by age class, gender, hours a
    week, contract type, sector and employment duration
    (docs/definitions.md#breakdowns). Person attributes (age_class, gender)
    split all three measures; job characteristics split working persons and
    jobs only (persons_registered NULL). In every quarter × region × group each
    breakdown's classes add up to fct_register_quarter.
    On DuckDB incremental by quarter: a refresh recomputes the look-back window,
    or every quarter when a person's birth date or gender, an employment's start
    or the reported quarters changed since the last build (macro
    breakdowns_cutoff_quarter); a table on Spark.
-#}

-- depends_on: {{ ref('int_persons__accepted') }}
-- depends_on: {{ ref('int_payroll_employment_starts') }}
-- depends_on: {{ ref('int_quarters_reported') }}
{%- if target.type == 'spark' %}
{{ config(materialized='table') }}
{%- else %}
{{ config(materialized='incremental', incremental_strategy='delete+insert',
          unique_key='quarter_label', on_schema_change='fail',
          pre_hook="{{ clear_recomputed_window(breakdowns_cutoff_quarter, 'quarter_end_date', as_quarter_start=true) }}") }}
{%- endif %}
{%- set cutoff = breakdowns_cutoff_quarter() %}
{{ recompute_marker(cutoff) }}

with

{#- each kind of part already summed per quarter × region × group × class (macro
    breakdown_parts: the rules of int_register_breakdown_parts) -#}
{{ breakdown_parts(grouped=true, from_quarter=cutoff) }},

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

cells as (

    {#- a class can get sums from two kinds of part (the persons by the main
        employment, the hours by each row's own value) -#}
    select
        parts.quarter_index,
        parts.region_code,
        parts.target_group,
        parts.breakdown,
        parts.class,
        sum(parts.persons_registered) as persons_registered,
        sum(parts.persons_working) as persons_working,
        sum(parts.paid_hours) as paid_hours

    from parts
    group by
        parts.quarter_index,
        parts.region_code,
        parts.target_group,
        parts.breakdown,
        parts.class

),

final as (

    select
        ---------- keys
        quarters.quarter_label,
        quarters.quarter_end_date,
        cells.region_code,
        cells.target_group,
        cast(cells.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(cells.class as {{ dbt.type_string() }}) as class,

        ---------- measures
        cast(cells.persons_registered as bigint) as persons_registered,
        cast(cells.persons_working as bigint) as persons_working,
        {{ hours_to_jobs('cells.paid_hours') }} as jobs

    from cells
    inner join quarters
        on cells.quarter_index = quarters.quarter_index

)

select * from final
