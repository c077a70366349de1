{#-
    Every figure the public layer may show, exact, as one cell each in long
    format, with the totals a public table shows: one row per period × area
    (a region, UNKNOWN, NL for the national total, or a province PVxx /
    PVUNKNOWN in region_code, for all groups only) × target group (a group,
    or `all`) × breakdown (a flow reason `inflow:<reason>` / `outflow:<reason>`,
    else `all`) × measure (the mart's column name).
    The union of the publication layer (models/publication/, one model per mart
    family); the disclosure control (scripts/disclosure.py) reads this model and
    decides which cells the public sees (publication.figures); internal users
    keep the exact marts.
    value_kind tells the disclosure control how to treat a cell: `count`
    (persons: primary suppression when 1 to 9 contribute), `amount` (jobs:
    suppressed when the cell's working persons are), `derived` (computed from
    other cells: hidden when one of them is) and `reference` (baseline, targets,
    quota: public reference data, always shown).
-#}

{%- set quarterly = [
    'pub_additive_cells', 'pub_province_cells', 'pub_progress_cells', 'pub_sheltered_work_cells'
] %}
{%- set other = [('cohort_year', 'pub_durability_cells'), ('year', 'pub_participation_cells')] %}

with

cells as (

    {% for model in quarterly -%}
    select
        'quarter' as period_type,
        {{ model }}.*
    from {{ ref(model) }} as {{ model }}

    union all

    {% endfor -%}
    {% for period_type, model in other -%}
    select
        '{{ period_type }}' as period_type,
        {{ model }}.*
    from {{ ref(model) }} as {{ model }}
    {%- if not loop.last %}

    union all
    {% endif %}

    {% endfor %}
),

final as (

    select
        cast(cells.period_type as {{ dbt.type_string() }}) as period_type,
        cast(cells.period as {{ dbt.type_string() }}) as period,
        cells.period_end_date,
        cast(cells.region_code as {{ dbt.type_string() }}) as region_code,
        cast(cells.target_group as {{ dbt.type_string() }}) as target_group,
        cast(cells.breakdown as {{ dbt.type_string() }}) as breakdown,
        cast(cells.measure as {{ dbt.type_string() }}) as measure,
        cast(cells.exact_value as decimal(18, 6)) as exact_value,
        cast(cells.value_kind as {{ dbt.type_string() }}) as value_kind

    from cells

)

select * from final
