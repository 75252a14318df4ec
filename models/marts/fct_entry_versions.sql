{#- Every version of every entry on two time axes: when the blog says it
    was published (`published_at`) and when liveledger knew it (valid from
    the snapshot that showed this text until the next revision or removal). -#}
with versions as (
    select * from {{ ref('int_entries_versioned') }}
),

final as (
    select
        event_id as entry_version_id,
        entry_id,
        blog_id,
        load_batch_id,
        event_type,
        ended_by,
        time_marker,
        time_zone,
        body,
        content_hash,
        version_number,
        is_current,
        published_at_local,
        published_at,
        valid_from,
        valid_to
    from versions
)

select * from final
