{#-
    Raw payroll rows that broke the raw contract (payroll is checked row by row
    in a view and its copies found by group, see int_payroll__checked): rows
    breaking a row rule, each extra copy of an exact duplicate, and the rows of
    persons not in persons (the first copy; further copies are duplicates).
-#}

with

checked as (

    select * from {{ ref('int_payroll__checked') }}

),

duplicates as (

    select * from {{ ref('int_payroll_duplicate_rows') }}

),

rules as (

    select * from {{ ref('quarantine_rules') }}

),

copy_numbers as (

    {{ integer_series(1000) }}

),

rule_breaking as (

    select
        {%- for column in raw_contract()['payroll'] %}
        checked.{{ column }}_raw as {{ column }},
        {%- endfor %}
        checked.row_rule as rule,
        checked.row_rule_column as rule_column

    from checked
    where checked.breaks_row_rule

),

extra_copies as (

    select
        {%- for column in raw_contract()['payroll'] %}
        duplicates.{{ column }}_raw as {{ column }},
        {%- endfor %}
        'duplicate_row' as rule,
        cast(null as {{ dbt.type_string() }}) as rule_column

    from duplicates
    inner join copy_numbers
        on duplicates.extra_copies > copy_numbers.n
    where {{ fail_when('duplicates.extra_copies > 1000',
                       'quarantine_payroll: a payroll row has more than 1000 exact copies;'
                       ~ ' the quarantine lists at most 1000 per row') }} is null

),

unknown_persons as (

    {#- one row per distinct row: further copies are in extra_copies -#}
    select
        {%- for column in raw_contract()['payroll'] %}
        min(checked.{{ column }}_raw) as {{ column }},
        {%- endfor %}
        'unknown_person' as rule,
        'person_id' as rule_column

    from checked
    where not checked.breaks_row_rule and checked.is_unknown_person
    group by
        checked.person_id, checked.employment_id, checked.employer_id, checked.sector,
        checked.period_month, checked.paid_hours, checked.contract_type,
        checked.employment_kind, checked.employment_start

),

quarantined as (

    select * from rule_breaking
    union all
    select * from extra_copies
    union all
    select * from unknown_persons

),

final as (

    select
        {%- for column in raw_contract()['payroll'] %}
        cast(quarantined.{{ column }} as {{ dbt.type_string() }}) as {{ column }},
        {%- endfor %}
        quarantined.rule,
        quarantined.rule_column,
        rules.rule_description

    from quarantined
    left join rules
        on quarantined.rule = rules.rule

)

select * from final
