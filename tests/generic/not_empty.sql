{#- Fails when the model has no rows. -#}
{% test not_empty(model) %}

select 'no rows' as problem
from (select count(*) as count_rows from {{ model }}) as counted
where counted.count_rows = 0

{% endtest %}
