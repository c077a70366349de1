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

{#-
    An incremental model whose refresh window depends on a check of its kept inputs
    (the breakdown mart, the durability cohorts) takes that decision once, when it is
    compiled, and writes it into its SQL as a comment: `/* recomputes from: 8096 */`
    (the first quarter or cohort year) or `/* recomputes from: every */`. Its
    pre-hook, which empties what the run recomputes, reads the comment from the
    compiled SQL (`model.compiled_code`) instead of running the check a second
    time (0.4 s per refresh for the breakdowns at national scale).
-#}
{% macro recompute_marker(first) -%}
    /* recomputes from: {{ 'every' if first is none else first }} */
{%- endmacro %}

{#- The decision written by recompute_marker: the first quarter or cohort year, none
    for every one, or 'unknown' when the compiled SQL has no marker (then the caller
    runs its check itself). -#}
{% macro recompute_marker_value() -%}
    {%- set found = modules.re.search('recomputes from: ([a-z0-9]+) ', model.compiled_code or '') -%}
    {%- if found is none -%}{{ return('unknown') }}{%- endif -%}
    {%- if found.group(1) == 'every' -%}{{ return(none) }}{%- endif -%}
    {{ return(found.group(1) | int) }}
{%- endmacro %}

{#-
    The kept inputs of a model whose refresh window depends on them (schema
    intermediate, `identifier`), or none when the run must recompute everything
    anyway: at parse time, in a unit test, on Spark (a table there), on a full build,
    when the kept inputs are missing, or when they have other columns than `columns`
    (kept by an older version of the project).
-#}
{% macro kept_inputs_for_refresh(identifier, columns) -%}
    {%- if not execute or this is none or model.resource_type == 'unit_test' -%}{{ return(none) }}{%- endif -%}
    {%- if target.type == 'spark' or not is_incremental() -%}{{ return(none) }}{%- endif -%}
    {%- set kept = adapter.get_relation(database=this.database, schema='intermediate',
                                        identifier=identifier) -%}
    {%- if kept is none -%}{{ return(none) }}{%- endif -%}
    {%- set kept_columns = adapter.get_columns_in_relation(kept) | map(attribute='name') | list -%}
    {%- if kept_columns != columns -%}{{ return(none) }}{%- endif -%}
    {{ return(kept) }}
{%- endmacro %}

{#-
    Pre-hook of a model whose refresh window is decided by `check` (a macro taking
    announce=false: breakdowns_cutoff_quarter, durability_cutoff_year): empties what
    the run recomputes, every row or those whose `column` is at or after the first
    value recomputed, as the model's compiled SQL records it (recompute_marker;
    `check` runs only when no marker is found). With as_quarter_start the first value
    is a quarter index and `column` a date. delete+insert alone deletes only the
    values present in the new rows, so one no longer produced (a build with an
    earlier last_quarter) would keep its old rows. Nothing on a full build or on Spark.
-#}
{% macro clear_recomputed_window(check, column, as_quarter_start=false) -%}
    {%- if target.type == 'spark' or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set first = recompute_marker_value() -%}
    {%- if first == 'unknown' -%}{%- set first = check(announce=false) -%}{%- endif -%}
    delete from {{ this }}
    {%- if first is not none %} where {{ column }} >= {{ quarter_start_literal(first) if as_quarter_start else first }}{% endif %}
{%- endmacro %}

{#-
    The breakdown mart (fct_register_breakdowns_quarter) also reads inputs that are
    not kept by quarter: a person's birth date and gender, an employment's start
    (from its whole history) and the reported quarters. A correction of one of them
    changes cells of every quarter, not only the look-back window; new persons,
    employments and quarters do not. int_register_breakdown_inputs keeps these
    inputs as the mart's last build read them (breakdown_inputs: one row per
    person, employment and quarter); the mart refreshes only its window when none
    of the kept rows changed or went, and recomputes every quarter otherwise.
-#}
{% macro breakdown_inputs() -%}
    select
        'person' as input_name,
        persons.person_id,
        cast(null as {{ dbt.type_string() }}) as employment_id,
        cast(null as integer) as quarter_index,
        persons.birth_date,
        persons.gender,
        cast(null as date) as employment_start,
        cast(null as date) as quarter_end_date
    from {{ ref('int_persons__accepted') }} as persons

    union all

    select
        'employment' as input_name,
        starts.person_id,
        starts.employment_id,
        cast(null as integer) as quarter_index,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as gender,
        starts.employment_start,
        cast(null as date) as quarter_end_date
    from {{ ref('int_payroll_employment_starts') }} as starts

    union all

    select
        'quarter' as input_name,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as {{ dbt.type_string() }}) as employment_id,
        quarters.quarter_index,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as gender,
        cast(null as date) as employment_start,
        quarters.quarter_end_date
    from {{ ref('int_quarters_reported') }} as quarters
{%- endmacro %}

{#- Rows of the kept inputs (relation `kept`) that changed or went in the current ones:
    per kind of input, the kept rows that are not among the current ones (EXCEPT
    compares NULL birth dates and starts as equal values). Three set differences
    instead of one query with three correlated NOT EXISTS: 0.4 s against 2 s on a
    national refresh (2026-12-05), and the check runs twice per refresh (the pre-hook
    and the model). -#}
{% macro breakdown_inputs_changed(kept) -%}
    select
        (select count(*) from (
            select kept.person_id, kept.birth_date, kept.gender
            from {{ kept }} as kept where kept.input_name = 'person'
            except
            select persons.person_id, persons.birth_date, persons.gender
            from {{ ref('int_persons__accepted') }} as persons))
        + (select count(*) from (
            select kept.person_id, kept.employment_id, kept.employment_start
            from {{ kept }} as kept where kept.input_name = 'employment'
            except
            select starts.person_id, starts.employment_id, starts.employment_start
            from {{ ref('int_payroll_employment_starts') }} as starts))
        + (select count(*) from (
            select kept.quarter_index, kept.quarter_end_date
            from {{ kept }} as kept where kept.input_name = 'quarter'
            except
            select quarters.quarter_index, quarters.quarter_end_date
            from {{ ref('int_quarters_reported') }} as quarters))
{%- endmacro %}

{#-
    The first quarter (quarter_index) the breakdown mart recomputes: none (every
    quarter) on a full build, on Spark (a table there), when its kept inputs are
    missing, or when one of them changed or went since its last build; otherwise
    refresh_lookback_quarters back from its newest quarter.
-#}
{% macro breakdowns_cutoff_quarter(announce=true) -%}
    {%- set kept = kept_inputs_for_refresh('int_register_breakdown_inputs',
        ['input_name', 'person_id', 'employment_id', 'quarter_index', 'birth_date',
         'gender', 'employment_start', 'quarter_end_date']) -%}
    {%- if kept is none -%}{{ return(none) }}{%- endif -%}
    {%- set changed = run_query(breakdown_inputs_changed(kept)).columns[0].values()[0] -%}
    {%- if changed != 0 -%}
        {%- if announce %}{{ log('fct_register_breakdowns_quarter: ' ~ changed ~ ' persons, employment starts or quarters changed'
               ~ ' since its last build: every quarter is recomputed', info=true) }}{% endif -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set latest = run_query('select max(quarter_end_date) from ' ~ this).columns[0].values()[0] -%}
    {%- if latest is none -%}{{ return(none) }}{%- endif -%}
    {{ return(latest.year * 4 + (latest.month - 1) // 3 - (var('refresh_lookback_quarters') | int) + 1) }}
{%- endmacro %}

{#-
    The durability cohorts (int_work_durability_cohort) read the employment starts
    from the whole history and the range of reported quarters, which are not kept by
    quarter. Cohort year y reads the peildatums of its start quarters (4y − 1 to
    4y + 2) and the payroll of s + 4 (up to 4y + 6): a cohort whose quarters all lie
    before the refresh window can only change when the set of employments starting in
    one of its quarters changes (a start corrected into or out of the quarter, or a
    new employment reported to have started back then), or the first reported quarter
    does. int_work_durability_inputs keeps these inputs as the cohorts' last build
    read them, without a row per person: per start quarter the number of employments
    starting then and the sum of a 64-bit hash of each one's person and employment id,
    and one row per reported quarter. A change of the set changes the count or,
    short of a hash collision (odds about 1 in 10^19), the sum.
-#}
{% macro durability_start_fingerprints(starts) -%}
    select
        'start' as input_name,
        {{ starts }}.start_quarter_index as quarter_index,
        count(*) as employments,
        cast(sum(hash({{ starts }}.person_id, {{ starts }}.employment_id)) as decimal(38, 0)) as fingerprint
    from {{ ref('int_payroll_employment_starts') }} as {{ starts }}
{%- endmacro %}

{% macro durability_inputs() -%}
    {{ durability_start_fingerprints('starts') }}
    group by starts.start_quarter_index

    union all

    select
        'quarter' as input_name,
        quarters.quarter_index,
        cast(null as bigint) as employments,
        cast(null as decimal(38, 0)) as fingerprint
    from {{ ref('int_quarters_reported') }} as quarters
{%- endmacro %}

{#- The start quarters up to `last_kept_start` whose employments differ between the
    kept fingerprints (relation `kept`) and the current starts, plus the reported
    quarters up to the newest kept one that went or are new (EXCEPT both ways).
    Later start quarters only reach the cohorts recomputed anyway. -#}
{% macro durability_inputs_changed(kept, last_kept_start) -%}
    with
    kept_starts as (
        select kept.input_name, kept.quarter_index, kept.employments, kept.fingerprint
        from {{ kept }} as kept
        where kept.input_name = 'start' and kept.quarter_index <= {{ last_kept_start }}
    ),
    current_starts as (
        {{ durability_start_fingerprints('starts') }}
        where starts.start_quarter_index <= {{ last_kept_start }}
        group by starts.start_quarter_index
    ),
    kept_quarters as (
        select kept.quarter_index from {{ kept }} as kept where kept.input_name = 'quarter'
    ),
    current_quarters as (
        select quarters.quarter_index
        from {{ ref('int_quarters_reported') }} as quarters
        where quarters.quarter_index <= (select max(kept_quarters.quarter_index) from kept_quarters)
    )
    select
        (select count(*) from (select * from kept_starts except select * from current_starts))
        + (select count(*) from (select * from current_starts except select * from kept_starts))
        + (select count(*) from (select * from kept_quarters except select * from current_quarters))
        + (select count(*) from (select * from current_quarters except select * from kept_quarters))
{%- endmacro %}

{#-
    The first cohort year int_work_durability_cohort recomputes: none (every cohort)
    on a full build, on Spark (a table there), when its kept inputs are missing, of
    an older layout or hold no quarter, or when an input that a kept cohort read changed
    (durability_inputs_changed); otherwise the first cohort year whose quarters reach
    the refresh window (refresh_lookback_quarters back from the newest kept quarter,
    the window the person-level tables recompute).
-#}
{% macro durability_cutoff_year(announce=true) -%}
    {%- set kept = kept_inputs_for_refresh('int_work_durability_inputs',
        ['input_name', 'quarter_index', 'employments', 'fingerprint']) -%}
    {%- if kept is none -%}{{ return(none) }}{%- endif -%}
    {%- set latest = run_query("select max(quarter_index) from " ~ kept
                               ~ " where input_name = 'quarter'").columns[0].values()[0] -%}
    {%- if latest is none -%}{{ return(none) }}{%- endif -%}
    {#- cohort y reaches quarter 4y + 6: the first y with 4y + 6 >= the window's first quarter -#}
    {%- set window_start = (latest | int) - (var('refresh_lookback_quarters') | int) + 1 -%}
    {%- set first_year = (window_start - 6 + 3) // 4 -%}
    {%- set changed = run_query(durability_inputs_changed(kept, 4 * first_year - 2)).columns[0].values()[0] -%}
    {%- if changed != 0 -%}
        {%- if announce %}{{ log('int_work_durability_cohort: the employments starting in ' ~ changed
               ~ ' earlier quarters, or the reported quarters, changed since its last build:'
               ~ ' every cohort is recomputed', info=true) }}{% endif -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(first_year) }}
{%- endmacro %}
