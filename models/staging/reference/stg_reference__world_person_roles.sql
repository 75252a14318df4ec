with source as (
    select * from {{ ref('world_person_roles') }}
),

final as (
    select
        actor_id,
        organization_actor_id,
        role_title,
        valid_from,
        valid_to
    from source
)

select * from final
