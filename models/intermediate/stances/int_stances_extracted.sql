{{ config(materialized='incremental', incremental_strategy='append') }}
{#- A first, rule-based stance extractor, one row per cue that has a source.
    Rules (rule_id says which fired):
    - source `nearest_before`: the nearest head actor mention before the cue
      in the same sentence;
    - source `pronoun_subject`: the sentence starts with he/she/it/they and
      names no actor before the cue, so the source is the subject (first head
      mention) of the nearest earlier sentence of the entry that had one;
    - target: the first head mention after the cue that is not the source.
    Cues whose stance code needs a target and has none are dropped. -#}
with cues as (
    select * from {{ ref('int_stance_cues_matched') }}
    {{ liveledger.new_batches_only() }}
),

mentions as (
    select * from {{ ref('int_actor_mentions_matched') }}
    where is_head
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
),

sources_before as (
    select
        cues.cue_id,
        mentions.actor_id,
        mentions.mention_id,
        row_number() over (
            partition by cues.cue_id
            order by mentions.end_token_index desc
        ) as nearness
    from cues
    inner join mentions
        on
            cues.event_id = mentions.event_id
            and cues.sentence_index = mentions.sentence_index
            and cues.start_token_index > mentions.end_token_index
),

sentence_subjects as (
    select
        sentences.event_id,
        sentences.sentence_index,
        sentences.is_pronoun_led,
        min(mentions.start_token_index) as subject_token_index
    from sentences
    left join mentions
        on
            sentences.event_id = mentions.event_id
            and sentences.sentence_index = mentions.sentence_index
    group by
        sentences.event_id, sentences.sentence_index, sentences.is_pronoun_led
),

subject_mentions as (
    select
        sentence_subjects.event_id,
        sentence_subjects.sentence_index,
        sentence_subjects.is_pronoun_led,
        case
            when not sentence_subjects.is_pronoun_led
                then mentions.mention_id
        end as subject_mention_id
    from sentence_subjects
    left join mentions
        on
            sentence_subjects.event_id = mentions.event_id
            and sentence_subjects.sentence_index = mentions.sentence_index
            and sentence_subjects.subject_token_index
            = mentions.start_token_index
),

resolved_subjects as (
    select
        event_id,
        sentence_index,
        is_pronoun_led,
        {{ liveledger.last_value_ignore_nulls('subject_mention_id') }} over (
            partition by event_id
            order by sentence_index
            rows between unbounded preceding and 1 preceding
        ) as antecedent_mention_id
    from subject_mentions
),

sourced as (
    select
        cues.*,
        coalesce(
            sources_before.mention_id, resolved_subjects.antecedent_mention_id
        ) as source_mention_id,
        case
            when sources_before.mention_id is not null then 'nearest_before'
            else 'pronoun_subject'
        end as source_rule
    from cues
    left join sources_before
        on
            cues.cue_id = sources_before.cue_id
            and sources_before.nearness = 1
    left join resolved_subjects
        on
            cues.event_id = resolved_subjects.event_id
            and cues.sentence_index = resolved_subjects.sentence_index
            and resolved_subjects.is_pronoun_led
),

with_source as (
    select
        sourced.*,
        source_mentions.actor_id
    from sourced
    inner join mentions as source_mentions
        on sourced.source_mention_id = source_mentions.mention_id
),

targets_after as (
    select
        with_source.cue_id,
        mentions.mention_id,
        mentions.actor_id,
        row_number() over (
            partition by with_source.cue_id
            order by mentions.start_token_index
        ) as nearness
    from with_source
    inner join mentions
        on
            with_source.event_id = mentions.event_id
            and with_source.sentence_index = mentions.sentence_index
            and with_source.end_token_index < mentions.start_token_index
            and with_source.actor_id <> mentions.actor_id
),

final as (
    select
        with_source.cue_id as stance_id,
        with_source.event_id,
        with_source.load_batch_id,
        with_source.actor_id,
        targets_after.actor_id as target_actor_id,
        with_source.source_mention_id,
        targets_after.mention_id as target_mention_id,
        with_source.stance_code,
        with_source.cue_phrase,
        with_source.polarity,
        with_source.sentence_index,
        with_source.char_start as cue_char_start,
        with_source.char_end as cue_char_end,
        with_source.is_negated,
        with_source.is_hypothetical,
        with_source.source_rule || '+first_after' as rule_id
    from with_source
    left join targets_after
        on
            with_source.cue_id = targets_after.cue_id
            and targets_after.nearness = 1
    where
        targets_after.actor_id is not null
        or not with_source.is_target_required
)

select * from final
