{#- One row per version of an entry: every event that gives an entry new
    content (added, revised, restored), valid on the record-time axis from
    when liveledger observed it until the entry's next change (a revision
    with different text, or a removal). The version with no end is current.
    An event that repeats the text already in force (possible once a load
    in between was retracted) does not start a new version. -#}
with events as (
    select * from {{ ref('int_entry_events_effective') }}
),

sequenced as (
    select
        events.*,
        lag(events.event_type) over entry_events as previous_event_type,
        lag(events.content_hash) over entry_events as previous_content_hash
    from events
    window entry_events as (
        partition by events.entry_id
        order by events.observed_at, events.load_batch_id
    )
),

changes as (
    select sequenced.*
    from sequenced
    where
        sequenced.previous_event_type is null
        or sequenced.previous_event_type = 'entry_removed'
        or sequenced.event_type = 'entry_removed'
        or sequenced.content_hash <> sequenced.previous_content_hash
),

bounded as (
    select
        changes.*,
        lead(changes.observed_at) over entry_changes as next_observed_at,
        lead(changes.event_type) over entry_changes as next_event_type
    from changes
    window entry_changes as (
        partition by changes.entry_id
        order by changes.observed_at, changes.load_batch_id
    )
),

versions as (
    select
        bounded.*,
        cast(row_number() over (
            partition by bounded.entry_id
            order by bounded.observed_at, bounded.load_batch_id
        ) as bigint) as version_number
    from bounded
    where bounded.event_type <> 'entry_removed'
),

final as (
    select
        event_id,
        entry_id,
        blog_id,
        load_batch_id,
        event_type,
        next_event_type as ended_by,
        time_marker,
        time_zone,
        time_source,
        utc_offset,
        body,
        content_hash,
        version_number,
        entry_position,
        source_line,
        published_at_local,
        published_at,
        observed_at as valid_from,
        next_observed_at as valid_to,
        next_observed_at is null as is_current
    from versions
)

select * from final
