{#-
    One row per regular employment × quarter with accepted paid hours: its hours
    in the quarter, its contract type and sector, and its start
    (docs/definitions.md#breakdowns).
    * Contract type and sector: the values on its rows of its latest payroll
      month in the quarter; rows of that month that disagree: the value with the
      most hours, ties to the first in text order.
    * Its hours by the rows' own contract type and sector
      (paid_hours_contract_type_permanent, ..., paid_hours_sector_market: NULL
      when no row of the quarter has the code), for the breakdowns' jobs.
    * Accepted rows only (int_payroll_regular_months__accepted, a view read
      only here), so the hours here add up to the person's regular paid hours.
    Incremental by quarter like the other payroll layers (a quarter's row depends
    only on that quarter's payroll rows); a refresh reads only the months of the
    quarters it recomputes. The employment's start depends on its whole history,
    so it is joined where it is used (int_register_breakdown_parts), not kept here.
    (Measured 2026-12-05: summing each code's hours per month side by side, without
    the window, took 30–39 s against 24 s at national scale; the window stays.)
-#}

{{ config(pre_hook="{{ clear_incremental_window() }}", **quarter_incremental_config()) }}
{#- A warehouse built before this model was incremental (2026-12-05) holds it as a
    table that also had employment_start: on DuckDB that column is dropped and the
    older quarters kept (their other columns mean the same), instead of stopping the
    first refresh after the upgrade. -#}
{%- if target.type != 'spark' %}
{{ config(on_schema_change='sync_all_columns') }}
{%- endif %}
{%- set cutoff = incremental_cutoff_quarter() %}

with

accepted_month_values as (

    select * from {{ ref('int_payroll_regular_months__accepted') }}

),

latest_month as (

    {#- each row with its employment's latest month of the quarter -#}
    select
        accepted_month_values.*,
        max(accepted_month_values.period_month) over (
            partition by
                accepted_month_values.person_id,
                accepted_month_values.employment_id,
                accepted_month_values.quarter_index
        ) as latest_period_month

    from accepted_month_values
    where true{{ and_from_cutoff('accepted_month_values.period_month', cutoff, as_date=true) }}

),

{#- The codes of each attribute in text order (the first wins a tie); the codes of the
    two attributes are distinct, so each names its own column below. -#}
{%- set attributes = job_attribute_codes() %}
{%- if (attributes.values() | sum(start=[]) | unique | list | length)
    != (attributes.values() | sum(start=[]) | length) %}
    {{ exceptions.raise_compiler_error('int_payroll_employment_attributes: a code of contract_type is also a code of sector') }}
{%- endif %}

latest_rows as (

    {#- the hours of each row again, only where it is of the employment's latest month -#}
    select
        latest_month.person_id,
        latest_month.employment_id,
        latest_month.quarter_index,
        latest_month.contract_type,
        latest_month.sector,
        latest_month.paid_hours,
        case
            when latest_month.period_month = latest_month.latest_period_month
                then latest_month.paid_hours
        end as latest_hours

    from latest_month

),

employment_quarters as (

    {#- One pass: the quarter's hours, and for every code its hours in the quarter and
        in the latest month (NULL: no row of the quarter, or of that month, has the code) -#}
    select
        person_id,
        employment_id,
        quarter_index,
        {%- for attribute, codes in attributes.items() %}
        {%- for code in codes %}
        sum(case when {{ attribute }} = '{{ code }}' then latest_hours end) as latest_{{ code }},
        sum(case when {{ attribute }} = '{{ code }}' then paid_hours end) as hours_{{ code }},
        {%- endfor %}
        {%- endfor %}
        sum(paid_hours) as paid_hours

    from latest_rows
    group by 1, 2, 3

),

chosen as (

    {#- each attribute: the code with the most hours in the latest month, that is more
        than every code before it in text order and at least every code after it -#}
    select
        person_id,
        employment_id,
        quarter_index,
        {%- for attribute, codes in attributes.items() %}
        case
            {%- for code in codes %}
            when latest_{{ code }} is not null
                {%- for other in codes if other != code %}
                {%- set beats = '>' if other < code else '>=' %}
                and (latest_{{ other }} is null or latest_{{ code }} {{ beats }} latest_{{ other }})
                {%- endfor %}
                then '{{ code }}'
            {%- endfor %}
        end as {{ attribute }},
        {%- for code in codes %}
        hours_{{ code }} as paid_hours_{{ attribute }}_{{ code }},
        {%- endfor %}
        {%- endfor %}
        paid_hours

    from employment_quarters

),

final as (

    select
        chosen.person_id,
        chosen.employment_id,
        chosen.quarter_index,
        chosen.contract_type,
        chosen.sector,
        {%- for attribute, codes in attributes.items() %}
        {%- for code in codes %}
        cast(
            chosen.paid_hours_{{ attribute }}_{{ code }} as decimal(18, 4)
        ) as paid_hours_{{ attribute }}_{{ code }},
        {%- endfor %}
        {%- endfor %}
        cast(chosen.paid_hours as decimal(18, 4)) as paid_hours

    from chosen

)

select * from final
