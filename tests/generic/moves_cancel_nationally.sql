{#-
    On a flows model: moves between regions and changes of target group move
    persons between cells but not in or out of the register, so they cancel:
    per quarter, moved_in = moved_out nationally (also for working persons);
    per quarter and region, group_in = group_out (a group change keeps the
    region). Fails for every quarter (and region) where they do not.
-#}
{% test moves_cancel_nationally(model) %}

with

moves as (

    select
        quarter_label,
        'all regions' as region_code,
        sum(moved_in) as flows_in,
        sum(moved_out) as flows_out,
        sum(moved_in_working) as flows_in_working,
        sum(moved_out_working) as flows_out_working,
        'moves' as flow

    from {{ model }}
    group by 1

),

group_changes as (

    select
        quarter_label,
        region_code,
        sum(group_in) as flows_in,
        sum(group_out) as flows_out,
        sum(group_in_working) as flows_in_working,
        sum(group_out_working) as flows_out_working,
        'group changes' as flow

    from {{ model }}
    group by 1, 2

),

unioned as (

    select * from moves
    union all
    select * from group_changes

)

select *
from unioned
where flows_in <> flows_out or flows_in_working <> flows_out_working

{% endtest %}
