{#- The raw event log as a source on engines that do not hold it.

    The loader writes DuckDB only; there the `liveblog` source is the
    `raw` schema itself and this does nothing. On Spark, `liveledger
    export-raw` has written each raw table as Parquet to
    LIVELEDGER_RAW_PARQUET/<table>/ (default warehouse/spark/raw), and this
    on-run-start hook (re)creates `raw.<table>` as a view over that folder,
    so `source('liveblog', ...)` reads the same columns on both engines.
    The tables come from the source definition, not from a list here. A
    view re-reads the folder on every query, so a fresh export is picked
    up by the next build without refreshing anything. -#}
{% macro mount_raw_sources() -%}
    {{ return(adapter.dispatch('mount_raw_sources', 'liveledger')()) }}
{%- endmacro %}

{% macro default__mount_raw_sources() -%}
    select 1 as nothing_to_mount
{%- endmacro %}

{% macro spark__mount_raw_sources() -%}
    {%- if execute -%}
        {%- set root = env_var('LIVELEDGER_RAW_PARQUET', 'warehouse/spark/raw') -%}
        {%- set tables = [] -%}
        {%- for source in graph.sources.values() -%}
            {%- if source.source_name == 'liveblog' -%}
                {%- do tables.append(source) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for source in tables -%}
            {%- if loop.first -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- endif -%}
            {%- set path = root.rstrip('/') ~ '/' ~ source.identifier -%}
            {%- do run_query(
                'create or replace view ' ~ source.schema ~ '.' ~ source.identifier
                ~ ' as select * from parquet.`' ~ path ~ '`'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as raw_sources_mounted
{%- endmacro %}
