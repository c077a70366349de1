{#- In demo mode the source is the seed `payroll`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('payroll') }}
{%- endif %}

with

source as (

    select * from {{ source('raw', 'payroll') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('person_id') }} as person_id,
        {{ clean_text('employment_id') }} as employment_id,
        {{ clean_text('employer_id') }} as employer_id,

        ---------- codes
        {{ clean_text('sector') }} as sector,
        {{ clean_text('contract_type') }} as contract_type,
        {{ clean_text('employment_kind') }} as employment_kind,

        ---------- amounts
        {{ parse_decimal('paid_hours') }} as paid_hours,

        ---------- dates
        {{ parse_date('period_month') }} as period_month,
        {{ parse_date('employment_start') }} as employment_start,

        ---------- raw values as they arrived (text), for validation and quarantine
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(employment_id as {{ dbt.type_string() }}) as employment_id_raw,
        cast(employer_id as {{ dbt.type_string() }}) as employer_id_raw,
        cast(sector as {{ dbt.type_string() }}) as sector_raw,
        cast(period_month as {{ dbt.type_string() }}) as period_month_raw,
        cast(paid_hours as {{ dbt.type_string() }}) as paid_hours_raw,
        cast(contract_type as {{ dbt.type_string() }}) as contract_type_raw,
        cast(employment_kind as {{ dbt.type_string() }}) as employment_kind_raw,
        cast(employment_start as {{ dbt.type_string() }}) as employment_start_raw

    from source

)

select * from renamed
