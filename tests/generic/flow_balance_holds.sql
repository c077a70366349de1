{#-
    On a flows model (fct_register_flows_quarter): fails for every row where
    either balance identity of docs/definitions.md#flows does not hold:
      registered_end = registered_start + inflow - outflow + moved_in
                       - moved_out + group_in - group_out
      working_end    = working_start + found_work - lost_work + inflow_working
                       - outflow_working + moved_in_working - moved_out_working
                       + group_in_working - group_out_working
-#}
{% test flow_balance_holds(model) %}

select
    *,
    registered_start + inflow - outflow + moved_in - moved_out + group_in - group_out
        as registered_end_computed,
    working_start + found_work - lost_work + inflow_working - outflow_working
        + moved_in_working - moved_out_working + group_in_working - group_out_working
        as working_end_computed

from {{ model }}
where registered_end <> registered_start + inflow - outflow + moved_in - moved_out
        + group_in - group_out
    or working_end <> working_start + found_work - lost_work + inflow_working
        - outflow_working + moved_in_working - moved_out_working + group_in_working
        - group_out_working

{% endtest %}
