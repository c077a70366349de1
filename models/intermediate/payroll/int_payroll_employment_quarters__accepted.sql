{#-
    The accepted payroll per person × employment × quarter × employment kind ×
    sector: hours of the rows that pass every rule (row rules, no exact copy, a
    known person). Corrections (rows of one employment-month that differ) add
    up. accepted_rows counts the raw rows behind it (audit.reconciliation).
-#}

with

aggregated as (

    select * from {{ ref('int_payroll_employment_quarters__row_checked') }}

),

duplicates as (

    select * from {{ ref('int_payroll_duplicate_rows') }}

),

duplicates_per_group as (

    select
        duplicates.person_id,
        duplicates.employment_id,
        duplicates.quarter_index,
        duplicates.employment_kind,
        duplicates.sector,
        sum(duplicates.extra_copies) as duplicate_rows,
        sum(duplicates.extra_copies * duplicates.paid_hours) as duplicate_hours

    from duplicates
    group by 1, 2, 3, 4, 5

),

final as (

    select
        aggregated.person_id,
        aggregated.employment_id,
        aggregated.quarter_index,
        aggregated.employment_kind,
        aggregated.sector,
        aggregated.employment_start,
        cast(
            aggregated.paid_hours - coalesce(duplicates_per_group.duplicate_hours, 0)
            as decimal(18, 4)
        ) as paid_hours,
        aggregated.months_mask,
        cast(aggregated.raw_rows - coalesce(duplicates_per_group.duplicate_rows, 0) as bigint)
            as accepted_rows

    from aggregated
    left join duplicates_per_group
        on aggregated.person_id = duplicates_per_group.person_id
        and aggregated.employment_id = duplicates_per_group.employment_id
        and aggregated.quarter_index = duplicates_per_group.quarter_index
        and aggregated.employment_kind = duplicates_per_group.employment_kind
        and aggregated.sector = duplicates_per_group.sector
    where not aggregated.is_unknown_person

)

select * from final
