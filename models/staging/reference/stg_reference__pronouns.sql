with source as (
    select * from {{ ref('pronouns') }}
),

final as (
    select
        lower(pronoun) as pronoun,
        is_subject as is_subject_pronoun
    from source
)

select * from final
