{{ config(pre_hook="{{ clear_incremental_window(when_empty='int_payroll_person_quarters') }}",
          **quarter_incremental_config()) }}
{#- no copies anywhere leaves this table empty: then the window is that of
    int_payroll_person_quarters, refreshed after this model -#}
{%- set cutoff = incremental_cutoff_quarter(when_empty='int_payroll_person_quarters') %}
{%- set months_from_cutoff = and_from_cutoff('checked.period_month', cutoff, as_date=true) %}

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

    select * from {{ ref('int_payroll_employment_quarters__row_checked') }}
    where has_repeated_month{{ and_from_cutoff('quarter_index', cutoff) }}

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
    where not checked.breaks_row_rule{{ months_from_cutoff }}

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
        min(candidates.person_id_raw) as person_id_raw,
        min(candidates.employment_id_raw) as employment_id_raw,
        min(candidates.employer_id_raw) as employer_id_raw,
        min(candidates.sector_raw) as sector_raw,
        min(candidates.period_month_raw) as period_month_raw,
        min(candidates.paid_hours_raw) as paid_hours_raw,
        min(candidates.contract_type_raw) as contract_type_raw,
        min(candidates.employment_kind_raw) as employment_kind_raw,
        min(candidates.employment_start_raw) as employment_start_raw

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
