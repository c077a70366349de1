{#-
    On a flows model (fct_register_flows_quarter): fails for every row where
    a balance identity of docs/definitions.md#flows does not hold:
      registered_end = registered_start + inflow - outflow + moved_in
                       - moved_out + group_in - group_out
      working_end    = working_start + found_work - lost_work + inflow_working
                       - outflow_working + moved_in_working - moved_out_working
                       + group_in_working - group_out_working
    The identities are not repeated here: they come from the measure registry
    (the metrics' meta.relations.balance in models/semantic/), see
    macros/measure_registry.sql. The mart's name is the model's identifier.
-#}
{% test flow_balance_holds(model) %}

{%- set identities = balance_identities(model.identifier) if execute else {} %}
{%- if execute and not identities %}
    {{ exceptions.raise_compiler_error(
        "flow_balance_holds: the measure registry declares no balance identity for "
        ~ model.identifier ~ " (meta.relations.balance in models/semantic/)") }}
{%- endif %}

select
    *{% for name, identity in identities | dictsort %},
    {{ balance_expression(identity) }} as {{ identity.end }}_computed
{%- endfor %}

from {{ model }}
where {% for name, identity in identities | dictsort -%}
    {{ identity.end }} <> {{ balance_expression(identity) }}{{ '\n    or ' if not loop.last }}
{%- endfor %}
{%- if not identities %}false{% endif %}

{% endtest %}
