{#-
    Fails for every row where the expression is not true (false or NULL).
    Arguments: expression (SQL over the model's columns).
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
