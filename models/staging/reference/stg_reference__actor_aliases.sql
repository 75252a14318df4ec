with source as (
    select * from {{ ref('actor_aliases') }}
),

final as (
    select
        actor_id,
        alias,
        alias_type
    from source
)

select * from final
