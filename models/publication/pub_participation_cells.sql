{#-
    Yearly participation: the share working on the Q4 peildatum per region (or
    NL) × target group (or `all`), derived from the Q4 stock cells of
    pub_additive_cells (the counts themselves are those quarterly cells). One
    row per year × region × target group; the period is the year, ending on 31
    December.
-#}

with

additive as (

    select * from {{ ref('pub_additive_cells') }}

),

year_rows as (

    select
        additive.period,
        additive.region_code,
        additive.target_group,
        max(case when additive.measure = 'persons_registered' then additive.exact_value end)
            as persons_registered,
        max(case when additive.measure = 'persons_working' then additive.exact_value end)
            as persons_working

    from additive
    where additive.measure in ('persons_registered', 'persons_working')
        and additive.breakdown = 'all'
        and substring(additive.period, 5, 2) = 'Q4'
    group by 1, 2, 3

),

final as (

    select
        substring(year_rows.period, 1, 4) as period,
        make_date(cast(substring(year_rows.period, 1, 4) as integer), 12, 31) as period_end_date,
        year_rows.region_code,
        year_rows.target_group,
        'all' as breakdown,
        'share_working' as measure,
        {{ exact_ratio('year_rows.persons_working', 'year_rows.persons_registered') }}
            as exact_value,
        'derived' as value_kind

    from year_rows

)

select * from final
