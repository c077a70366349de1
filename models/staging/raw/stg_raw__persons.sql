{#- In demo mode the source is the seed `persons`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('persons') }}
{%- endif %}

{#- the raw columns' types: typed Parquet values are used as they are -#}
{%- set raw_types = raw_column_types(source('raw', 'persons')) %}

with

source as (

    select * from {{ source('raw', 'persons') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('person_id', raw_types) }} as person_id,

        ---------- properties
        {{ clean_text('gender', raw_types) }} as gender,

        ---------- dates
        {{ parse_date('birth_date', raw_types) }} as birth_date,
        {{ parse_date('date_of_death', raw_types) }} as date_of_death,

        ---------- raw values as they arrived, as text, for quarantine
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(birth_date as {{ dbt.type_string() }}) as birth_date_raw,
        cast(gender as {{ dbt.type_string() }}) as gender_raw,
        cast(date_of_death as {{ dbt.type_string() }}) as date_of_death_raw

    from source

),

flagged as (

    select
        renamed.*,

        ---------- values present but not readable as their type (rule unreadable_value)
        {{ unreadable_flag('birth_date') }} as is_birth_date_unreadable,
        {{ unreadable_flag('date_of_death') }} as is_date_of_death_unreadable

    from renamed

)

select * from flagged
