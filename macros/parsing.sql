{#-
    Parsing raw values. Raw CSV values arrive as text, Parquet values typed; both
    are read through text so one rule applies. A value that does not parse
    becomes NULL here, and the validation models send its row to quarantine
    (rule unreadable_value): nothing is guessed.
-#}

{#- Text: trimmed, empty = NULL. -#}
{% macro clean_text(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- An ISO date YYYY-MM-DD (other layouts such as 2021/02/03 do not parse). -#}
{% macro parse_date(column) -%}
    case
        when length({{ clean_text(column) }}) = 10
            and substr({{ clean_text(column) }}, 5, 1) = '-'
            and substr({{ clean_text(column) }}, 8, 1) = '-'
            then {{ try_cast_value(clean_text(column), 'date') }}
    end
{%- endmacro %}

{#- A decimal number with a point as decimal mark (12.5, not 12,5). -#}
{% macro parse_decimal(column, precision=18, scale=4) -%}
    {{ try_cast_value(clean_text(column), 'decimal(' ~ precision ~ ', ' ~ scale ~ ')') }}
{%- endmacro %}

{#- True where a raw value is present but did not parse (rule unreadable_value). -#}
{% macro is_unreadable(column) -%}
    ({{ clean_text(column ~ '_raw') }} is not null and {{ column }} is null)
{%- endmacro %}

{#-
    Cast that yields NULL instead of failing on a value that does not convert.
    (dbt's own safe_cast is a plain cast on DuckDB.) One dispatched macro so
    each engine can use its own form.
-#}
{% macro try_cast_value(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast_value', 'banenafspraak')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast_value(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
