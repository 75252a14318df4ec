with source as (
    select * from {{ ref('titles') }}
),

final as (
    select lower(title_word) as title_word
    from source
)

select * from final
