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

{#-
    The reported quarters as the facts use them, from the public dimension
    dim_quarter (a relation or CTE): its columns, the year under the internal
    name calendar_year, and quarter_index (from quarter_end_date) to join on.
-#}
{% macro quarters_from_dim(relation) -%}
    select
        {{ relation }}.quarter_label,
        {{ relation }}.quarter_start_date,
        {{ relation }}.quarter_end_date,
        {{ relation }}.year as calendar_year,
        {{ relation }}.quarter_of_year,
        {{ relation }}.is_first_reported_quarter,
        {{ quarter_index(relation ~ '.quarter_end_date') }} as quarter_index

    from {{ relation }}
{%- endmacro %}
