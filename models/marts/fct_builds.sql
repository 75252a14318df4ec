{{ config(materialized='incremental', unique_key=none) }}
{#- One row per dbt invocation that built the marts: when, with which dbt,
    and what the marts held. Appended, never rewritten, so `liveledger
    status` can say when the marts were last built. -#}
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
        (select count(*) from entries) as entry_count,
        (
            select count(*) from actors
            where stance_count > 0
        ) as actor_count,
        (select count(*) from stances) as stance_count,
        {{ liveledger.utc_now() }} as built_at
)

select * from final
