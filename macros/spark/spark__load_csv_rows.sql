{#-
    Spark only: loads a seed's rows as literals. dbt-spark 1.11 (method session)
    pastes each value into its INSERT as '<value>' without escaping, so a value
    with an apostrophe ('s-Hertogenbosch, 's-Gravenhage) breaks the statement, and
    an empty field becomes the text 'None'. This version escapes quotes and
    backslashes and writes NULL for empty fields. It overrides dbt-spark's macro
    of the same name (the root project's macros come first in dispatch); DuckDB
    never calls it. Checked by the Spark equivalence test (seeds compared row by
    row with DuckDB's).
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast('{{ (value | string).replace("\\", "\\\\").replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},
            {% endif -%}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{% endmacro %}
