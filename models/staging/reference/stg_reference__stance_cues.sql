{#- The curated cues and the CAMEO-derived ones (python -m
    liveledger.dictionaries.cues), which leaves out every phrase the curated
    seed has. -#}
with curated as (
    select * from {{ ref('stance_cues') }}
),

cameo as (
    select * from {{ ref('cameo_cues') }}
),

final as (
    select
        cue_phrase,
        stance_code,
        cue_form,
        'stance_cues' as cue_source
    from curated
    union all
    select
        cue_phrase,
        stance_code,
        cue_form,
        'cameo_cues' as cue_source
    from cameo
)

select * from final
