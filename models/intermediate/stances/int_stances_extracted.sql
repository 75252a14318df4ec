{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set cue_columns = [
    'cue_id', 'event_id', 'load_batch_id', 'stance_code', 'cue_phrase',
    'cue_form', 'polarity', 'sentence_index', 'start_token_index',
    'end_token_index', 'char_start', 'char_end', 'is_target_required',
    'is_negated', 'is_hypothetical', 'is_background'
] %}
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
      most five tokens after the cue and is not the source; a call for
      dialogue or offer to mediate takes one when there is one. For a
      favourable or hostile cue, a country or body after "on", which
      otherwise marks a place or topic, counts too (`place_after`:
      "sanctions on Russia", "pressure on Qatar"), though not a capital or
      a demonym. A hostile cue's act with an agent ("condemned what they
      call a coup by Bolivia's military", "the repression by Rajoy's
      government") targets that agent (`act_agent`): the head mention right
      after "by", up to ten tokens after the cue, before any nearer one.
    - appeals ("Turkey called on Qatar and Egypt to settle the dispute
      through dialogue"): a neutral cue inside an infinitive whose nearest
      mention before it stands before the "to" and is not the sentence's
      subject: source `appeal_subject`, the subject; target `addressee`,
      that mention (its list members follow in int_stances_expanded). A
      favourable or hostile cue is inside an appeal when that mention
      follows a demand cue ("Sarkozy called on the EU to adopt sanctions
      against Gadhafi's regime"): source the subject, target its own
      (`first_after`, ...). The demand cue itself, whose target is such an
      addressee, is no stance (asking the EU to act is no stance toward it).
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

actors as (
    select * from {{ ref('int_actors_unioned') }}
),

groups as (
    select * from {{ ref('int_actor_groups_assigned') }}
),

first_heads as (
    select
        mentions.event_id,
        mentions.sentence_index,
        min(mentions.start_token_index) as subject_token_index
    from mentions
    inner join sentences
        on
            mentions.event_id = sentences.event_id
            and mentions.sentence_index = sentences.sentence_index
    where not sentences.is_quote_led or mentions.is_before_speech_verb
    group by mentions.event_id, mentions.sentence_index
),

own_subjects as (
    select
        sentences.event_id,
        sentences.sentence_index,
        sentences.is_pronoun_led,
        case
            when
                not sentences.is_pronoun_led or sentences.is_quote_led
                then mentions.mention_id
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
        subject_actors.country_code as subject_country_code,
        mentions.sentence_index as subject_sentence_index,
        mentions.start_token_index as subject_start_token_index
    from subjects
    inner join mentions
        on subjects.subject_mention_id = mentions.mention_id
    inner join actors as subject_actors
        on mentions.actor_id = subject_actors.actor_id
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
            and cues.start_token_index > mentions.end_token_index
    where cues.cue_form = 'verb'
),

relative_antecedents as (
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
            and cues.clause_start_token_index > mentions.end_token_index
            and mentions.end_token_index >= cues.clause_start_token_index - 4
    where
        cues.cue_form = 'verb'
        and cues.clause_opening_word in ('that', 'which', 'who')
),

-- a head mention right after a demand ("called on the EU", "urged Qatar"):
-- the addressee of an appeal
appealed_mentions as (
    select distinct mentions.mention_id
    from cues
    inner join mentions
        on
            cues.event_id = mentions.event_id
            and cues.sentence_index = mentions.sentence_index
            and cues.end_token_index < mentions.phrase_start_token_index
            and cues.end_token_index + 3 >= mentions.phrase_start_token_index
    where cues.stance_code = 'demand'
),

verb_candidates as (
    select
        cues.*,
        nearest_in_clause.mention_id as nearest_mention_id,
        nearest_mentions.end_token_index as nearest_end_token_index,
        relative_antecedents.mention_id as antecedent_mention_id,
        subject_mentions.subject_mention_id,
        subject_mentions.subject_sentence_index < cues.sentence_index
        or subject_mentions.subject_start_token_index < cues.start_token_index
            as is_subject_before_cue,
        cues.infinitive_to_token_index is not null
        and (cues.polarity = 0 or appealed_mentions.mention_id is not null)
        and coalesce(
            nearest_mentions.end_token_index < cues.infinitive_to_token_index
            and nearest_in_clause.mention_id
            <> subject_mentions.subject_mention_id
            and subject_mentions.subject_sentence_index = cues.sentence_index
            and subject_mentions.subject_start_token_index
            < nearest_mentions.start_token_index,
            false
        ) as is_appeal,
        cues.is_infinitive
        and not cues.is_after_agent_noun
        and coalesce(
            nearest_mentions.end_token_index <> cues.start_token_index - 2,
            true
        ) as is_controlled_infinitive
    from cues
    left join nearest_in_clause
        on
            cues.cue_id = nearest_in_clause.cue_id
            and nearest_in_clause.nearness = 1
    left join mentions as nearest_mentions
        on nearest_in_clause.mention_id = nearest_mentions.mention_id
    left join appealed_mentions
        on nearest_in_clause.mention_id = appealed_mentions.mention_id
    left join relative_antecedents
        on
            cues.cue_id = relative_antecedents.cue_id
            and relative_antecedents.nearness = 1
    left join subject_mentions
        on
            cues.event_id = subject_mentions.event_id
            and cues.sentence_index = subject_mentions.sentence_index
    where cues.cue_form = 'verb'
),

verb_ruled as (
    select
        verb_candidates.*,
        case
            when verb_candidates.is_appeal then 'appeal_subject'
            when
                not verb_candidates.has_pronoun_before
                and not verb_candidates.is_controlled_infinitive
                and verb_candidates.nearest_mention_id is not null
                then 'nearest_in_clause'
            when
                verb_candidates.is_controlled_infinitive
                and verb_candidates.is_subject_before_cue
                then 'infinitive_subject'
            when
                not verb_candidates.has_pronoun_before
                and verb_candidates.antecedent_mention_id is not null
                then 'relative_antecedent'
            when
                (
                    verb_candidates.has_pronoun_before
                    or verb_candidates.clause_index = 0
                )
                and verb_candidates.is_subject_before_cue
                then 'pronoun_subject'
        end as source_rule
    from verb_candidates
),

verb_sources as (
    select
        {% for column in cue_columns -%}
            verb_ruled.{{ column }},
        {% endfor -%}
        case verb_ruled.source_rule
            when 'nearest_in_clause' then verb_ruled.nearest_mention_id
            when 'relative_antecedent' then verb_ruled.antecedent_mention_id
            else verb_ruled.subject_mention_id
        end as source_mention_id,
        verb_ruled.source_rule
    from verb_ruled
    where verb_ruled.source_rule is not null
),

-- the addressee of an appeal: the target of a neutral cue inside it ("to
-- settle the dispute"); a favourable or hostile cue inside it takes its own
-- target ("to adopt sanctions against Gadhafi's regime")
appeal_addressees as (
    select
        cue_id,
        event_id,
        sentence_index,
        polarity,
        nearest_mention_id as mention_id
    from verb_ruled
    where source_rule = 'appeal_subject'
),

addressees as (
    select
        cue_id,
        mention_id
    from appeal_addressees
    where polarity = 0
),

subject_sources as (
    select
        {% for column in cue_columns -%}
            cues.{{ column }},
        {% endfor -%}
        subject_mentions.subject_mention_id as source_mention_id,
        'speaker' as source_rule
    from cues
    inner join subject_mentions
        on
            cues.event_id = subject_mentions.event_id
            and cues.sentence_index = subject_mentions.sentence_index
    where cues.cue_form in ('predicate', 'attribution')
),

agents_after as (
    select
        cues.cue_id,
        mentions.mention_id,
        row_number() over (
            partition by cues.cue_id
            order by mentions.phrase_start_token_index
        ) as nearness
    from cues
    inner join mentions
        on
            cues.event_id = mentions.event_id
            and cues.sentence_index = mentions.sentence_index
            and cues.end_token_index < mentions.phrase_start_token_index
            and mentions.phrase_start_token_index <= cues.end_token_index + 5
    where cues.cue_form = 'passive'
),

passive_sources as (
    select
        {% for column in cue_columns -%}
            cues.{{ column }},
        {% endfor -%}
        agents_after.mention_id as source_mention_id,
        'agent_after_by' as source_rule
    from cues
    inner join agents_after
        on
            cues.cue_id = agents_after.cue_id
            and agents_after.nearness = 1
),

sourced as (
    select * from verb_sources
    union all
    select * from subject_sources
    union all
    select * from passive_sources
),

target_candidates as (
    select
        mention_id,
        event_id,
        sentence_index,
        phrase_start_token_index,
        actor_id,
        false as is_place,
        coalesce(previous_token_norm = 'by', false) as is_agent
    from mentions
    union all
    select
        mention_id,
        event_id,
        sentence_index,
        phrase_start_token_index,
        actor_id,
        true as is_place,
        false as is_agent
    from all_mentions
    where
        previous_token_norm = 'on'
        and not is_head
        and alias_type not in ('demonym', 'capital')
        and actor_type in ('country', 'government', 'organization', 'group')
),

targets_after as (
    select
        sourced.cue_id,
        mentions.mention_id,
        mentions.is_place,
        mentions.is_agent and sourced.polarity < 0 as is_act_agent,
        row_number() over (
            partition by sourced.cue_id
            order by
                case
                    when mentions.is_agent and sourced.polarity < 0 then 0
                    else 1
                end asc,
                mentions.phrase_start_token_index asc
        ) as nearness
    from sourced
    inner join all_mentions as sources
        on sourced.source_mention_id = sources.mention_id
    inner join target_candidates as mentions
        on
            sourced.event_id = mentions.event_id
            and sourced.sentence_index = mentions.sentence_index
            and sourced.end_token_index < mentions.phrase_start_token_index
            and mentions.phrase_start_token_index
            <= sourced.end_token_index
            + case
                when mentions.is_agent and sourced.polarity < 0 then 10
                else 5
            end
            and sources.actor_id <> mentions.actor_id
            and (not mentions.is_place or sourced.polarity <> 0)
            and (
                not mentions.is_agent
                or sourced.polarity < 0
                or mentions.phrase_start_token_index
                <= sourced.end_token_index + 5
            )
    where
        sourced.cue_form in ('verb', 'attribution')
),

targets_before as (
    select
        sourced.cue_id,
        all_mentions.mention_id,
        row_number() over (
            partition by sourced.cue_id
            order by all_mentions.end_token_index desc
        ) as nearness
    from sourced
    inner join all_mentions as sources
        on sourced.source_mention_id = sources.mention_id
    inner join groups as source_groups
        on sources.actor_id = source_groups.actor_id
    inner join all_mentions
        on
            sourced.event_id = all_mentions.event_id
            and sourced.sentence_index = all_mentions.sentence_index
            and sourced.start_token_index > all_mentions.end_token_index
            and all_mentions.end_token_index >= sourced.start_token_index - 5
            and sources.mention_id <> all_mentions.mention_id
            and sources.actor_id <> all_mentions.actor_id
    inner join groups as target_groups
        on all_mentions.actor_id = target_groups.actor_id
    where
        sourced.cue_form in ('predicate', 'passive')
        and all_mentions.is_referent
        and target_groups.alignment_group_id
        <> source_groups.alignment_group_id
),

targeted as (
    select
        sourced.*,
        coalesce(
            addressees.mention_id,
            targets_after.mention_id,
            targets_before.mention_id
        ) as target_mention_id,
        sourced.source_rule || case
            when addressees.mention_id is not null then '+addressee'
            when sourced.cue_form in ('predicate', 'passive')
                then '+nearest_before'
            when targets_after.is_place then '+place_after'
            when targets_after.is_act_agent then '+act_agent'
            else '+first_after'
        end as rule_id
    from sourced
    left join addressees
        on sourced.cue_id = addressees.cue_id
    left join targets_after
        on
            sourced.cue_id = targets_after.cue_id
            and targets_after.nearness = 1
    left join targets_before
        on
            sourced.cue_id = targets_before.cue_id
            and targets_before.nearness = 1
    left join appeal_addressees as appealed
        on
            sourced.event_id = appealed.event_id
            and sourced.sentence_index = appealed.sentence_index
            and sourced.cue_id <> appealed.cue_id
            and coalesce(targets_after.mention_id, targets_before.mention_id)
            = appealed.mention_id
    where
        sourced.source_mention_id is not null
        -- the appeal verb itself ("called on the EU"): asking an actor to
        -- act is no stance toward it; the cue inside the appeal holds one
        and appealed.cue_id is null
        and (
            not sourced.is_target_required
            or coalesce(targets_after.mention_id, targets_before.mention_id)
            is not null
        )
        and (
            sourced.cue_form <> 'predicate'
            or targets_before.mention_id is not null
        )
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
        is_background,
        source_mention_id,
        target_mention_id,
        rule_id
    from targeted
),

final as (
    select
        resolved.cue_id as stance_id,
        resolved.event_id,
        resolved.load_batch_id,
        sources.actor_id,
        targets.actor_id as target_actor_id,
        resolved.source_mention_id,
        resolved.target_mention_id,
        resolved.stance_code,
        resolved.cue_phrase,
        resolved.cue_form,
        resolved.rule_id,
        source_actors.country_code as source_country_code,
        resolved.polarity,
        resolved.sentence_index,
        resolved.char_start as cue_char_start,
        resolved.char_end as cue_char_end,
        resolved.is_negated,
        resolved.is_hypothetical,
        resolved.is_background,
        speakers.subject_actor_id as reported_by_actor_id,
        speakers.subject_actor_id is not null as is_reported
    from unioned as resolved
    inner join all_mentions as sources
        on resolved.source_mention_id = sources.mention_id
    inner join actors as source_actors
        on sources.actor_id = source_actors.actor_id
    left join all_mentions as targets
        on resolved.target_mention_id = targets.mention_id
    left join subject_mentions as speakers
        on
            resolved.event_id = speakers.event_id
            and resolved.sentence_index = speakers.sentence_index
            and resolved.sentence_index = speakers.subject_sentence_index
            and sources.start_token_index > speakers.subject_start_token_index
            and sources.actor_id <> speakers.subject_actor_id
    where
        targets.actor_id is null
        or sources.actor_id <> targets.actor_id
)

select * from final
