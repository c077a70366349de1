{#-
    Yearly participation (aandeel werkenden, as in the UWV Monitor): registered and
    working persons on the peildatum of Q4 of each year whose Q4 is reported, per
    region and target group: the Q4 rows of fct_register_quarter.
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

final as (

    select
        cast(quarters.calendar_year as integer) as year,
        register.region_code,
        register.target_group,
        cast(register.persons_registered as bigint) as persons_registered,
        cast(register.persons_working as bigint) as persons_working,
        {{ exact_ratio('register.persons_working', 'register.persons_registered') }}
            as share_working

    from register
    inner join quarters
        on register.quarter_label = quarters.quarter_label
    where quarters.quarter_of_year = 4

)

select * from final
