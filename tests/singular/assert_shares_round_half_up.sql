-- Every published share is its count over its base rounded to 6 decimals, half
-- up: with s the share in millionths, 2·a·10^6 lies in [(2s − 1)·b, (2s + 1)·b).
-- Integer arithmetic only, so the check is exact on every engine (a division
-- in double precision, as DuckDB's, can round a tie at the 7th decimal down).
-- Returns the shares that are not.

with

durability as (

    select * from {{ ref('fct_work_durability_year') }}

),

participation as (

    select * from {{ ref('fct_participation_year') }}

),

sheltered as (

    select * from {{ ref('fct_sheltered_work_quarter') }}

),

shares as (

    select
        'fct_work_durability_year.share_still_working' as share_name,
        persons_still_working as part,
        persons_started as base,
        share_still_working as share
    from durability

    union all

    select
        'fct_work_durability_year.share_same_job' as share_name,
        persons_same_job as part,
        persons_started as base,
        share_same_job as share
    from durability

    union all

    select
        'fct_participation_year.share_working' as share_name,
        persons_working as part,
        persons_registered as base,
        share_working as share
    from participation

    union all

    select
        'fct_sheltered_work_quarter.share_working' as share_name,
        persons_working_sheltered as part,
        valid_positive_advices as base,
        share_working as share
    from sheltered

),

in_millionths as (

    select
        share_name,
        part,
        base,
        share,
        cast(part as bigint) * 2000000 as twice_part_scaled,
        cast(share * 1000000 as bigint) as share_millionths
    from shares
    where base > 0

),

final as (

    select * from in_millionths
    where share is null
        or twice_part_scaled < (2 * share_millionths - 1) * base
        or twice_part_scaled >= (2 * share_millionths + 1) * base

)

select * from final
