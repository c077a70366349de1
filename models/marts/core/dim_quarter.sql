{#- One row per reported quarter; its end date is the peildatum. -#}

with

quarters as (

    select * from {{ ref('int_quarters_reported') }}

),

final as (

    select
        cast(quarters.quarter_label as {{ dbt.type_string() }}) as quarter_label,
        quarters.quarter_end_date,
        quarters.quarter_start_date,
        cast(quarters.calendar_year as integer) as year,
        cast(quarters.quarter_of_year as integer) as quarter_of_year,
        cast(previous_quarters.quarter_label as {{ dbt.type_string() }})
            as previous_quarter_label,
        quarters.is_first_reported_quarter

    from quarters
    left join quarters as previous_quarters
        on quarters.quarter_index - 1 = previous_quarters.quarter_index

)

select * from final
