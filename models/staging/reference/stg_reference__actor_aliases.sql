with source as (
    select * from {{ ref('actor_aliases') }}
),

final as (
    select
        actor_id,
        alias as alias_name,
        alias_type
    from source
)

select * from final
