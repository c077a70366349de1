{#-
    One row per quarter × province × target group: the register stock, working
    persons and jobs of the persons whose residence on the peildatum is in a
    municipality of the province (docs/definitions.md#municipality-and-province).
    Sums over municipalities, never over regions (regions cross provinces);
    UNKNOWN: no residence, or a code without a province. Provinces add up to
    the national figures.
-#}

with

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}

),

municipalities as (

    select * from {{ ref('dim_municipality') }}

),

dim_quarters as (

    select * from {{ ref('dim_quarter') }}

),

quarters as (

    {{ quarters_from_dim('dim_quarters') }}

),

located as (

    select
        person_quarters.quarter_index,
        person_quarters.target_group,
        person_quarters.is_working,
        person_quarters.paid_hours,
        coalesce(municipalities.province_code, 'UNKNOWN') as province_code,
        coalesce(municipalities.province_name, 'Onbekend') as province_name

    from person_quarters
    inner join quarters
        on person_quarters.quarter_index = quarters.quarter_index
    left join municipalities
        on person_quarters.gemeente_code = municipalities.gemeente_code
        and quarters.calendar_year = municipalities.year

),

cells as (

    select
        located.quarter_index,
        located.province_code,
        located.province_name,
        located.target_group,
        count(*) as persons_registered,
        {{ count_where('located.is_working') }} as persons_working,
        sum(located.paid_hours) as paid_hours

    from located
    group by 1, 2, 3, 4

),

final as (

    select
        ---------- keys
        quarters.quarter_label,
        quarters.quarter_end_date,
        cast(cells.province_code as {{ dbt.type_string() }}) as province_code,
        cast(cells.province_name as {{ dbt.type_string() }}) as province_name,
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
