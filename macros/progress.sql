{#-
    The jobs still needed to reach a year-end target, defined once for the
    progress mart (fct_region_progress_quarter, per region) and the national
    progress of the publication layer (pub_progress_cells, NL):
    * required_yearly_pace = (target − growth at the end of the previous year)
      × 0.25 (exact on every engine), never below 0.
    * required_per_remaining_quarter = (target − growth now) / the quarters left
      in the year (exact_ratio), never below 0; NULL when no quarter is left.
-#}
{% macro required_yearly_pace(target, growth_previous_year_end) -%}
    {{ not_below_zero('(' ~ target ~ ' - ' ~ growth_previous_year_end ~ ') * 0.25') }}
{%- endmacro %}

{% macro required_per_remaining_quarter(target, growth, quarters_left) -%}
    case
        when {{ quarters_left }} > 0
            then {{ not_below_zero(exact_ratio(target ~ ' - ' ~ growth, quarters_left)) }}
    end
{%- endmacro %}
