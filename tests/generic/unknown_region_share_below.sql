{#-
    On a stock model (fct_register_quarter): fails (use severity warn) for
    every quarter where more than max_share of the registered persons is in
    region UNKNOWN (no residence on the peildatum). Many persons without a
    region usually means the residences extract is incomplete or its
    municipality codes are not known.
    Arguments: max_share (default: var unknown_region_max_share, 0.01).
-#}
{% test unknown_region_share_below(model, max_share=none) %}

{%- set threshold = max_share if max_share is not none else var('unknown_region_max_share') %}

select
    quarter_label,
    sum(case when region_code = 'UNKNOWN' then persons_registered else 0 end)
        as persons_unknown_region,
    sum(persons_registered) as persons_registered

from {{ model }}
group by quarter_label
having sum(case when region_code = 'UNKNOWN' then persons_registered else 0 end)
    > {{ threshold }} * sum(persons_registered)

{% endtest %}
