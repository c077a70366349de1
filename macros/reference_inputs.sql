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
