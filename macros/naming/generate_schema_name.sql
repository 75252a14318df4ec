{#- Schemas are named exactly as the layer (raw, staging, intermediate,
    marts, reference), not prefixed with the target schema, so analysts and
    BI tools find `marts.fct_stances` whatever the target is called. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
