{#-
    The quarantine relation of one raw table: every row its validation model
    rejected, with the raw values as they arrived (text, under the raw
    contract's column names), the rule it broke first, the column that broke it
    and the rule's description (seed quarantine_rules).
-#}
{% macro quarantine_rows(table) %}

with

validated as (

    select * from {{ ref('int_' ~ table ~ '__validated') }}

),

rules as (

    select * from {{ ref('quarantine_rules') }}

),

quarantined as (

    select
        ---------- raw values as they arrived
        {%- for column in raw_contract()[table] %}
        cast(validated.{{ column }}_raw as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}

        ---------- why
        validated.quarantine_rule as rule,
        validated.quarantine_column as rule_column,
        rules.rule_description

    from validated
    left join rules
        on validated.quarantine_rule = rules.rule
    where validated.quarantine_rule is not null

)

select * from quarantined

{% endmacro %}

{#-
    A raw value kept only on rows that go to quarantine (NULL on accepted rows,
    which the parsed values describe fully): keeps the validation tables small
    at national scale. Used in the final CTE of the validation models.
-#}
{% macro raw_if_quarantined(column, relation='validated') -%}
    case when {{ relation }}.rule_and_column is not null then {{ relation }}.{{ column }}_raw end
{%- endmacro %}

{#-
    The shared part of the validation models int_<table>__validated: after the
    model's own CTE `row_checks` (the staging rows with row_rule, the first row
    rule they break as 'rule:column', NULL when none) come the CTEs
      copies        each set of rows identical in every parsed value is numbered
                    (the first copy may be accepted, every further one is a
                    duplicate_row),
      key_variants  (with a key) how many different accepted rows share the key
                    (more than one: all of them are conflicting_key),
      validated     the first rule broken, row rules first, then duplicate_row,
                    conflicting_key and one rule per lookup: a left join to an
                    import CTE on a column (e.g. unknown_person when the
                    person_id is not among the accepted persons),
      final         the parsed values in the raw contract's column order, the
                    raw values (kept on quarantined rows only), quarantine_rule
                    and quarantine_column (both NULL on accepted rows).
    The model ends with `select * from final`.
-#}
{% macro validated_rows(table, key=none, lookups=[]) %}
{%- set columns = raw_contract()[table] %}
{%- set checked = 'key_variants' if key else 'copies' %}
copies as (

    select
        row_checks.*,
        row_number() over (
            partition by
                row_checks.row_rule,
                {%- for column in columns %}
                row_checks.{{ column }}{{ "," if not loop.last }}
                {%- endfor %}
            order by row_checks.{{ key or columns[0] }}
        ) as copy_number

    from row_checks

),
{%- if key %}

key_variants as (

    select
        copies.*,
        sum(case when copies.row_rule is null and copies.copy_number = 1 then 1 else 0 end)
            over (partition by copies.{{ key }}) as count_key_variants

    from copies

),
{%- endif %}

validated as (

    select
        {{ checked }}.*,
        coalesce(
            {{ checked }}.row_rule,
            case
                when {{ checked }}.copy_number > 1 then 'duplicate_row:'
                {%- if key %}
                when {{ checked }}.count_key_variants > 1 then 'conflicting_key:{{ key }}'
                {%- endif %}
                {%- for relation, column, lookup_rule in lookups %}
                when {{ relation }}.{{ column }} is null then '{{ lookup_rule }}:{{ column }}'
                {%- endfor %}
            end
        ) as rule_and_column

    from {{ checked }}
    {%- for relation, column, lookup_rule in lookups %}
    left join {{ relation }}
        on {{ checked }}.{{ column }} = {{ relation }}.{{ column }}
    {%- endfor %}

),

final as (

    select
        ---------- parsed values
        {%- for column in columns %}
        validated.{{ column }},
        {%- endfor %}

        ---------- raw values as they arrived (kept for quarantined rows only)
        {%- for column in columns %}
        {{ raw_if_quarantined(column) }} as {{ column }}_raw,
        {%- endfor %}

        ---------- quarantine (NULL = accepted)
        nullif(split_part(validated.rule_and_column, ':', 1), '') as quarantine_rule,
        nullif(split_part(validated.rule_and_column, ':', 2), '') as quarantine_column

    from validated

)
{% endmacro %}
