{#-
    The beschut werk quotas a user supplies as a CSV file (var
    sheltered_work_quota_csv), one row per line of the file, cast. Without the
    var it has no rows and the synthetic seed is used
    (int_sheltered_work_quota_municipalities). The file's content is checked by
    the test of this model (supplied_sheltered_work_quota_valid): a bad file
    stops the build there, before any quota is used.
-#}

{#- the source in the lineage in both modes; read only when the var names a file -#}
-- depends_on: {{ source('inputs', 'sheltered_work_quota') }}
{% if var('sheltered_work_quota_csv', '') %}

with

source as (

    select * from {{ source('inputs', 'sheltered_work_quota') }}

),

renamed as (

    select
        ---------- keys
        {{ clean_text('gemeente_code') }} as gemeente_code,
        {{ input_year('year') }} as calendar_year,

        ---------- places (a whole number)
        {{ input_whole_number('quota_places') }} as quota_places,

        ---------- values as they arrived, as text, for the checks
        {{ clean_text('year') }} as calendar_year_raw,
        {{ clean_text('quota_places') }} as quota_places_raw

    from source

)

select * from renamed

{% else %}

{#- no file supplied: the same columns, no rows -#}
select
    cast(null as {{ dbt.type_string() }}) as gemeente_code,
    cast(null as int) as calendar_year,
    cast(null as bigint) as quota_places,
    cast(null as {{ dbt.type_string() }}) as calendar_year_raw,
    cast(null as {{ dbt.type_string() }}) as quota_places_raw
where 1 = 0

{% endif %}
