with source as (
    select * from {{ source('liveblog', 'load_batches') }}
),

final as (
    select
        load_batch_id,
        blog_id,
        source_path,
        source_name,
        source_sha256,
        parser_version,
        headline,
        dateline,
        date_source,
        time_zone,
        time_zone_source,
        time_zone_option,
        source_bytes,
        entries_seen,
        entries_appended,
        entries_already_present,
        entries_rejected,
        entries_removed,
        other_rejects,
        blog_date,
        date_option,
        observed_at,
        started_at,
        committed_at,
        entries_rejected > 0 or other_rejects > 0 as has_rejects
    from source
    {{ liveledger.as_of_filter('observed_at') }}
)

select * from final
