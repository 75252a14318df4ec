with source as (
    select * from {{ ref('world_people') }}
),

final as (
    select
        actor_id,
        actor_name,
        country_code
    from source
)

select * from final
