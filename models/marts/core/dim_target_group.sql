{#- One row per target group of the register, with labels for BI tools. -#}

with

target_groups as (

    select * from {{ ref('target_groups') }}

),

final as (

    select
        cast(target_groups.target_group as {{ dbt.type_string() }}) as target_group,
        cast(target_groups.label_nl as {{ dbt.type_string() }}) as label_nl,
        cast(target_groups.label_en as {{ dbt.type_string() }}) as label_en,
        cast(target_groups.sort_order as integer) as sort_order

    from target_groups

)

select * from final
