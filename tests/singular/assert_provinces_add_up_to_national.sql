-- marts.fct_province_quarter adds up to the national figures: per quarter and
-- target group, the provinces (UNKNOWN included) hold the same registered and
-- working persons as all regions of marts.fct_register_quarter together, and
-- jobs within rounding (0.0001). Returns the cells that differ (a side missing
-- counts as 0).

with

provinces as (

    select
        quarter_label,
        target_group,
        sum(persons_registered) as persons_registered,
        sum(persons_working) as persons_working,
        sum(jobs) as jobs
    from {{ ref('fct_province_quarter') }}
    group by 1, 2

),

national as (

    select
        quarter_label,
        target_group,
        sum(persons_registered) as persons_registered,
        sum(persons_working) as persons_working,
        sum(jobs) as jobs
    from {{ ref('fct_register_quarter') }}
    group by 1, 2

),

compared as (

    select
        coalesce(provinces.quarter_label, national.quarter_label) as quarter_label,
        coalesce(provinces.target_group, national.target_group) as target_group,
        coalesce(provinces.persons_registered, 0) as provinces_registered,
        coalesce(national.persons_registered, 0) as persons_registered,
        coalesce(provinces.persons_working, 0) as provinces_working,
        coalesce(national.persons_working, 0) as persons_working,
        coalesce(provinces.jobs, 0) as provinces_jobs,
        coalesce(national.jobs, 0) as jobs
    from provinces
    full outer join national
        on provinces.quarter_label = national.quarter_label
        and provinces.target_group = national.target_group

)

select *
from compared
where provinces_registered <> persons_registered
    or provinces_working <> persons_working
    or abs(provinces_jobs - jobs) > 0.0001
