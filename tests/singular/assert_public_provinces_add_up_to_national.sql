-- The province cells of audit.disclosure_figures_exact (PVxx and PVUNKNOWN, all
-- groups, from pub_province_cells) add up to its national cells (NL, all groups,
-- no breakdown):
-- per quarter and measure (registered, working, not working persons exactly;
-- jobs within rounding, 0.0001). The disclosure control takes this relation as
-- known to every reader, so it must hold. Returns the cells that differ (a side
-- missing counts as 0).

with

provinces as (

    select
        period,
        measure,
        sum(exact_value) as exact_value
    from {{ ref('disclosure_figures_exact') }}
    where period_type = 'quarter'
        and region_code like 'PV%'
    group by 1, 2

),

national as (

    select
        period,
        measure,
        exact_value
    from {{ ref('disclosure_figures_exact') }}
    where period_type = 'quarter'
        and region_code = 'NL'
        and target_group = 'all'
        and breakdown = 'all'
        and measure in ('persons_registered', 'persons_working', 'persons_not_working', 'jobs')

),

compared as (

    select
        coalesce(provinces.period, national.period) as period,
        coalesce(provinces.measure, national.measure) as measure,
        coalesce(provinces.exact_value, 0) as provinces_value,
        coalesce(national.exact_value, 0) as national_value
    from provinces
    full outer join national
        on provinces.period = national.period
        and provinces.measure = national.measure

)

select *
from compared
where abs(provinces_value - national_value) > 0.0001
