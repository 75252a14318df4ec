{{ config(materialized='incremental', incremental_strategy='append') }}
{#- One row per sentence of every entry version, with its text and its
    character offsets in the entry body ([start, end), 0-based). -#}
{#- Read twice (the bounds, the first tokens): not materialised, so each
    read is a narrow scan that streams. -#}
with tokens as {{ liveledger.not_materialized() }} (
    select
        event_id,
        load_batch_id,
        sentence_index,
        token_index,
        token,
        token_norm,
        char_start,
        char_end
    from {{ ref('int_entry_tokens_split') }}
    {{ liveledger.new_batches_only() }}
),

entries as (
    select
        event_id,
        body
    from {{ ref('int_entries_versioned') }}
),

pronouns as (
    select * from {{ ref('stg_reference__pronouns') }}
),

bounds as (
    select
        event_id,
        load_batch_id,
        sentence_index,
        min(token_index) as first_token_index,
        max(token_index) as last_token_index,
        min(char_start) as char_start,
        max(char_end) as char_end
    from tokens
    group by event_id, load_batch_id, sentence_index
),

first_tokens as (
    select
        bounds.*,
        tokens.token as first_token,
        tokens.token_norm as first_token_norm
    from bounds
    inner join tokens
        on
            bounds.event_id = tokens.event_id
            and bounds.first_token_index = tokens.token_index
),

final as (
    select
        first_tokens.event_id,
        first_tokens.load_batch_id,
        first_tokens.first_token_norm,
        first_tokens.sentence_index,
        first_tokens.first_token_index,
        first_tokens.last_token_index,
        first_tokens.char_start,
        first_tokens.char_end,
        {{ liveledger.regex_matches(
            'first_tokens.first_token', "'^[“\"‘]'") }} as is_quote_led,
        first_tokens.event_id || '/' || cast(
            first_tokens.sentence_index as {{ dbt.type_string() }}
        ) as sentence_id,
        substring(
            entries.body,
            first_tokens.char_start + 1,
            first_tokens.char_end - first_tokens.char_start
        ) as sentence_text,
        coalesce(pronouns.is_subject_pronoun, false)
        or {{ liveledger.regex_matches(
            'first_tokens.first_token', "'^[“\"‘]'") }}
            as is_pronoun_led
    from first_tokens
    inner join entries
        on first_tokens.event_id = entries.event_id
    left join pronouns
        on first_tokens.first_token_norm = pronouns.pronoun
)

select * from final
