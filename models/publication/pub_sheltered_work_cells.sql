{#-
    Beschut werk beyond the counts: the share working (`derived`) and the quota
    (`reference`) per region and nationally (NL: the ratio of the national
    sums, and the sum of the quotas). One row per quarter × region (or NL) ×
    measure. The counts themselves: pub_sheltered_work_count_cells.
-#}

with

sheltered as (

    select * from {{ ref('fct_sheltered_work_quarter') }}

),

regions_and_national as (

    select
        sheltered.quarter_label,
        sheltered.quarter_end_date,
        sheltered.region_code,
        sheltered.share_working,
        sheltered.quota

    from sheltered

    union all

    select
        sheltered.quarter_label,
        sheltered.quarter_end_date,
        'NL' as region_code,
        {{ exact_ratio('sum(sheltered.persons_working_sheltered)',
                       'sum(sheltered.valid_positive_advices)') }} as share_working,
        sum(sheltered.quota) as quota

    from sheltered
    group by 1, 2

),

unpivoted as (

    {{ unpivot(
        'regions_and_national',
        ['regions_and_national.quarter_label as period',
         'regions_and_national.quarter_end_date as period_end_date',
         'regions_and_national.region_code', "'all' as target_group", "'all' as breakdown"],
        public_measures('fct_sheltered_work_quarter', ['derived', 'reference'])
    ) }}

),

final as (

    select
        unpivoted.*,
        {{ public_value_kind('unpivoted.measure', ['fct_sheltered_work_quarter']) }} as value_kind

    from unpivoted

)

select * from final
