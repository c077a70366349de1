{#-
    Incremental refresh by quarter. The person × quarter layers (payroll groups,
    hours, register on each peildatum, transitions) are incremental models keyed
    on quarter_index: a refresh recomputes the last `refresh_lookback_quarters`
    quarters already loaded and every quarter after them, and leaves older
    quarters as they are. Late payroll corrections within that window are picked
    up; changes to older quarters (a correction or a register change further
    back) need `dbt build --full-refresh`. See docs/performance.md#incremental-refresh.

    Strategy per engine: DuckDB replaces the recomputed quarters with
    delete+insert; Spark (which has no delete+insert on plain tables) overwrites
    them as partitions (insert_overwrite, partitioned by quarter_index).
-#}
{% macro quarter_incremental_config() -%}
    {%- if target.type == 'spark' -%}
        {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
                   'partition_by': ['quarter_index'], 'on_schema_change': 'fail'}) }}
    {%- else -%}
        {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
                   'unique_key': 'quarter_index', 'on_schema_change': 'fail'}) }}
    {%- endif -%}
{%- endmacro %}

{#-
    The first quarter (quarter_index) an incremental run recomputes, or none on a
    full build (then every quarter is computed): refresh_lookback_quarters back
    from the newest quarter in the model's own table. A model whose table can
    rightly be empty (no exact copies anywhere) names in `when_empty` a model of
    the same schema that is refreshed after it in the same run, so still holds
    the previous load: its newest quarter counts instead (without it an empty
    table means a full recomputation of that model, correct but slow).
-#}
{% macro incremental_cutoff_quarter(when_empty=none) -%}
    {%- if not execute or this is none or model.resource_type == 'unit_test' -%}{{ return(none) }}{%- endif -%}
    {%- if not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {%- set latest = run_query('select max(quarter_index) from ' ~ this).columns[0].values()[0] -%}
    {%- if latest is none and when_empty is not none -%}
        {%- set previous_load = adapter.get_relation(database=this.database, schema=this.schema,
                                                     identifier=when_empty) -%}
        {%- if previous_load is not none -%}
            {%- set latest = run_query('select max(quarter_index) from ' ~ previous_load).columns[0].values()[0] -%}
        {%- endif -%}
    {%- endif -%}
    {%- if latest is none -%}{{ return(none) }}{%- endif -%}
    {{ return((latest | int) - (var('refresh_lookback_quarters') | int) + 1) }}
{%- endmacro %}

{#- The first day of a quarter given as quarter_index, as a SQL date literal. -#}
{% macro quarter_start_literal(quarter_index) -%}
    cast('{{ quarter_index // 4 }}-{{ "%02d" % ((quarter_index % 4) * 3 + 1) }}-01' as date)
{%- endmacro %}

{#-
    " and <column> >= <cutoff>" on an incremental run, nothing on a full build:
    appended to a where clause. as_date: compare with the first day of the cutoff
    quarter (for a date column, so the filter reaches the Parquet scan).
-#}
{% macro and_from_cutoff(column, cutoff, as_date=false, offset=0) -%}
    {%- if cutoff is not none -%}
        {%- if as_date %} and {{ column }} >= {{ quarter_start_literal(cutoff + offset) }}
        {%- else %} and {{ column }} >= {{ cutoff + offset }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#-
    Pre-hook of an incremental model whose table can hold no row at all for a
    quarter (int_payroll_duplicate_rows: a quarter without exact copies): empties
    the quarters the run recomputes first. delete+insert deletes only the
    quarters present in the new rows, so a quarter whose last copy was corrected
    away would otherwise keep its stale rows. Nothing on a full build. Spark
    (insert_overwrite) has the same gap and no delete on plain tables: there a
    correction that removes a quarter's last copy needs --full-refresh.
-#}
{% macro clear_incremental_window(when_empty=none) -%}
    {%- if target.type == 'spark' -%}{{ return('') }}{%- endif -%}
    {%- set cutoff = incremental_cutoff_quarter(when_empty=when_empty) -%}
    {%- if cutoff is none -%}{{ return('') }}{%- endif -%}
    delete from {{ this }} where quarter_index >= {{ cutoff }}
{%- endmacro %}
