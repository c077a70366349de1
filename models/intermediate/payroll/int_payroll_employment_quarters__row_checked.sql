{{ config(**quarter_incremental_config()) }}
{%- set cutoff = incremental_cutoff_quarter() %}
{%- set months_from_cutoff = and_from_cutoff('checked.period_month', cutoff, as_date=true) %}

{#-
    Payroll rows that pass the row rules (and only those: hence __row_checked),
    added up per person × employment × quarter × employment kind × sector: the
    one pass over the full payroll that every figure needs. Exact copies and
    the rows of unknown persons are still in here (they are taken out by
    int_payroll_employment_quarters__accepted with int_payroll_duplicate_rows);
    a group can only hold copies when it has more rows than months
    (has_repeated_month), because two copies are two rows of the same month.
-#}

with

checked as (

    select * from {{ ref('int_payroll__checked') }}

),

aggregated as (

    select
        checked.person_id,
        checked.employment_id,
        checked.quarter_index,
        checked.employment_kind,
        checked.sector,
        checked.is_unknown_person,
        min(checked.employment_start) as employment_start,
        sum(checked.paid_hours) as paid_hours,
        bit_or(checked.month_bit) as months_mask,
        count(*) as raw_rows

    from checked
    where not checked.breaks_row_rule{{ months_from_cutoff }}
    group by 1, 2, 3, 4, 5, 6

),

final as (

    select
        aggregated.person_id,
        aggregated.employment_id,
        aggregated.quarter_index,
        aggregated.employment_kind,
        aggregated.sector,
        aggregated.is_unknown_person,
        aggregated.employment_start,
        cast(aggregated.paid_hours as decimal(18, 4)) as paid_hours,
        cast(aggregated.months_mask as integer) as months_mask,
        cast(aggregated.raw_rows as bigint) as raw_rows,
        aggregated.raw_rows > bit_count(aggregated.months_mask) as has_repeated_month

    from aggregated

)

select * from final
