{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Stance cue phrases found in sentences, with their stance code and
    whether a negation ("not", "doesn't", "declined") stands in the three
    tokens before the cue. -#}
with new_matches as (
    select * from {{ ref('int_phrases_matched') }}
    {{ liveledger.new_batches_only() }}
),

matches as (
    select * from new_matches
    where phrase_kind = 'cue'
),

stance_codes as (
    select * from {{ ref('stg_reference__stance_codes') }}
),

tokens as (
    select * from {{ ref('int_entry_tokens_split') }}
),

final as (
    select
        matches.phrase_match_id as cue_id,
        matches.event_id,
        matches.load_batch_id,
        matches.phrase_key as stance_code,
        matches.phrase as cue_phrase,
        stance_codes.polarity,
        matches.sentence_index,
        matches.start_token_index,
        matches.end_token_index,
        matches.char_start,
        matches.char_end,
        stance_codes.is_target_required,
        coalesce(tokens.has_negation_before, false) as is_negated,
        coalesce(tokens.has_hypothetical_before, false) as is_hypothetical
    from matches
    inner join stance_codes
        on matches.phrase_key = stance_codes.stance_code
    inner join tokens
        on
            matches.event_id = tokens.event_id
            and matches.start_token_index = tokens.token_index
)

select * from final
