{#-
    The beschut werk quota file a user supplies (var sheltered_work_quota_csv) is
    complete and sound: one row per failure, naming the municipality, the year and
    the rule it breaks. No rows without the var (the staging model is empty).
    Arguments: municipalities_model (the municipalities of the indeling, seed
    municipality_region). Rules (macro supplied_input_failures): missing_value,
    unreadable_value (not a whole number or not a four-digit year), negative_value,
    unknown_municipality (not a municipality of the indeling), duplicate_row
    (municipality and year twice), missing_municipality (a year of the file without
    a line for a municipality of the indeling), year_gap (a year between the first
    and the last of the file without lines).
-#}
{% test supplied_sheltered_work_quota_valid(model, municipalities_model) %}

with

failures as (

    {{ supplied_input_failures(model, 'gemeente_code', 'municipality', municipalities_model,
                               'calendar_year', ['quota_places']) }}

)

select * from failures

{% endtest %}
