{#- In demo mode the source is the seed `register_spells`: make dbt build it first. -#}
{%- if not var('raw_path', '') %}
-- depends_on: {{ ref('register_spells') }}
{%- endif %}

{#- the raw columns' types: typed Parquet values are used as they are -#}
{%- set raw_types = raw_column_types(source('raw', 'register_spells')) %}

with

source as (

    select * from {{ source('raw', 'register_spells') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_text('spell_id', raw_types) }} as spell_id,
        {{ clean_text('person_id', raw_types) }} as person_id,

        ---------- codes
        {{ clean_text('target_group', raw_types) }} as target_group,
        {{ clean_text('inflow_reason', raw_types) }} as inflow_reason,
        {{ clean_text('outflow_reason', raw_types) }} as outflow_reason,

        ---------- dates (half-open: valid_until is the first day that no longer holds)
        {{ parse_date('valid_from', raw_types) }} as valid_from,
        {{ parse_date('valid_until', raw_types) }} as valid_until,

        ---------- raw values as they arrived, as text, for quarantine
        cast(spell_id as {{ dbt.type_string() }}) as spell_id_raw,
        cast(person_id as {{ dbt.type_string() }}) as person_id_raw,
        cast(target_group as {{ dbt.type_string() }}) as target_group_raw,
        cast(valid_from as {{ dbt.type_string() }}) as valid_from_raw,
        cast(valid_until as {{ dbt.type_string() }}) as valid_until_raw,
        cast(inflow_reason as {{ dbt.type_string() }}) as inflow_reason_raw,
        cast(outflow_reason as {{ dbt.type_string() }}) as outflow_reason_raw

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
