{#- One row per live-blog entry in its current version: entries whose latest
    event was a removal, and events of retracted loads, are left out. -#}
with versions as (
    select * from {{ ref('int_entries_versioned') }}
),

version_counts as (
    select
        entry_id,
        count(*) as version_count,
        min(valid_from) as first_observed_at
    from versions
    group by entry_id
),

final as (
    select
        versions.entry_id,
        versions.blog_id,
        versions.event_id as current_event_id,
        versions.load_batch_id,
        versions.time_marker,
        versions.time_zone,
        versions.time_source,
        versions.utc_offset,
        versions.body,
        versions.content_hash,
        versions.entry_position,
        version_counts.version_count,
        versions.published_at_local,
        versions.published_at,
        version_counts.first_observed_at,
        versions.valid_from as last_changed_at
    from versions
    inner join version_counts
        on versions.entry_id = version_counts.entry_id
    where versions.is_current
)

select * from final
