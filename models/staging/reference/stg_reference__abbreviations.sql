with source as (
    select * from {{ ref('abbreviations') }}
),

final as (
    select lower(abbreviation) as abbreviation
    from source
)

select * from final
