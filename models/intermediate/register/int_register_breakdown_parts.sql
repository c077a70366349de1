{#-
    Person level, long: for every person registered on a peildatum, the parts
    they add to each breakdown class of the quarter's cell
    (docs/definitions.md#breakdowns). Rows per person × quarter × breakdown ×
    class (the job breakdowns: the person's own row by the main employment, and
    a row of hours per employment and value), with is_registered (1, or NULL
    for the job breakdowns), is_working (0 or 1) and paid_hours (the regular
    paid hours counted in that class).
    fct_register_breakdowns_quarter adds them up.
    * age_class (age in completed years on the peildatum) and gender: the
      person's class takes all three measures.
    * hours_class (regular paid hours in the quarter / 13 = hours a week):
      working persons only; persons and hours by the person's class.
    * contract_type, sector: the person by the main employment's value (the
      regular employment with the most paid hours in the quarter, ties to the
      lowest employment_id as text); hours by each row's own value (one part per
      employment and value).
    * employment_duration (the main employment's start against the peildatum):
      the person by the main employment's class; hours by each employment's own.
-#}

{#- The hours of each employment by its rows' own codes (int_payroll_employment_attributes) -#}
{%- set code_hours = job_attribute_codes() %}

with

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}

),

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

employments as (

    select * from {{ ref('int_payroll_employment_attributes') }}

),

starts as (

    {#- the employment's start from its whole history (as for durability) -#}
    select * from {{ ref('int_payroll_employment_starts') }}

),

registered as (

    select
        person_quarters.person_id,
        person_quarters.quarter_index,
        person_quarters.region_code,
        person_quarters.target_group,
        person_quarters.paid_hours,
        person_quarters.is_working,
        quarters.quarter_end_date,
        persons.birth_date,
        persons.gender

    from person_quarters
    inner join quarters
        on person_quarters.quarter_index = quarters.quarter_index
    left join persons
        on person_quarters.person_id = persons.person_id

),

ages as (

    select
        registered.*,
        extract(year from registered.quarter_end_date) - extract(year from registered.birth_date)
        - case
            when extract(month from registered.quarter_end_date) * 100
                + extract(day from registered.quarter_end_date)
                < extract(month from registered.birth_date) * 100
                + extract(day from registered.birth_date)
                then 1
            else 0
        end as age_years

    from registered

),

employment_classes as (

    {#- each employment of a registered person: its duration class on the peildatum
        and its rank for the main employment -#}
    select
        employments.person_id,
        employments.quarter_index,
        registered.region_code,
        registered.target_group,
        employments.employment_id,
        employments.paid_hours,
        employments.contract_type,
        employments.sector,
        {%- for attribute, codes in code_hours.items() %}
        {%- for code in codes %}
        employments.paid_hours_{{ attribute }}_{{ code }},
        {%- endfor %}
        {%- endfor %}
        case
            when starts.employment_start
                > {{ dbt.dateadd('year', -1, 'registered.quarter_end_date') }} then '<1y'
            when starts.employment_start
                > {{ dbt.dateadd('year', -2, 'registered.quarter_end_date') }} then '1-<2y'
            when starts.employment_start
                > {{ dbt.dateadd('year', -5, 'registered.quarter_end_date') }} then '2-<5y'
            else '5y+'
        end as duration_class,
        row_number() over (
            partition by employments.person_id, employments.quarter_index
            order by employments.paid_hours desc, employments.employment_id asc
        ) as employment_rank

    from employments
    inner join registered
        on employments.person_id = registered.person_id
        and employments.quarter_index = registered.quarter_index
    inner join starts
        on employments.person_id = starts.person_id
        and employments.employment_id = starts.employment_id

),

working as (

    select * from ages
    where is_working

),

main_employments as (

    {#- the main employment of each working person -#}
    select employment_classes.*

    from employment_classes
    inner join working
        on employment_classes.person_id = working.person_id
        and employment_classes.quarter_index = working.quarter_index
    where employment_classes.employment_rank = 1

),

parts as (

    ---------- person attributes: all three measures
    select
        ages.person_id,
        ages.quarter_index,
        ages.region_code,
        ages.target_group,
        'age_class' as breakdown,
        case
            when ages.birth_date is null then 'unknown'
            when ages.age_years < 27 then '<27'
            when ages.age_years < 45 then '27-44'
            when ages.age_years < 55 then '45-54'
            else '55+'
        end as class,
        1 as is_registered,
        case when ages.is_working then 1 else 0 end as is_working,
        ages.paid_hours

    from ages

    union all

    select
        ages.person_id,
        ages.quarter_index,
        ages.region_code,
        ages.target_group,
        'gender' as breakdown,
        coalesce(ages.gender, 'U') as class,
        1 as is_registered,
        case when ages.is_working then 1 else 0 end as is_working,
        ages.paid_hours

    from ages

    union all

    ---------- hours a week: persons and hours by the person's class
    select
        working.person_id,
        working.quarter_index,
        working.region_code,
        working.target_group,
        'hours_class' as breakdown,
        case
            when working.paid_hours < 12 * 13 then '<12'
            when working.paid_hours < 20 * 13 then '12-<20'
            when working.paid_hours < 30 * 13 then '20-<30'
            else '30+'
        end as class,
        null as is_registered,
        1 as is_working,
        working.paid_hours

    from working

    union all

    ---------- job characteristics: the person by the main employment ...
    select
        main_employments.person_id,
        main_employments.quarter_index,
        main_employments.region_code,
        main_employments.target_group,
        'contract_type' as breakdown,
        main_employments.contract_type as class,
        null as is_registered,
        1 as is_working,
        0 as paid_hours

    from main_employments

    union all

    select
        main_employments.person_id,
        main_employments.quarter_index,
        main_employments.region_code,
        main_employments.target_group,
        'sector' as breakdown,
        main_employments.sector as class,
        null as is_registered,
        1 as is_working,
        0 as paid_hours

    from main_employments

    union all

    select
        main_employments.person_id,
        main_employments.quarter_index,
        main_employments.region_code,
        main_employments.target_group,
        'employment_duration' as breakdown,
        main_employments.duration_class as class,
        null as is_registered,
        1 as is_working,
        0 as paid_hours

    from main_employments

    union all

    ---------- ... and the hours by each row's or employment's own value
    {%- for attribute, codes in code_hours.items() %}
    {%- for code in codes %}
    select
        employment_classes.person_id,
        employment_classes.quarter_index,
        employment_classes.region_code,
        employment_classes.target_group,
        '{{ attribute }}' as breakdown,
        '{{ code }}' as class,
        null as is_registered,
        0 as is_working,
        employment_classes.paid_hours_{{ attribute }}_{{ code }} as paid_hours

    from employment_classes
    where employment_classes.paid_hours_{{ attribute }}_{{ code }} is not null

    union all

    {% endfor %}
    {%- endfor %}
    select
        employment_classes.person_id,
        employment_classes.quarter_index,
        employment_classes.region_code,
        employment_classes.target_group,
        'employment_duration' as breakdown,
        employment_classes.duration_class as class,
        null as is_registered,
        0 as is_working,
        employment_classes.paid_hours

    from employment_classes

),

final as (

    select
        parts.person_id,
        parts.quarter_index,
        parts.region_code,
        parts.target_group,
        cast(parts.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(parts.class as {{ dbt.type_string() }}) as class,
        cast(parts.is_registered as integer) as is_registered,
        cast(parts.is_working as integer) as is_working,
        cast(parts.paid_hours as decimal(18, 4)) as paid_hours

    from parts

)

select * from final
