with source as (
    select * from {{ ref('clause_breaks') }}
),

final as (
    select lower(clause_break) as clause_break
    from source
)

select * from final
