-- depends_on: {{ ref('int_work_durability_cohort') }}
{{ config(materialized='table') }}

{#-
    The durability cohorts' inputs that are not kept by quarter, as the cohorts'
    last build read them: per start quarter the number of regular employments that
    started then and a fingerprint of which ones (macro durability_inputs), and one
    row per reported quarter; no row per person. It runs after
    int_work_durability_cohort; on the next refresh every cohort is recomputed when
    a start quarter or reported quarter that an older cohort read differs (macro
    durability_cutoff_year), only the cohorts that reach the look-back window
    otherwise.
-#}

with

inputs as (

    {{ durability_inputs() }}

),

final as (

    select * from inputs

)

select * from final
