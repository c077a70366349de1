{#-
    The raw input contract (version 1): the five raw tables and their columns,
    in order. The one place the project spells them out; the input check and
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

{#- "column in ('a', 'b', ...)" for the codes of contract_codes(name). -#}
{% macro is_contract_code(column, name) -%}
    {{ column }} in ('{{ contract_codes(name) | join("', '") }}')
{%- endmacro %}
