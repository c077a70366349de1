{#-
    Person level, long: for every person registered on a peildatum, the parts
    they add to each breakdown class of the quarter's cell
    (docs/definitions.md#breakdowns). Rows per person × quarter × breakdown ×
    class (the job breakdowns: the person's own row by the main employment, and
    a row of hours per employment and value), with is_registered (1, or NULL
    for the job breakdowns), is_working (0 or 1) and paid_hours (the regular
    paid hours counted in that class). The rules are written once, in the
    macro breakdown_parts (macros/breakdowns.sql); fct_register_breakdowns_quarter
    sums the same parts with breakdown_parts(grouped=true). This view is the
    auditors' trace from a breakdown cell to its persons.
-#}

with

{{ breakdown_parts() }},

final as (

    select
        parts.person_id,
        parts.quarter_index,
        parts.region_code,
        parts.target_group,
        cast(parts.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(parts.class as {{ dbt.type_string() }}) as class,
        parts.is_registered,
        parts.is_working,
        parts.paid_hours

    from parts

)

select * from final
