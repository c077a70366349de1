{#- One row per direction (inflow/outflow) and reason, with labels for BI tools. -#}

with

flow_reasons as (

    select * from {{ ref('flow_reasons') }}

),

final as (

    select
        cast(flow_reasons.direction as {{ dbt.type_string() }}) as direction,
        cast(flow_reasons.reason as {{ dbt.type_string() }}) as reason,
        cast(flow_reasons.label_nl as {{ dbt.type_string() }}) as label_nl,
        cast(flow_reasons.label_en as {{ dbt.type_string() }}) as label_en,
        cast(flow_reasons.sort_order as integer) as sort_order

    from flow_reasons

)

select * from final
