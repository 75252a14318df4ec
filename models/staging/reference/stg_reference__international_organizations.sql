with source as (
    select * from {{ ref('international_organizations') }}
),

renamed as (
    select
        organization_code,
        organization_name,
        organization_type,
        aliases,
        'org-' || lower(organization_code) as actor_id
    from source
),

final as (
    select
        actor_id,
        organization_code,
        organization_name,
        organization_type,
        aliases
    from renamed
)

select * from final
