{#- Every observed version of every entry, numbered in the order liveledger
    observed them; the newest version of each entry is the current one. -#}
with events as (
    select * from {{ ref('stg_liveblog__entry_events') }}
),

versioned as (
    select
        events.*,
        row_number() over (
            partition by events.entry_id
            order by events.observed_at, events.load_batch_id
        ) as version_number,
        lead(events.observed_at) over (
            partition by events.entry_id
            order by events.observed_at, events.load_batch_id
        ) as superseded_at
    from events
),

final as (
    select
        event_id,
        entry_id,
        blog_id,
        load_batch_id,
        event_type,
        time_marker,
        time_zone,
        body,
        content_hash,
        version_number,
        entry_position,
        source_line,
        published_at_local,
        published_at,
        observed_at,
        superseded_at,
        superseded_at is null as is_current
    from versioned
)

select * from final
