{#-
    The scale of the national baseline, targets and beschut werk quota in use.
    Real data (raw_path set): 1, the real national figures. The demo (a few
    thousand persons): var demo_reference_scale (0.006, the demo's jobs against
    the country's), so that job growth and the jobs still needed are of the
    demo's size. Var reference_scale overrides both.
-#}
{% macro reference_scale() -%}
    {%- if var('reference_scale', '') not in ['', none] -%}
        {{ return(var('reference_scale') | float) }}
    {%- elif var('raw_path', '') -%}
        {{ return(1.0) }}
    {%- else -%}
        {{ return(var('demo_reference_scale') | float) }}
    {%- endif -%}
{%- endmacro %}

{#- A national figure in use: the figure times reference_scale(), rounded half up. -#}
{% macro scaled(column) -%}
    cast(floor({{ column }} * {{ reference_scale() }} + 0.5) as bigint)
{%- endmacro %}
