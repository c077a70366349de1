{#-
    Parsing raw values. CSV values (and the demo seeds) arrive as text; Parquet
    values arrive in whatever physical type the writer chose. Each raw column is
    read by the class of its physical type (raw_type_class), so the same value
    gives the same parsed value whatever the type:

    - text: trimmed, empty = NULL; dates must be ISO `YYYY-MM-DD`, numbers plain
      `.`-decimals (`12.5`, `-3`; not `12,5`, `1_000`, `1e3`);
    - DATE: used as it is;
    - TIMESTAMP without time zone: its date when the time is midnight; any other
      time is not a date, so the value is unreadable (quarantined, never
      truncated to a day that may be wrong);
    - TIMESTAMP WITH TIME ZONE: its date in Europe/Amsterdam (pandas writes
      midnight in Amsterdam as 22:00 or 23:00 UTC the day before);
    - integer, decimal and floating-point hours: as a decimal (18, 4); NaN and
      infinity are unreadable;
    - integer keys: their decimal digits as text;
    - a column of only NULLs (Parquet's NULL type): NULL.
    A value present in the raw data whose parse is NULL is flagged
    (unreadable_flag) and its row goes to quarantine as unreadable_value: a
    value never silently becomes NULL. Which types a column may have at all is
    checked before any model runs (check_raw_inputs, raw_type_allowed): a type
    that cannot carry the contract's value stops the build.

    `types` is the dict of raw_column_types(): column name -> upper-case type.
    Without it (parse time) the text route is assumed.
-#}

{#- Column name -> data type (upper case) of a relation, from the engine's describe. -#}
{% macro raw_column_types(relation) -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {#- a seed not loaded yet (e.g. compiling for the linter on an empty warehouse) -#}
    {%- if adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for row in run_query('describe select * from ' ~ relation) -%}
        {%- do types.update({row[0]: row[1] | upper}) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{#-
    The class of a physical type: text, date, timestamp_local (no time zone),
    timestamp_zoned (an instant), integer, decimal, float, null (a column of
    NULLs only) or other. Spark's TIMESTAMP is an instant (DuckDB's TIMESTAMP
    WITH TIME ZONE); its TIMESTAMP_NTZ is DuckDB's TIMESTAMP.
-#}
{% macro raw_type_class(data_type) -%}
    {%- set full = (data_type | string | upper | trim).replace('"', '') -%}
    {%- set base = full.split('(')[0] | trim -%}
    {%- if base in ['VARCHAR', 'TEXT', 'STRING', 'CHAR', 'BPCHAR'] -%}
        {{ return('text') }}
    {%- elif base == 'DATE' -%}
        {{ return('date') }}
    {%- elif base == 'TIMESTAMP' -%}
        {{ return('timestamp_zoned' if target.type == 'spark' else 'timestamp_local') }}
    {%- elif base in ['TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'DATETIME', 'TIMESTAMP_NTZ'] -%}
        {{ return('timestamp_local') }}
    {%- elif base in ['TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ', 'TIMESTAMP_LTZ'] -%}
        {{ return('timestamp_zoned') }}
    {%- elif base in ['TINYINT', 'SMALLINT', 'INTEGER', 'INT', 'BIGINT', 'HUGEINT', 'UTINYINT',
                      'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'BYTE', 'SHORT', 'LONG'] -%}
        {{ return('integer') }}
    {%- elif base in ['DECIMAL', 'NUMERIC'] -%}
        {{ return('decimal') }}
    {%- elif base in ['DOUBLE', 'FLOAT', 'REAL'] -%}
        {{ return('float') }}
    {%- elif base in ['NULL', 'VOID'] -%}
        {{ return('null') }}
    {%- else -%}
        {{ return('other') }}
    {%- endif -%}
{%- endmacro %}

{#- The type class of a column; text where the type is unknown (parse time, seeds). -#}
{%- macro _class_of(column, types) -%}
    {{ return(raw_type_class(types[column]) if column in types else 'text') }}
{%- endmacro -%}

{#- Text: trimmed, empty = NULL; an integer key as its digits. -#}
{% macro clean_text(column, types={}) -%}
    {%- set type_class = _class_of(column, types) -%}
    {%- if type_class == 'text' -%}
        nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
    {%- elif type_class == 'null' -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
        cast({{ column }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- A date, by the column's type class (see the top of this file). -#}
{% macro parse_date(column, types={}) -%}
    {%- set type_class = _class_of(column, types) -%}
    {%- if type_class == 'date' -%}
        {{ column }}
    {%- elif type_class == 'timestamp_local' -%}
        case
            when cast(cast({{ column }} as date) as timestamp) = cast({{ column }} as timestamp)
                then cast({{ column }} as date)
        end
    {%- elif type_class == 'timestamp_zoned' -%}
        {{ date_in_amsterdam(column) }}
    {%- elif type_class == 'null' -%}
        cast(null as date)
    {%- else -%}
        case
            when {{ matches_pattern(clean_text(column), '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
                then {{ try_cast_value(clean_text(column), 'date') }}
        end
    {%- endif -%}
{%- endmacro %}

{#- A decimal number: typed numbers as they are, text only as a plain `.`-decimal. -#}
{% macro parse_decimal(column, types={}, precision=18, scale=4) -%}
    {%- set type_class = _class_of(column, types) -%}
    {%- set decimal_type = 'decimal(' ~ precision ~ ', ' ~ scale ~ ')' -%}
    {%- if type_class in ['integer', 'decimal', 'float'] -%}
        {{ try_cast_value(column, decimal_type) }}
    {%- elif type_class == 'null' -%}
        cast(null as {{ decimal_type }})
    {%- else -%}
        case
            when {{ matches_pattern(clean_text(column), '[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)') }}
                then {{ try_cast_value(clean_text(column), decimal_type) }}
        end
    {%- endif -%}
{%- endmacro %}

{#-
    Whether a raw value was present but did not parse (rule unreadable_value),
    computed in staging next to the parse, for every type: the raw value as
    text is present (not NULL, not blank) and its parsed value is NULL.
    `relation` is the CTE holding the parsed column and its raw text
    `<column>_raw`.
-#}
{% macro unreadable_flag(column, relation='renamed') -%}
    ({{ relation }}.{{ column }}_raw is not null and trim({{ relation }}.{{ column }}_raw) <> ''
        and {{ relation }}.{{ column }} is null)
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

{#-
    Whether the whole text matches a regular expression (no backslashes in the
    pattern: write [.] for a literal point, so it reads the same on both engines).
-#}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'banenafspraak')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_pattern(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{#-
    The calendar date in Europe/Amsterdam of an instant (a timestamp with time
    zone). Spark's session time zone is UTC (profiles.yml), so its timestamps
    are shifted from UTC to Amsterdam.
-#}
{% macro date_in_amsterdam(expression) -%}
    {{ return(adapter.dispatch('date_in_amsterdam', 'banenafspraak')(expression)) }}
{%- endmacro %}

{% macro default__date_in_amsterdam(expression) -%}
    cast(timezone('Europe/Amsterdam', {{ expression }}) as date)
{%- endmacro %}

{% macro spark__date_in_amsterdam(expression) -%}
    to_date(from_utc_timestamp({{ expression }}, 'Europe/Amsterdam'))
{%- endmacro %}
