{#- Every observed version of every entry, numbered in the order liveledger
    observed them; the newest version of each entry is the current one. -#}
with events as (
    select * from {{ ref('stg_liveblog__entry_events') }}
),

versioned as (
    select
        events.*,
        row_number() over (
            partition by entry_id order by observed_at, load_batch_id
        ) as version_number,
        lead(observed_at) over (
            partition by entry_id order by observed_at, load_batch_id
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
        superseded_at is null as is_current,
        published_at_local,
        published_at,
        observed_at,
        superseded_at
    from versioned
)

select * from final
