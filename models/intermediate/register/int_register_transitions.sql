{{ config(**quarter_incremental_config()) }}
{%- set cutoff = incremental_cutoff_quarter() %}

{#-
    One row per person and quarter q (after the first reported quarter) for a
    person registered on the peildatum of q - 1, of q, or both: where the person
    was (region, group, working) at the start and end of the quarter, and how
    they moved between the two (docs/definitions.md#flows).
    * registered at q only: inflow, for the inflow reason of the earliest spell
      starting after the q - 1 peildatum (ties: highest spell_id);
    * registered at q - 1 only: outflow, for the (death-adjusted) outflow
      reason of the spell with the latest end after the q - 1 peildatum and on
      or before the q peildatum (ties: highest spell_id);
    * registered at both, region differs: move (whatever the group does);
      else group differs: group change; else: stay.
    A spell starts in (q - 1 peildatum, q peildatum] exactly when its start
    falls in quarter q; likewise for its end.
-#}

with

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}
    where true{{ and_from_cutoff('quarter_index', cutoff, offset=-1) }}

),

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

spells as (

    select * from {{ ref('int_register_spells_enriched') }}

),

flow_quarters as (

    select quarters.quarter_index
    from quarters
    where
        not quarters.is_first_reported_quarter
    {{ and_from_cutoff('quarters.quarter_index', cutoff) }}

),

neighbours as (

    {#- each person × peildatum with the person's previous and next peildatum
        rows: one ordered pass per person instead of joining the register to
        itself shifted by a quarter -#}
    select
        person_quarters.*,
        coalesce(
            lag(person_quarters.quarter_index) over person_order
            = person_quarters.quarter_index - 1,
            false
        ) as is_registered_before,
        lag(person_quarters.region_code) over person_order as region_code_before,
        lag(person_quarters.target_group) over person_order as target_group_before,
        lag(person_quarters.is_working) over person_order as is_working_before,
        coalesce(
            lead(person_quarters.quarter_index) over person_order
            = person_quarters.quarter_index + 1,
            false
        ) as is_registered_after

    from person_quarters
    window person_order as (
        partition by person_quarters.person_id order by person_quarters.quarter_index
    )

),

registered_at_end as (

    {#- registered on the peildatum of q: stay, move, group change or inflow -#}
    select
        neighbours.person_id,
        neighbours.quarter_index,
        neighbours.is_registered_before as is_registered_start,
        true as is_registered_end,
        case when neighbours.is_registered_before then neighbours.region_code_before end
            as region_code_start,
        case when neighbours.is_registered_before then neighbours.target_group_before end
            as target_group_start,
        coalesce(neighbours.is_registered_before and neighbours.is_working_before, false)
            as is_working_start,
        neighbours.region_code as region_code_end,
        neighbours.target_group as target_group_end,
        neighbours.is_working as is_working_end

    from neighbours
    inner join flow_quarters
        on neighbours.quarter_index = flow_quarters.quarter_index

),

gone_at_end as (

    {#- registered on the peildatum of q - 1 only: outflow in q -#}
    select
        neighbours.person_id,
        neighbours.quarter_index + 1 as quarter_index,
        true as is_registered_start,
        false as is_registered_end,
        neighbours.region_code as region_code_start,
        neighbours.target_group as target_group_start,
        neighbours.is_working as is_working_start,
        cast(null as {{ dbt.type_string() }}) as region_code_end,
        cast(null as {{ dbt.type_string() }}) as target_group_end,
        false as is_working_end

    from neighbours
    inner join flow_quarters
        on neighbours.quarter_index + 1 = flow_quarters.quarter_index
    where not neighbours.is_registered_after

),

paired as (

    select * from registered_at_end
    union all
    select * from gone_at_end

),

inflow_spells as (

    select
        spells.person_id,
        spells.start_quarter_index as quarter_index,
        spells.inflow_reason,
        row_number() over (
            partition by spells.person_id, spells.start_quarter_index
            order by spells.valid_from asc, spells.spell_id desc
        ) as spell_rank

    from spells

),

outflow_spells as (

    select
        spells.person_id,
        spells.end_quarter_index as quarter_index,
        spells.effective_outflow_reason,
        row_number() over (
            partition by spells.person_id, spells.end_quarter_index
            order by spells.effective_valid_until desc, spells.spell_id desc
        ) as spell_rank

    from spells
    where spells.effective_valid_until is not null

),

classified as (

    select
        paired.*,
        case
            when not paired.is_registered_start then 'inflow'
            when not paired.is_registered_end then 'outflow'
            when paired.region_code_start <> paired.region_code_end then 'move'
            when paired.target_group_start <> paired.target_group_end then 'group_change'
            else 'stay'
        end as transition_type

    from paired

),

final as (

    select
        ---------- keys
        classified.person_id,
        classified.quarter_index,

        ---------- how the person moved between the two peildata
        classified.transition_type,
        case
            when classified.transition_type = 'inflow' then inflow_spells.inflow_reason
            when classified.transition_type = 'outflow'
                then outflow_spells.effective_outflow_reason
        end as flow_reason,

        ---------- start of the quarter (peildatum of q - 1)
        classified.is_registered_start,
        classified.region_code_start,
        classified.target_group_start,
        classified.is_working_start,

        ---------- end of the quarter (peildatum of q)
        classified.is_registered_end,
        classified.region_code_end,
        classified.target_group_end,
        classified.is_working_end

    from classified
    left join inflow_spells
        on classified.person_id = inflow_spells.person_id
        and classified.quarter_index = inflow_spells.quarter_index
        and inflow_spells.spell_rank = 1
    left join outflow_spells
        on classified.person_id = outflow_spells.person_id
        and classified.quarter_index = outflow_spells.quarter_index
        and outflow_spells.spell_rank = 1

)

select * from final
