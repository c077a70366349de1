{{ config(**quarter_incremental_config()) }}
{%- set cutoff = incremental_cutoff_quarter() %}

{#-
    Exact copies among the payroll rows that pass the row rules: one row per set
    of rows identical in every value, with its number of extra copies (the first
    copy is accepted, each extra one quarantined as duplicate_row). Only groups
    with more rows than months can hold copies, so only their rows are compared,
    value by value.
-#}

with

checked as (

    select * from {{ ref('int_payroll__checked') }}

),

groups as (

    select * from {{ ref('int_payroll_employment_quarters_aggregated') }}
    where has_repeated_month
        {%- if cutoff is not none %}
        and quarter_index >= {{ cutoff }}
        {%- endif %}

),

candidates as (

    select checked.*

    from checked
    inner join groups
        on checked.person_id = groups.person_id
        and checked.employment_id = groups.employment_id
        and checked.quarter_index = groups.quarter_index
        and checked.employment_kind = groups.employment_kind
        and checked.sector = groups.sector
    where checked.row_rule is null
        {%- if cutoff is not none %}
        and checked.period_month >= {{ quarter_start_literal(cutoff) }}
        {%- endif %}

),

copies as (

    select
        ---------- the values that make rows identical
        candidates.person_id,
        candidates.employment_id,
        candidates.employer_id,
        candidates.sector,
        candidates.period_month,
        candidates.paid_hours,
        candidates.contract_type,
        candidates.employment_kind,
        candidates.employment_start,
        candidates.quarter_index,
        count(*) as copies,

        ---------- one copy's raw text, for the quarantine
        {%- for column in raw_contract()['payroll'] %}
        min(candidates.{{ column }}_raw) as {{ column }}_raw{{ ',' if not loop.last }}
        {%- endfor %}

    from candidates
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    having count(*) > 1

),

final as (

    select
        copies.*,
        cast(copies.copies - 1 as bigint) as extra_copies

    from copies

)

select * from final
