{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set gap_closed_words = [
    'on', 'with', 'for', 'to', 'by', 'of', 'in', 'at', 'up', 'off', 'out',
    'down', 'into', 'over', 'from', 'about', 'against', 'away', 'back',
    'through', 'together', 'among', 'between', 'as', 'if', 'that'
] %}
{#- Every span of a sentence a known phrase (actor alias or stance cue)
    covers, before any surname is resolved (int_phrases_matched does that).
    Set-based and scale-safe: each token carries the text of the next few
    tokens of its sentence, candidate phrases are found by an equi-join on
    the first token, then confirmed by prefix. Where phrases of one kind
    overlap, the longest wins ("Nicolas Maduro" over "Maduro"). Phrases
    longer than 8 tokens are not matched (see is_too_long). An ambiguous
    phrase (two keys share it) is kept only when it is a capitalised
    surname: one row per candidate key, for int_phrases_matched to choose.
    -#}
{#- Read twice (the windows, the last tokens): not materialised, so each
    read is a narrow scan that streams instead of all token rows and
    columns held in memory. -#}
with tokens as {{ liveledger.not_materialized() }} (
    select
        event_id,
        load_batch_id,
        sentence_index,
        token_index,
        token_norm,
        token_cased,
        char_start,
        char_end
    from {{ ref('int_entry_tokens_split') }}
    {{ liveledger.new_batches_only() }}
),

phrases as (
    select * from {{ ref('int_phrases_normalized') }}
    where (not is_ambiguous or is_capitalized_only) and not is_too_long
),

windows as (
    select
        event_id,
        load_batch_id,
        sentence_index,
        token_index,
        token_norm,
        token_cased,
        char_start,
        concat_ws(
            ' ',
            token_norm,
            lead(token_norm, 1) over sentence_tokens,
            lead(token_norm, 2) over sentence_tokens,
            lead(token_norm, 3) over sentence_tokens,
            lead(token_norm, 4) over sentence_tokens,
            lead(token_norm, 5) over sentence_tokens,
            lead(token_norm, 6) over sentence_tokens,
            lead(token_norm, 7) over sentence_tokens
        ) || ' ' as window_text,
        lead(token_norm, 2) over sentence_tokens as third_token_norm,
        lead(token_norm, 3) over sentence_tokens as fourth_token_norm
    from tokens
    window sentence_tokens as (
        partition by event_id, sentence_index order by token_index
    )
),

candidates as (
    select
        windows.event_id,
        windows.load_batch_id,
        windows.sentence_index,
        phrases.phrase_kind,
        phrases.phrase_key,
        phrases.phrase,
        phrases.phrase_type,
        phrases.token_count,
        phrases.is_ambiguous,
        phrases.is_introduced_only,
        windows.char_start,
        windows.token_index as start_token_index,
        windows.token_index + phrases.token_count - 1 as end_token_index,
        false as is_gapped
    from windows
    inner join phrases
        on
            windows.token_norm = phrases.first_token
            and substring(
                windows.window_text, 1, length(phrases.phrase_norm) + 1
            ) = phrases.phrase_norm || ' '
            and (
                not phrases.is_case_sensitive
                or windows.token_cased = phrases.phrase_cased
            )
            and (
                not phrases.is_capitalized_only
                or {{ liveledger.regex_matches(
                    'windows.token_cased', "'^[A-Z]'") }}
            )
),

-- a two-word cue whose second word is a content word (the object of a
-- verb: "imposed sanctions", "launched airstrikes") also matches with one or
-- two words between ("imposed new sanctions", "broke off diplomatic
-- relations"): determiners and adjectives stand between a verb and its
-- object in running text. Function words ("called on", "met with") do not
-- take a gap ("called him on Monday").
gapped_cues as (
    select
        phrase_kind,
        phrase_key,
        phrase,
        phrase_type,
        token_count,
        is_ambiguous,
        is_introduced_only,
        first_token,
        substring(phrase_norm, length(first_token) + 2) as second_token
    from phrases
    where
        phrase_kind = 'cue'
        and token_count = 2
        and substring(phrase_norm, length(first_token) + 2) not in (
            {{ "'" ~ gap_closed_words | join("', '") ~ "'" }}
        )
),

gapped_candidates as (
    select
        windows.event_id,
        windows.load_batch_id,
        windows.sentence_index,
        gapped_cues.phrase_kind,
        gapped_cues.phrase_key,
        gapped_cues.phrase,
        gapped_cues.phrase_type,
        gapped_cues.token_count,
        gapped_cues.is_ambiguous,
        gapped_cues.is_introduced_only,
        windows.char_start,
        windows.token_index as start_token_index,
        windows.token_index + case
            when windows.third_token_norm = gapped_cues.second_token then 2
            else 3
        end as end_token_index,
        true as is_gapped
    from windows
    inner join gapped_cues
        on
            windows.token_norm = gapped_cues.first_token
            and (
                windows.third_token_norm = gapped_cues.second_token
                or windows.fourth_token_norm = gapped_cues.second_token
            )
),

all_candidates as (
    select * from candidates
    union all
    select * from gapped_candidates
),

longest_spans as (
    select candidates.*
    from all_candidates as candidates
    left join all_candidates as longer
        on
            candidates.event_id = longer.event_id
            and candidates.sentence_index = longer.sentence_index
            and candidates.phrase_kind = longer.phrase_kind
            and candidates.start_token_index >= longer.start_token_index
            and candidates.end_token_index <= longer.end_token_index
            and candidates.token_count < longer.token_count
    where longer.event_id is null
),

-- one cue per start token: a gapped cue gives way to a contiguous one
-- starting there, and of two gapped ones the shorter span wins
longest_ranked as (
    select
        *,
        row_number() over (
            partition by
                event_id, sentence_index, phrase_kind, start_token_index
            order by is_gapped, end_token_index, phrase_key
        ) as start_rank
    from longest_spans
),

longest as (
    select * from longest_ranked
    where not is_gapped or start_rank = 1
),

final as (
    select
        longest.event_id,
        longest.load_batch_id,
        longest.sentence_index,
        longest.phrase_kind,
        longest.phrase_key,
        longest.phrase,
        longest.phrase_type,
        longest.token_count,
        longest.is_ambiguous,
        longest.is_introduced_only,
        longest.is_gapped,
        longest.start_token_index,
        longest.end_token_index,
        longest.char_start,
        last_tokens.char_end,
        longest.event_id
        || '/'
        || cast(longest.start_token_index as {{ dbt.type_string() }})
        || '/'
        || longest.phrase_kind
        || '/'
        || longest.phrase_key as phrase_candidate_id
    from longest
    inner join tokens as last_tokens
        on
            longest.event_id = last_tokens.event_id
            and longest.end_token_index = last_tokens.token_index
)

select * from final
