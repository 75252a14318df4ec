{#- One row per stance claim: an actor taking a position toward a target in
    one sentence of a current entry, with the sentence as evidence. -#}
with stances as (
    select * from {{ ref('int_stance_reports_folded') }}
),

entries as (
    select * from {{ ref('fct_entries') }}
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
),

mentions as (
    select * from {{ ref('int_actor_mentions_matched') }}
),

stance_codes as (
    select * from {{ ref('stg_reference__stance_codes') }}
),

final as (
    select
        stances.stance_id,
        stances.stance_event_id,
        entries.entry_id,
        stances.event_id as entry_version_id,
        entries.blog_id,
        stances.actor_id,
        stances.target_actor_id,
        stances.source_affiliation_actor_id,
        stances.source_group_id,
        stances.target_group_id,
        stances.stance_code,
        stance_codes.cameo_code,
        stance_codes.plover_type,
        stances.rule_id,
        stances.reported_by_actor_id,
        stances.cue_phrase,
        sentences.sentence_text as evidence,
        stances.polarity,
        sentences.char_start as evidence_start,
        sentences.char_end as evidence_end,
        stances.is_negated,
        stances.is_hypothetical,
        stances.is_background,
        stances.is_reported,
        stances.claimed_polarity,
        stances.is_first_report,
        entries.published_at_local,
        entries.published_at,
        substring(
            entries.body,
            source_mentions.char_start + 1,
            source_mentions.char_end - source_mentions.char_start
        ) as source_mention,
        substring(
            entries.body,
            target_mentions.char_start + 1,
            target_mentions.char_end - target_mentions.char_start
        ) as target_mention,
        stances.cue_char_start - sentences.char_start as cue_start_in_evidence
    from stances
    inner join entries
        on stances.event_id = entries.current_event_id
    inner join sentences
        on
            stances.event_id = sentences.event_id
            and stances.sentence_index = sentences.sentence_index
    inner join stance_codes
        on stances.stance_code = stance_codes.stance_code
    inner join mentions as source_mentions
        on stances.source_mention_id = source_mentions.mention_id
    left join mentions as target_mentions
        on stances.target_mention_id = target_mentions.mention_id
)

select * from final
