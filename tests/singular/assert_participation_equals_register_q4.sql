-- marts.fct_participation_year holds exactly the Q4 rows of
-- marts.fct_register_quarter: per year, region and target group the same
-- registered and working persons, no row more and none less. Returns the
-- differences (a row missing on either side shows with NULLs).

with

participation as (

    select
        year,
        region_code,
        target_group,
        persons_registered,
        persons_working
    from {{ ref('fct_participation_year') }}

),

register_q4 as (

    select
        quarters.year,
        register.region_code,
        register.target_group,
        register.persons_registered,
        register.persons_working
    from {{ ref('fct_register_quarter') }} as register
    inner join {{ ref('dim_quarter') }} as quarters
        on register.quarter_label = quarters.quarter_label
    where quarters.quarter_of_year = 4

)

select
    coalesce(participation.year, register_q4.year) as year,
    coalesce(participation.region_code, register_q4.region_code) as region_code,
    coalesce(participation.target_group, register_q4.target_group) as target_group,
    participation.persons_registered as participation_registered,
    register_q4.persons_registered as register_registered,
    participation.persons_working as participation_working,
    register_q4.persons_working as register_working
from participation
full outer join register_q4
    on participation.year = register_q4.year
    and participation.region_code = register_q4.region_code
    and participation.target_group = register_q4.target_group
where participation.year is null
    or register_q4.year is null
    or participation.persons_registered <> register_q4.persons_registered
    or participation.persons_working <> register_q4.persons_working
