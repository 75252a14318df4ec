{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Rule-based stance extraction, one row per cue with a source (and a
    target where the stance needs one). rule_id names the rules that fired.

    Each sentence has a subject: its first head mention, or, when it opens
    with a pronoun or a quotation mark, the subject of the nearest earlier
    sentence of the entry that has one.

    Verb cues ("Russia backs Maduro"):
    - source `nearest_in_clause`: the nearest head mention before the cue in
      the cue's clause; `pronoun_subject`: a pronoun right before the cue
      ("says it backs") or no head mention in the clause, so the sentence's
      subject;
    - target `first_after`: the first head mention whose phrase starts at
      most five tokens after the cue and is not the source. Calls for
      dialogue and offers to mediate have no target.
    Predicate cues ("Borrell says Maduro's government is illegitimate"):
    - target `nearest_before`: the nearest referent before the cue that is
      not the sentence's subject; source `predicate_subject`: the subject. -#}
with cues as (
    select * from {{ ref('int_stance_cues_matched') }}
    {{ liveledger.new_batches_only() }}
),

all_mentions as (
    select * from {{ ref('int_actor_mentions_matched') }}
),

mentions as (
    select * from all_mentions
    where is_head
),

sentences as (
    select * from {{ ref('int_sentences_split') }}
),

first_heads as (
    select
        event_id,
        sentence_index,
        min(start_token_index) as subject_token_index
    from mentions
    group by event_id, sentence_index
),

own_subjects as (
    select
        sentences.event_id,
        sentences.sentence_index,
        sentences.is_pronoun_led,
        case
            when not sentences.is_pronoun_led then mentions.mention_id
        end as own_subject_mention_id
    from sentences
    left join first_heads
        on
            sentences.event_id = first_heads.event_id
            and sentences.sentence_index = first_heads.sentence_index
    left join mentions
        on
            first_heads.event_id = mentions.event_id
            and first_heads.sentence_index = mentions.sentence_index
            and first_heads.subject_token_index = mentions.start_token_index
),

subjects as (
    select
        event_id,
        sentence_index,
        coalesce(
            own_subject_mention_id,
            {{ liveledger.last_value_ignore_nulls('own_subject_mention_id') }}
            over (
                partition by event_id
                order by sentence_index
                rows between unbounded preceding and 1 preceding
            )
        ) as subject_mention_id
    from own_subjects
),

subject_mentions as (
    select
        subjects.event_id,
        subjects.sentence_index,
        subjects.subject_mention_id,
        mentions.actor_id as subject_actor_id,
        mentions.sentence_index as subject_sentence_index,
        mentions.start_token_index as subject_start_token_index
    from subjects
    inner join mentions
        on subjects.subject_mention_id = mentions.mention_id
),

nearest_in_clause as (
    select
        cues.cue_id,
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
            and cues.clause_index = mentions.clause_index
            and mentions.end_token_index < cues.start_token_index
    where cues.cue_form = 'verb'
),

verb_sources as (
    select
        cues.*,
        case
            when
                not cues.has_pronoun_before
                and nearest_in_clause.mention_id is not null
                then nearest_in_clause.mention_id
            when
                subject_mentions.subject_sentence_index < cues.sentence_index
                or subject_mentions.subject_start_token_index
                < cues.start_token_index
                then subject_mentions.subject_mention_id
        end as source_mention_id,
        case
            when
                not cues.has_pronoun_before
                and nearest_in_clause.mention_id is not null
                then 'nearest_in_clause'
            else 'pronoun_subject'
        end as source_rule
    from cues
    left join nearest_in_clause
        on
            cues.cue_id = nearest_in_clause.cue_id
            and nearest_in_clause.nearness = 1
    left join subject_mentions
        on
            cues.event_id = subject_mentions.event_id
            and cues.sentence_index = subject_mentions.sentence_index
    where cues.cue_form = 'verb'
),

verb_targets as (
    select
        verb_sources.cue_id,
        mentions.mention_id,
        row_number() over (
            partition by verb_sources.cue_id
            order by mentions.phrase_start_token_index
        ) as nearness
    from verb_sources
    inner join all_mentions as sources
        on verb_sources.source_mention_id = sources.mention_id
    inner join mentions
        on
            verb_sources.event_id = mentions.event_id
            and verb_sources.sentence_index = mentions.sentence_index
            and mentions.phrase_start_token_index > verb_sources.end_token_index
            and mentions.phrase_start_token_index
            <= verb_sources.end_token_index + 5
            and mentions.actor_id <> sources.actor_id
    where verb_sources.is_target_required
),

verb_stances as (
    select
        verb_sources.*,
        verb_targets.mention_id as target_mention_id,
        verb_sources.source_rule || '+first_after' as rule_id
    from verb_sources
    left join verb_targets
        on
            verb_sources.cue_id = verb_targets.cue_id
            and verb_targets.nearness = 1
    where
        verb_sources.source_mention_id is not null
        and (
            verb_targets.mention_id is not null
            or not verb_sources.is_target_required
        )
),

predicate_targets as (
    select
        cues.cue_id,
        all_mentions.mention_id,
        row_number() over (
            partition by cues.cue_id
            order by all_mentions.end_token_index desc
        ) as nearness
    from cues
    inner join subject_mentions
        on
            cues.event_id = subject_mentions.event_id
            and cues.sentence_index = subject_mentions.sentence_index
    inner join all_mentions
        on
            cues.event_id = all_mentions.event_id
            and cues.sentence_index = all_mentions.sentence_index
            and all_mentions.end_token_index < cues.start_token_index
            and all_mentions.mention_id <> subject_mentions.subject_mention_id
            and all_mentions.actor_id <> subject_mentions.subject_actor_id
    where
        cues.cue_form = 'predicate'
        and all_mentions.is_referent
),

predicate_stances as (
    select
        cues.*,
        subject_mentions.subject_mention_id as source_mention_id,
        'predicate_subject' as source_rule,
        predicate_targets.mention_id as target_mention_id,
        'predicate_subject+nearest_before' as rule_id
    from cues
    inner join subject_mentions
        on
            cues.event_id = subject_mentions.event_id
            and cues.sentence_index = subject_mentions.sentence_index
    inner join predicate_targets
        on
            cues.cue_id = predicate_targets.cue_id
            and predicate_targets.nearness = 1
    where cues.cue_form = 'predicate'
),

unioned as (
    select
        cue_id,
        event_id,
        load_batch_id,
        stance_code,
        cue_phrase,
        cue_form,
        polarity,
        sentence_index,
        char_start,
        char_end,
        is_negated,
        is_hypothetical,
        source_mention_id,
        target_mention_id,
        rule_id
    from verb_stances
    union all
    select
        cue_id,
        event_id,
        load_batch_id,
        stance_code,
        cue_phrase,
        cue_form,
        polarity,
        sentence_index,
        char_start,
        char_end,
        is_negated,
        is_hypothetical,
        source_mention_id,
        target_mention_id,
        rule_id
    from predicate_stances
),

final as (
    select
        unioned.cue_id as stance_id,
        unioned.event_id,
        unioned.load_batch_id,
        sources.actor_id,
        targets.actor_id as target_actor_id,
        unioned.source_mention_id,
        unioned.target_mention_id,
        unioned.stance_code,
        unioned.cue_phrase,
        unioned.cue_form,
        unioned.rule_id,
        unioned.polarity,
        unioned.sentence_index,
        unioned.char_start as cue_char_start,
        unioned.char_end as cue_char_end,
        unioned.is_negated,
        unioned.is_hypothetical
    from unioned
    inner join all_mentions as sources
        on unioned.source_mention_id = sources.mention_id
    left join all_mentions as targets
        on unioned.target_mention_id = targets.mention_id
)

select * from final
