{{ config(materialized='incremental', incremental_strategy='append') }}
{#- One row per whitespace-separated token of every entry version, with its
    character offset in the body, its normalised forms and the sentence it
    belongs to. Bodies hold single spaces between words and single newlines
    between paragraphs (the loader normalises them), so offsets are exact.
    A token ends a sentence at a paragraph end, or when it ends in . ! or ?
    (before closing quotes), is not an abbreviation or initials ("U.S.",
    "Gen.") and the next token starts with a capital, digit or quote. -#}
with entries as (
    select
        event_id,
        load_batch_id,
        body
    from {{ ref('int_entries_versioned') }}
    {{ liveledger.new_batches_only() }}
),

abbreviations as (
    select * from {{ ref('stg_reference__abbreviations') }}
),

negation_words as (
    select * from {{ ref('stg_reference__negation_words') }}
),

hypothetical_words as (
    select * from {{ ref('stg_reference__hypothetical_words') }}
),

agent_nouns as (
    select * from {{ ref('stg_reference__agent_nouns') }}
),

place_prepositions as (
    select * from {{ ref('stg_reference__place_prepositions') }}
),

clause_breaks as (
    select * from {{ ref('stg_reference__clause_breaks') }}
),

pronouns as (
    select * from {{ ref('stg_reference__pronouns') }}
),

speech_verbs as (
    select * from {{ ref('stg_reference__speech_verbs') }}
),

paragraph_arrays as (
    select
        event_id,
        load_batch_id,
        {{ liveledger.split_to_array('body', 'chr(10)') }} as paragraphs
    from entries
),

paragraphs as (
    select
        event_id,
        load_batch_id,
        {{ liveledger.explode_with_position(
            'paragraphs', 'paragraph', 'paragraph_index') }}
    from paragraph_arrays
),

paragraph_offsets as (
    select
        event_id,
        load_batch_id,
        paragraph_index,
        {{ liveledger.split_to_array('paragraph', "' '") }} as words,
        cast(coalesce(sum(length(paragraph) + 1) over (
            partition by event_id
            order by paragraph_index
            rows between unbounded preceding and 1 preceding
        ), 0) as bigint) as paragraph_start
    from paragraphs
),

words as (
    select
        event_id,
        load_batch_id,
        paragraph_index,
        paragraph_start,
        {{ liveledger.explode_with_position('words', 'token', 'word_index') }}
    from paragraph_offsets
),

numbered as (
    select
        event_id,
        load_batch_id,
        paragraph_index,
        token,
        {{ liveledger.normalize_token('token') }} as token_norm,
        {{ liveledger.cased_token('token') }} as token_cased,
        lead(token) over (
            partition by event_id, paragraph_index order by word_index
        ) as next_token,
        lag({{ liveledger.normalize_token('token') }}) over (
            partition by event_id, paragraph_index order by word_index
        ) as previous_token_norm,
        row_number() over (
            partition by event_id order by paragraph_index, word_index
        ) - 1 as token_index,
        paragraph_start + cast(coalesce(sum(length(token) + 1) over (
            partition by event_id, paragraph_index
            order by word_index
            rows between unbounded preceding and 1 preceding
        ), 0) as bigint) as char_start
    from words
),

flagged as (
    select
        numbered.*,
        negation_words.negation_word is not null as is_negation,
        hypothetical_words.hypothetical_word is not null as is_hypothetical,
        agent_nouns.agent_noun is not null as is_agent_noun,
        place_prepositions.preposition is not null as is_place_preposition,
        clause_breaks.clause_break is not null
        and not (
            numbered.token_norm = 'that'
            and speech_verbs.speech_verb is not null
        ) as is_clause_break,
        {{ liveledger.regex_matches('numbered.token', "'^[“”\"]'") }}
            as opens_quote,
        {{ liveledger.regex_matches(
            'numbered.token', "'[”\"][^A-Za-z0-9]*$'") }}
        and not {{ liveledger.regex_matches(
            'numbered.token', "'^[“”\"][^A-Za-z0-9]*$'") }}
            as closes_quote,
        coalesce(pronouns.is_subject_pronoun, false) as is_pronoun,
        {{ liveledger.regex_matches(
            'numbered.token', "'[’' || chr(39) || ']s[^A-Za-z0-9]*$'") }}
            as is_possessive,
        case
            when numbered.next_token is null then true
            when not {{ liveledger.regex_matches(
                'numbered.token', "'[.!?][\"”’)]*$'") }} then false
            when abbreviations.abbreviation is not null then false
            when {{ liveledger.regex_matches(
                'numbered.token_norm', "'^([a-z][.])*[a-z]$'") }} then false
            else {{ liveledger.regex_matches(
                'numbered.next_token', "'^[“\"‘(]*[A-Z0-9]'") }}
        end as ends_sentence_outside_quotes
    from numbered
    left join abbreviations
        on numbered.token_norm = abbreviations.abbreviation
    left join negation_words
        on numbered.token_norm = negation_words.negation_word
    left join hypothetical_words
        on numbered.token_norm = hypothetical_words.hypothetical_word
    left join agent_nouns
        on numbered.token_norm = agent_nouns.agent_noun
    left join place_prepositions
        on numbered.token_norm = place_prepositions.preposition
    left join clause_breaks
        on numbered.token_norm = clause_breaks.clause_break
    left join pronouns
        on numbered.token_norm = pronouns.pronoun
    left join speech_verbs
        on numbered.previous_token_norm = speech_verbs.speech_verb
),

quoted as (
    select
        flagged.*,
        flagged.ends_sentence_outside_quotes
        and (
            flagged.next_token is null
            or sum(
                case
                    when flagged.opens_quote and not flagged.closes_quote
                        then 1
                    when flagged.closes_quote and not flagged.opens_quote
                        then -1
                    else 0
                end
            ) over (
                partition by flagged.event_id, flagged.paragraph_index
                order by flagged.token_index
                rows between unbounded preceding and current row
            ) <= 0
        ) as is_sentence_end
    from flagged
),

sentenced as (
    select
        quoted.*,
        cast(
            coalesce(
                sum(case when quoted.is_sentence_end then 1 else 0 end) over (
                    partition by quoted.event_id
                    order by quoted.token_index
                    rows between unbounded preceding and 1 preceding
                ), 0
            ) as bigint
        ) as sentence_index
    from quoted
),

claused as (
    select
        sentenced.*,
        cast(sum(case when sentenced.is_clause_break then 1 else 0 end) over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between unbounded preceding and current row
        ) as bigint) as clause_index
    from sentenced
),

