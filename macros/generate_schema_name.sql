{#-
    Relations live in the schema named in their config (raw, staging,
    intermediate, marts, audit, reference), not in "<target schema>_<name>":
    BI tools and auditors rely on the exact schema names of the marts contract.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
