{#-
    Fails for every combination of the given columns that occurs more than
    once: the model's primary key (grain) test.
    Arguments: combination_of_columns (list of column names).
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as count_rows

from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
