with source as (
    select * from {{ ref('speech_verbs') }}
),

final as (
    select lower(speech_verb) as speech_verb
    from source
)

select * from final
