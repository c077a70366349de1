{#-
    One row per quarter q (after the first reported) × region × target group
    with any stock or flow at q - 1 or q: the stock at the start (peildatum of
    q - 1), every flow, and the stock at the end (peildatum of q), for
    registered and for working persons. Flows that leave a cell (outflow,
    moved_out, group_out) count in the cell the person left; flows that enter
    (inflow, moved_in, group_in) and found/lost work count in the cell the
    person is in at q. A move or group change carries the q - 1 working status.
    On every row:
      registered_end = registered_start + inflow - outflow + moved_in
                       - moved_out + group_in - group_out
      working_end    = working_start + found_work - lost_work + inflow_working
                       - outflow_working + moved_in_working - moved_out_working
                       + group_in_working - group_out_working
-#}

with

transitions as (

    select * from {{ ref('int_register_transitions') }}

),

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

leaving_cells as (

    select
        transitions.quarter_index,
        transitions.region_code_start as region_code,
        transitions.target_group_start as target_group,
        count(*) as registered_start,
        {{ count_where("transitions.transition_type = 'outflow'") }} as outflow,
        {{ count_where("transitions.transition_type = 'move'") }} as moved_out,
        {{ count_where("transitions.transition_type = 'group_change'") }} as group_out,
        {{ count_where("transitions.is_working_start") }} as working_start,
        {{ count_where("transitions.transition_type = 'outflow'"
                       ~ " and transitions.is_working_start") }}
            as outflow_working,
        {{ count_where("transitions.transition_type = 'move' and transitions.is_working_start") }}
            as moved_out_working,
        {{ count_where("transitions.transition_type = 'group_change'"
                       ~ " and transitions.is_working_start") }}
            as group_out_working

    from transitions
    where transitions.is_registered_start
    group by 1, 2, 3

),

entering_cells as (

    select
        transitions.quarter_index,
        transitions.region_code_end as region_code,
        transitions.target_group_end as target_group,
        count(*) as registered_end,
        {{ count_where("transitions.transition_type = 'inflow'") }} as inflow,
        {{ count_where("transitions.transition_type = 'move'") }} as moved_in,
        {{ count_where("transitions.transition_type = 'group_change'") }} as group_in,
        {{ count_where("transitions.is_working_end") }} as working_end,
        {{ count_where("transitions.transition_type = 'inflow' and transitions.is_working_end") }}
            as inflow_working,
        {{ count_where("transitions.transition_type = 'move' and transitions.is_working_start") }}
            as moved_in_working,
        {{ count_where("transitions.transition_type = 'group_change'"
                       ~ " and transitions.is_working_start") }}
            as group_in_working,
        {{ count_where("transitions.is_registered_start and not transitions.is_working_start"
                       ~ " and transitions.is_working_end") }} as found_work,
        {{ count_where("transitions.is_registered_start and transitions.is_working_start"
                       ~ " and not transitions.is_working_end") }} as lost_work

    from transitions
    where transitions.is_registered_end
    group by 1, 2, 3

),

cells as (

    select
        coalesce(leaving_cells.quarter_index, entering_cells.quarter_index) as quarter_index,
        coalesce(leaving_cells.region_code, entering_cells.region_code) as region_code,
        coalesce(leaving_cells.target_group, entering_cells.target_group) as target_group,
        coalesce(leaving_cells.registered_start, 0) as registered_start,
        coalesce(entering_cells.inflow, 0) as inflow,
        coalesce(leaving_cells.outflow, 0) as outflow,
        coalesce(entering_cells.moved_in, 0) as moved_in,
        coalesce(leaving_cells.moved_out, 0) as moved_out,
        coalesce(entering_cells.group_in, 0) as group_in,
        coalesce(leaving_cells.group_out, 0) as group_out,
        coalesce(entering_cells.registered_end, 0) as registered_end,
        coalesce(leaving_cells.working_start, 0) as working_start,
        coalesce(entering_cells.found_work, 0) as found_work,
        coalesce(entering_cells.lost_work, 0) as lost_work,
        coalesce(entering_cells.inflow_working, 0) as inflow_working,
        coalesce(leaving_cells.outflow_working, 0) as outflow_working,
        coalesce(entering_cells.moved_in_working, 0) as moved_in_working,
        coalesce(leaving_cells.moved_out_working, 0) as moved_out_working,
        coalesce(entering_cells.group_in_working, 0) as group_in_working,
        coalesce(leaving_cells.group_out_working, 0) as group_out_working,
        coalesce(entering_cells.working_end, 0) as working_end

    from leaving_cells
    full outer join entering_cells
        on leaving_cells.quarter_index = entering_cells.quarter_index
        and leaving_cells.region_code = entering_cells.region_code
        and leaving_cells.target_group = entering_cells.target_group

),

final as (

    select
        ---------- keys
        quarters.quarter_label,
        quarters.quarter_end_date,
        cells.region_code,
        cells.target_group,

        ---------- registered persons
        cast(cells.registered_start as bigint) as registered_start,
        cast(cells.inflow as bigint) as inflow,
        cast(cells.outflow as bigint) as outflow,
        cast(cells.moved_in as bigint) as moved_in,
        cast(cells.moved_out as bigint) as moved_out,
        cast(cells.group_in as bigint) as group_in,
        cast(cells.group_out as bigint) as group_out,
        cast(cells.registered_end as bigint) as registered_end,

        ---------- working persons
        cast(cells.working_start as bigint) as working_start,
        cast(cells.found_work as bigint) as found_work,
        cast(cells.lost_work as bigint) as lost_work,
        cast(cells.inflow_working as bigint) as inflow_working,
        cast(cells.outflow_working as bigint) as outflow_working,
        cast(cells.moved_in_working as bigint) as moved_in_working,
        cast(cells.moved_out_working as bigint) as moved_out_working,
        cast(cells.group_in_working as bigint) as group_in_working,
        cast(cells.group_out_working as bigint) as group_out_working,
        cast(cells.working_end as bigint) as working_end

    from cells
    inner join quarters
        on cells.quarter_index = quarters.quarter_index

)

select * from final
