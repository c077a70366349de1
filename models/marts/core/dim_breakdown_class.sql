{#- One row per breakdown and class of fct_register_breakdowns_quarter, labelled for BI tools. -#}

with

breakdown_classes as (

    select * from {{ ref('breakdown_classes') }}

),

final as (

    select
        cast(breakdown_classes.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(breakdown_classes.class as {{ dbt.type_string() }}) as class,
        cast(breakdown_classes.label_nl as {{ dbt.type_string() }}) as label_nl,
        cast(breakdown_classes.label_en as {{ dbt.type_string() }}) as label_en,
        cast(breakdown_classes.sort_order as integer) as sort_order

    from breakdown_classes

)

select * from final
