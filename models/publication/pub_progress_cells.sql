{#-
    Progress against the targets as long cells: per region as in
    fct_region_progress_quarter, and nationally (NL) from the sums over the
    regions, with the jobs still needed worked out by the same macros as the
    mart (macros/progress.sql) and the changes by percent_change. One row per
    quarter × region (or NL) × measure; baseline and target are `reference`
    (public), everything else `derived`.
-#}

{%- set progress_measures = public_measures('fct_region_progress_quarter') %}

with

progress as (

    select * from {{ ref('fct_region_progress_quarter') }}

),

national_sums as (

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

national as (

    select
        national_sums.quarter_label,
        national_sums.quarter_end_date,
        'NL' as region_code,
        national_sums.baseline_jobs,
        national_sums.target_year_end,
        national_sums.job_growth,
        {{ required_yearly_pace('national_sums.target_year_end',
                                'national_sums.job_growth_previous_year_end') }}
            as required_per_quarter_yearly_pace,
        {{ required_per_remaining_quarter('national_sums.target_year_end',
                                          'national_sums.job_growth',
                                          'national_sums.quarters_left_in_year') }}
            as required_per_remaining_quarter,
        national_sums.jobs_change,
        {{ percent_change('national_sums.jobs',
                          'national_sums.jobs - national_sums.jobs_change') }}
            as jobs_change_pct,
        national_sums.persons_registered_change,
        {{ percent_change('national_sums.persons_registered',
                          'national_sums.persons_registered'
                          ~ ' - national_sums.persons_registered_change') }}
            as persons_registered_change_pct,
        national_sums.persons_working_change,
        {{ percent_change('national_sums.persons_working',
                          'national_sums.persons_working - national_sums.persons_working_change') }}
            as persons_working_change_pct

    from national_sums

),

regions_and_national as (

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
        national.quarter_label,
        national.quarter_end_date,
        national.region_code,
        national.baseline_jobs,
        national.target_year_end,
        national.job_growth,
        national.required_per_quarter_yearly_pace,
        national.required_per_remaining_quarter,
        national.jobs_change,
        national.jobs_change_pct,
        national.persons_registered_change,
        national.persons_registered_change_pct,
        national.persons_working_change,
        national.persons_working_change_pct

    from national

),

unpivoted as (

    {{ unpivot(
        'regions_and_national',
        ['regions_and_national.quarter_label as period',
         'regions_and_national.quarter_end_date as period_end_date',
         'regions_and_national.region_code', "'all' as target_group", "'all' as breakdown"],
        progress_measures
    ) }}

),

final as (

    select
        unpivoted.*,
        {{ public_value_kind('unpivoted.measure', ['fct_region_progress_quarter']) }} as value_kind

    from unpivoted

)

select * from final
