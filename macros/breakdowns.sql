{#-
    The breakdowns (docs/definitions.md#breakdowns), written once for the two
    models that need them:
    * int_register_breakdown_parts: breakdown_parts() — person level, long: one
      row per person × quarter × breakdown × class, with is_registered,
      is_working and paid_hours (what the person adds to the class). The
      auditors' trace from a breakdown cell to its persons.
    * fct_register_breakdowns_quarter: breakdown_parts(grouped=true) — the same
      rows, each kind of part summed per quarter × region × target group × class
      before the union (persons_registered, persons_working, paid_hours). A class
      can get rows from two kinds of part (contract_type: the persons by their main
      employment, the hours by each row's own value), so the reader sums once more.
      Summing each kind first reads tens of millions of parts once instead of
      writing them into one union (measured 2026-12-05 at national scale: the
      mart 12 → 10 s of model time).
    from_quarter: only quarters from this quarter_index on (the mart's look-back
    window on a refresh); none: every quarter.
    The macro writes the CTEs (their refs included), the last one named parts; the
    model goes on with its own CTEs after them.
    The kinds of part:
    * age_class (age in completed years on the peildatum) and gender: the
      person's class takes all three measures.
    * hours_class (regular paid hours in the quarter / 13 = hours a week):
      working persons only; persons and hours by the person's class.
    * contract_type, sector: the person by the main employment's value (the
      regular employment with the most paid hours in the quarter, ties to the
      lowest employment_id as text); hours by each row's own value (one part per
      employment and value).
    * employment_duration (the main employment's start against the peildatum):
      the person by the main employment's class; hours by each employment's own.
-#}
{% macro breakdown_parts(grouped=false, from_quarter=none) -%}
{#- The hours of each employment by its rows' own codes (int_payroll_employment_attributes) -#}
{%- set code_hours = job_attribute_codes() %}
{#- Each kind of part: the CTE it reads, its breakdown, its class and its three
    measures as expressions on that CTE, and a filter -#}
{%- set kinds = [
    {'source': 'ages', 'breakdown': "'age_class'",
     'class': "case when ages.birth_date is null then 'unknown' when ages.age_years < 27 then '<27' when ages.age_years < 45 then '27-44' when ages.age_years < 55 then '45-54' else '55+' end",
     'registered': '1', 'working': 'case when ages.is_working then 1 else 0 end', 'hours': 'ages.paid_hours', 'where': none},
    {'source': 'ages', 'breakdown': "'gender'",
     'class': "coalesce(ages.gender, 'U')",
     'registered': '1', 'working': 'case when ages.is_working then 1 else 0 end', 'hours': 'ages.paid_hours', 'where': none},
    {'source': 'ages', 'breakdown': "'hours_class'",
     'class': "case when ages.paid_hours < 12 * 13 then '<12' when ages.paid_hours < 20 * 13 then '12-<20' when ages.paid_hours < 30 * 13 then '20-<30' else '30+' end",
     'registered': 'null', 'working': '1', 'hours': 'ages.paid_hours', 'where': 'ages.is_working'},
    {'source': 'main_employments', 'breakdown': "'contract_type'", 'class': 'main_employments.contract_type',
     'registered': 'null', 'working': '1', 'hours': '0', 'where': none},
    {'source': 'main_employments', 'breakdown': "'sector'", 'class': 'main_employments.sector',
     'registered': 'null', 'working': '1', 'hours': '0', 'where': none},
    {'source': 'main_employments', 'breakdown': "'employment_duration'", 'class': 'main_employments.duration_class',
     'registered': 'null', 'working': '1', 'hours': '0', 'where': none},
] %}
{%- for attribute, codes in code_hours.items() %}
{%- for code in codes %}
{%- do kinds.append(
    {'source': 'employment_classes', 'breakdown': "'" ~ attribute ~ "'", 'class': "'" ~ code ~ "'",
     'registered': 'null', 'working': '0',
     'hours': 'employment_classes.paid_hours_' ~ attribute ~ '_' ~ code,
     'where': 'employment_classes.paid_hours_' ~ attribute ~ '_' ~ code ~ ' is not null'}) %}
{%- endfor %}
{%- endfor %}
{%- do kinds.append(
    {'source': 'employment_classes', 'breakdown': "'employment_duration'", 'class': 'employment_classes.duration_class',
     'registered': 'null', 'working': '0', 'hours': 'employment_classes.paid_hours', 'where': none}) %}

person_quarters as (

    select * from {{ ref('int_register_person_quarters') }}

),

reported_quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

persons as (

    select * from {{ ref('int_persons__accepted') }}

),

employments as (

    select * from {{ ref('int_payroll_employment_attributes') }}
    {%- if from_quarter is not none %}
    where quarter_index >= {{ from_quarter }}
    {%- endif %}

),

starts as (

    {#- the employment's start from its whole history (as for durability) -#}
    select * from {{ ref('int_payroll_employment_starts') }}

),

registered as (

    select
        person_quarters.person_id,
        person_quarters.quarter_index,
        person_quarters.region_code,
        person_quarters.target_group,
        person_quarters.paid_hours,
        person_quarters.is_working,
        reported_quarters.quarter_end_date,
        persons.birth_date,
        persons.gender

    from person_quarters
    inner join reported_quarters
        on person_quarters.quarter_index = reported_quarters.quarter_index
    left join persons
        on person_quarters.person_id = persons.person_id
    {%- if from_quarter is not none %}
    where person_quarters.quarter_index >= {{ from_quarter }}
    {%- endif %}

),

ages as (

    select
        registered.*,
        extract(year from registered.quarter_end_date) - extract(year from registered.birth_date)
        - case
            when extract(month from registered.quarter_end_date) * 100
                + extract(day from registered.quarter_end_date)
                < extract(month from registered.birth_date) * 100
                + extract(day from registered.birth_date)
                then 1
            else 0
        end as age_years

    from registered

),

employment_classes as (

    {#- each employment of a registered person: its duration class on the peildatum
        and its rank for the main employment -#}
    select
        employments.person_id,
        employments.quarter_index,
        registered.region_code,
        registered.target_group,
        registered.is_working,
        employments.employment_id,
        employments.paid_hours,
        employments.contract_type,
        employments.sector,
        {%- for attribute, codes in code_hours.items() %}
        {%- for code in codes %}
        employments.paid_hours_{{ attribute }}_{{ code }},
        {%- endfor %}
        {%- endfor %}
        case
            when starts.employment_start
                > {{ dbt.dateadd('year', -1, 'registered.quarter_end_date') }} then '<1y'
            when starts.employment_start
                > {{ dbt.dateadd('year', -2, 'registered.quarter_end_date') }} then '1-<2y'
            when starts.employment_start
                > {{ dbt.dateadd('year', -5, 'registered.quarter_end_date') }} then '2-<5y'
            else '5y+'
        end as duration_class,
        row_number() over (
            partition by employments.person_id, employments.quarter_index
            order by employments.paid_hours desc, employments.employment_id asc
        ) as employment_rank

    from employments
    inner join registered
        on employments.person_id = registered.person_id
        and employments.quarter_index = registered.quarter_index
    inner join starts
        on employments.person_id = starts.person_id
        and employments.employment_id = starts.employment_id

),

main_employments as (

    {#- the main employment of each working person (a person who is not working
        has no main employment, even with employments of no hours) -#}
    select * from employment_classes
    where employment_classes.employment_rank = 1
        and employment_classes.is_working

),

parts as (
    {%- for kind in kinds %}

    select
        {%- if not grouped %}
        {{ kind.source }}.person_id,
        {%- endif %}
        {{ kind.source }}.quarter_index,
        {{ kind.source }}.region_code,
        {{ kind.source }}.target_group,
        {{ kind.breakdown }} as breakdown,
        {{ kind.class }} as class,
        {%- if grouped %}
        cast(sum(cast({{ kind.registered }} as integer)) as bigint) as persons_registered,
        cast(sum(cast({{ kind.working }} as integer)) as bigint) as persons_working,
        cast(sum(cast({{ kind.hours }} as decimal(18, 4))) as decimal(38, 4)) as paid_hours
        {%- else %}
        cast({{ kind.registered }} as integer) as is_registered,
        cast({{ kind.working }} as integer) as is_working,
        cast({{ kind.hours }} as decimal(18, 4)) as paid_hours
        {%- endif %}

    from {{ kind.source }}
    {%- if kind.where is not none %}
    where {{ kind.where }}
    {%- endif %}
    {%- if grouped %}
    group by
        {{ kind.source }}.quarter_index,
        {{ kind.source }}.region_code,
        {{ kind.source }}.target_group,
        {{ kind.class }}
    {%- endif %}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)
{%- endmacro %}
