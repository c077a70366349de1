{#-
    One row per quarter × region × target group × direction × reason with at
    least one person: inflow by the reason of the person's earliest new spell
    (counted in the cell the person entered), outflow by the reason the last
    spell ended (counted in the cell the person left). Sums to inflow and
    outflow of fct_register_flows_quarter.
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

flows as (

    select
        transitions.quarter_index,
        case
            when transitions.transition_type = 'inflow' then transitions.region_code_end
            else transitions.region_code_start
        end as region_code,
        case
            when transitions.transition_type = 'inflow' then transitions.target_group_end
            else transitions.target_group_start
        end as target_group,
        transitions.transition_type as direction,
        transitions.flow_reason as reason

    from transitions
    where transitions.transition_type in ('inflow', 'outflow')

),

cells as (

    select
        flows.quarter_index,
        flows.region_code,
        flows.target_group,
        flows.direction,
        flows.reason,
        count(*) as persons

    from flows
    group by 1, 2, 3, 4, 5

),

final as (

    select
        ---------- keys
        quarters.quarter_label,
        quarters.quarter_end_date,
        cells.region_code,
        cells.target_group,
        cells.direction,
        cells.reason,

        ---------- persons
        cast(cells.persons as bigint) as persons

    from cells
    inner join quarters
        on cells.quarter_index = quarters.quarter_index

)

select * from final
