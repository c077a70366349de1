{{ config(**quarter_incremental_config()) }}
{%- set cutoff = incremental_cutoff_quarter() %}

{#-
    One row per person registered on the peildatum of a reported quarter: the
    spell that counts, the person's target group and region on the peildatum,
    paid hours in the quarter and whether the person works.
    * Where spells overlap, the one with the latest valid_from counts, then the
      highest spell_id (compared as text); the person is counted once.
    * Region: of the residence on the peildatum, in that year's indeling;
      UNKNOWN when the person has no residence then (never dropped).
    * Working (werkzaam): more than 0 paid hours in a `regular` employment in
      the quarter's three months (any month: hours are never negative).
-#}

with

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

residences as (

    select * from {{ ref('int_residences_on_peildatum') }}
    where true{{ and_from_cutoff('quarter_index', cutoff) }}

),

payroll as (

    select * from {{ ref('int_payroll_person_quarters') }}
    where true{{ and_from_cutoff('quarter_index', cutoff) }}

),

counting_periods as (

    {#- per person the runs of quarters with the same counting spell: the holding
        spell of highest precedence (latest valid_from, then highest spell_id as
        text; see int_register_spells_enriched) -#}
    {{ settled_periods(ref('int_register_spells_enriched'), ['spell_id', 'target_group']) }}

),

counting_spells as (

    {#- each run spread over the reported quarters it covers: one row per
        person × peildatum, nothing to group -#}
    select
        counting_periods.person_id,
        quarters.quarter_index,
        counting_periods.spell_id,
        counting_periods.target_group

    from counting_periods
    inner join quarters
        on counting_periods.first_quarter_index <= quarters.quarter_index
        and (
            counting_periods.last_quarter_index is null
            or counting_periods.last_quarter_index >= quarters.quarter_index
        )
    where true{{ and_from_cutoff('quarters.quarter_index', cutoff) }}

),

final as (

    select
        ---------- keys
        counting_spells.person_id,
        counting_spells.quarter_index,

        ---------- register
        counting_spells.spell_id,
        counting_spells.target_group,
        coalesce(residences.region_code, 'UNKNOWN') as region_code,
        residences.gemeente_code,

        ---------- work
        coalesce(payroll.paid_hours_regular, 0) as paid_hours,
        coalesce(payroll.paid_hours_regular_market, 0) as paid_hours_market,
        coalesce(payroll.paid_hours_regular_government, 0) as paid_hours_government,
        coalesce(payroll.paid_hours_regular > 0, false) as is_working

    from counting_spells
    left join residences
        on counting_spells.person_id = residences.person_id
        and counting_spells.quarter_index = residences.quarter_index
    left join payroll
        on counting_spells.person_id = payroll.person_id
        and counting_spells.quarter_index = payroll.quarter_index

)

select * from final
