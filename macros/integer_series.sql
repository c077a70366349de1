{#-
    The whole numbers 0 … count - 1 as a relation with one column `n`, built
    from cross-joined digits (portable: no generate_series, no recursion).
-#}
{% macro integer_series(count) -%}
    {%- set width = ((count - 1) | string) | length -%}
    select n from (
        select
            {% for position in range(width) -%}
            digits_{{ position }}.digit * {{ 10 ** position }}{{ ' +' if not loop.last }}
            {% endfor -%} as n
        from
            {% for position in range(width) -%}
            (
                {% for digit in range(10) -%}
                select {{ digit }} as digit{{ ' union all' if not loop.last }}
                {% endfor -%}
            ) as digits_{{ position }}{{ ' cross join' if not loop.last }}
            {% endfor %}
    ) as numbers
    where n < {{ count }}
{%- endmacro %}
