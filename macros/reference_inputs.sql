{#-
    Reference tables a user may supply as CSV files instead of the synthetic
    defaults (vars, empty by default). Each is checked at the start of every run
    (on-run-start), like the raw files: the file is there, line 1 is a header
    with exactly the columns below (any order), every line is well-formed CSV.
    Then it is registered as a view (DuckDB) or table (Spark) of schema `inputs`
    over the file, every value as text, which the source `inputs` reads; the
    staging model casts it and its tests check the content (regions, years,
    non-negative values). The path reaches SQL through sql_text only.
-#}
{% macro reference_inputs_contract() -%}
    {{ return({
        'regional_targets': {
            'var': 'regional_targets_csv',
            'columns': ['region_code', 'target_year', 'target_total', 'target_market',
                        'target_government', 'baseline_jobs'],
        },
        'sheltered_work_quota': {
            'var': 'sheltered_work_quota_csv',
            'columns': ['gemeente_code', 'year', 'quota_places'],
        },
    }) }}
{%- endmacro %}

{% macro check_reference_inputs() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- for table, spec in reference_inputs_contract().items() -%}
        {%- set path = var(spec['var'], '') | string -%}
        {%- if path -%}
            {{- adapter.dispatch('register_reference_input', 'banenafspraak')(table, path, spec) -}}
            {{ log("reference input: " ~ table ~ " from " ~ path ~ " (var " ~ spec['var'] ~ ")",
                   info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{% macro default__register_reference_input(table, path, spec) %}
    {%- set found = run_query("select count(*) from glob(" ~ sql_text(path) ~ ")").columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "reference file " ~ path ~ " (var " ~ spec['var'] ~ ") is missing") }}
    {%- endif -%}
    {%- set header = _csv_header(path) -%}
    {%- set missing = spec['columns'] | reject('in', header) | list -%}
    {%- set extra = header | reject('in', spec['columns']) | list -%}
    {%- if missing or extra or header | length != spec['columns'] | length -%}
        {{ exceptions.raise_compiler_error(
            "reference file " ~ path ~ " (var " ~ spec['var'] ~ ") has the wrong header: "
            ~ ("missing column(s) " ~ missing | join(', ') ~ "; " if missing else "")
            ~ ("unexpected column(s) " ~ extra | join(', ') ~ "; " if extra else "")
            ~ "it needs exactly: " ~ spec['columns'] | join(', ')) }}
    {%- endif -%}
    {%- set rows = _csv_rows(path, header) -%}
    {%- if rows == 0 -%}
        {{ exceptions.raise_compiler_error(
            "reference file " ~ path ~ " (var " ~ spec['var'] ~ ") has a header but no rows") }}
    {%- endif -%}
    {%- do run_query('create schema if not exists inputs') -%}
    {%- do run_query('create or replace view inputs.' ~ table ~ ' as select * from '
                     ~ raw_file_reader(path, 'csv', header)) -%}
{% endmacro %}

{#- Spark: a table over the file, every value as text (header row, comma, double quotes). -#}
{% macro spark__register_reference_input(table, path, spec) %}
    {%- do run_query('create schema if not exists inputs') -%}
    {%- do run_query('drop table if exists inputs.' ~ table) -%}
    {%- do run_query("create table inputs." ~ table ~ " using csv options (path " ~ sql_text(path)
                     ~ ", header 'true', inferSchema 'false', sep ',', quote '\"', escape '\"',"
                     ~ " mode 'FAILFAST')") -%}
{% endmacro %}

{#-
    The rules every supplied reference file follows, as one select of failures
    with the columns <key>, <year> (as text), rule, column_name. The data test of
    each file (supplied_regional_targets_valid, supplied_sheltered_work_quota_valid)
    adds its own rules. model: the file's staging model, which keeps every value as
    it arrived in <column>_raw beside the cast <column>; key: the entity column
    (region, municipality); entities_model: every entity a year must have; year: the
    year column; numbers: the whole-number columns (0 or more); optional: those of
    them that may be empty. Rules: missing_value, unreadable_value (not a whole
    number, or a year not four digits), negative_value, unknown_<entity> (not in
    entities_model), duplicate_row (an entity and year twice), missing_<entity> (a year
    of the file without a line for an entity), year_gap (a year between the file's
    first and last without lines).
-#}
{% macro supplied_input_failures(model, key, entity, entities_model, year, numbers, optional=[]) %}
    {%- set text = dbt.type_string() -%}

    select {{ key }}, {{ year }}, rule, column_name
    from (
        {%- for column in [year] + numbers %}
        select
            {{ key }},
            {{ year }}_raw as {{ year }},
            case
                when {{ column }}_raw is null{{ ' and 1 = 0' if column in optional }} then 'missing_value'
                when {{ column }}_raw is not null and {{ column }} is null then 'unreadable_value'
                when {{ column }} < 0 then 'negative_value'
            end as rule,
            '{{ column }}' as column_name
        from {{ model }}
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    ) as value_checks
    where rule is not null

    union all

    select {{ key }}, {{ year }}_raw, 'missing_value', '{{ key }}'
    from {{ model }}
    where {{ key }} is null

    union all

    select supplied.{{ key }}, supplied.{{ year }}_raw, 'unknown_{{ entity }}', cast(null as {{ text }})
    from {{ model }} as supplied
    left join (select distinct {{ key }} from {{ entities_model }}) as entities
        on supplied.{{ key }} = entities.{{ key }}
    where supplied.{{ key }} is not null
        and entities.{{ key }} is null

    union all

    select {{ key }}, cast({{ year }} as {{ text }}), 'duplicate_row', cast(null as {{ text }})
    from {{ model }}
    where {{ key }} is not null and {{ year }} is not null
    group by {{ key }}, {{ year }}
    having count(*) > 1

    union all

    select entities.{{ key }}, cast(years.{{ year }} as {{ text }}), 'missing_{{ entity }}',
        cast(null as {{ text }})
    from (select distinct {{ year }} from {{ model }} where {{ year }} is not null) as years
    cross join (select distinct {{ key }} from {{ entities_model }}) as entities
    left join {{ model }} as supplied
        on supplied.{{ year }} = years.{{ year }}
        and supplied.{{ key }} = entities.{{ key }}
    where supplied.{{ key }} is null

    union all

    select cast(null as {{ text }}), cast(span.first_year + offsets.n as {{ text }}), 'year_gap',
        cast(null as {{ text }})
    from (select min({{ year }}) as first_year, max({{ year }}) as last_year from {{ model }}) as span
    cross join ({{ integer_series(200) }}) as offsets
    left join (select distinct {{ year }} from {{ model }} where {{ year }} is not null) as years
        on years.{{ year }} = span.first_year + offsets.n
    where span.first_year + offsets.n < span.last_year
        and years.{{ year }} is null
{% endmacro %}

{#- A supplied file's year column: the number when the text is four digits, else NULL. -#}
{% macro input_year(column) -%}
    case
        when {{ matches_pattern(clean_text(column), '[0-9]{4}') }}
            then cast({{ clean_text(column) }} as int)
    end
{%- endmacro %}

{#- A supplied file's whole-number column: the number when the text is one (a sign is read,
    so that a negative value is named as such by the checks), else NULL. -#}
{% macro input_whole_number(column) -%}
    case
        when {{ matches_pattern(clean_text(column), '-?[0-9]+') }}
            then {{ try_cast_value(clean_text(column), 'bigint') }}
    end
{%- endmacro %}
