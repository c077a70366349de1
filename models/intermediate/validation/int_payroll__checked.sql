{#-
    Every raw payroll row with the row rules applied (a view: payroll is the one
    table too large to store row by row at national scale). The rules that need
    other rows are applied by the models reading this one: exact copies by
    int_payroll_duplicate_rows (rule duplicate_row), persons not in persons by
    int_payroll_employment_quarters__row_checked (rule unknown_person); the
    rows of every rule end up in audit.quarantine_payroll.
    Rule order: unreadable value → missing value → unknown code → implausible
    date, a month not yet paid, negative or implausible hours, period_month not
    the first of a month (seed quarantine_rules). The rules
    are listed once (row_rules below); breaks_row_rule says whether any holds
    as a plain boolean, so the models that keep the good rows filter on it
    without building the rule's text for 27 million rows.
-#}

{%- set row_rules = [
    ('payroll.is_period_month_unreadable', 'unreadable_value:period_month'),
    ('payroll.is_paid_hours_unreadable', 'unreadable_value:paid_hours'),
    ('payroll.is_employment_start_unreadable', 'unreadable_value:employment_start'),
    ('payroll.person_id is null', 'missing_value:person_id'),
    ('payroll.employment_id is null', 'missing_value:employment_id'),
    ('payroll.employer_id is null', 'missing_value:employer_id'),
    ('payroll.sector is null', 'missing_value:sector'),
    ('payroll.period_month is null', 'missing_value:period_month'),
    ('payroll.paid_hours is null', 'missing_value:paid_hours'),
    ('payroll.contract_type is null', 'missing_value:contract_type'),
    ('payroll.employment_kind is null', 'missing_value:employment_kind'),
    ('payroll.employment_start is null', 'missing_value:employment_start'),
    ('not ' ~ is_contract_code('payroll.sector', 'sector'), 'unknown_code:sector'),
    ('not ' ~ is_contract_code('payroll.contract_type', 'contract_type'), 'unknown_code:contract_type'),
    ('not ' ~ is_contract_code('payroll.employment_kind', 'employment_kind'),
        'unknown_code:employment_kind'),
    (is_implausible_date('payroll.period_month'), 'implausible_date:period_month'),
    (is_implausible_date('payroll.employment_start'), 'implausible_date:employment_start'),
    (is_after_run_month('payroll.period_month'), 'future_period_month:period_month'),
    ('payroll.paid_hours < 0', 'negative_hours:paid_hours'),
    ('payroll.paid_hours > ' ~ max_paid_hours_per_month(), 'implausible_hours:paid_hours'),
    ('extract(day from payroll.period_month) <> 1', 'invalid_period_month:period_month'),
] %}

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
            {%- for condition, rule in row_rules %}
            when {{ condition }} then '{{ rule }}'
            {%- endfor %}
        end as row_rule,
        {#- a condition that is NULL does not hold, as in the case above: so
            breaks_row_rule is true exactly when row_rule is set -#}
        (
            {%- for condition, rule in row_rules %}
            coalesce({{ condition }}, false){{ " or" if not loop.last }}
            {%- endfor %}
        ) as breaks_row_rule,
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
        checked.breaks_row_rule,
        checked.is_unknown_person

    from checked

)

select * from final
