{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Actor mentions with their actor and grammatical role.

    A mention is a referent unless it only modifies a person that follows
    within three capitalised tokens ("Turkish President Recep Tayyip
    Erdogan": Turkish is absorbed), names a place ("in Venezuela", "talks on
    Venezuela") or is a demonym not followed by an agent noun ("Venezuelans",
    but "Russian officials" is a referent). A referent is a head, able to be
    a stance's source or target, unless it is a possessive not followed by
    an agent noun ("Venezuela's closest ally", but "Britain's foreign
    secretary" and "Trump's decision" are heads). A capital city is a
    referent only as the subject of a speech verb ("Washington says"), never
    as a place. An unqualified state body ("the military", "the police")
    is a mention of the crisis-state stand-in only right after "the" ("the
    Egyptian military" is Egypt's demonym; "military aid" is no body). A
    person's phrase starts
    at the first modifier it absorbed, so distances are measured from there. -#}
with new_matches as (
    select * from {{ ref('int_phrases_matched') }}
    {{ liveledger.new_batches_only() }}
),

matches as (
    select * from new_matches
    where phrase_kind = 'actor'
),

actors as (
    select * from {{ ref('int_actors_unioned') }}
),

-- the neighbouring tokens of a match belong to its entry version, hence to
-- its load batch: in an incremental run only new batches' tokens are read.
-- Five joins read it: not materialised, each is a narrow scan that streams
-- (materialised, all its rows and columns were held in memory at once).
tokens as {{ liveledger.not_materialized() }} (
    select
        event_id,
        token_index,
        sentence_index,
        clause_index,
        token,
        token_norm,
        token_cased,
        lowercase_tokens_through,
        is_possessive,
        is_place_preposition,
        is_sentence_start,
        is_agent_noun
    from {{ ref('int_entry_tokens_split') }}
    {{ liveledger.new_batches_only() }}
),

speech_verbs as (
    select * from {{ ref('stg_reference__speech_verbs') }}
),

mentions as (
    select
        matches.phrase_match_id as mention_id,
        matches.event_id,
        matches.load_batch_id,
        matches.phrase_key as actor_id,
        actors.actor_type,
        matches.phrase as matched_alias,
        matches.phrase_type as alias_type,
        matches.sentence_index,
        matches.start_token_index,
        matches.end_token_index,
        matches.char_start,
        matches.char_end,
        end_tokens.clause_index,
        end_tokens.is_possessive,
        next_tokens.token_norm as next_token_norm,
        previous_tokens.token_norm as previous_token_norm,
        {{ liveledger.regex_matches('end_tokens.token', "',[”\"’]?$'") }}
            as ends_with_comma,
        speech_verbs.speech_verb is not null as is_before_speech_verb,
        start_tokens.lowercase_tokens_through
        - case
            when {{ liveledger.regex_matches(
                'start_tokens.token_cased', "'^[A-Z0-9]'") }} then 0
            else 1
        end as lowercase_tokens_before,
        end_tokens.lowercase_tokens_through as lowercase_tokens_through_end,
        coalesce(previous_tokens.is_place_preposition, false)
            as is_after_place_preposition,
        coalesce(
            {{ liveledger.regex_matches(
                'previous_tokens.token_cased', "'^[A-Z]'") }}
            and previous_tokens.token_index > 0
            and not previous_tokens.is_sentence_start,
            false
        ) as is_after_capitalised_word,
        coalesce(next_tokens.is_agent_noun, false)
        or coalesce(second_tokens.is_agent_noun, false)
            as is_before_agent_noun
    from matches
    inner join actors
        on matches.phrase_key = actors.actor_id
    inner join tokens as start_tokens
        on
            matches.event_id = start_tokens.event_id
            and matches.start_token_index = start_tokens.token_index
    inner join tokens as end_tokens
        on
            matches.event_id = end_tokens.event_id
            and matches.end_token_index = end_tokens.token_index
    left join tokens as previous_tokens
        on
            matches.event_id = previous_tokens.event_id
            and matches.start_token_index - 1 = previous_tokens.token_index
            and matches.sentence_index = previous_tokens.sentence_index
    left join tokens as next_tokens
        on
            matches.event_id = next_tokens.event_id
            and matches.end_token_index + 1 = next_tokens.token_index
            and matches.sentence_index = next_tokens.sentence_index
    left join tokens as second_tokens
        on
            matches.event_id = second_tokens.event_id
            and matches.end_token_index + 2 = second_tokens.token_index
            and matches.sentence_index = second_tokens.sentence_index
    left join speech_verbs
        on next_tokens.token_norm = speech_verbs.speech_verb
    where
        matches.phrase_type <> 'state_body'
        or previous_tokens.token_norm = 'the'
),

absorbed as (
    select
        modifier.mention_id,
        person.mention_id as person_mention_id,
        modifier.start_token_index
    from mentions as modifier
    inner join mentions as person
        on
            modifier.event_id = person.event_id
            and modifier.sentence_index = person.sentence_index
            and modifier.end_token_index < person.start_token_index
            and person.start_token_index <= modifier.end_token_index + 4
            and modifier.lowercase_tokens_through_end
            = person.lowercase_tokens_before
    where
        person.actor_type = 'person'
        and modifier.actor_type <> 'person'
),

modifiers as (
    select distinct mention_id
    from absorbed
),

phrase_starts as (
    select
        person_mention_id,
        min(start_token_index) as phrase_start_token_index
    from absorbed
    group by person_mention_id
),

roles as (
    select
        mentions.*,
        coalesce(
            phrase_starts.phrase_start_token_index,
            mentions.start_token_index
        ) as phrase_start_token_index,
        modifiers.mention_id is null
        and not mentions.is_after_place_preposition
        and (
            mentions.alias_type <> 'demonym'
            or (
                mentions.is_before_agent_noun
                and not mentions.is_after_capitalised_word
            )
        )
        and (mentions.alias_type <> 'capital' or mentions.is_before_speech_verb)
            as is_referent
    from mentions
    left join modifiers
        on mentions.mention_id = modifiers.mention_id
    left join phrase_starts
        on mentions.mention_id = phrase_starts.person_mention_id
),

final as (
    select
        mention_id,
        event_id,
        load_batch_id,
        actor_id,
        actor_type,
        matched_alias,
        alias_type,
        sentence_index,
        clause_index,
        start_token_index,
        end_token_index,
        phrase_start_token_index,
        char_start,
        char_end,
        next_token_norm,
        is_before_speech_verb,
        is_possessive,
        ends_with_comma,
        previous_token_norm,
        is_referent,
        is_referent
        and (not is_possessive or is_before_agent_noun) as is_head
    from roles
)

select * from final
