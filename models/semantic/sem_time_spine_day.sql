{#-
    One row per day from 2000-01-01 to 2049-12-31: the time spine MetricFlow
    needs (metric_time, offset windows). Plain SQL over the portable
    integer_series, so it also builds on Spark.
-#}

with

numbers as (

    {{ integer_series(18263) }}

),

final as (

    select
        cast(
            {{ dbt.dateadd('day', 'numbers.n', "cast('2000-01-01' as date)") }}
            as date
        ) as date_day

    from numbers

)

select * from final
