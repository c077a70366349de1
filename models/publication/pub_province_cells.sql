{#-
    The register stocks per province (fct_province_quarter) as long cells, for
    all target groups together: one row per quarter × province × measure
    (persons_registered, persons_working, persons_not_working, jobs). The
    province is `region_code` (`PV20` … `PV31`; `PVUNKNOWN` for the persons
    without a residence or in a municipality without a province), so the BI
    long table keeps one area column. Provinces add up to NL beside the
    regions (a second hierarchy the disclosure control knows). Per target group
    a province's UNKNOWN cells are a handful of persons that the protection
    could not cover; municipalities are not public (see docs/disclosure.md).
-#}

{%- set measures = ['persons_registered', 'persons_working', 'persons_not_working', 'jobs'] %}

with

provinces as (

    select * from {{ ref('fct_province_quarter') }}

),

all_groups as (

    select
        provinces.quarter_label,
        provinces.quarter_end_date,
        case
            when provinces.province_code = 'UNKNOWN' then 'PVUNKNOWN'
            else provinces.province_code
        end as region_code,
        sum(provinces.persons_registered) as persons_registered,
        sum(provinces.persons_working) as persons_working,
        sum(provinces.persons_registered) - sum(provinces.persons_working) as persons_not_working,
        sum(provinces.jobs) as jobs

    from provinces
    group by 1, 2, 3

),

unpivoted as (

    {{ unpivot(
        'all_groups',
        ['all_groups.quarter_label as period', 'all_groups.quarter_end_date as period_end_date',
         'all_groups.region_code', "'all' as target_group", "'all' as breakdown"],
        measures
    ) }}

),

final as (

    select
        unpivoted.*,
        {{ public_value_kind('unpivoted.measure', ['fct_register_quarter']) }} as value_kind

    from unpivoted

)

select * from final
