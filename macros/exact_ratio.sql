{#-
    numerator / denominator as decimal(18, 6), rounded half away from zero, the
    same on every engine; NULL when the denominator is 0 or NULL. Both must be
    exact numbers with at most 6 decimals (counts, jobs, decimal(18, 6)).
    Every published share and percent change and the remaining-quarter pace go
    through it (the yearly pace is × 0.25, a product of decimals, exact already).

    Why dispatched: DuckDB divides decimals (and integers) in double precision, so
    a quotient that ends in a 5 at the 7th decimal (4184.041501 / 2 = 2092.0207505)
    was rounded down on DuckDB (2092.020750) and up on Spark (2092.020751, exact
    decimal division). DuckDB: integer arithmetic on millionths (hugeint), rounded
    half up explicitly. Spark: its decimal division (exact to 20 decimals here),
    cast to 6 decimals HALF_UP.
-#}
{% macro exact_ratio(numerator, denominator) -%}
    {{ return(adapter.dispatch('exact_ratio', 'banenafspraak')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__exact_ratio(numerator, denominator) -%}
    {%- set n = 'cast(cast((' ~ numerator ~ ') as decimal(28, 6)) * 1000000 as hugeint)' -%}
    {%- set d = 'cast(cast((' ~ denominator ~ ') as decimal(28, 6)) * 1000000 as hugeint)' -%}
    case
        when ({{ denominator }}) <> 0
            then cast(
                cast(
                    sign({{ n }}) * sign({{ d }})
                    * ((2 * abs({{ n }}) * 1000000 + abs({{ d }})) // (2 * abs({{ d }})))
                    as decimal(30, 0)
                ) * cast(0.000001 as decimal(7, 6))
                as decimal(18, 6)
            )
    end
{%- endmacro %}

{% macro spark__exact_ratio(numerator, denominator) -%}
    case
        when ({{ denominator }}) <> 0
            then cast(
                cast(({{ numerator }}) as decimal(18, 6))
                / cast(({{ denominator }}) as decimal(18, 6))
                as decimal(18, 6)
            )
    end
{%- endmacro %}
