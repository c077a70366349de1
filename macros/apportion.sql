{#-
    Splits an integer amount over the rows of each partition in proportion to a
    weight, in whole numbers that add up exactly to the amount (largest
    remainder method: everyone gets the floor of their exact share, the rows
    with the largest remainders get one more; ties go to the lowest tiebreak).
    Used to split national baselines, targets and quotas over regions or
    municipalities. Returns a relation: the input's columns plus `output` (and helper
    columns `<output>_exact_part`, `_floor_part`, `_remainder_rank`, `_shortfall`).

    Arguments: relation (a CTE name), amount (integer column, the same on every
    row of a partition), weight (numeric column), partition_by (column list as
    text), tiebreak (column), output (name of the result column).
-#}
{% macro apportion(relation, amount, weight, partition_by, tiebreak, output) %}
    select
        ranked.*,
        cast(ranked.{{ output }}_floor_part
            + case when ranked.{{ output }}_remainder_rank <= ranked.{{ output }}_shortfall then 1 else 0 end
            as bigint) as {{ output }}
    from (
        select
            floored.*,
            row_number() over (
                partition by {{ partition_by }}
                order by floored.{{ output }}_exact_part - floored.{{ output }}_floor_part desc, floored.{{ tiebreak }}
            ) as {{ output }}_remainder_rank,
            floored.{{ amount }} - sum(floored.{{ output }}_floor_part) over (partition by {{ partition_by }})
                as {{ output }}_shortfall
        from (
            select
                exact.*,
                floor(exact.{{ output }}_exact_part) as {{ output }}_floor_part
            from (
                select
                    weighted.*,
                    cast(weighted.{{ amount }} as decimal(38, 12))
                        * cast(weighted.{{ weight }} as decimal(38, 12))
                        / sum(cast(weighted.{{ weight }} as decimal(38, 12)))
                            over (partition by {{ partition_by }}) as {{ output }}_exact_part
                from {{ relation }} as weighted
            ) as exact
        ) as floored
    ) as ranked
{% endmacro %}
