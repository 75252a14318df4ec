with source as (
    select * from {{ ref('international_organizations') }}
),

final as (
    select
        'org-' || lower(organization_code) as actor_id,
        organization_code,
        organization_name,
        organization_type,
        aliases
    from source
)

select * from final
