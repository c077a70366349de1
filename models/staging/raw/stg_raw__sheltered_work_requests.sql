{#- In demo mode the source is the seed `sheltered_work_requests`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('sheltered_work_requests') }}
{%- endif %}

with

source as (

    select * from {{ source('raw', 'sheltered_work_requests') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('request_id') }} as request_id,
        {{ clean_text('person_id') }} as person_id,
        {{ clean_text('gemeente_code') }} as gemeente_code,

        ---------- codes
        {{ clean_text('requester') }} as requester,
        {{ clean_text('decision') }} as decision,

        ---------- dates
        {{ parse_date('request_date') }} as request_date,
        {{ parse_date('decision_date') }} as decision_date,
        {{ parse_date('advice_valid_until') }} as advice_valid_until,

        ---------- raw values as they arrived (text), for validation and quarantine
        cast(request_id as {{ dbt.type_string() }}) as request_id_raw,
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(gemeente_code as {{ dbt.type_string() }}) as gemeente_code_raw,
        cast(requester as {{ dbt.type_string() }}) as requester_raw,
        cast(request_date as {{ dbt.type_string() }}) as request_date_raw,
        cast(decision as {{ dbt.type_string() }}) as decision_raw,
        cast(decision_date as {{ dbt.type_string() }}) as decision_date_raw,
        cast(advice_valid_until as {{ dbt.type_string() }}) as advice_valid_until_raw

    from source

)

select * from renamed
