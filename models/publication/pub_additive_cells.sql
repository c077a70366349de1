{#-
    Every cell that adds up, with its totals: the register stocks, flows,
    flow reasons and breakdowns and the counts of beschut werk per region ×
    target group, the total over the groups (`all`) and the national total
    (NL) over the regions, computed here once. Flows and flow reasons are kept
    per region for all groups together and per group nationally only (per
    region and group they are a handful of persons, nearly all of which would
    have to be hidden); breakdown classes and the jobs by sector (jobs_market,
    jobs_government) nationally only, per group and for all groups.
    value_kind: `count` (persons), `amount` (jobs), `derived` (paid hours).
-#}

with

stock_cells as (

    select * from {{ ref('pub_register_stock_cells') }}

),

flow_cells as (

    select * from {{ ref('pub_register_flow_cells') }}

),

reason_cells as (

    select * from {{ ref('pub_flow_reason_cells') }}

),

breakdown_cells as (

    select * from {{ ref('pub_register_breakdown_cells') }}

),

sheltered_count_cells as (

    select * from {{ ref('pub_sheltered_work_count_cells') }}

),

region_group_cells as (

    select * from stock_cells
    union all
    select * from flow_cells
    union all
    select * from reason_cells
    union all
    select * from breakdown_cells
    union all
    select * from sheltered_count_cells

),

group_totals as (

    select
        region_group_cells.period,
        region_group_cells.period_end_date,
        region_group_cells.region_code,
        'all' as target_group,
        region_group_cells.breakdown,
        region_group_cells.measure,
        sum(region_group_cells.exact_value) as exact_value,
        region_group_cells.per_group_nationally_only

    from region_group_cells
    where region_group_cells.target_group <> 'all'
    group by 1, 2, 3, 4, 5, 6, 8

),

region_cells as (

    select * from region_group_cells
    union all
    select * from group_totals

),

national_totals as (

    select
        region_cells.period,
        region_cells.period_end_date,
        'NL' as region_code,
        region_cells.target_group,
        region_cells.breakdown,
        region_cells.measure,
        sum(region_cells.exact_value) as exact_value,
        region_cells.per_group_nationally_only

    from region_cells
    group by 1, 2, 3, 4, 5, 6, 8

),

all_cells as (

    select * from region_cells
    union all
    select * from national_totals

),

final as (

    select
        all_cells.period,
        all_cells.period_end_date,
        all_cells.region_code,
        all_cells.target_group,
        all_cells.breakdown,
        all_cells.measure,
        cast(all_cells.exact_value as decimal(18, 6)) as exact_value,
        {{ public_value_kind('all_cells.measure', [
            'fct_register_quarter', 'fct_register_flows_quarter',
            'fct_register_flow_reasons_quarter', 'fct_sheltered_work_quarter'
        ]) }} as value_kind

    from all_cells
    -- flows and flow reasons: per region for all groups, and per group nationally
    where (
        not all_cells.per_group_nationally_only
        or all_cells.target_group = 'all'
        or all_cells.region_code = 'NL'
    )
    -- breakdown classes and the jobs by sector: nationally only, per group and for all
    -- groups (per region the demo's classes are nearly all small, and protecting them
    -- took the disclosure control from 2 to 20 minutes)
    and (
        all_cells.region_code = 'NL'
        or (
            all_cells.breakdown = 'all'
            and all_cells.measure not in ('jobs_market', 'jobs_government')
        )
        or all_cells.breakdown like 'inflow:%'
        or all_cells.breakdown like 'outflow:%'
    )

)

select * from final
