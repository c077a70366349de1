{#-
    On the progress mart: per quarter, the regions' year-end targets (total,
    market, government) add up to the national targets in use of that year;
    quarters of years without a national target have no regional target.
    Fails for every quarter where they do not.
    Arguments: national_model (int_national_targets_scaled).
-#}
{% test regional_targets_add_up(model, national_model) %}

with

regional as (

    select
        quarter_label,
        extract(year from quarter_end_date) as target_year,
        sum(target_year_end) as target_total,
        sum(target_year_end_market) as target_market,
        sum(target_year_end_government) as target_government

    from {{ model }}
    group by 1, 2

)

select
    regional.*,
    national.target_total as national_target_total,
    national.target_market as national_target_market,
    national.target_government as national_target_government

from regional
left join {{ national_model }} as national
    on regional.target_year = national.target_year
where coalesce(regional.target_total, -1) <> coalesce(national.target_total, -1)
    or coalesce(regional.target_market, -1) <> coalesce(national.target_market, -1)
    or coalesce(regional.target_government, -1) <> coalesce(national.target_government, -1)

{% endtest %}
