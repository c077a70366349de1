{#-
    Runs at the start of every dbt invocation (on-run-start), before any model.
    Checks the vars and, when raw_path points at files, every raw file of the
    contract: it is there, readable in the format named, not empty, has exactly
    the contract's columns (in any order), every CSV line is well-formed UTF-8
    CSV with as many fields as the header, and every Parquet column has a
    physical type that can carry the contract's value (raw_type_allowed).
    Anything wrong stops the build with an error that names the file, the line
    or column and the problem, never a row's values (person-level data does not
    belong in logs).

    Then each file is registered as a view (DuckDB) or table (Spark) of schema
    `raw` over the file, nothing copied, which the `raw` sources read: the same
    sources as the demo seeds, so lineage is the same in both modes and no model
    reads a path. Every path reaches SQL through sql_text (quotes escaped), so a
    path is always data: `'s-Hertogenbosch/extract 2024` works, a path holding SQL
    is only a name that does not exist.
-#}
{% macro check_raw_inputs() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {{- check_vars() -}}
    {%- set raw_path = var('raw_path', '') | string -%}
    {%- if not raw_path -%}{{ return('') }}{%- endif -%}
    {%- set raw_format = var('raw_format', 'parquet') -%}
    {{ return(adapter.dispatch('check_raw_files', 'banenafspraak')(raw_path, raw_format, raw_contract())) }}
{% endmacro %}

{#-
    The vars that reach SQL as numbers or quarters must be numbers and quarters:
    a var is data, never SQL. The reported range fits the quarter series
    (int_quarters_reported, 1000 quarters).
-#}
{% macro check_vars() %}
    {%- set problems = [] -%}
    {%- for name in ['first_quarter', 'last_quarter'] -%}
        {%- set value = var(name, '') | string -%}
        {%- if value and not modules.re.fullmatch('[0-9]{4}Q[1-4]', value) -%}
            {%- do problems.append("var " ~ name ~ " = '" ~ value ~ "' is not a quarter like '2022Q1'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set first = var('first_quarter', '') | string -%}
    {%- set last = var('last_quarter', '') | string -%}
    {%- if not problems and first and last -%}
        {%- if first > last -%}
            {%- do problems.append("var first_quarter (" ~ first ~ ") comes after last_quarter ("
                                   ~ last ~ ")") -%}
        {%- elif (quarter_label_index(last) | int) - (quarter_label_index(first) | int)
                 >= max_reported_quarters() -%}
            {%- do problems.append("vars first_quarter (" ~ first ~ ") to last_quarter (" ~ last
                                   ~ ") span more than " ~ max_reported_quarters()
                                   ~ " quarters, the most the warehouse reports") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if var('raw_format', 'parquet') not in ['csv', 'parquet'] -%}
        {%- do problems.append("var raw_format = '" ~ var('raw_format') ~ "': use 'csv' or 'parquet'") -%}
    {%- endif -%}
    {%- set numbers = ['paid_hours_per_job_month', 'unknown_region_max_share', 'demo_reference_scale',
                       'refresh_lookback_quarters', 'disclosure_min_persons', 'disclosure_protection'] -%}
    {%- for name in numbers + ['reference_scale'] -%}
        {%- set value = var(name, '') | string -%}
        {%- if (value or name != 'reference_scale')
              and not modules.re.fullmatch('[0-9]+([.][0-9]+)?', value) -%}
            {%- do problems.append("var " ~ name ~ " = '" ~ value ~ "' is not a number like 110.92 or 3") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems | join('; ')) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- The raw file of one table. -#}
{% macro raw_file_path(raw_path, table, raw_format) -%}
    {{ return((raw_path | string).rstrip('/') ~ '/' ~ table ~ '.' ~ raw_format) }}
{%- endmacro %}

{#-
    DuckDB's reader of one raw file. CSV is read strictly: header row, comma,
    double quotes, every value as text (the staging models parse them, so an
    unreadable value is quarantined, never guessed), the columns named as in the
    file's header (checked against the contract first). `options`: more reader
    options, e.g. for the rejects scan.
-#}
{% macro raw_file_reader(path, raw_format, header, options='', strict=true) -%}
    {%- if raw_format == 'csv' -%}
        read_csv({{ sql_text(path) }}, header = true, auto_detect = false,
            columns = { {%- for column in header -%}
                {{ sql_text(column) }}: 'VARCHAR'{{ ', ' if not loop.last }}
            {%- endfor -%} },
            delim = ',', quote = '"', escape = '"', skip = 0, strict_mode = {{ strict }},
            null_padding = false{{ options }})
    {%- else -%}
        read_parquet({{ sql_text(path) }}{{ options }})
    {%- endif -%}
{%- endmacro %}

{#-
    DuckDB: check each file in place, then register it as a view raw.<table>.
    Parquet INT96 timestamps (Spark's and Hive's default) hold UTC instants but
    read as timestamps without time zone: the view makes them instants again,
    so they are dated in Amsterdam like any zoned timestamp. Wrong column types
    of all files are reported together.
-#}
{% macro default__check_raw_files(raw_path, raw_format, contract) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- set wrong_types = [] -%}
    {%- for table, columns in contract.items() -%}
        {%- set path = raw_file_path(raw_path, table, raw_format) -%}
        {%- set found = run_query(
            "select count(*) from glob(" ~ sql_text(path) ~ ")").columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " is missing (raw_path = '" ~ raw_path
                ~ "', raw_format = '" ~ raw_format ~ "'); the raw contract needs the files "
                ~ contract.keys() | join(', ')) }}
        {%- endif -%}
        {%- set size = run_query(
            "select size from read_blob(" ~ sql_text(path) ~ ")").columns[0].values()[0] -%}
        {%- if size == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " is empty (0 bytes): no header and no rows") }}
        {%- endif -%}
        {%- if raw_format == 'csv' -%}
            {%- set header = _csv_header(path) -%}
        {%- else -%}
            {%- set header = run_query("select name from parquet_schema(" ~ sql_text(path)
                                       ~ ") where num_children is null").columns[0].values() | list -%}
        {%- endif -%}
        {{- _raise_on_wrong_header(path, table, columns, header) -}}
        {%- if raw_format == 'csv' -%}
            {%- set rows = _csv_rows(path, header) -%}
        {%- else -%}
            {%- set rows = run_query("select count(*) from "
                                     ~ raw_file_reader(path, raw_format, header)).columns[0].values()[0] -%}
        {%- endif -%}
        {{- _raise_on_no_rows(path, table, rows) -}}
        {#- a demo seed of the same name (a warehouse built on the demo before) makes way -#}
        {#- (information_schema, not adapter.get_relation: that would open a transaction
            the hook never commits) -#}
        {%- set existing = run_query(
            "select table_type from information_schema.tables where table_catalog = current_database()"
            ~ " and table_schema = 'raw' and table_name = " ~ sql_text(table)).columns[0].values() | list -%}
        {%- if existing and existing[0] != 'VIEW' -%}
            {%- do run_query('drop table raw.' ~ table) -%}
        {%- endif -%}
        {%- set instants = [] -%}
        {%- if raw_format == 'parquet' -%}
            {%- for column in run_query("select name from parquet_schema(" ~ sql_text(path)
                                        ~ ") where type = 'INT96'").columns[0].values() -%}
                {%- do instants.append("timezone('UTC', " ~ adapter.quote(column) ~ ") as "
                                       ~ adapter.quote(column)) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do run_query('create or replace view raw.' ~ table ~ ' as select *'
                         ~ (' replace (' ~ instants | join(', ') ~ ')' if instants else '')
                         ~ ' from ' ~ raw_file_reader(path, raw_format, header)) -%}
        {%- do wrong_types.extend(_wrong_types(path, table, columns)) -%}
    {%- endfor -%}
    {{- _raise_on_wrong_types(wrong_types) -}}
    {{ log("raw inputs: the " ~ contract | length ~ " " ~ raw_format ~ " files in "
           ~ raw_path ~ " match the raw contract", info=true) }}
    {{ return('') }}
{% endmacro %}

{#-
    The column names in the first line of a CSV file, read as one field (no
    quoting, a delimiter that is not in it) so that nothing of the file is
    parsed yet. A first line that cannot be read stops the build (without
    showing it).
-#}
{% macro _csv_header(path) -%}
    {%- set lines = run_query(
        "select line from read_csv(" ~ sql_text(path) ~ ", header = false, auto_detect = false,"
        ~ " columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '',"
        ~ " strict_mode = false, store_rejects = true, rejects_table = 'raw_header_rejects',"
        ~ " rejects_scan = 'raw_header_scans') limit 1").columns[0].values() | list -%}
    {%- set rejected = run_query(
        "select error_type from raw_header_rejects where line = 1").columns[0].values() | list -%}
    {%- do run_query('drop table raw_header_rejects; drop table raw_header_scans') -%}
    {%- if rejected or not lines or lines[0] is none -%}
        {{ exceptions.raise_compiler_error(
            "raw file " ~ path ~ ": line 1 is not a CSV header ("
            ~ (rejected | join(', ') if rejected else 'empty') ~ "); the file must be UTF-8 CSV "
            ~ "with a header row") }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for name in lines[0].replace('\ufeff', '').rstrip('\r').split(',') -%}
        {%- do names.append(name.strip().strip('"')) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#-
    Scans a whole CSV file as the staging models will read it, every column
    materialised, and keeps the lines that do not parse (DuckDB's rejects
    tables) instead of failing on the first with the line's text. Two scans:
    the lenient one first (it reports a line cut by a bare carriage return, an
    unterminated quote, too few fields and bytes that are not UTF-8, where the
    strict parser would stop without a line number), then the strict one (too
    many fields). Returns the number of rows; any rejected line stops the build
    with its line number, column and error type.
-#}
{% macro _csv_rows(path, header) -%}
    {%- set options = ", store_rejects = true, rejects_table = 'raw_csv_rejects',"
                      ~ " rejects_scan = 'raw_csv_scans'" -%}
    {%- for strict in ['false', 'true'] -%}
        {%- set scan -%}
            select count(*) as count_rows,
                {%- for column in header %}
                sum(length({{ adapter.quote(column) }})) as length_{{ loop.index }}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ raw_file_reader(path, 'csv', header, options, strict) }}
        {%- endset -%}
        {%- set rows = run_query(scan).columns[0].values()[0] -%}
        {%- set rejects = run_query(
            "select line, string_agg(distinct coalesce(column_name, '-'), ', '),"
            ~ " string_agg(distinct error_type, ', '), count(*) over () from raw_csv_rejects"
            ~ " group by line order by line limit 5") -%}
        {%- do run_query('drop table raw_csv_rejects; drop table raw_csv_scans') -%}
        {%- if rejects | length > 0 -%}
            {%- set described = [] -%}
            {%- for row in rejects -%}
                {%- do described.append('line ' ~ row[0] ~ ' (column ' ~ row[1] ~ '): ' ~ row[2]) -%}
            {%- endfor -%}
            {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " has " ~ rejects[0][3] ~ " line(s) that are not well-formed CSV, first: "
                ~ described | join('; ') ~ ". Values are not shown (person-level data); the "
                ~ "raw contract asks for UTF-8, comma-separated, double quotes (around a value with a "
                ~ "comma, quote or line break), one field per column on every line"
                ~ ("; once these are fixed, a strict scan checks the quoting and the number of fields"
                   if strict == 'false' else "")) }}
        {%- endif -%}
        {%- if strict == 'true' -%}{{ return(rows) }}{%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#-
    Spark: register every raw file as a table of schema `raw` over the file
    (nothing is copied); CSV read as the DuckDB route reads it: header row, comma,
    double quotes, every value as text. Every CSV line is parsed once by the check
    (mode PERMISSIVE, malformed lines marked in a corrupt-record column and
    counted: Spark's own FAILFAST error would print the line); any stops the build
    with their number, without line numbers (Spark has none) and without values.
    Bytes that are not UTF-8 become U+FFFD on Spark, so such a value is
    quarantined as an unknown code or unreadable value instead. A missing or empty
    file stops the build with Spark's error, which names the path.
-#}
{% macro spark__check_raw_files(raw_path, raw_format, contract) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table, columns in contract.items() -%}
        {%- set path = raw_file_path(raw_path, table, raw_format) -%}
        {%- do run_query('drop table if exists raw.' ~ table) -%}
        {%- if raw_format == 'csv' -%}
            {%- do run_query("create table raw." ~ table ~ " using csv options (path " ~ sql_text(path)
                ~ ", header 'true', inferSchema 'false', sep ',', quote '\"', escape '\"',"
                ~ " multiLine 'true', mode 'FAILFAST')") -%}
        {%- else -%}
            {%- do run_query("create table raw." ~ table ~ " using parquet options (path "
                ~ sql_text(path) ~ ")") -%}
        {%- endif -%}
        {%- set header = run_query('select * from raw.' ~ table ~ ' limit 0').column_names | list -%}
        {{- _raise_on_wrong_header(path, table, columns, header) -}}
        {%- if raw_format == 'csv' -%}
            {%- do run_query('drop table if exists raw.' ~ table ~ '__lines') -%}
            {%- do run_query("create table raw." ~ table ~ "__lines ("
                ~ header | join(' string, ') ~ " string,"
                ~ " _corrupt_record string) using csv options (path " ~ sql_text(path)
                ~ ", header 'true', sep ',', quote '\"', escape '\"', multiLine 'true',"
                ~ " mode 'PERMISSIVE', columnNameOfCorruptRecord '_corrupt_record')") -%}
            {#- (a query of the corrupt-record column alone is refused: count a column too) -#}
            {%- set malformed = run_query("select coalesce(sum(case when _corrupt_record is not null"
                ~ " then 1 else 0 end), 0), count(" ~ header[0] ~ ") from raw." ~ table
                ~ "__lines").columns[0].values()[0] -%}
            {%- do run_query('drop table raw.' ~ table ~ '__lines') -%}
            {%- if malformed > 0 -%}
                {{ exceptions.raise_compiler_error(
                    "raw file " ~ path ~ " has " ~ malformed ~ " malformed CSV line(s) (too many or too"
                    ~ " few fields, or a quote not closed). Values are not shown (person-level data);"
                    ~ " the raw contract asks for UTF-8, comma-separated, double quotes, one field per"
                    ~ " column on every line") }}
            {%- endif -%}
        {%- endif -%}
        {%- set rows = run_query("select count(*) from (select 1 from raw." ~ table
                                 ~ " limit 1) as first_row").columns[0].values()[0] -%}
        {{- _raise_on_no_rows(path, table, rows) -}}
        {{- _raise_on_wrong_types(_wrong_types(path, table, columns)) -}}
    {%- endfor -%}
    {{ log("raw inputs: the " ~ contract | length ~ " " ~ raw_format ~ " files in "
           ~ raw_path ~ " match the raw contract (registered as tables of schema raw)",
           info=true) }}
    {{ return('') }}
{% endmacro %}

{%- macro _raise_on_wrong_header(path, table, columns, header) -%}
    {%- set missing = columns | reject('in', header) | list -%}
    {%- set extra = header | reject('in', columns) | list -%}
    {%- if missing or extra or header | length != columns | length -%}
        {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " has the wrong header: "
                ~ ("missing column(s) " ~ missing | join(', ') ~ "; " if missing else "")
                ~ ("unexpected column(s) " ~ extra | join(', ') ~ "; " if extra else "")
                ~ ("a column named twice; " if not missing and not extra else "")
                ~ "the raw contract needs exactly: " ~ columns | join(', ')) }}
    {%- endif -%}
{%- endmacro -%}

{%- macro _raise_on_no_rows(path, table, rows) -%}
    {%- if rows == 0 -%}
        {{ exceptions.raise_compiler_error(
                "raw file " ~ path ~ " has a header but no rows; an extract of "
                ~ table ~ " is never empty") }}
    {%- endif -%}
{%- endmacro -%}

{#-
    Every column of raw.<table> must have a physical type that can carry its
    kind of value (raw_type_allowed); a column of another type stops the build,
    unless it holds no value at all (a writer's type for an empty column).
    _wrong_types lists the problems of one file, _raise_on_wrong_types stops
    the build on any.
-#}
{%- macro _wrong_types(path, table, columns) -%}
    {%- set types = {} -%}
    {%- for row in run_query('describe select * from raw.' ~ table) -%}
        {%- do types.update({row[0]: row[1] | string}) -%}
    {%- endfor -%}
    {%- set wrong = [] -%}
    {%- for column in columns -%}
        {%- set kind = raw_column_kind(column) -%}
        {%- if raw_type_class(types[column]) not in raw_type_allowed(kind) -%}
            {%- set values = run_query('select count(' ~ column ~ ') from raw.' ~ table).columns[0].values()[0] -%}
            {%- if values > 0 -%}
                {%- do wrong.append("raw file " ~ path ~ ": column " ~ column ~ " has type "
                                    ~ types[column] ~ ", expected " ~ raw_kind_expected(kind)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(wrong) }}
{%- endmacro -%}

{%- macro _raise_on_wrong_types(wrong) -%}
    {%- if wrong -%}
        {{ exceptions.raise_compiler_error(
                wrong | join('; ') ~ ". A value of such a type cannot be read as the raw "
                ~ "contract's; convert the column(s) in the extract") }}
    {%- endif -%}
{%- endmacro -%}
