{#- In demo mode the source is the seed `residences`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('residences') }}
{%- endif %}

{#- the raw columns' types: typed Parquet values are used as they are -#}
{%- set raw_types = raw_column_types(source('raw', 'residences')) %}

with

source as (

    select * from {{ source('raw', 'residences') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('person_id', raw_types) }} as person_id,
        {{ clean_text('gemeente_code', raw_types) }} as gemeente_code,

        ---------- dates (half-open: valid_until is the first day that no longer holds)
        {{ parse_date('valid_from', raw_types) }} as valid_from,
        {{ parse_date('valid_until', raw_types) }} as valid_until,

        ---------- raw values as they arrived, as text, for quarantine
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(gemeente_code as {{ dbt.type_string() }}) as gemeente_code_raw,
        cast(valid_from as {{ dbt.type_string() }}) as valid_from_raw,
        cast(valid_until as {{ dbt.type_string() }}) as valid_until_raw

    from source

),

flagged as (

    select
        renamed.*,

        ---------- values present but not readable as their type (rule unreadable_value)
        {{ unreadable_flag('valid_from') }} as is_valid_from_unreadable,
        {{ unreadable_flag('valid_until') }} as is_valid_until_unreadable

    from renamed

)

select * from flagged
