with source as (
    select * from {{ ref('pronouns') }}
),

final as (
    select
        is_subject as is_subject_pronoun,
        lower(pronoun) as pronoun
    from source
)

select * from final
