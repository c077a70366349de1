{#- Every gemeente code the warehouse knows: current (any indeling) or former. -#}

with

indeling as (

    select * from {{ ref('municipality_region') }}

),

former_codes as (

    select * from {{ ref('former_municipality_codes') }}

),

current_codes as (

    select distinct
        indeling.gemeente_code,
        false as is_former_code

    from indeling

),

unioned as (

    select * from current_codes

    union all

    select
        former_codes.gemeente_code,
        true as is_former_code

    from former_codes
    where former_codes.gemeente_code not in (select current_codes.gemeente_code from current_codes)

)

select * from unioned
