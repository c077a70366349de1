{#- In demo mode the source is the seed `sheltered_work_requests`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('sheltered_work_requests') }}
{%- endif %}

{#- the raw columns' types: typed Parquet values are used as they are -#}
{%- set raw_types = raw_column_types(source('raw', 'sheltered_work_requests')) %}

with

source as (

    select * from {{ source('raw', 'sheltered_work_requests') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('request_id', raw_types) }} as request_id,
        {{ clean_text('person_id', raw_types) }} as person_id,
        {{ clean_text('gemeente_code', raw_types) }} as gemeente_code,

        ---------- codes
        {{ clean_text('requester', raw_types) }} as requester,
        {{ clean_text('decision', raw_types) }} as decision,

        ---------- dates
        {{ parse_date('request_date', raw_types) }} as request_date,
        {{ parse_date('decision_date', raw_types) }} as decision_date,
        {{ parse_date('advice_valid_until', raw_types) }} as advice_valid_until,

        ---------- raw values as they arrived, as text, for quarantine
        cast(request_id as {{ dbt.type_string() }}) as request_id_raw,
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(gemeente_code as {{ dbt.type_string() }}) as gemeente_code_raw,
        cast(requester as {{ dbt.type_string() }}) as requester_raw,
        cast(request_date as {{ dbt.type_string() }}) as request_date_raw,
        cast(decision as {{ dbt.type_string() }}) as decision_raw,
        cast(decision_date as {{ dbt.type_string() }}) as decision_date_raw,
        cast(advice_valid_until as {{ dbt.type_string() }}) as advice_valid_until_raw

    from source

),

flagged as (

    select
        renamed.*,

        ---------- values present but not readable as their type (rule unreadable_value)
        {{ unreadable_flag('request_date') }} as is_request_date_unreadable,
        {{ unreadable_flag('decision_date') }} as is_decision_date_unreadable,
        {{ unreadable_flag('advice_valid_until') }} as is_advice_valid_until_unreadable

    from renamed

)

select * from flagged
