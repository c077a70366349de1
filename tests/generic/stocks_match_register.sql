{#-
    On a flows model: the stock a flows row ends with is the register stock of
    the same cell (registered_end = persons_registered, working_end =
    persons_working), and every register cell of a quarter that has flows has a
    flows row. Fails for every cell where they differ (a missing side counts
    as 0).
    Arguments: register_model (fct_register_quarter).
-#}
{% test stocks_match_register(model, register_model) %}

with

flows as (

    select quarter_label, region_code, target_group, registered_end, working_end
    from {{ model }}
    where registered_end <> 0 or working_end <> 0

),

register as (

    select
        register.quarter_label,
        register.region_code,
        register.target_group,
        register.persons_registered,
        register.persons_working

    from {{ register_model }} as register
    where register.quarter_label in (select distinct quarter_label from {{ model }})

),

compared as (

    select
        coalesce(flows.quarter_label, register.quarter_label) as quarter_label,
        coalesce(flows.region_code, register.region_code) as region_code,
        coalesce(flows.target_group, register.target_group) as target_group,
        coalesce(flows.registered_end, 0) as registered_end,
        coalesce(register.persons_registered, 0) as persons_registered,
        coalesce(flows.working_end, 0) as working_end,
        coalesce(register.persons_working, 0) as persons_working

    from flows
    full outer join register
        on flows.quarter_label = register.quarter_label
        and flows.region_code = register.region_code
        and flows.target_group = register.target_group

)

select *
from compared
where registered_end <> persons_registered or working_end <> persons_working

{% endtest %}
