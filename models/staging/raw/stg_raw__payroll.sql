{#- In demo mode the source is the seed `payroll`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('payroll') }}
{%- endif %}

{#- the raw columns' types: typed Parquet values are used as they are -#}
{%- set raw_types = raw_column_types(source('raw', 'payroll')) %}

with

source as (

    select * from {{ source('raw', 'payroll') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('person_id', raw_types) }} as person_id,
        {{ clean_text('employment_id', raw_types) }} as employment_id,
        {{ clean_text('employer_id', raw_types) }} as employer_id,

        ---------- codes
        {{ clean_text('sector', raw_types) }} as sector,
        {{ clean_text('contract_type', raw_types) }} as contract_type,
        {{ clean_text('employment_kind', raw_types) }} as employment_kind,

        ---------- amounts
        {{ parse_decimal('paid_hours', raw_types) }} as paid_hours,

        ---------- dates
        {{ parse_date('period_month', raw_types) }} as period_month,
        {{ parse_date('employment_start', raw_types) }} as employment_start,

        ---------- raw values as they arrived, as text, for quarantine
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

),

flagged as (

    select
        renamed.*,

        ---------- values present but not readable as their type (rule unreadable_value)
        {{ unreadable_flag('period_month') }} as is_period_month_unreadable,
        {{ unreadable_flag('paid_hours') }} as is_paid_hours_unreadable,
        {{ unreadable_flag('employment_start') }} as is_employment_start_unreadable

    from renamed

)

select * from flagged
