{#-
    The raw input contract (version 2: version 1 plus plausibility rules and
    physical types): the five raw tables and their columns, in order. The one place the project spells them out; the input check and
    the quarantine models read it from here.
-#}
{% macro raw_contract() -%}
    {{ return({
        'persons': ['person_id', 'birth_date', 'gender', 'date_of_death'],
        'residences': ['person_id', 'gemeente_code', 'valid_from', 'valid_until'],
        'register_spells': ['spell_id', 'person_id', 'target_group', 'valid_from',
                            'valid_until', 'inflow_reason', 'outflow_reason'],
        'payroll': ['person_id', 'employment_id', 'employer_id', 'sector',
                    'period_month', 'paid_hours', 'contract_type',
                    'employment_kind', 'employment_start'],
        'sheltered_work_requests': ['request_id', 'person_id', 'gemeente_code',
                                    'requester', 'request_date', 'decision',
                                    'decision_date', 'advice_valid_until'],
    }) }}
{%- endmacro %}

{#-
    What each raw column holds: `key` (an identifier), `code` (one of the
    contract's codes, or a CBS municipality code), `date` or `number`. Column
    names mean the same in every raw table.
-#}
{% macro raw_column_kind(column) -%}
    {%- set kinds = {
        'person_id': 'key', 'employment_id': 'key', 'employer_id': 'key',
        'spell_id': 'key', 'request_id': 'key',
        'gender': 'code', 'gemeente_code': 'code', 'target_group': 'code',
        'inflow_reason': 'code', 'outflow_reason': 'code', 'sector': 'code',
        'contract_type': 'code', 'employment_kind': 'code', 'requester': 'code',
        'decision': 'code',
        'birth_date': 'date', 'date_of_death': 'date', 'valid_from': 'date',
        'valid_until': 'date', 'period_month': 'date', 'employment_start': 'date',
        'request_date': 'date', 'decision_date': 'date', 'advice_valid_until': 'date',
        'paid_hours': 'number',
    } -%}
    {{ return(kinds[column]) }}
{%- endmacro %}

{#-
    The physical type classes (raw_type_class) that can carry each kind of raw
    column. A key may arrive as an integer (its digits are the key); a code only
    as text (an integer cannot carry `M` or `GM0080`); a date as text, DATE or a
    timestamp; a number as text, integer, decimal or floating point. A column of
    NULLs only (type NULL) carries nothing wrong. Any other type stops the build.
-#}
{% macro raw_type_allowed(kind) -%}
    {%- set allowed = {
        'key': ['text', 'integer', 'null'],
        'code': ['text', 'null'],
        'date': ['text', 'date', 'timestamp_local', 'timestamp_zoned', 'null'],
        'number': ['text', 'integer', 'decimal', 'float', 'null'],
    } -%}
    {{ return(allowed[kind]) }}
{%- endmacro %}

{#- What a kind of column must look like, for error messages. -#}
{% macro raw_kind_expected(kind) -%}
    {%- set expected = {
        'key': 'text (or an integer key)',
        'code': 'text (a code such as M, GM0080, wajong; dictionary-encoded text is fine)',
        'date': 'a DATE, a TIMESTAMP (with or without time zone) or ISO text YYYY-MM-DD',
        'number': 'a DECIMAL, DOUBLE, integer or plain decimal text',
    } -%}
    {{ return(expected[kind]) }}
{%- endmacro %}

{#- The codes the raw contract allows, per coded column. -#}
{% macro contract_codes(name) -%}
    {%- set codes = {
        'gender': ['M', 'F', 'U'],
        'target_group': ['participatiewet', 'wajong', 'wsw', 'wiw_id'],
        'inflow_reason': ['new_indication', 'wsw_sheltered_ended', 'group_change', 'other'],
        'outflow_reason': ['wsw_sheltered_started', 'sheltered_work_indication',
                           'voluntary_deregistration', 'no_work_capacity', 'pension_age',
                           'death', 'group_change', 'other'],
        'sector': ['market', 'government'],
        'contract_type': ['permanent', 'temporary', 'unknown'],
        'employment_kind': ['regular', 'sheltered_work', 'wsw_sheltered'],
        'requester': ['municipality', 'citizen'],
        'decision': ['positive', 'negative', 'pending', 'withdrawn'],
    } -%}
    {{ return(codes[name]) }}
{%- endmacro %}

{#- The job characteristics the breakdowns split by, each with its contract codes in
    text order (the first wins a tie): contract_type and sector. -#}
{% macro job_attribute_codes() -%}
    {{ return({
        'contract_type': contract_codes('contract_type') | sort,
        'sector': contract_codes('sector') | sort,
    }) }}
{%- endmacro %}

{#- "column in ('a', 'b', ...)" for the codes of contract_codes(name). -#}
{% macro is_contract_code(column, name) -%}
    {{ column }} in ('{{ contract_codes(name) | join("', '") }}')
{%- endmacro %}

{#-
    Plausibility (contract version 2). A date outside 1900-01-01 … 2100-12-31 is
    not a real date of this register (rule implausible_date: year 0, 1 BC, 9999
    as "open ended"); a payroll month after the month of the build's run date
    (UTC) has not been paid yet (rule future_period_month); more paid hours in
    one row than a 31-day month has (24 × 31 = 744) cannot be worked (rule
    implausible_hours).
-#}
{% macro is_implausible_date(expression) -%}
    not {{ expression }} between date '1900-01-01' and date '2100-12-31'
{%- endmacro %}

{% macro is_after_run_month(expression) -%}
    {%- set next_month = run_started_at.year * 12 + run_started_at.month -%}
    ({{ expression }} >= cast('{{ "%04d-%02d-01" % (next_month // 12, next_month % 12 + 1) }}' as date))
{%- endmacro %}

{% macro max_paid_hours_per_month() -%}
    {{ return(744) }}
{%- endmacro %}

{#-
    An expression that stops the query with `message` when `condition` holds
    (NULL otherwise): for limits a model cannot silently exceed. Filter on it
    (`where {{ fail_when(...) }} is null`) so the engine evaluates it.
-#}
{% macro fail_when(condition, message) -%}
    case when {{ condition }} then {{ adapter.dispatch('raise_error', 'banenafspraak')(message) }} end
{%- endmacro %}

{% macro default__raise_error(message) -%}
    error({{ sql_text(message) }})
{%- endmacro %}

{% macro spark__raise_error(message) -%}
    raise_error({{ sql_text(message) }})
{%- endmacro %}
