with source as (
    select * from {{ ref('agent_nouns') }}
),

final as (
    select lower(agent_noun) as agent_noun
    from source
)

select * from final
