{#-
    One row per quarter × municipality × target group with at least one
    registered person: the register stock, working persons and jobs by the
    municipality (gemeente) of the residence on the peildatum, with the same
    rules as the region (docs/definitions.md#municipality-and-province);
    UNKNOWN without a residence. Municipalities add up to their region through
    dim_municipality of that year.
-#}

with

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}

),

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

cells as (

    select
        person_quarters.quarter_index,
        coalesce(person_quarters.gemeente_code, 'UNKNOWN') as gemeente_code,
        person_quarters.target_group,
        count(*) as persons_registered,
        {{ count_where('person_quarters.is_working') }} as persons_working,
        sum(person_quarters.paid_hours) as paid_hours

    from person_quarters
    group by 1, 2, 3

),

final as (

    select
        ---------- keys
        quarters.quarter_label,
        quarters.quarter_end_date,
        cast(cells.gemeente_code as {{ dbt.type_string() }}) as gemeente_code,
        cells.target_group,

        ---------- measures
        cast(cells.persons_registered as bigint) as persons_registered,
        cast(cells.persons_working as bigint) as persons_working,
        {{ hours_to_jobs('cells.paid_hours') }} as jobs

    from cells
    inner join quarters
        on cells.quarter_index = quarters.quarter_index

)

select * from final
