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
        ), 0) as bigint) as paragraph_start,
        {#- Tokens before this paragraph: a paragraph of n single-spaced
            words holds n - 1 spaces. Positions come from this, not from a
            row_number over every token (one sort of all tokens fewer). -#}
        cast(coalesce(sum(
            length(paragraph) - length(replace(paragraph, ' ', '')) + 1
        ) over (
            partition by event_id
            order by paragraph_index
            rows between unbounded preceding and 1 preceding
        ), 0) as bigint) as paragraph_token_start
    from paragraphs
),

words as (
    select
        event_id,
        load_batch_id,
        paragraph_index,
        paragraph_start,
        paragraph_token_start,
        {{ liveledger.explode_with_position('words', 'token', 'word_index') }}
    from paragraph_offsets
),

normalized as (
    select
        event_id,
        load_batch_id,
        paragraph_index,
        token,
        paragraph_start,
        cast(paragraph_token_start + word_index as bigint) as token_index,
        {{ liveledger.normalize_token('token') }} as token_norm,
        {{ liveledger.cased_token('token') }} as token_cased,
        {{ liveledger.regex_matches('token', "'^[“”\"]'") }}
            as opens_quote,
        {{ liveledger.regex_matches(
            'token', "'[”\"][^A-Za-z0-9]*$'") }}
        and not {{ liveledger.regex_matches(
            'token', "'^[“”\"][^A-Za-z0-9]*$'") }}
            as closes_quote
    from words
),

numbered as (
    {#- Everything ordered within a paragraph, in one window pass: the
        neighbours, the character offset and the quotation depth. -#}
    select
        event_id,
        load_batch_id,
        paragraph_index,
        token,
        token_norm,
        token_cased,
        token_index,
        opens_quote,
        closes_quote,
        lead(token) over paragraph_tokens as next_token,
        lag(token_norm) over paragraph_tokens as previous_token_norm,
        paragraph_start + cast(coalesce(sum(length(token) + 1) over (
            partition by event_id, paragraph_index order by token_index
            rows between unbounded preceding and 1 preceding
        ), 0) as bigint) as char_start,
        sum(
            case
                when opens_quote and not closes_quote then 1
                when closes_quote and not opens_quote then -1
                else 0
            end
        ) over (
            partition by event_id, paragraph_index order by token_index
            rows between unbounded preceding and current row
        ) as quote_depth
    from normalized
    window paragraph_tokens as (
        partition by event_id, paragraph_index order by token_index
    )
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
        and (flagged.next_token is null or flagged.quote_depth <= 0)
            as is_sentence_end
    from flagged
),

sentenced as (
    {#- Ordered within the entry, in one window pass: the sentence number
        and whether the token opens a sentence. -#}
    select
        quoted.*,
        cast(
            coalesce(
                sum(case when quoted.is_sentence_end then 1 else 0 end) over (
                    partition by quoted.event_id order by quoted.token_index
                    rows between unbounded preceding and 1 preceding
                ), 0
            ) as bigint
        ) as sentence_index,
        coalesce(lag(quoted.is_sentence_end) over entry_tokens, true)
            as is_sentence_start
    from quoted
    window entry_tokens as (
        partition by quoted.event_id order by quoted.token_index
    )
),

claused as (
    {#- Ordered within the sentence, in one window pass. A clause starts at
        the sentence start or at a clause break, so the clause's first token
        is the latest such start so far (no window per clause needed). -#}
    select
        sentenced.*,
        sentenced.char_start + length(sentenced.token) as char_end,
        cast(sum(case when sentenced.is_clause_break then 1 else 0 end) over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between unbounded preceding and current row
        ) as bigint) as clause_index,
        {{ liveledger.last_value_ignore_nulls(
            'case when sentenced.is_clause_break or sentenced.is_sentence_start'
            ~ ' then sentenced.token_norm end') }} over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between unbounded preceding and current row
        ) as clause_opening_word,
        max(
            case
                when sentenced.is_clause_break or sentenced.is_sentence_start
                    then sentenced.token_index
            end
        ) over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between unbounded preceding and current row
        ) as clause_start_token_index,
        cast(sum(
            case
                when {{ liveledger.regex_matches(
                    'sentenced.token_cased', "'^[A-Z0-9]'") }} then 0
                else 1
            end
        ) over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between unbounded preceding and current row
        ) as bigint) as lowercase_tokens_through,
        max(case when sentenced.is_negation then 1 else 0 end) over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between 6 preceding and 1 preceding
        ) = 1 as has_negation_before,
        max(case when sentenced.is_hypothetical then 1 else 0 end) over (
            partition by sentenced.event_id, sentenced.sentence_index
            order by sentenced.token_index
            rows between 6 preceding and 1 preceding
        ) = 1 as has_hypothetical_before
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
        char_end,
        lowercase_tokens_through,
        has_negation_before,
        has_hypothetical_before,
        clause_index,
        clause_opening_word,
        clause_start_token_index,
        is_sentence_end,
        is_sentence_start,
        is_negation,
        is_agent_noun,
        is_place_preposition,
        is_pronoun,
        is_possessive
    from claused
)

select * from final
