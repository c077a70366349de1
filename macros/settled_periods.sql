{#-
    Overlaps settled once per person, on runs of quarters instead of on every
    person × quarter: `relation` has one row per spell (or residence) with
    person_id, first_held_quarter_index, last_held_quarter_index (NULL: still
    holds) and precedence (higher wins where two hold on the same peildatum).
    Returns one row per person and period (first_quarter_index ..
    last_quarter_index, NULL: open) in which the same rows hold, with `values`
    of the holding row of highest precedence; periods where nothing holds are
    left out. Every start and every end of a row is a boundary, so a row that
    holds at a period's start holds throughout it, and spreading the periods
    over quarters gives each person × quarter once, without grouping the
    (millions of) person × quarter rows. Portable SQL (lead, union, max_by).
-#}
{% macro settled_periods(relation, values) -%}
    select
        periods.person_id,
        periods.first_quarter_index,
        periods.last_quarter_index,
        {%- for value in values %}
        max_by(held.{{ value }}, held.precedence) as {{ value }}{{ "," if not loop.last }}
        {%- endfor %}

    from (
        select
            boundaries.person_id,
            boundaries.boundary as first_quarter_index,
            lead(boundaries.boundary) over (
                partition by boundaries.person_id order by boundaries.boundary
            ) - 1 as last_quarter_index

        from (
            select starts.person_id, starts.first_held_quarter_index as boundary
            from {{ relation }} as starts
            where
                starts.last_held_quarter_index is null
                or starts.last_held_quarter_index >= starts.first_held_quarter_index
            union
            select ends.person_id, ends.last_held_quarter_index + 1 as boundary
            from {{ relation }} as ends
            where ends.last_held_quarter_index >= ends.first_held_quarter_index
        ) as boundaries
    ) as periods
    inner join {{ relation }} as held
        on periods.person_id = held.person_id
        and held.first_held_quarter_index <= periods.first_quarter_index
        and (
            held.last_held_quarter_index is null
            or held.last_held_quarter_index >= periods.first_quarter_index
        )
    group by 1, 2, 3
{%- endmacro %}
