{#- One row per actor: countries, governments, international organisations
    and curated people, bodies and groups, with how often the current
    entries mention them and how many stance facts they are the source of. -#}
with actors as (
    select * from {{ ref('int_actors_unioned') }}
),

mentions as (
    select * from {{ ref('int_actor_mentions_matched') }}
),

stances as (
    select * from {{ ref('fct_stances') }}
),

entries as (
    select current_event_id from {{ ref('fct_entries') }}
),

mention_counts as (
    select
        mentions.actor_id,
        count(*) as mention_count
    from mentions
    inner join entries
        on mentions.event_id = entries.current_event_id
    group by mentions.actor_id
),

stance_counts as (
    select
        actor_id,
        count(*) as stance_count
    from stances
    group by actor_id
),

final as (
    select
        actors.actor_id,
        actors.affiliation_actor_id,
        actors.actor_name,
        actors.actor_type,
        actors.country_code,
        actors.actor_description,
        actors.actor_source,
        coalesce(mention_counts.mention_count, 0) as mention_count,
        coalesce(stance_counts.stance_count, 0) as stance_count,
        actors.actor_source <> 'discovered' as is_curated
    from actors
    left join mention_counts
        on actors.actor_id = mention_counts.actor_id
    left join stance_counts
        on actors.actor_id = stance_counts.actor_id
)

select * from final
