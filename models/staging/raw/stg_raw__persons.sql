{#- In demo mode the source is the seed `persons`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('persons') }}
{%- endif %}

with

source as (

    select * from {{ source('raw', 'persons') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('person_id') }} as person_id,

        ---------- properties
        {{ clean_text('gender') }} as gender,

        ---------- dates
        {{ parse_date('birth_date') }} as birth_date,
        {{ parse_date('date_of_death') }} as date_of_death,

        ---------- raw values as they arrived (text), for validation and quarantine
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(birth_date as {{ dbt.type_string() }}) as birth_date_raw,
        cast(gender as {{ dbt.type_string() }}) as gender_raw,
        cast(date_of_death as {{ dbt.type_string() }}) as date_of_death_raw

    from source

)

select * from renamed
