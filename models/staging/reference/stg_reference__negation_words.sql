with source as (
    select * from {{ ref('negation_words') }}
),

final as (
    select lower(negation_word) as negation_word
    from source
)

select * from final
