{#- Record-time filters for event sourcing.

    as_of_filter: with `--vars '{as_of: "2019-01-24T14:00:00Z"}'` every
    staging model of the event log keeps only what liveledger had recorded
    by that instant (UTC), so the marts come out as a build at that moment
    would have made them. Without the var it filters nothing.

    new_batches_only: in an incremental run, keep only rows of load batches
    the model has not processed yet. Text-derived rows belong to one entry
    version, and a version never changes, so appending is exact. -#}

{% macro as_of_filter(column) -%}
    {%- set as_of = var('as_of', none) -%}
    {%- if as_of -%}
        where {{ column }} <= cast('{{ as_of | replace("T", " ") | replace("Z", "") }}' as timestamp)
    {%- endif -%}
{%- endmacro %}

{% macro new_batches_only(column='load_batch_id') -%}
    {%- if is_incremental() -%}
        where {{ column }} not in (select processed.load_batch_id from {{ this }} as processed)
    {%- endif -%}
{%- endmacro %}
