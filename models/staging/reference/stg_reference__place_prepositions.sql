with source as (
    select * from {{ ref('place_prepositions') }}
),

final as (
    select lower(preposition) as preposition
    from source
)

select * from final
