{#- Stances with what their source and target speak for at the time of the
    entry: a person's role valid on the entry's local date (from the roles
    seed) wins over the default affiliation in the actors seed, so Borrell
    speaks for Spain in January 2019 and for the EU in 2020. -#}
with stances as (
    select * from {{ ref('int_stances_expanded') }}
),

versions as (
    select
        event_id,
        published_at_local,
        published_at,
        valid_from,
        is_current
    from {{ ref('int_entries_versioned') }}
),

actors as (
    select * from {{ ref('int_actors_unioned') }}
),

groups as (
    select * from {{ ref('int_actor_groups_assigned') }}
),

roles as (
    select * from {{ ref('int_actor_roles_unioned') }}
),

dated as (
    select
        stances.*,
        versions.published_at,
        versions.valid_from as version_observed_at,
        versions.is_current as is_current_version,
        cast(versions.published_at_local as date) as entry_date
    from stances
    inner join versions
        on stances.event_id = versions.event_id
),

role_matches as (
    select
        dated.stance_id,
        roles.actor_id,
        roles.organization_actor_id,
        row_number() over (
            partition by dated.stance_id, roles.actor_id
            order by roles.valid_from desc
        ) as recency
    from dated
    inner join roles
        on
            roles.actor_id in (dated.actor_id, dated.target_actor_id)
            and dated.entry_date >= roles.valid_from
            and (roles.valid_to is null or dated.entry_date <= roles.valid_to)
),

speakers as (
    select
        dated.*,
        coalesce(
            source_roles.organization_actor_id,
            source_actors.affiliation_actor_id
        ) as source_affiliation_actor_id,
        coalesce(
            target_roles.organization_actor_id,
            target_actors.affiliation_actor_id
        ) as target_affiliation_actor_id
    from dated
    inner join actors as source_actors
        on dated.actor_id = source_actors.actor_id
    left join actors as target_actors
        on dated.target_actor_id = target_actors.actor_id
    left join role_matches as source_roles
        on
            dated.stance_id = source_roles.stance_id
            and dated.actor_id = source_roles.actor_id
            and source_roles.recency = 1
    left join role_matches as target_roles
        on
            dated.stance_id = target_roles.stance_id
            and dated.target_actor_id = target_roles.actor_id
            and target_roles.recency = 1
),

grouped as (
    select
        speakers.stance_id,
        speakers.event_id,
        speakers.load_batch_id,
        speakers.actor_id,
        speakers.target_actor_id,
        speakers.source_mention_id,
        speakers.target_mention_id,
        speakers.reported_by_actor_id,
        speakers.source_affiliation_actor_id,
        speakers.target_affiliation_actor_id,
        speakers.stance_code,
        speakers.cue_phrase,
        speakers.cue_form,
        speakers.rule_id,
        speakers.polarity,
        speakers.sentence_index,
        speakers.cue_char_start,
        speakers.cue_char_end,
        speakers.is_negated,
        speakers.is_hypothetical,
        speakers.is_background,
        speakers.is_reported,
        speakers.entry_date,
        speakers.published_at,
        speakers.version_observed_at,
        speakers.is_current_version,
        coalesce(
            source_affiliation_groups.alignment_group_id,
            source_groups.alignment_group_id
        ) as source_group_id,
        coalesce(
            target_affiliation_groups.alignment_group_id,
            target_groups.alignment_group_id
        ) as target_group_id
    from speakers
    inner join groups as source_groups
        on speakers.actor_id = source_groups.actor_id
    left join groups as source_affiliation_groups
        on
            speakers.source_affiliation_actor_id
            = source_affiliation_groups.actor_id
    left join groups as target_groups
        on speakers.target_actor_id = target_groups.actor_id
    left join groups as target_affiliation_groups
        on
            speakers.target_affiliation_actor_id
            = target_affiliation_groups.actor_id
),

-- a stance of a group toward itself ("Libya's envoy ... condemned Libya",
-- a minister and the government he serves) is no position between actors:
-- the two ends speak for the same side
final as (
    select * from grouped
    where target_group_id is null or target_group_id <> source_group_id
)

select * from final
