with source as (
    select * from {{ ref('stance_cues') }}
),

final as (
    select
        cue_phrase,
        stance_code,
        cue_form
    from source
)

select * from final
