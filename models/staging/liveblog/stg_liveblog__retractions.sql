with source as (
    select * from {{ source('liveblog', 'retractions') }}
),

final as (
    select
        load_batch_id,
        reason as retraction_reason,
        retracted_at
    from source
    {{ liveledger.as_of_filter('retracted_at') }}
)

select * from final
