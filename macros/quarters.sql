{#-
    Quarters as whole numbers: quarter_index = year * 4 + quarter - 1
    (2022Q1 = 8088). Consecutive quarters differ by one, so "the previous
    quarter" is a join on quarter_index - 1 instead of date arithmetic.
-#}
{% macro quarter_index(date_expression) -%}
    (cast(extract(year from {{ date_expression }}) as integer) * 4
        + cast(extract(quarter from {{ date_expression }}) as integer) - 1)
{%- endmacro %}

{#-
    The most quarters the warehouse reports in one build (the size of the
    quarter series in int_quarters_reported: 250 years). A wider range stops the
    build with an error, never a silently shorter series.
-#}
{% macro max_reported_quarters() -%}
    {{ return(1000) }}
{%- endmacro %}

{#- Quarter index of a label 'YYYYQn' (a var), as a number for SQL, or 'null'. -#}
{% macro quarter_label_index(label) -%}
    {%- if label -%}
        {{ (label[:4] | int) * 4 + (label[5:] | int) - 1 }}
    {%- else -%}
        cast(null as integer)
    {%- endif -%}
{%- endmacro %}

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

{#-
    The month of a date within its quarter as one bit (1, 2 or 4), so that
    bit_or over a quarter's rows tells which of its three months are present
    (7 = all three) and bit_count how many.
-#}
{% macro month_bit(date_expression) -%}
    (case (extract(month from {{ date_expression }}) - 1) % 3 when 0 then 1 when 1 then 2 else 4 end)
{%- endmacro %}


{#- The day before a date expression, as a date (the last day of the previous period). -#}
{% macro day_before(date_expression) -%}
    cast({{ dbt.dateadd('day', -1, date_expression) }} as date)
{%- endmacro %}
