{#-
    Runs at the start of every dbt invocation (on-run-start). Checks the vars and,
    when raw_path points at files, that every raw file of the contract is there,
    is readable in the format named, is not empty and has exactly the contract's
    columns. Anything wrong stops the build with an error that names the file
    and the problem, before any model runs.

    The file checks are dispatched: on DuckDB the readers are taken from the `raw`
    source definitions (external_location), so the reading options live in one
    place; on Spark (spark__check_raw_files) each file is first registered as a
    table of schema `raw` over the file, which the same sources then read.
-#}
{% macro check_raw_inputs() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- for name in ['first_quarter', 'last_quarter'] -%}
        {%- set value = var(name, '') | string -%}
        {%- if value and not modules.re.fullmatch('[0-9]{4}Q[1-4]', value) -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " = '" ~ value ~ "' is not a quarter like '2022Q1'") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if var('first_quarter', '') and var('last_quarter', '')
          and (var('first_quarter') | string) > (var('last_quarter') | string) -%}
        {{ exceptions.raise_compiler_error(
            "var first_quarter (" ~ var('first_quarter') ~ ") comes after last_quarter ("
            ~ var('last_quarter') ~ ")") }}
    {%- endif -%}
    {%- set raw_path = var('raw_path', '') -%}
    {%- if not raw_path -%}{{ return('') }}{%- endif -%}
    {%- set raw_format = var('raw_format', 'parquet') -%}
    {%- if raw_format not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            "var raw_format = '" ~ raw_format ~ "': use 'csv' or 'parquet'") }}
    {%- endif -%}
    {%- set contract = raw_contract() -%}
    {{ return(adapter.dispatch('check_raw_files', 'banenafspraak')(raw_path, raw_format, contract)) }}
{% endmacro %}

{#- DuckDB: read each file in place through its source's external_location. -#}
{% macro default__check_raw_files(raw_path, raw_format, contract) %}
    {%- for table, columns in contract.items() -%}
        {%- set path = raw_path ~ '/' ~ table ~ '.' ~ raw_format -%}
        {%- set found = run_query(
            "select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " is missing (raw_path = '" ~ raw_path
                ~ "', raw_format = '" ~ raw_format ~ "'); the raw contract needs the files "
                ~ contract.keys() | join(', ')) }}
        {%- endif -%}
        {%- set size = run_query(
            "select size from read_blob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if size == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " is empty (0 bytes): no header and no rows") }}
        {%- endif -%}
        {%- set reader = raw_file_reader(table) -%}
        {%- if raw_format == 'csv' -%}
            {%- set header_sql = "select column_name from (describe select * from "
                                 ~ reader ~ ")" -%}
        {%- else -%}
            {%- set header_sql = "select name from parquet_schema('" ~ path
                                 ~ "') where num_children is null" -%}
        {%- endif -%}
        {%- set header = run_query(header_sql).columns[0].values() | list -%}
        {%- set rows = run_query("select count(*) from (select 1 from " ~ reader
                                 ~ " limit 1) as first_row").columns[0].values()[0] -%}
        {{- _raise_on_wrong_header(path, table, columns, header, rows) -}}
    {%- endfor -%}
    {{ log("raw inputs: the " ~ contract | length ~ " " ~ raw_format ~ " files in "
           ~ raw_path ~ " match the raw contract", info=true) }}
    {{ return('') }}
{% endmacro %}

{#-
    Spark: register every raw file as a table of schema `raw` over the file
    (nothing is copied); CSV read as the DuckDB route reads it: header row, comma,
    double quotes, every value as text, a malformed line stops the build
    (mode FAILFAST). A missing or empty file stops the build with Spark's error,
    which names the path.
-#}
{% macro spark__check_raw_files(raw_path, raw_format, contract) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table, columns in contract.items() -%}
        {%- set path = raw_path ~ '/' ~ table ~ '.' ~ raw_format -%}
        {%- do run_query('drop table if exists raw.' ~ table) -%}
        {%- if raw_format == 'csv' -%}
            {%- do run_query("create table raw." ~ table ~ " using csv options (path '" ~ path
                ~ "', header 'true', inferSchema 'false', sep ',', quote '\"', escape '\"',"
                ~ " multiLine 'true', mode 'FAILFAST')") -%}
        {%- else -%}
            {%- do run_query("create table raw." ~ table ~ " using parquet options (path '"
                ~ path ~ "')") -%}
        {%- endif -%}
        {%- set header = run_query('select * from raw.' ~ table ~ ' limit 0').column_names | list -%}
        {%- set rows = run_query("select count(*) from (select 1 from raw." ~ table
                                 ~ " limit 1) as first_row").columns[0].values()[0] -%}
        {{- _raise_on_wrong_header(path, table, columns, header, rows) -}}
    {%- endfor -%}
    {{ log("raw inputs: the " ~ contract | length ~ " " ~ raw_format ~ " files in "
           ~ raw_path ~ " match the raw contract (registered as tables of schema raw)",
           info=true) }}
    {{ return('') }}
{% endmacro %}

{%- macro _raise_on_wrong_header(path, table, columns, header, rows) -%}
    {%- set missing = columns | reject('in', header) | list -%}
    {%- set extra = header | reject('in', columns) | list -%}
    {%- if missing or extra -%}
        {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " has the wrong header: "
                ~ ("missing column(s) " ~ missing | join(', ') ~ "; " if missing else "")
                ~ ("unexpected column(s) " ~ extra | join(', ') ~ "; " if extra else "")
                ~ "the raw contract needs exactly: " ~ columns | join(', ')) }}
    {%- elif rows == 0 -%}
        {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " has a header but no rows; an extract of "
                ~ table ~ " is never empty") }}
    {%- endif -%}
{%- endmacro -%}

{#- The reader of one raw file: the external_location of its `raw` source. -#}
{% macro raw_file_reader(table) -%}
    {%- for node in graph.sources.values()
          if node.source_name == 'raw' and node.name == table -%}
        {%- set location = node.config.meta.get('external_location')
                           or node.meta.get('external_location') -%}
        {{- location | replace('{name}', node.name) -}}
    {%- endfor -%}
{%- endmacro %}
