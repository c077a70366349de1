{#-
    audit.run_log: one row per dbt invocation (and per auditor's trace, written by
    scripts/trace.py). Not a model, so no build or full refresh ever drops it.
    Columns hold JSON text where the content varies (vars, raw inputs, counts),
    so the table never has to change shape.
-#}

{#- on-run-start: make sure the log exists (the hook runs the SQL this renders). -#}
{% macro create_run_log() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- do run_query('create schema if not exists audit') -%}
    {%- do run_query("""
        create table if not exists audit.run_log (
            run_id string,
            event string,
            started_at timestamp,
            ended_at timestamp,
            user_name string,
            git_commit string,
            dbt_version string,
            adapter string,
            target_name string,
            vars_used string,
            raw_inputs string,
            mart_row_counts string,
            results string,
            success boolean,
            detail string
        )""" ~ (' using parquet' if target.type == 'spark' else '')) -%}
    {{ return('') }}
{% endmacro %}

{#- on-run-end: append this invocation (the hook runs the SQL this renders). -#}
{% macro record_run(results) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set root = project_root_path() -%}

    {#- results by resource type and status -#}
    {%- set counts = {} -%}
    {%- for result in results -%}
        {%- set key = result.node.resource_type ~ ':' ~ result.status -%}
        {%- do counts.update({key: counts.get(key, 0) + 1}) -%}
    {%- endfor -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail']) | list -%}

    {#- raw inputs: where from, rows (from the reconciliation), content hash (md5 of the file) -#}
    {%- set raw_rows = {} -%}
    {%- if relation_exists('audit', 'reconciliation') -%}
        {%- for row in run_query('select table_name, raw_rows from audit.reconciliation') -%}
            {%- do raw_rows.update({row[0]: row[1] | int}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set inputs = [] -%}
    {%- for table in raw_contract() -%}
        {%- if var('raw_path', '') -%}
            {%- set path = var('raw_path') ~ '/' ~ table ~ '.' ~ var('raw_format', 'parquet') -%}
        {%- else -%}
            {%- set path = root ~ '/seeds/demo/' ~ table ~ '.csv' -%}
        {%- endif -%}
        {%- set digest = file_md5(path) -%}
        {%- do inputs.append({'table': table, 'file': path, 'rows': raw_rows.get(table),
                              'md5': digest}) -%}
    {%- endfor -%}

    {#- row counts of the marts as they stand after this invocation -#}
    {%- set marts = {} -%}
    {%- for node in graph.nodes.values()
          if node.resource_type == 'model' and node.config.schema == 'marts' -%}
        {%- if relation_exists('marts', node.alias) -%}
            {%- do marts.update({node.alias: run_query('select count(*) from marts.' ~ node.alias)
                                 .columns[0].values()[0] | int}) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set vars_used = {
        'raw_path': var('raw_path', ''), 'raw_format': var('raw_format', 'parquet'),
        'first_quarter': var('first_quarter', ''), 'last_quarter': var('last_quarter', ''),
        'paid_hours_per_job_month': var('paid_hours_per_job_month'),
        'reference_scale': reference_scale(),
        'disclosure_min_persons': var('disclosure_min_persons'),
        'disclosure_protection': var('disclosure_protection'),
    } -%}
        insert into audit.run_log values (
            {{ sql_text(invocation_id) }},
            {{ sql_text('dbt ' ~ flags.WHICH) }},
            cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp),
            cast(current_timestamp as timestamp),
            {{ sql_text(env_var('USER', env_var('USERNAME', 'unknown'))) }},
            {{ sql_text(git_commit(root)) }},
            {{ sql_text(dbt_version) }},
            {{ sql_text(adapter.type() ~ ' (' ~ engine_version() ~ ')') }},
            {{ sql_text(target.name) }},
            {{ sql_text(tojson(vars_used)) }},
            {{ sql_text(tojson(inputs)) }},
            {{ sql_text(tojson(marts)) }},
            {{ sql_text(tojson(counts)) }},
            {{ 'false' if failed else 'true' }},
            {{ sql_text('failed: ' ~ (failed | map(attribute='node.unique_id') | join(', ')) if failed else '') }}
        )
{% endmacro %}

{#- Whether schema.identifier exists in the warehouse. -#}
{% macro relation_exists(schema, identifier) -%}
    {%- set relation = adapter.get_relation(database=target.database, schema=schema,
                                            identifier=identifier) -%}
    {{ return(relation is not none) }}
{%- endmacro %}

{#-
    The project's directory, for the demo seed files and .git: dbt is run from it
    (the Makefile and the tests do); env var DBT_PROJECT_DIR overrides.
-#}
{% macro project_root_path() -%}
    {{ return(env_var('DBT_PROJECT_DIR', '.')) }}
{%- endmacro %}

{#-
    The git commit checked out in the project directory, read from .git by the engine.
    .git is the repository's folder, or (a linked worktree, `git worktree add`) a file
    `gitdir: <folder>` naming the worktree's own folder, whose `commondir` names the
    folder that holds the branches (refs/heads, packed-refs).
-#}
{% macro git_commit(root) -%}
    {%- if target.type == 'spark' -%}{{ return(env_var('GIT_COMMIT', 'unknown (not read on Spark)')) }}{%- endif -%}
    {%- set git = root ~ '/.git' -%}
    {%- set head = read_text_file(git ~ '/HEAD') -%}
    {%- if head is none -%}
        {%- set link = read_text_file(git) -%}
        {%- if link is none or not link.strip().startswith('gitdir: ') -%}{{ return('unknown (no .git)') }}{%- endif -%}
        {%- set git = link.strip()[8:] -%}
        {%- set git = git if git.startswith('/') else root ~ '/' ~ git -%}
        {%- set head = read_text_file(git ~ '/HEAD') -%}
        {%- if head is none -%}{{ return('unknown (no HEAD in ' ~ git ~ ')') }}{%- endif -%}
    {%- endif -%}
    {%- set head = head.strip() -%}
    {%- if not head.startswith('ref: ') -%}{{ return(head) }}{%- endif -%}
    {%- set ref = head[5:] -%}
    {%- set common = read_text_file(git ~ '/commondir') -%}
    {%- set common = none if common is none else common.strip() -%}
    {%- set refs = git if common is none else (common if common.startswith('/') else git ~ '/' ~ common) -%}
    {%- set loose = read_text_file(refs ~ '/' ~ ref) -%}
    {%- if loose is not none -%}{{ return(loose.strip()) }}{%- endif -%}
    {%- set packed = read_text_file(refs ~ '/packed-refs') -%}
    {%- if packed is not none -%}
        {%- for line in packed.split('\n') if line.strip().endswith(' ' ~ ref) -%}
            {{ return(line.split(' ')[0]) }}
        {%- endfor -%}
    {%- endif -%}
    {{ return('unknown (' ~ ref ~ ')') }}
{%- endmacro %}

{#-
    Reading a local file from a hook, per engine (Jinja cannot read files):
    read_text_file(path) is its text, file_md5(path) the md5 of its bytes; both none
    when the file does not exist. engine_version() names the engine's version.
    DuckDB: glob / read_text / read_blob. Spark: the binaryFile source (a file that
    must exist).
-#}
{% macro read_text_file(path) -%}
    {{ return(adapter.dispatch('read_text_file', 'banenafspraak')(path)) }}
{%- endmacro %}

{% macro default__read_text_file(path) -%}
    {%- if run_query("select count(*) from glob(" ~ sql_text(path) ~ ")").columns[0].values()[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(run_query("select content from read_text(" ~ sql_text(path) ~ ")").columns[0].values()[0]) }}
{%- endmacro %}

{% macro spark__read_text_file(path) -%}
    {#- Spark has no file listing in SQL that tolerates a missing file: the hook only
        reads files that must exist (raw inputs), and git_commit is not read on Spark. -#}
    {{ return(none) }}
{%- endmacro %}

{% macro file_md5(path) -%}
    {{ return(adapter.dispatch('file_md5', 'banenafspraak')(path)) }}
{%- endmacro %}

{% macro default__file_md5(path) -%}
    {%- if run_query("select count(*) from glob(" ~ sql_text(path) ~ ")").columns[0].values()[0] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(run_query("select md5(content) from read_blob(" ~ sql_text(path) ~ ")").columns[0].values()[0]) }}
{%- endmacro %}

{% macro spark__file_md5(path) -%}
    {#- the raw files exist (checked at the start of the run; the demo seeds are in the repository) -#}
    {{ return(run_query("select md5(content) from binaryFile.`" ~ path | replace('`', '``') ~ "`").columns[0].values()[0]) }}
{%- endmacro %}

{% macro engine_version() -%}
    {{ return(adapter.dispatch('engine_version', 'banenafspraak')()) }}
{%- endmacro %}

{% macro default__engine_version() -%}
    {{ return('DuckDB ' ~ run_query('select library_version from pragma_version()').columns[0].values()[0]) }}
{%- endmacro %}

{% macro spark__engine_version() -%}
    {{ return('Spark ' ~ run_query('select version()').columns[0].values()[0]) }}
{%- endmacro %}
