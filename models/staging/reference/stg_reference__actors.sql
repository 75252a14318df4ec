with source as (
    select * from {{ ref('actors') }}
),

final as (
    select
        actor_id,
        affiliation_actor_id,
        actor_name,
        actor_type,
        country_code,
        description as actor_description
    from source
)

select * from final
