-- depends_on: {{ ref('fct_register_breakdowns_quarter') }}
{{ config(materialized='table') }}

{#-
    The breakdown mart's inputs that are not kept by quarter, as the mart's last
    build read them: one row per accepted person (birth date, gender), regular
    employment (start) and reported quarter (end date). It runs after
    fct_register_breakdowns_quarter; on the next refresh the mart recomputes
    every quarter when one of these rows changed or went (macro
    breakdowns_cutoff_quarter), only its look-back window otherwise.
    Person-level: build warehouse only.
-#}

with

inputs as (

    {{ breakdown_inputs() }}

),

final as (

    select * from inputs

)

select * from final
