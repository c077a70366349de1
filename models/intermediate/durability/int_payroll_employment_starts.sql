{{ config(materialized='table') }}

{#-
    One row per regular employment (person × employment_id): when it started, the
    earliest employment_start on its accepted `regular` payroll rows (rows of one
    employment may disagree; the earliest wins), and the quarter of that start.
    A new job in quarter s (docs/definitions.md#durability-of-work) is an employment whose
    start_quarter_index is s. Reuses the accepted employment × quarter payroll.
-#}

with

employment_quarters as (

    select * from {{ ref('int_payroll_employment_quarters__accepted') }}

),

starts as (

    select
        employment_quarters.person_id,
        employment_quarters.employment_id,
        min(employment_quarters.employment_start) as employment_start

    from employment_quarters
    where employment_quarters.employment_kind = 'regular'
    group by 1, 2

),

final as (

    select
        starts.person_id,
        starts.employment_id,
        starts.employment_start,
        cast(extract(year from starts.employment_start) as integer) * 4
        + cast(extract(quarter from starts.employment_start) as integer) - 1 as start_quarter_index

    from starts

)

select * from final
