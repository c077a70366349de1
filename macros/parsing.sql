{#-
    Parsing raw values. Raw CSV values (and the demo seeds) arrive as text,
    Parquet values usually typed. Text is parsed strictly; a value that does not
    parse becomes NULL here, and the validation models send its row to quarantine
    (rule unreadable_value): nothing is guessed. A column that already arrives as
    a DATE or a number is used as it is (no round trip through text, which at
    national scale costs more than the whole payroll scan).

    `types` is the dict of raw_column_types(): column name -> upper-case type.
    Without it (parse time) the text route is assumed.
-#}

{#- Column name -> data type (upper case) of a relation, from DuckDB's describe. -#}
{% macro raw_column_types(relation) -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {#- a seed not loaded yet (e.g. compiling for the linter on an empty warehouse) -#}
    {%- if not relation.external and adapter.get_relation(relation.database, relation.schema,
                                                          relation.identifier) is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for row in run_query('describe select * from ' ~ relation) -%}
        {%- do types.update({row[0]: row[1] | upper}) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{%- macro _is_text(column, types) -%}
    {{ return(column not in types
              or types[column].split('(')[0] in ['VARCHAR', 'TEXT', 'STRING', 'CHAR', 'BPCHAR']) }}
{%- endmacro -%}

{%- macro _is_number(column, types) -%}
    {{ return(column in types and types[column].split('(')[0] in
              ['DECIMAL', 'NUMERIC', 'INTEGER', 'INT', 'BIGINT', 'SMALLINT', 'TINYINT', 'HUGEINT',
               'UBIGINT', 'UINTEGER', 'DOUBLE', 'FLOAT', 'REAL']) }}
{%- endmacro -%}

{#- Text: trimmed, empty = NULL. -#}
{% macro clean_text(column, types={}) -%}
    {%- if _is_text(column, types) -%}
        nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
    {%- else -%}
        cast({{ column }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- An ISO date YYYY-MM-DD (other layouts such as 2021/02/03 do not parse). -#}
{% macro parse_date(column, types={}) -%}
    {%- if column in types and types[column] == 'DATE' -%}
        {{ column }}
    {%- else -%}
    case
        when length({{ clean_text(column) }}) = 10
            and substr({{ clean_text(column) }}, 5, 1) = '-'
            and substr({{ clean_text(column) }}, 8, 1) = '-'
            then {{ try_cast_value(clean_text(column), 'date') }}
    end
    {%- endif -%}
{%- endmacro %}

{#- A decimal number with a point as decimal mark (12.5, not 12,5). -#}
{% macro parse_decimal(column, types={}, precision=18, scale=4) -%}
    {%- if _is_number(column, types) -%}
        {{ try_cast_value(column, 'decimal(' ~ precision ~ ', ' ~ scale ~ ')') }}
    {%- else -%}
        {{ try_cast_value(clean_text(column), 'decimal(' ~ precision ~ ', ' ~ scale ~ ')') }}
    {%- endif -%}
{%- endmacro %}

{#-
    Whether a raw value was present but did not parse (rule unreadable_value),
    computed in staging next to the parse: `false` for a column that arrived
    typed (a Parquet DATE or number cannot be unreadable), else "text present,
    parsed value NULL". `relation` is the CTE holding the parsed column and its
    raw text `<column>_raw`.
-#}
{% macro unreadable_flag(column, types={}, relation='renamed') -%}
    {%- if _is_text(column, types) -%}
        ({{ relation }}.{{ column }}_raw is not null and trim({{ relation }}.{{ column }}_raw) <> ''
            and {{ relation }}.{{ column }} is null)
    {%- else -%}
        false
    {%- endif -%}
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
