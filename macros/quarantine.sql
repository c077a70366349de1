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
