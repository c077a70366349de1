{#-
    Every raw payroll row with the row rules applied (a view: payroll is the one
    table too large to store row by row at national scale). The rules that need
    other rows are applied by the models reading this one: exact copies by
    int_payroll_duplicate_rows (rule duplicate_row), persons not in persons by
    int_payroll_employment_quarters_aggregated (rule unknown_person); the rows of
    every rule end up in audit.quarantine_payroll.
    Rule order: unreadable value → missing value → unknown code → negative hours
    or period_month not the first of a month (seed quarantine_rules).
-#}

with

payroll as (

    select * from {{ ref('stg_raw__payroll') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

checked as (

    select
        payroll.*,
        case
            when payroll.is_period_month_unreadable then 'unreadable_value:period_month'
            when payroll.is_paid_hours_unreadable then 'unreadable_value:paid_hours'
            when payroll.is_employment_start_unreadable then 'unreadable_value:employment_start'
            when payroll.person_id is null then 'missing_value:person_id'
            when payroll.employment_id is null then 'missing_value:employment_id'
            when payroll.employer_id is null then 'missing_value:employer_id'
            when payroll.sector is null then 'missing_value:sector'
            when payroll.period_month is null then 'missing_value:period_month'
            when payroll.paid_hours is null then 'missing_value:paid_hours'
            when payroll.contract_type is null then 'missing_value:contract_type'
            when payroll.employment_kind is null then 'missing_value:employment_kind'
            when payroll.employment_start is null then 'missing_value:employment_start'
            when not {{ is_contract_code('payroll.sector', 'sector') }}
                then 'unknown_code:sector'
            when not {{ is_contract_code('payroll.contract_type', 'contract_type') }}
                then 'unknown_code:contract_type'
            when not {{ is_contract_code('payroll.employment_kind', 'employment_kind') }}
                then 'unknown_code:employment_kind'
            when payroll.paid_hours < 0 then 'negative_hours:paid_hours'
            when extract(day from payroll.period_month) <> 1
                then 'invalid_period_month:period_month'
        end as row_rule,
        persons.person_id is null as is_unknown_person

    from payroll
    left join persons
        on payroll.person_id = persons.person_id

),

final as (

    select
        ---------- ids
        checked.person_id,
        checked.employment_id,
        checked.employer_id,

        ---------- parsed values
        checked.sector,
        checked.period_month,
        checked.paid_hours,
        checked.contract_type,
        checked.employment_kind,
        checked.employment_start,

        ---------- derived for grouping
        {{ quarter_index('checked.period_month') }} as quarter_index,
        {{ month_bit('checked.period_month') }} as month_bit,

        ---------- raw values as they arrived (text)
        {%- for column in raw_contract()['payroll'] %}
        checked.{{ column }}_raw,
        {%- endfor %}

        ---------- rules
        nullif(split_part(checked.row_rule, ':', 1), '') as row_rule,
        nullif(split_part(checked.row_rule, ':', 2), '') as row_rule_column,
        checked.is_unknown_person

    from checked

)

select * from final
