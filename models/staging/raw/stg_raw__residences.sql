{#- In demo mode the source is the seed `residences`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('residences') }}
{%- endif %}

with

source as (

    select * from {{ source('raw', 'residences') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('person_id') }} as person_id,
        {{ clean_text('gemeente_code') }} as gemeente_code,

        ---------- dates (half-open: valid_until is the first day that no longer holds)
        {{ parse_date('valid_from') }} as valid_from,
        {{ parse_date('valid_until') }} as valid_until,

        ---------- raw values as they arrived (text), for validation and quarantine
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(gemeente_code as {{ dbt.type_string() }}) as gemeente_code_raw,
        cast(valid_from as {{ dbt.type_string() }}) as valid_from_raw,
        cast(valid_until as {{ dbt.type_string() }}) as valid_until_raw

    from source

)

select * from renamed
