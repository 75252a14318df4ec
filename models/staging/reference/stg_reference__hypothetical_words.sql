with source as (
    select * from {{ ref('hypothetical_words') }}
),

final as (
    select lower(hypothetical_word) as hypothetical_word
    from source
)

select * from final
