with source as (
    select * from {{ source('liveblog', 'entry_events') }}
),

final as (
    select
        event_id,
        entry_key as entry_id,
        blog_id,
        load_batch_id,
        event_type,
        time_marker,
        time_zone,
        time_source,
        utc_offset,
        body,
        content_hash,
        entry_position,
        source_line,
        published_at_local,
        published_at,
        observed_at
    from source
    {{ liveledger.as_of_filter('observed_at') }}
)

select * from final
