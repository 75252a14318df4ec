with source as (
    select * from {{ ref('world_person_aliases') }}
),

final as (
    select
        actor_id,
        alias as alias_name,
        alias_type
    from source
)

select * from final
