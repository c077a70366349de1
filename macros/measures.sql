{#-
    Measures: how the figures are computed from counted rows and hours (jobs
    from hours, counts, changes in percent, floors at zero). Exact division is
    in exact_ratio.sql.
-#}

{#-
    Jobs (banen) from the paid hours of one quarter: one job is 25.5 paid hours
    a week, stated by UWV as var paid_hours_per_job_month (110.92) a month, so
    jobs = hours / (3 * 110.92). Unrounded at six decimals.
-#}
{% macro hours_to_jobs(hours_expression) -%}
    cast({{ hours_expression }} / (3 * {{ var('paid_hours_per_job_month') }}) as decimal(18, 6))
{%- endmacro %}

{#- The number of rows where a condition holds (portable: no filter clause). -#}
{% macro count_where(condition) -%}
    sum(case when {{ condition }} then 1 else 0 end)
{%- endmacro %}

{#-
    Change from the previous value in percent (2.9 means 2.9 %), at 6 decimals
    rounded half up (exact_ratio);
    NULL where the previous value is 0 or absent.
-#}
{% macro percent_change(current, previous) -%}
    {{ exact_ratio('100 * ((' ~ current ~ ') - (' ~ previous ~ '))', previous) }}
{%- endmacro %}

{#- The value, or 0 where it is below 0; NULL stays NULL (greatest() would turn NULL into 0). -#}
{% macro not_below_zero(expression) -%}
    case when ({{ expression }}) < 0 then 0 else ({{ expression }}) end
{%- endmacro %}
