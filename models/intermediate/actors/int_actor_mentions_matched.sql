{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Actor mentions with their actor, and whether each is the head of its
    noun phrase. A country, government or organisation mention followed
    within three capitalised tokens by a person ("Turkish President Recep
    Tayyip Erdogan", "Russia's U.N. Ambassador Vassily Nebenzia") only
    modifies that person, so it is not a head and is never picked as the
    source or target of a stance. -#}
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

tokens as (
    select * from {{ ref('int_entry_tokens_split') }}
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
        start_tokens.lowercase_tokens_through
        - case
            when {{ liveledger.regex_matches(
                'start_tokens.token_cased', "'^[A-Z0-9]'") }} then 0
            else 1
        end as lowercase_tokens_before,
        end_tokens.lowercase_tokens_through as lowercase_tokens_through_end
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
),

modifiers as (
    select distinct modifier.mention_id
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

final as (
    select
        mentions.mention_id,
        mentions.event_id,
        mentions.load_batch_id,
        mentions.actor_id,
        mentions.actor_type,
        mentions.matched_alias,
        mentions.alias_type,
        mentions.sentence_index,
        mentions.start_token_index,
        mentions.end_token_index,
        mentions.char_start,
        mentions.char_end,
        modifiers.mention_id is null as is_head
    from mentions
    left join modifiers
        on mentions.mention_id = modifiers.mention_id
)

select * from final
