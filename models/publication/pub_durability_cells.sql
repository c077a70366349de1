{#-
    Durability of work per cohort year (fct_work_durability_year) as long
    cells: the counts per region × durability group (in column target_group),
    with the totals over the groups (`all`) and the regions (NL), and the
    shares still working and in the same job derived from those counts. The
    period is the cohort year, ending on 30 September of the year after it.
-#}

with

durability as (

    select * from {{ ref('fct_work_durability_year') }}

),

group_cells as (

    {{ unpivot(
        'durability',
        ['durability.cohort_year', 'durability.region_code',
         'durability.durability_group as target_group'],
        public_measures('fct_work_durability_year', ['count_of_persons'])
    ) }}

),

with_group_totals as (

    select * from group_cells

    union all

    select
        group_cells.cohort_year,
        group_cells.region_code,
        'all' as target_group,
        group_cells.measure,
        sum(group_cells.exact_value) as exact_value

    from group_cells
    group by 1, 2, 3, 4

),

count_cells as (

    select * from with_group_totals

    union all

    select
        with_group_totals.cohort_year,
        'NL' as region_code,
        with_group_totals.target_group,
        with_group_totals.measure,
        sum(with_group_totals.exact_value) as exact_value

    from with_group_totals
    group by 1, 2, 3, 4

),

count_rows as (

    select
        count_cells.cohort_year,
        count_cells.region_code,
        count_cells.target_group,
        max(case when count_cells.measure = 'persons_started' then count_cells.exact_value end)
            as persons_started,
        max(
            case when count_cells.measure = 'persons_still_working' then count_cells.exact_value end
        )
            as persons_still_working,
        max(case when count_cells.measure = 'persons_same_job' then count_cells.exact_value end)
            as persons_same_job

    from count_cells
    group by 1, 2, 3

),

share_cells as (

    {% for share, numerator, denominator in public_ratios('fct_work_durability_year') -%}
    select
        count_rows.cohort_year,
        count_rows.region_code,
        count_rows.target_group,
        '{{ share }}' as measure,
        {{ exact_ratio('count_rows.' ~ numerator, 'count_rows.' ~ denominator) }} as exact_value,
        'derived' as value_kind

    from count_rows

    {% if not loop.last %}union all{% endif %}

    {% endfor %}
),

cells as (

    select
        count_cells.*,
        'count' as value_kind

    from count_cells

    union all

    select * from share_cells

),

final as (

    select
        cast(cells.cohort_year as {{ dbt.type_string() }}) as period,
        make_date(cells.cohort_year + 1, 9, 30) as period_end_date,
        cells.region_code,
        cells.target_group,
        'all' as breakdown,
        cells.measure,
        cells.exact_value,
        cells.value_kind

    from cells

)

select * from final
