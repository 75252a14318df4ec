with source as (
    select * from {{ ref('pronouns') }}
),

final as (
    select lower(pronoun) as pronoun
    from source
)

select * from final
