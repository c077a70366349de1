{#-
    Wide to long: one select per measure, joined by `union all`, each row the
    key expressions, the measure's name (`measure`) and its value as
    decimal(18, 6) (`exact_value`). Plain SQL (no UNPIVOT, no stack()), the same
    on DuckDB and Spark; dispatched so an engine can bring its own.
    * relation: what to select from (a CTE name or a ref()).
    * keys: select expressions kept on every row, e.g.
      ['register.quarter_label as period', "'all' as breakdown"].
    * measures: the wide columns to unpivot, in the order of the output rows.
-#}
{% macro unpivot(relation, keys, measures) -%}
    {{ return(adapter.dispatch('unpivot', 'banenafspraak')(relation, keys, measures)) }}
{%- endmacro %}

{% macro default__unpivot(relation, keys, measures) -%}
    {%- for measure in measures %}
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        '{{ measure }}' as measure,
        cast({{ measure }} as decimal(18, 6)) as exact_value
    from {{ relation }}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}
