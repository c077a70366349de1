-- marts.fct_municipality_quarter adds up to marts.fct_register_quarter: per
-- quarter, region and target group, the municipalities of the region (through
-- dim_municipality of the quarter's year; UNKNOWN to UNKNOWN) hold the same
-- registered and working persons, and jobs within rounding (0.0001). Returns
-- the cells that differ (a side missing counts as 0).

with

municipalities as (

    select
        municipality.quarter_label,
        coalesce(dim_municipality.region_code, 'UNKNOWN') as region_code,
        municipality.target_group,
        sum(municipality.persons_registered) as persons_registered,
        sum(municipality.persons_working) as persons_working,
        sum(municipality.jobs) as jobs
    from {{ ref('fct_municipality_quarter') }} as municipality
    inner join {{ ref('dim_quarter') }} as quarters
        on municipality.quarter_label = quarters.quarter_label
    left join {{ ref('dim_municipality') }} as dim_municipality
        on municipality.gemeente_code = dim_municipality.gemeente_code
        and quarters.year = dim_municipality.year
    group by 1, 2, 3

),

register as (

    select quarter_label, region_code, target_group, persons_registered, persons_working, jobs
    from {{ ref('fct_register_quarter') }}

),

compared as (

    select
        coalesce(municipalities.quarter_label, register.quarter_label) as quarter_label,
        coalesce(municipalities.region_code, register.region_code) as region_code,
        coalesce(municipalities.target_group, register.target_group) as target_group,
        coalesce(municipalities.persons_registered, 0) as municipalities_registered,
        coalesce(register.persons_registered, 0) as persons_registered,
        coalesce(municipalities.persons_working, 0) as municipalities_working,
        coalesce(register.persons_working, 0) as persons_working,
        coalesce(municipalities.jobs, 0) as municipalities_jobs,
        coalesce(register.jobs, 0) as jobs
    from municipalities
    full outer join register
        on municipalities.quarter_label = register.quarter_label
        and municipalities.region_code = register.region_code
        and municipalities.target_group = register.target_group

)

select *
from compared
where municipalities_registered <> persons_registered
    or municipalities_working <> persons_working
    or abs(municipalities_jobs - jobs) > 0.0001
