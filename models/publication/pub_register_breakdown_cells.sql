{#-
    The register breakdowns (fct_register_breakdowns_quarter) as long cells:
    one row per quarter × region × target group × `<breakdown>:<class>` (e.g.
    `age_class:<27`, `sector:market`) × measure, before any total. Age and
    gender split persons_registered, persons_working and jobs; the job
    characteristics split persons_working and jobs only (their
    persons_registered is NULL in the mart and gives no cell here). Published
    nationally only, per group and for all groups (pub_additive_cells): per
    region most classes are a handful of persons.
-#}

{%- set measures = ['persons_registered', 'persons_working', 'jobs'] %}

with

breakdowns as (

    select * from {{ ref('fct_register_breakdowns_quarter') }}

),

unpivoted as (

    {{ unpivot(
        'breakdowns',
        ['breakdowns.quarter_label as period', 'breakdowns.quarter_end_date as period_end_date',
         'breakdowns.region_code', 'breakdowns.target_group',
         dbt.concat(['breakdowns.breakdown', "':'", 'breakdowns.class']) ~ ' as breakdown'],
        measures
    ) }}

),

final as (

    select
        unpivoted.*,
        true as per_group_nationally_only

    from unpivoted
    where unpivoted.exact_value is not null

)

select * from final
