{#-
    Progress of each region against the agreement's targets, as in UWV's
    regional factsheet. One row per reported quarter × region (the 35 regions
    and UNKNOWN, every quarter; a region without jobs shows 0).
    * job_growth (banengroei) = jobs − the region's baseline (nulmeting).
    * target_year_end (doelstelling): the region's target for the end of the
      quarter's year (NULL for years without a national target).
    * required_per_quarter_yearly_pace = (target − growth at the end of the
      previous year) / 4: the extra jobs a quarter at an even pace through the
      year (NULL when that year end is not reported). Computed as × 0.25, exact
      on every engine (DuckDB divides decimals in double precision).
    * required_per_remaining_quarter = (target − growth now) / quarters left in
      the year (3 after Q1, 2 after Q2, 1 after Q3); NULL in Q4, no quarter left.
    * Once the target is met the jobs still needed are 0, never negative
      (is_target_met tells).
    * Changes against the previous reported quarter; `_pct` in percent (2.9 =
      2.9 %), NULL where the previous value is 0 or absent. Values unrounded.
-#}

with

register as (

    select * from {{ ref('fct_register_quarter') }}

),

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

regions as (

    select * from {{ ref('dim_region') }}

),

targets as (

    select * from {{ ref('int_region_targets_yearly') }}

),

region_totals as (

    select
        register.quarter_label,
        register.region_code,
        sum(register.persons_registered) as persons_registered,
        sum(register.persons_working) as persons_working,
        sum(register.jobs) as jobs,
        sum(register.jobs_market) as jobs_market,
        sum(register.jobs_government) as jobs_government

    from register
    group by 1, 2

),

grid as (

    select
        quarters.quarter_index,
        quarters.quarter_label,
        quarters.quarter_end_date,
        quarters.calendar_year,
        quarters.quarter_of_year,
        regions.region_code,
        coalesce(region_totals.persons_registered, 0) as persons_registered,
        coalesce(region_totals.persons_working, 0) as persons_working,
        coalesce(region_totals.jobs, 0) as jobs,
        coalesce(region_totals.jobs_market, 0) as jobs_market,
        coalesce(region_totals.jobs_government, 0) as jobs_government,
        regions.baseline_jobs

    from quarters
    cross join regions
    left join region_totals
        on quarters.quarter_label = region_totals.quarter_label
        and regions.region_code = region_totals.region_code

),

with_growth as (

    select
        grid.*,
        grid.jobs - grid.baseline_jobs as job_growth,
        targets.target_total as target_year_end,
        targets.target_market as target_year_end_market,
        targets.target_government as target_year_end_government,
        4 - grid.quarter_of_year as quarters_left_in_year

    from grid
    left join targets
        on grid.region_code = targets.region_code
        and grid.calendar_year = targets.target_year

),

with_previous as (

    select
        with_growth.*,
        previous_quarter.jobs as jobs_previous,
        previous_quarter.persons_registered as persons_registered_previous,
        previous_quarter.persons_working as persons_working_previous,
        previous_year_end.job_growth as job_growth_previous_year_end

    from with_growth
    left join with_growth as previous_quarter
        on with_growth.region_code = previous_quarter.region_code
        and with_growth.quarter_index - 1 = previous_quarter.quarter_index
    left join with_growth as previous_year_end
        on with_growth.region_code = previous_year_end.region_code
        and 4 * with_growth.calendar_year - 1 = previous_year_end.quarter_index

),

final as (

    select
        ---------- keys
        with_previous.quarter_label,
        with_previous.quarter_end_date,
        with_previous.region_code,

        ---------- jobs against the baseline and the target
        cast(with_previous.jobs as decimal(18, 6)) as jobs,
        cast(with_previous.baseline_jobs as bigint) as baseline_jobs,
        cast(with_previous.job_growth as decimal(18, 6)) as job_growth,
        cast(with_previous.target_year_end as bigint) as target_year_end,
        cast({{ required_yearly_pace(
            'with_previous.target_year_end', 'with_previous.job_growth_previous_year_end'
        ) }} as decimal(18, 6)) as required_per_quarter_yearly_pace,
        cast({{ required_per_remaining_quarter(
            'with_previous.target_year_end', 'with_previous.job_growth',
            'with_previous.quarters_left_in_year'
        ) }} as decimal(18, 6)) as required_per_remaining_quarter,

        ---------- change against the previous quarter
        cast(with_previous.jobs - with_previous.jobs_previous as decimal(18, 6)) as jobs_change,
        {{ percent_change('with_previous.jobs', 'with_previous.jobs_previous') }}
            as jobs_change_pct,
        cast(with_previous.persons_registered - with_previous.persons_registered_previous as bigint)
            as persons_registered_change,
        {{ percent_change('with_previous.persons_registered',
                          'with_previous.persons_registered_previous') }}
            as persons_registered_change_pct,
        cast(with_previous.persons_working - with_previous.persons_working_previous as bigint)
            as persons_working_change,
        {{ percent_change('with_previous.persons_working',
                          'with_previous.persons_working_previous') }}
            as persons_working_change_pct,

        ---------- context
        cast(with_previous.persons_registered as bigint) as persons_registered,
        cast(with_previous.persons_working as bigint) as persons_working,
        cast(with_previous.jobs_market as decimal(18, 6)) as jobs_market,
        cast(with_previous.jobs_government as decimal(18, 6)) as jobs_government,
        cast(with_previous.target_year_end_market as bigint) as target_year_end_market,
        cast(with_previous.target_year_end_government as bigint) as target_year_end_government,
        cast(with_previous.job_growth_previous_year_end as decimal(18, 6))
            as job_growth_previous_year_end,
        cast(with_previous.quarters_left_in_year as integer) as quarters_left_in_year,
        case
            when with_previous.target_year_end is not null
                then with_previous.job_growth >= with_previous.target_year_end
        end as is_target_met

    from with_previous

)

select * from final
