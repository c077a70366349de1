{#-
    On fct_register_breakdowns_quarter: in every quarter × region × target group
    of the register mart, each breakdown's classes add up to the register cell:
    working persons and jobs for every breakdown, registered persons for the
    person breakdowns (age_class, gender; NULL on the job breakdowns). A missing
    side counts as 0; jobs within `tolerance` (each class's jobs are rounded to
    six decimals like every jobs figure). Fails for every cell × breakdown that
    does not add up.
    Arguments: register_model (fct_register_quarter), tolerance.
-#}
{% test breakdown_classes_add_up(model, register_model, tolerance=0.00001) %}

with

breakdowns as (

    select breakdown, is_person_attribute
    from (
        select 'age_class' as breakdown, true as is_person_attribute
        union all select 'gender', true
        union all select 'hours_class', false
        union all select 'contract_type', false
        union all select 'sector', false
        union all select 'employment_duration', false
    ) as names

),

register as (

    select
        register.quarter_label,
        register.region_code,
        register.target_group,
        breakdowns.breakdown,
        case when breakdowns.is_person_attribute then register.persons_registered end
            as persons_registered,
        register.persons_working,
        register.jobs

    from {{ register_model }} as register
    cross join breakdowns

),

classes as (

    select
        quarter_label,
        region_code,
        target_group,
        breakdown,
        sum(persons_registered) as persons_registered,
        sum(persons_working) as persons_working,
        sum(jobs) as jobs

    from {{ model }}
    group by 1, 2, 3, 4

),

compared as (

    select
        coalesce(classes.quarter_label, register.quarter_label) as quarter_label,
        coalesce(classes.region_code, register.region_code) as region_code,
        coalesce(classes.target_group, register.target_group) as target_group,
        coalesce(classes.breakdown, register.breakdown) as breakdown,
        classes.persons_registered as classes_registered,
        register.persons_registered,
        coalesce(classes.persons_working, 0) as classes_working,
        coalesce(register.persons_working, 0) as persons_working,
        coalesce(classes.jobs, 0) as classes_jobs,
        coalesce(register.jobs, 0) as jobs

    from classes
    full outer join register
        on classes.quarter_label = register.quarter_label
        and classes.region_code = register.region_code
        and classes.target_group = register.target_group
        and classes.breakdown = register.breakdown

)

select *
from compared
where classes_working <> persons_working
    or abs(classes_jobs - jobs) > {{ tolerance }}
    or coalesce(classes_registered, -1) <> coalesce(persons_registered, -1)

{% endtest %}
