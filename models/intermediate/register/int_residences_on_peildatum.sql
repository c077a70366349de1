{#-
    One row per person and reported quarter with a residence on the peildatum
    (the last day of the quarter): the municipality that counts and its region
    in that year. Where two residences hold on the peildatum, the one with the
    latest valid_from counts, then the highest gemeente_code.
    A residence holds on the peildatum of quarter q exactly when
    quarter(valid_from) <= q < quarter(valid_until). Overlaps are settled on
    runs of quarters per person (macro settled_periods), not per quarter.
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
        (latest valid_from, then highest gemeente_code); a residence holds on the
        peildata of quarter(valid_from) .. quarter(valid_until) - 1 -#}
    select
        residences.person_id,
        residences.gemeente_code,
        {{ quarter_index('residences.valid_from') }} as first_held_quarter_index,
        {{ quarter_index('residences.valid_until') }} - 1 as last_held_quarter_index,
        row_number() over (
            partition by residences.person_id
            order by residences.valid_from, residences.gemeente_code
        ) as precedence

    from residences

),

residence_periods as (

    {#- per person the runs of quarters with the same counting residence -#}
    {{ settled_periods('ordered', ['gemeente_code']) }}

),

residence_quarters as (

    {#- each run spread over the reported quarters it covers -#}
    select
        residence_periods.person_id,
        quarters.quarter_index,
        quarters.calendar_year,
        residence_periods.gemeente_code

    from residence_periods
    inner join quarters
        on residence_periods.first_quarter_index <= quarters.quarter_index
        and (
            residence_periods.last_quarter_index is null
            or residence_periods.last_quarter_index >= quarters.quarter_index
        )

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
