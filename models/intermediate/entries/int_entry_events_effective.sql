{#- The event log without the events of retracted load batches. Nothing is
    deleted from raw; a retraction only hides a batch from the models. -#}
with events as (
    select * from {{ ref('stg_liveblog__entry_events') }}
),

retractions as (
    select * from {{ ref('stg_liveblog__retractions') }}
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
        time_source,
        utc_offset,
        body,
        content_hash,
        entry_position,
        source_line,
        published_at_local,
        published_at,
        observed_at
    from events
    where
        load_batch_id not in (
            select retractions.load_batch_id from retractions
        )
)

select * from final
