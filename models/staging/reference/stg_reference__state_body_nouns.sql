with source as (
    select * from {{ ref('state_body_nouns') }}
),

final as (
    select lower(state_body_noun) as state_body_noun
    from source
)

select * from final
