{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set background_clause_openers =
    "('after', 'which', 'who', 'whose')" %}
{#- Stance cue phrases found in sentences, with their stance code, their
    form (verb or predicate, from the cue seed), the clause they stand in,
    whether a pronoun stands right before them ("says it backs"), the "to"
    of an infinitive they stand in ("urged X to seek dialogue"), and
    whether a negation ("doesn't", "declined to") or a hypothetical word
    ("considering", "would") stands in the six tokens before them.

    is_background (docs/annotation.md): the cue states earlier context, not
    the day's news. A general rule of English tense and clause type, read
    off the two tokens before the cue and the word that opens its clause:
    past perfect ("had offered", "had long backed"), present perfect
    continuous or of duration ("has been propping up", "has long
    shielded"), or a clause opened by "after", "which", "who" or "whose"
    ("a day after the U.S. announced sanctions", "France, which recognized
    the council") that no comma has closed before the cue ("After X
    announced its support, Y broke relations": the breaking is news). -#}
with new_matches as (
    select * from {{ ref('int_phrases_matched') }}
    {{ liveledger.new_batches_only() }}
),

matches as (
    select * from new_matches
    where phrase_kind = 'cue'
),

cue_phrases as (
    select * from {{ ref('stg_reference__stance_cues') }}
),

stance_codes as (
    select * from {{ ref('stg_reference__stance_codes') }}
),

-- the neighbouring tokens of a match belong to its entry version, hence to
-- its load batch: in an incremental run only new batches' tokens are read.
-- Three joins read it: not materialised, each is a narrow scan that streams
-- (materialised, all its rows and columns were held in memory at once).
tokens as {{ liveledger.not_materialized() }} (
    select
        event_id,
        token_index,
        sentence_index,
        clause_index,
        clause_opening_word,
        clause_start_token_index,
        token,
        token_norm,
        has_negation_before,
        has_hypothetical_before,
        is_pronoun,
        is_agent_noun
    from {{ ref('int_entry_tokens_split') }}
    {{ liveledger.new_batches_only() }}
),

-- cues of a subordinate or relative clause ("after", "which", ...) that a
-- comma closed before the cue: the cue is back in the main clause. Only
-- those few cues are joined to the tokens between clause start and cue.
comma_closed_cues as (
    select distinct matches.phrase_match_id
    from matches
    inner join tokens as start_tokens
        on
            matches.event_id = start_tokens.event_id
            and matches.start_token_index = start_tokens.token_index
    inner join tokens as between_tokens
        on
            matches.event_id = between_tokens.event_id
            and start_tokens.clause_start_token_index
            <= between_tokens.token_index
            and matches.start_token_index > between_tokens.token_index
    where
        start_tokens.clause_opening_word in {{ background_clause_openers }}
        and {{ liveledger.regex_matches('between_tokens.token', "'[,;]$'") }}
),

-- the "to" of an infinitive the cue stands in ("called on Qatar and Egypt
-- to settle the dispute through dialogue"): the last "to" of the cue's
-- clause within the eight tokens before it
infinitive_markers as (
    select
        matches.phrase_match_id,
        max(between_tokens.token_index) as infinitive_to_token_index
    from matches
    inner join tokens as start_tokens
        on
            matches.event_id = start_tokens.event_id
            and matches.start_token_index = start_tokens.token_index
    inner join tokens as between_tokens
        on
            matches.event_id = between_tokens.event_id
            and start_tokens.clause_start_token_index
            <= between_tokens.token_index
            and matches.start_token_index > between_tokens.token_index
            and matches.start_token_index - 8 <= between_tokens.token_index
    where between_tokens.token_norm = 'to'
    group by matches.phrase_match_id
),

final as (
    select
        matches.phrase_match_id as cue_id,
        matches.event_id,
        matches.load_batch_id,
        matches.phrase_key as stance_code,
        matches.phrase as cue_phrase,
        cue_phrases.cue_form,
        stance_codes.polarity,
        matches.sentence_index,
        start_tokens.clause_index,
        start_tokens.clause_opening_word,
        start_tokens.clause_start_token_index,
        matches.start_token_index,
        matches.end_token_index,
        matches.char_start,
        matches.char_end,
        stance_codes.is_target_required,
        coalesce(start_tokens.has_negation_before, false) as is_negated,
        coalesce(start_tokens.has_hypothetical_before, false)
            as is_hypothetical,
        coalesce(previous_tokens.is_pronoun, false)
        or coalesce(second_previous_tokens.is_pronoun, false)
            as has_pronoun_before,
        coalesce(previous_tokens.token_norm = 'to', false) as is_infinitive,
        infinitive_markers.infinitive_to_token_index,
        coalesce(
            start_tokens.clause_opening_word in {{ background_clause_openers }}
            and comma_closed_cues.phrase_match_id is null,
            false
        )
        or coalesce(previous_tokens.token_norm = 'had', false)
        or coalesce(second_previous_tokens.token_norm = 'had', false)
        or coalesce(
            previous_tokens.token_norm in ('been', 'long')
            and second_previous_tokens.token_norm in ('has', 'have'),
            false
        ) as is_background,
        coalesce(
            second_previous_tokens.is_agent_noun
            and not {{ liveledger.regex_matches(
                'second_previous_tokens.token', "',$'") }},
            false
        ) as is_after_agent_noun
    from matches
    inner join stance_codes
        on matches.phrase_key = stance_codes.stance_code
    inner join cue_phrases
        on matches.phrase = cue_phrases.cue_phrase
    inner join tokens as start_tokens
        on
            matches.event_id = start_tokens.event_id
            and matches.start_token_index = start_tokens.token_index
    left join tokens as previous_tokens
        on
            matches.event_id = previous_tokens.event_id
            and matches.start_token_index - 1 = previous_tokens.token_index
            and matches.sentence_index = previous_tokens.sentence_index
    left join comma_closed_cues
        on matches.phrase_match_id = comma_closed_cues.phrase_match_id
    left join infinitive_markers
        on matches.phrase_match_id = infinitive_markers.phrase_match_id
    left join tokens as second_previous_tokens
        on
            matches.event_id = second_previous_tokens.event_id
            and matches.start_token_index - 2
            = second_previous_tokens.token_index
            and matches.sentence_index = second_previous_tokens.sentence_index
)

select * from final
