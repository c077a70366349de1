{#-
    One row per regular employment × quarter with accepted paid hours: its hours
    in the quarter, its contract type and sector, and its start
    (docs/definitions.md#breakdowns).
    * Contract type and sector: the values on its rows of its latest payroll
      month in the quarter; rows of that month that disagree: the value with the
      most hours, ties to the first in text order.
    * Start: the earliest employment_start on its regular rows
      (int_payroll_employment_starts, as for durability).
    * Accepted rows only (int_payroll_regular_months__accepted), so the hours
      here add up to the person's regular paid hours.
-#}

with

accepted_month_values as (

    select * from {{ ref('int_payroll_regular_months__accepted') }}

),

starts as (

    select * from {{ ref('int_payroll_employment_starts') }}

),

latest_month as (

    select
        accepted_month_values.person_id,
        accepted_month_values.employment_id,
        accepted_month_values.quarter_index,
        max(accepted_month_values.period_month) as period_month,
        sum(accepted_month_values.paid_hours) as paid_hours

    from accepted_month_values
    group by 1, 2, 3

),

latest_values as (

    select accepted_month_values.*

    from accepted_month_values
    inner join latest_month
        on accepted_month_values.person_id = latest_month.person_id
        and accepted_month_values.employment_id = latest_month.employment_id
        and accepted_month_values.quarter_index = latest_month.quarter_index
        and accepted_month_values.period_month = latest_month.period_month

),

{%- for attribute in ['contract_type', 'sector'] %}

{{ attribute }}_ranked as (

    {#- the latest month's value with the most hours, ties to the first in text order -#}
    select
        latest_values.person_id,
        latest_values.employment_id,
        latest_values.quarter_index,
        latest_values.{{ attribute }},
        row_number() over (
            partition by
                latest_values.person_id, latest_values.employment_id, latest_values.quarter_index
            order by sum(latest_values.paid_hours) desc, latest_values.{{ attribute }} asc
        ) as value_rank

    from latest_values
    group by 1, 2, 3, 4

),
{%- endfor %}

final as (

    select
        latest_month.person_id,
        latest_month.employment_id,
        latest_month.quarter_index,
        cast(latest_month.paid_hours as decimal(18, 4)) as paid_hours,
        contract_type_ranked.contract_type,
        sector_ranked.sector,
        starts.employment_start

    from latest_month
    inner join contract_type_ranked
        on latest_month.person_id = contract_type_ranked.person_id
        and latest_month.employment_id = contract_type_ranked.employment_id
        and latest_month.quarter_index = contract_type_ranked.quarter_index
        and contract_type_ranked.value_rank = 1
    inner join sector_ranked
        on latest_month.person_id = sector_ranked.person_id
        and latest_month.employment_id = sector_ranked.employment_id
        and latest_month.quarter_index = sector_ranked.quarter_index
        and sector_ranked.value_rank = 1
    inner join starts
        on latest_month.person_id = starts.person_id
        and latest_month.employment_id = starts.employment_id

)

select * from final
