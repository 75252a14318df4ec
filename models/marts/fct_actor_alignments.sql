{#- Who stood where toward whom, per local day: one row per source actor,
    target actor (null for calls for dialogue with no one singled out) and
    local date of the event's first report. It counts stance events, not
    sentences (a position restated in twelve entries counts once): every
    event of fct_stance_events is counted once, in exactly one of
    supporting, opposing, neutral or unclaimed (negated or hypothetical
    reports that claim nothing); net polarity sums the events' polarities
    and report_count says how often they were reported. -#}
with stance_events as (
    select * from {{ ref('fct_stance_events') }}
),

dated as (
    select
        stance_events.*,
        cast(stance_events.first_reported_at_local as date) as local_date
    from stance_events
),

final as (
    select
        actor_id
        || '|' || coalesce(target_actor_id, '')
        || '|' || cast(local_date as {{ dbt.type_string() }})
            as alignment_id,
        actor_id,
        target_actor_id,
        min(source_group_id) as source_group_id,
        min(target_group_id) as target_group_id,
        {{ liveledger.string_agg_ordered(
            'stance_event_id', 'stance_event_id', "','") }}
            as stance_event_ids,
        cast(count(*) as integer) as event_count,
        cast(sum(report_count) as integer) as report_count,
        cast(sum(case when polarity = 1 then 1 else 0 end) as integer)
            as supporting_count,
        cast(sum(case when polarity = -1 then 1 else 0 end) as integer)
            as opposing_count,
        cast(sum(case when polarity = 0 then 1 else 0 end) as integer)
            as neutral_count,
        cast(sum(case when polarity is null then 1 else 0 end) as integer)
            as unclaimed_count,
        cast(coalesce(sum(polarity), 0) as integer) as net_polarity,
        local_date,
        min(first_reported_at) as first_published_at,
        max(last_reported_at) as last_published_at
    from dated
    group by actor_id, target_actor_id, local_date
)

select * from final
