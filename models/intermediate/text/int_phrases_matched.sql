{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set match_columns = [
    'event_id', 'load_batch_id', 'sentence_index', 'phrase_kind', 'phrase_key',
    'phrase', 'phrase_type', 'token_count', 'char_start', 'start_token_index',
    'end_token_index'
] %}
{%- set gap_closed_words = [
    'on', 'with', 'for', 'to', 'by', 'of', 'in', 'at', 'up', 'off', 'out',
    'down', 'into', 'over', 'from', 'about', 'against', 'away', 'back',
    'through', 'together', 'among', 'between', 'as', 'if', 'that'
] %}
{#- Every place a known phrase (actor alias or stance cue) occurs in a
    sentence. Set-based and scale-safe: each token carries the text of the
    next few tokens of its sentence, candidate phrases are found by an
    equi-join on the first token, then confirmed by prefix. Where phrases
    of one kind overlap, the longest wins ("Nicolas Maduro" over "Maduro").
    Phrases longer than 8 tokens are not matched (see is_too_long). An
    ambiguous phrase (two keys share it) is not matched, except a one-word
    surname several people share ("Morales"): it goes to the one person
    whose longer, unambiguous name occurs earlier in the same entry ("Evo
    Morales ... Morales"), and is dropped when none or several do. A world
    dictionary person's bare surname (is_introduced_only) follows the same
    rule even when no one else has it. A surname not named earlier in the
    entry also goes to the one person it names who holds a named office
    (a president, prime minister, foreign minister, king, ...; not the
    dictionaries' generic "Government" rows) on the entry's local day: a
    report calls the leaders of the day by surname alone ("Gadhafi's
    regime"). -#}
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

entry_days as (
    select
        event_id,
        cast(published_at_local as date) as entry_day
    from {{ ref('int_entries_versioned') }}
    {{ liveledger.new_batches_only() }}
),

named_offices as (
    select
        actor_id,
        valid_from,
        valid_to
    from {{ ref('int_actor_roles_unioned') }}
    where role_title not in ('Government', 'Intergovernmental organisation')
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

-- an ambiguous or introduced-only surname keeps the candidates whose person
-- was named in full (unambiguously) earlier in the entry; it is kept only if
-- exactly one is
named_earlier as (
    select distinct surnames.*
    from longest as surnames
    inner join longest as named
        on
            surnames.event_id = named.event_id
            and surnames.phrase_kind = named.phrase_kind
            and surnames.phrase_key = named.phrase_key
            and (
                surnames.sentence_index > named.sentence_index
                or (
                    surnames.sentence_index = named.sentence_index
                    and surnames.start_token_index > named.end_token_index
                )
            )
    where
        (surnames.is_ambiguous or surnames.is_introduced_only)
        and not named.is_ambiguous
        and named.token_count > 1
),

-- a surname no one was named by earlier in the entry: the candidates in a
-- named office on the entry's day
in_office as (
    select distinct surnames.*
    from longest as surnames
    inner join entry_days
        on surnames.event_id = entry_days.event_id
    inner join named_offices
        on
            surnames.phrase_key = named_offices.actor_id
            and entry_days.entry_day >= named_offices.valid_from
            and (
                named_offices.valid_to is null
                or entry_days.entry_day <= named_offices.valid_to
            )
    left join named_earlier
        on
            surnames.event_id = named_earlier.event_id
            and surnames.sentence_index = named_earlier.sentence_index
            and surnames.start_token_index = named_earlier.start_token_index
    where
        (surnames.is_ambiguous or surnames.is_introduced_only)
        and named_earlier.event_id is null
),

resolved_surnames as (
    select
        *,
        count(*) over (
            partition by event_id, sentence_index, start_token_index
        ) as resolved_count
    from (
        select * from named_earlier
        union all
        select * from in_office
    ) as resolved
),

kept as (
    select {{ match_columns | join(', ') }}
    from longest
    where not is_ambiguous and not is_introduced_only
    union all
    select {{ match_columns | join(', ') }}
    from resolved_surnames
    where resolved_count = 1
),

final as (
    select
        kept.event_id,
        kept.load_batch_id,
        kept.phrase_kind,
        kept.phrase_key,
        kept.phrase,
        kept.phrase_type,
        kept.sentence_index,
        kept.start_token_index,
        kept.end_token_index,
        kept.char_start,
        last_tokens.char_end,
        kept.event_id
        || '/'
        || cast(kept.start_token_index as {{ dbt.type_string() }})
        || '/'
        || kept.phrase_kind as phrase_match_id
    from kept
    inner join tokens as last_tokens
        on
            kept.event_id = last_tokens.event_id
            and kept.end_token_index = last_tokens.token_index
)

select * from final
