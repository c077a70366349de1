{#-
    One row per person and reported quarter with a residence on the peildatum
    (the last day of the quarter): the municipality that counts and its region
    in that year. Where two residences hold on the peildatum, the one with the
    latest valid_from counts, then the highest gemeente_code.
    A residence holds on the peildatum of quarter q exactly when
    quarter(valid_from) <= q < quarter(valid_until).
-#}

with

residences as (

    select * from {{ ref('int_residences__accepted') }}

),

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

municipalities as (

    select * from {{ ref('int_municipalities_yearly') }}

),

ordered as (

    {#- which residence counts where residences overlap: the highest precedence
        (latest valid_from, then highest gemeente_code) -#}
    select
        residences.*,
        row_number() over (
            partition by residences.person_id
            order by residences.valid_from, residences.gemeente_code
        ) as precedence

    from residences

),

residence_quarters as (

    {#- per person and peildatum the holding residence of highest precedence -#}
    select
        ordered.person_id,
        quarters.quarter_index,
        quarters.calendar_year,
        max_by(ordered.gemeente_code, ordered.precedence) as gemeente_code

    from ordered
    inner join quarters
        on quarters.quarter_index >= {{ quarter_index('ordered.valid_from') }}
        and (
            ordered.valid_until is null
            or quarters.quarter_index < {{ quarter_index('ordered.valid_until') }}
        )
    group by 1, 2, 3

),

final as (

    select
        residence_quarters.person_id,
        residence_quarters.quarter_index,
        residence_quarters.gemeente_code,
        municipalities.region_code

    from residence_quarters
    inner join municipalities
        on residence_quarters.gemeente_code = municipalities.gemeente_code
        and residence_quarters.calendar_year = municipalities.calendar_year

)

select * from final