final as (
    select
        event_id,
        load_batch_id,
        token,
        token_norm,
        token_cased,
        token_index,
        paragraph_index,
        sentence_index,
        char_start,
        char_start + length(token) as char_end,
        cast(sum(
            case
                when {{ liveledger.regex_matches(
                    'token_cased', "'^[A-Z0-9]'") }} then 0
                else 1
            end
        ) over (
            partition by event_id, sentence_index
            order by token_index
            rows between unbounded preceding and current row
        ) as bigint) as lowercase_tokens_through,
        max(case when is_negation then 1 else 0 end) over (
            partition by event_id, sentence_index
            order by token_index
            rows between 6 preceding and 1 preceding
        ) = 1 as has_negation_before,
        max(case when is_hypothetical then 1 else 0 end) over (
            partition by event_id, sentence_index
            order by token_index
            rows between 6 preceding and 1 preceding
        ) = 1 as has_hypothetical_before,
        clause_index,
        first_value(token_norm) over clause_tokens as clause_opening_word,
        min(token_index) over clause_tokens as clause_start_token_index,
        is_sentence_end,
        coalesce(lag(is_sentence_end) over (
            partition by event_id order by token_index
        ), true) as is_sentence_start,
        is_negation,
        is_agent_noun,
        is_place_preposition,
        is_pronoun,
        is_possessive
    from claused
    window clause_tokens as (
        partition by event_id, sentence_index, clause_index
        order by token_index
        rows between unbounded preceding and unbounded following
    )
)

select * from final
