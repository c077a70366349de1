{#-
    Every figure the public layer may show, exact, as one cell each in long
    format, with the totals a public table shows: one row per period × region
    (a region, UNKNOWN, or NL for the national total) × target group (a group,
    or `all`) × breakdown (a flow reason `inflow:<reason>` / `outflow:<reason>`,
    else `all`) × measure (the mart's column name).
    The disclosure control (scripts/disclosure.py) reads this model and decides
    which cells the public sees (publication.figures); internal users keep the
    exact marts.
    * Stocks per region × target group; flows and flow reasons per region (all
      groups together) and per target group nationally: per region and group
      they are a handful of persons, nearly all of which would have to be
      hidden.
    * value_kind tells the disclosure control how to treat a cell:
      `count` (persons: primary suppression when 1 to 9 contribute), `amount`
      (jobs: suppressed when the cell's working persons are), `derived`
      (computed from other cells: hidden when one of them is) and `reference`
      (baseline, targets, quota: public reference data, always shown).
-#}

{%- set stock_counts = ['persons_registered', 'persons_working', 'persons_not_working'] %}
{%- set flow_counts = ['registered_start', 'inflow', 'outflow', 'moved_in', 'moved_out', 'group_in',
                       'group_out', 'registered_end', 'working_start', 'found_work', 'lost_work',
                       'inflow_working', 'outflow_working', 'moved_in_working', 'moved_out_working',
                       'group_in_working', 'group_out_working', 'working_end'] %}
{%- set durability_counts = ['persons_started', 'persons_still_working', 'persons_same_job'] %}
{%- set sheltered_counts = ['requests_municipality', 'requests_citizen', 'positive_advices',
                            'valid_positive_advices', 'persons_working_sheltered'] %}
{%- set progress_derived = ['job_growth', 'required_per_quarter_yearly_pace',
                            'required_per_remaining_quarter', 'jobs_change', 'jobs_change_pct',
                            'persons_registered_change', 'persons_registered_change_pct',
                            'persons_working_change', 'persons_working_change_pct'] %}

with

register as (

    select * from {{ ref('fct_register_quarter') }}

),

flows as (

    select * from {{ ref('fct_register_flows_quarter') }}

),

reasons as (

    select * from {{ ref('fct_register_flow_reasons_quarter') }}

),

sheltered as (

    select * from {{ ref('fct_sheltered_work_quarter') }}

),

progress as (

    select * from {{ ref('fct_region_progress_quarter') }}

),

-- the cells that add up: per region and target group, then totals over both

additive as (

    {% for measure in stock_counts + ['jobs', 'paid_hours'] -%}
    select
        register.quarter_label as period,
        register.quarter_end_date as period_end_date,
        register.region_code,
        register.target_group,
        'all' as breakdown,
        '{{ measure }}' as measure,
        cast(register.{{ measure }} as decimal(18, 6)) as exact_value,
        false as is_flow

    from register

    union all

    {% endfor -%}
    {% for measure in flow_counts -%}
    select
        flows.quarter_label as period,
        flows.quarter_end_date as period_end_date,
        flows.region_code,
        flows.target_group,
        'all' as breakdown,
        '{{ measure }}' as measure,
        cast(flows.{{ measure }} as decimal(18, 6)) as exact_value,
        true as is_flow

    from flows

    union all

    {% endfor -%}
    select
        reasons.quarter_label as period,
        reasons.quarter_end_date as period_end_date,
        reasons.region_code,
        reasons.target_group,
        {{ dbt.concat(['reasons.direction', "':'", 'reasons.reason']) }} as breakdown,
        'persons' as measure,
        cast(reasons.persons as decimal(18, 6)) as exact_value,
        true as is_flow

    from reasons

    {% for measure in sheltered_counts -%}
    union all

    select
        sheltered.quarter_label as period,
        sheltered.quarter_end_date as period_end_date,
        sheltered.region_code,
        'all' as target_group,
        'all' as breakdown,
        '{{ measure }}' as measure,
        cast(sheltered.{{ measure }} as decimal(18, 6)) as exact_value,
        false as is_flow

    from sheltered

    {% endfor %}
),

over_groups as (

    select
        additive.period,
        additive.period_end_date,
        additive.region_code,
        'all' as target_group,
        additive.breakdown,
        additive.measure,
        sum(additive.exact_value) as exact_value,
        additive.is_flow

    from additive
    where additive.target_group <> 'all'
    group by 1, 2, 3, 4, 5, 6, 8

),

with_group_totals as (

    select * from additive
    union all
    select * from over_groups

),

over_regions as (

    select
        with_group_totals.period,
        with_group_totals.period_end_date,
        'NL' as region_code,
        with_group_totals.target_group,
        with_group_totals.breakdown,
        with_group_totals.measure,
        sum(with_group_totals.exact_value) as exact_value,
        with_group_totals.is_flow

    from with_group_totals
    group by 1, 2, 3, 4, 5, 6, 8

),

additive_union as (

    select
        with_group_totals.period,
        with_group_totals.period_end_date,
        with_group_totals.region_code,
        with_group_totals.target_group,
        with_group_totals.breakdown,
        with_group_totals.measure,
        with_group_totals.exact_value,
        with_group_totals.is_flow

    from with_group_totals

    union all

    select
        over_regions.period,
        over_regions.period_end_date,
        over_regions.region_code,
        over_regions.target_group,
        over_regions.breakdown,
        over_regions.measure,
        over_regions.exact_value,
        over_regions.is_flow

    from over_regions

),

additive_cells as (

    select
        additive_union.period,
        additive_union.period_end_date,
        additive_union.region_code,
        additive_union.target_group,
        additive_union.breakdown,
        additive_union.measure,
        additive_union.exact_value,
        case
            when additive_union.measure = 'paid_hours' then 'derived'
            when additive_union.measure = 'jobs' then 'amount'
            else 'count'
        end as value_kind,
        additive_union.is_flow

    from additive_union

),

-- progress against the targets, per region as in the mart and nationally

national_progress_sums as (

    select
        progress.quarter_label,
        progress.quarter_end_date,
        max(progress.quarters_left_in_year) as quarters_left_in_year,
        sum(progress.jobs) as jobs,
        sum(progress.baseline_jobs) as baseline_jobs,
        sum(progress.job_growth) as job_growth,
        sum(progress.target_year_end) as target_year_end,
        sum(progress.job_growth_previous_year_end) as job_growth_previous_year_end,
        sum(progress.jobs_change) as jobs_change,
        sum(progress.persons_registered) as persons_registered,
        sum(progress.persons_registered_change) as persons_registered_change,
        sum(progress.persons_working) as persons_working,
        sum(progress.persons_working_change) as persons_working_change

    from progress
    group by 1, 2

),

national_progress as (

    select
        national_progress_sums.quarter_label,
        national_progress_sums.quarter_end_date,
        'NL' as region_code,
        national_progress_sums.baseline_jobs,
        national_progress_sums.target_year_end,
        national_progress_sums.job_growth,
        {{ not_below_zero(
            '(national_progress_sums.target_year_end'
            ~ ' - national_progress_sums.job_growth_previous_year_end) * 0.25'
        ) }} as required_per_quarter_yearly_pace,
        case
            when national_progress_sums.quarters_left_in_year > 0
                then {{ not_below_zero(exact_ratio(
                    'national_progress_sums.target_year_end - national_progress_sums.job_growth',
                    'national_progress_sums.quarters_left_in_year'
                )) }}
        end as required_per_remaining_quarter,
        national_progress_sums.jobs_change,
        {{ percent_change('national_progress_sums.jobs',
                          'national_progress_sums.jobs - national_progress_sums.jobs_change') }}
            as jobs_change_pct,
        national_progress_sums.persons_registered_change,
        {{ percent_change('national_progress_sums.persons_registered',
                          'national_progress_sums.persons_registered'
                          ~ ' - national_progress_sums.persons_registered_change') }}
            as persons_registered_change_pct,
        national_progress_sums.persons_working_change,
        {{ percent_change('national_progress_sums.persons_working',
                          'national_progress_sums.persons_working'
                          ~ ' - national_progress_sums.persons_working_change') }}
            as persons_working_change_pct

    from national_progress_sums

),

progress_all as (

    select
        progress.quarter_label,
        progress.quarter_end_date,
        progress.region_code,
        progress.baseline_jobs,
        progress.target_year_end,
        progress.job_growth,
        progress.required_per_quarter_yearly_pace,
        progress.required_per_remaining_quarter,
        progress.jobs_change,
        progress.jobs_change_pct,
        progress.persons_registered_change,
        progress.persons_registered_change_pct,
        progress.persons_working_change,
        progress.persons_working_change_pct

    from progress

    union all

    select
        national_progress.quarter_label,
        national_progress.quarter_end_date,
        national_progress.region_code,
        national_progress.baseline_jobs,
        national_progress.target_year_end,
        national_progress.job_growth,
        national_progress.required_per_quarter_yearly_pace,
        national_progress.required_per_remaining_quarter,
        national_progress.jobs_change,
        national_progress.jobs_change_pct,
        national_progress.persons_registered_change,
        national_progress.persons_registered_change_pct,
        national_progress.persons_working_change,
        national_progress.persons_working_change_pct

    from national_progress

),

progress_cells as (

    {% for measure in ['baseline_jobs', 'target_year_end'] + progress_derived -%}
    select
        progress_all.quarter_label as period,
        progress_all.quarter_end_date as period_end_date,
        progress_all.region_code,
        'all' as target_group,
        'all' as breakdown,
        '{{ measure }}' as measure,
        cast(progress_all.{{ measure }} as decimal(18, 6)) as exact_value,
        '{{ "reference" if measure in ["baseline_jobs", "target_year_end"] else "derived" }}'
            as value_kind,
        false as is_flow

    from progress_all

    {% if not loop.last %}union all{% endif %}

    {% endfor %}
),

-- beschut werk: the share working and the quota, per region and nationally

sheltered_other as (

    select
        sheltered.quarter_label,
        sheltered.quarter_end_date,
        sheltered.region_code,
        sheltered.share_working,
        sheltered.quota

    from sheltered

    union all

    select
        sheltered.quarter_label,
        sheltered.quarter_end_date,
        'NL' as region_code,
        {{ exact_ratio('sum(sheltered.persons_working_sheltered)',
                       'sum(sheltered.valid_positive_advices)') }} as share_working,
        sum(sheltered.quota) as quota

    from sheltered
    group by 1, 2

),

sheltered_cells as (

    {% for measure in ['share_working', 'quota'] -%}
    select
        sheltered_other.quarter_label as period,
        sheltered_other.quarter_end_date as period_end_date,
        sheltered_other.region_code,
        'all' as target_group,
        'all' as breakdown,
        '{{ measure }}' as measure,
        cast(sheltered_other.{{ measure }} as decimal(18, 6)) as exact_value,
        '{{ "derived" if measure == "share_working" else "reference" }}' as value_kind,
        false as is_flow

    from sheltered_other

    {% if not loop.last %}union all{% endif %}

    {% endfor %}
),

-- durability of work per cohort year: counts per region × durability group, with
-- totals over the groups (`all`) and the regions (NL); shares derived from them

durability as (

    select * from {{ ref('fct_work_durability_year') }}

),

durability_counts as (

    {% for measure in durability_counts -%}
    select
        durability.cohort_year,
        durability.region_code,
        durability.durability_group as target_group,
        '{{ measure }}' as measure,
        cast(durability.{{ measure }} as decimal(18, 6)) as exact_value

    from durability

    {% if not loop.last %}union all{% endif %}

    {% endfor %}
),

durability_with_group_totals as (

    select * from durability_counts

    union all

    select
        durability_counts.cohort_year,
        durability_counts.region_code,
        'all' as target_group,
        durability_counts.measure,
        sum(durability_counts.exact_value) as exact_value

    from durability_counts
    group by 1, 2, 3, 4

),

durability_all as (

    select * from durability_with_group_totals

    union all

    select
        durability_with_group_totals.cohort_year,
        'NL' as region_code,
        durability_with_group_totals.target_group,
        durability_with_group_totals.measure,
        sum(durability_with_group_totals.exact_value) as exact_value

    from durability_with_group_totals
    group by 1, 2, 3, 4

),

durability_rows as (

    select
        durability_all.cohort_year,
        durability_all.region_code,
        durability_all.target_group,
        max(case
            when durability_all.measure = 'persons_started' then durability_all.exact_value
        end)
            as persons_started,
        max(case
            when durability_all.measure = 'persons_still_working' then durability_all.exact_value
        end)
            as persons_still_working,
        max(case
            when durability_all.measure = 'persons_same_job' then durability_all.exact_value
        end)
            as persons_same_job

    from durability_all
    group by 1, 2, 3

),

durability_cells as (

    select
        'cohort_year' as period_type,
        cast(durability_all.cohort_year as {{ dbt.type_string() }}) as period,
        make_date(durability_all.cohort_year + 1, 9, 30) as period_end_date,
        durability_all.region_code,
        durability_all.target_group,
        'all' as breakdown,
        durability_all.measure,
        durability_all.exact_value,
        'count' as value_kind,
        false as is_flow

    from durability_all

    {% for share, count in [('share_still_working', 'persons_still_working'),
                            ('share_same_job', 'persons_same_job')] -%}
    union all

    select
        'cohort_year' as period_type,
        cast(durability_rows.cohort_year as {{ dbt.type_string() }}) as period,
        make_date(durability_rows.cohort_year + 1, 9, 30) as period_end_date,
        durability_rows.region_code,
        durability_rows.target_group,
        'all' as breakdown,
        '{{ share }}' as measure,
        {{ exact_ratio('durability_rows.' ~ count, 'durability_rows.persons_started') }}
            as exact_value,
        'derived' as value_kind,
        false as is_flow

    from durability_rows

    {% endfor %}
),

-- yearly participation: the share working on the Q4 peildatum, derived from the Q4
-- stock cells above (the counts themselves are those quarterly cells)

participation_rows as (

    select
        additive_union.period,
        additive_union.region_code,
        additive_union.target_group,
        max(case
            when additive_union.measure = 'persons_registered' then additive_union.exact_value
        end)
            as persons_registered,
        max(case
            when additive_union.measure = 'persons_working' then additive_union.exact_value
        end)
            as persons_working

    from additive_union
    where additive_union.measure in ('persons_registered', 'persons_working')
        and additive_union.breakdown = 'all'
        and substring(additive_union.period, 5, 2) = 'Q4'
    group by 1, 2, 3

),

participation_cells as (

    select
        'year' as period_type,
        substring(participation_rows.period, 1, 4) as period,
        make_date(
            cast(substring(participation_rows.period, 1, 4) as integer), 12, 31
        ) as period_end_date,
        participation_rows.region_code,
        participation_rows.target_group,
        'all' as breakdown,
        'share_working' as measure,
        {{ exact_ratio('participation_rows.persons_working',
                       'participation_rows.persons_registered') }} as exact_value,
        'derived' as value_kind,
        false as is_flow

    from participation_rows

),

cells as (

    select * from additive_cells
    -- flows: per region for all groups, and per group nationally
    where not is_flow
        or target_group = 'all'
        or region_code = 'NL'

    union all

    select * from progress_cells

    union all

    select * from sheltered_cells

),

all_cells as (

    select
        'quarter' as period_type,
        cells.period,
        cells.period_end_date,
        cells.region_code,
        cells.target_group,
        cells.breakdown,
        cells.measure,
        cells.exact_value,
        cells.value_kind,
        cells.is_flow

    from cells

    union all

    select * from durability_cells

    union all

    select * from participation_cells

),

final as (

    select
        cast(cells.period_type as {{ dbt.type_string() }}) as period_type,
        cast(cells.period as {{ dbt.type_string() }}) as period,
        cells.period_end_date,
        cast(cells.region_code as {{ dbt.type_string() }}) as region_code,
        cast(cells.target_group as {{ dbt.type_string() }}) as target_group,
        cast(cells.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(cells.measure as {{ dbt.type_string() }}) as measure,
        cast(cells.exact_value as decimal(18, 6)) as exact_value,
        cast(cells.value_kind as {{ dbt.type_string() }}) as value_kind

    from all_cells as cells

)

select * from final
