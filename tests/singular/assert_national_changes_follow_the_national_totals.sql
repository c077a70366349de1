-- The national (NL) change figures of the public layer follow from the national
-- totals themselves: jobs_change = jobs − jobs of the previous quarter, and
-- jobs_change_pct = 100 × jobs_change / jobs of the previous quarter; the same for
-- registered and working persons. The NL row is summed from the regions, so this
-- checks that summing (and the percent formula on sums) was done right.
-- Returns the cells that disagree by more than 0.0001.

with

totals as (

    select
        period,
        period_end_date,
        measure,
        exact_value as value
    from {{ ref('disclosure_figures_exact') }}
    where period_type = 'quarter'
        and region_code = 'NL'
        and target_group = 'all'
        and breakdown = 'all'
        and measure in ('jobs', 'persons_registered', 'persons_working')

),

with_previous as (

    select
        period,
        measure,
        value,
        lag(value) over (partition by measure order by period_end_date) as previous_value
    from totals

),

expected as (

    select
        period,
        measure || '_change' as measure,
        value - previous_value as expected_value
    from with_previous
    where previous_value is not null

    union all

    select
        period,
        measure || '_change_pct' as measure,
        100.0 * (value - previous_value) / previous_value as expected_value
    from with_previous
    where previous_value <> 0

)

select
    expected.period,
    expected.measure,
    expected.expected_value,
    published.exact_value as computed_value
from expected
left join {{ ref('disclosure_figures_exact') }} as published
    on published.period_type = 'quarter'
    and published.period = expected.period
    and published.region_code = 'NL'
    and published.target_group = 'all'
    and published.breakdown = 'all'
    and published.measure = expected.measure
where published.exact_value is null
    or abs(published.exact_value - expected.expected_value) > 0.0001
