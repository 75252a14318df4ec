{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='append_new_columns'
) }}
{#- One row per dbt invocation that built the marts: when, with which dbt,
    as of which record time, and what the marts held. Appended and kept on
    full refreshes, so `liveledger status` can say when the marts were last
    built, and `liveledger build` can tell that seeds or models changed. -#}
with entries as (
    select * from {{ ref('fct_entries') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

stances as (
    select * from {{ ref('fct_stances') }}
),

final as (
    select
        '{{ invocation_id }}' as build_id,
        '{{ dbt_version }}' as dbt_version,
        '{{ target.name }}' as target_name,
        '{{ var("logic_hash", "") }}' as logic_hash,
        (select count(*) from entries) as entry_count,
        (
            select count(*) from actors
            where stance_count > 0
        ) as actor_count,
        (select count(*) from stances) as stance_count,
        {{ 'true' if flags.FULL_REFRESH else 'false' }} as is_full_refresh,
        {% if var('as_of', none) -%}
            cast(
                '{{ var("as_of") | replace("T", " ") | replace("Z", "") }}'
                as timestamp
            )
        {%- else -%}
            cast(null as timestamp)
        {%- endif %} as as_of,
        {{ liveledger.utc_now() }} as built_at
)

select * from final
