with source as (
    select * from {{ ref('stance_codes') }}
),

final as (
    select
        stance_code,
        cameo_code,
        plover_type,
        description as stance_description,
        polarity,
        requires_target as is_target_required
    from source
)

select * from final
