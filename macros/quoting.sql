{#-
    The one way a value (a path, a var, a name) becomes part of SQL: as a string
    literal with its quotes escaped, so it is always data and never code.
    DuckDB (standard SQL): a quote is doubled, a backslash is an ordinary
    character. Spark: a backslash escapes, so both are escaped with one. Used for
    every raw path, var and file name that reaches SQL (the raw input check, the
    run log, publication_info); numbers and quarters are validated by the input
    check before any model runs.
-#}
{% macro sql_text(value) -%}
    {{ return(adapter.dispatch('sql_text', 'banenafspraak')(value)) }}
{%- endmacro %}

{% macro default__sql_text(value) -%}
    '{{ (value | string).replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_text(value) -%}
    '{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}'
{%- endmacro %}
