with source as (
    select * from {{ source('liveblog', 'rejected_input') }}
),

final as (
    select
        reject_id,
        load_batch_id,
        source_path,
        reason_code,
        message,
        raw_text,
        line_number,
        is_entry,
        rejected_at
    from source
    {{ liveledger.as_of_filter('rejected_at') }}
)

select * from final
