{#- Every dated role a person held: the curated roles and the world
    dictionaries' government roles. A person speaks for the organisation of
    the role valid on an entry's date (int_stances_attributed). -#}
with curated as (
    select * from {{ ref('stg_reference__actor_roles') }}
),

world as (
    select * from {{ ref('stg_reference__world_person_roles') }}
),

unioned as (
    select
        actor_id,
        organization_actor_id,
        role_title,
        valid_from,
        valid_to,
        'actor_roles' as role_source
    from curated
    union all
    select
        actor_id,
        organization_actor_id,
        role_title,
        valid_from,
        valid_to,
        'world_person_roles' as role_source
    from world
),

final as (
    select
        actor_id
        || '|' || role_source
        || '|' || role_title
        || '|' || organization_actor_id
        || '|' || coalesce(cast(valid_from as {{ dbt.type_string() }}), '')
            as actor_role_id,
        actor_id,
        organization_actor_id,
        role_title,
        valid_from,
        valid_to,
        role_source
    from unioned
)

select * from final
