{#-
    Fails for every distinct combination of the given columns that has no row
    with the same values in the `to` relation (a relationships test over
    several columns).
    Arguments: to (a ref), columns (list of column names, the same in both).
-#}
{% test combination_exists_in(model, to, columns) %}

select distinct
    {% for column in columns -%}
    child.{{ column }}{{ ',' if not loop.last }}
    {% endfor %}
from {{ model }} as child
left join {{ to }} as parent
    on {% for column in columns -%}
    child.{{ column }} = parent.{{ column }}{{ ' and ' if not loop.last }}
    {%- endfor %}
where parent.{{ columns[0] }} is null

{% endtest %}
