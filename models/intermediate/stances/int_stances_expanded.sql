{{ config(materialized='incremental', incremental_strategy='append') }}
{#- The extracted stances with the sources and targets coordination and the
    policy add (docs/annotation.md):

    - a source in a coordinated list ("Russia, Turkey and Iran support X")
      gives the stance for each member too: stance_id `<stance>+<mention>`,
      rule_id `<rule>+conjunct`;
    - a target in a list ("condemned Saudi Arabia and the UAE") gives the
      stance toward each member too: stance_id `<stance>+t<mention>`, rule_id
      `<rule>+target_conjunct`;
    - a neutral stance (a call for dialogue, calm, restraint) that names no
      party targets the country the blog is about (int_load_batches_located),
      unless it is the source's own country: rule_id `<rule>+crisis_country`,
      no target mention ("else that country").

    A member that is the stance's other side is skipped. Last, the
    crisis-state stand-in ("the military", "the police": see
    stg_reference__state_body_nouns) becomes the crisis country's actor,
    rule_id `<rule>+crisis_state`; a stance whose stand-in cannot be
    resolved (the blog names no country), or that would then hold toward
    its own source, is dropped. -#}
{%- set crisis_state = liveledger.crisis_state_actor_id() %}
with stances as (
    select * from {{ ref('int_stances_extracted') }}
    {{ liveledger.new_batches_only() }}
),

conjuncts as (
    select * from {{ ref('int_mention_conjuncts_linked') }}
    {{ liveledger.new_batches_only() }}
),

batches as (
    select * from {{ ref('int_load_batches_located') }}
),

source_conjuncts as (
    select
        stances.stance_id || '+' || conjuncts.conjunct_mention_id as stance_id,
        stances.event_id,
        stances.load_batch_id,
        conjuncts.conjunct_actor_id as actor_id,
        stances.target_actor_id,
        conjuncts.conjunct_mention_id as source_mention_id,
        stances.target_mention_id,
        stances.stance_code,
        stances.cue_phrase,
        stances.cue_form,
        stances.rule_id || '+conjunct' as rule_id,
        cast(null as {{ dbt.type_string() }}) as source_country_code,
        stances.polarity,
        stances.sentence_index,
        stances.cue_char_start,
        stances.cue_char_end,
        stances.is_negated,
        stances.is_hypothetical,
        stances.is_background,
        case
            when stances.reported_by_actor_id <> conjuncts.conjunct_actor_id
                then stances.reported_by_actor_id
        end as reported_by_actor_id,
        coalesce(
            stances.reported_by_actor_id <> conjuncts.conjunct_actor_id, false
        ) as is_reported
    from stances
    inner join conjuncts
        on stances.source_mention_id = conjuncts.mention_id
    where
        conjuncts.conjunct_actor_id <> stances.actor_id
        and (
            stances.target_actor_id is null
            or conjuncts.conjunct_actor_id <> stances.target_actor_id
        )
),

sourced as (
    select * from stances
    union all
    select * from source_conjuncts
),

target_conjuncts as (
    select
        sourced.stance_id || '+t' || conjuncts.conjunct_mention_id
            as stance_id,
        sourced.event_id,
        sourced.load_batch_id,
        sourced.actor_id,
        conjuncts.conjunct_actor_id as target_actor_id,
        sourced.source_mention_id,
        conjuncts.conjunct_mention_id as target_mention_id,
        sourced.stance_code,
        sourced.cue_phrase,
        sourced.cue_form,
        sourced.rule_id || '+target_conjunct' as rule_id,
        sourced.source_country_code,
        sourced.polarity,
        sourced.sentence_index,
        sourced.cue_char_start,
        sourced.cue_char_end,
        sourced.is_negated,
        sourced.is_hypothetical,
        sourced.is_background,
        sourced.reported_by_actor_id,
        sourced.is_reported
    from sourced
    inner join conjuncts
        on sourced.target_mention_id = conjuncts.mention_id
    where
        conjuncts.conjunct_actor_id <> sourced.actor_id
        and conjuncts.conjunct_actor_id <> sourced.target_actor_id
),

crisis_targets as (
    select
        sourced.stance_id,
        batches.crisis_actor_id as target_actor_id,
        sourced.rule_id || '+crisis_country' as rule_id
    from sourced
    inner join batches
        on sourced.load_batch_id = batches.load_batch_id
    where
        sourced.target_actor_id is null
        and sourced.polarity = 0
        and batches.crisis_actor_id is not null
        and sourced.actor_id <> batches.crisis_actor_id
        and (
            sourced.source_country_code is null
            or sourced.source_country_code <> batches.crisis_country_code
        )
),

own_targets as (
    select
        sourced.stance_id,
        sourced.event_id,
        sourced.load_batch_id,
        sourced.actor_id,
        coalesce(sourced.target_actor_id, crisis_targets.target_actor_id)
            as target_actor_id,
        sourced.source_mention_id,
        sourced.target_mention_id,
        sourced.stance_code,
        sourced.cue_phrase,
        sourced.cue_form,
        coalesce(crisis_targets.rule_id, sourced.rule_id) as rule_id,
        sourced.source_country_code,
        sourced.polarity,
        sourced.sentence_index,
        sourced.cue_char_start,
        sourced.cue_char_end,
        sourced.is_negated,
        sourced.is_hypothetical,
        sourced.is_background,
        sourced.reported_by_actor_id,
        sourced.is_reported
    from sourced
    left join crisis_targets
        on sourced.stance_id = crisis_targets.stance_id
),

expanded as (
    select * from own_targets
    union all
    select * from target_conjuncts
),

located as (
    select
        expanded.*,
        batches.crisis_actor_id,
        batches.crisis_country_code
    from expanded
    left join batches
        on expanded.load_batch_id = batches.load_batch_id
),

resolved as (
    select
        stance_id,
        event_id,
        load_batch_id,
        case
            when actor_id = {{ crisis_state }} then crisis_actor_id
            else actor_id
        end as actor_id,
        case
            when target_actor_id = {{ crisis_state }} then crisis_actor_id
            else target_actor_id
        end as target_actor_id,
        source_mention_id,
        target_mention_id,
        stance_code,
        cue_phrase,
        cue_form,
        case
            when {{ crisis_state }} in (actor_id, target_actor_id)
                then rule_id || '+crisis_state'
            else rule_id
        end as rule_id,
        case
            when actor_id = {{ crisis_state }} then crisis_country_code
            else source_country_code
        end as source_country_code,
        polarity,
        sentence_index,
        cue_char_start,
        cue_char_end,
        is_negated,
        is_hypothetical,
        is_background,
        case
            when reported_by_actor_id = {{ crisis_state }} then crisis_actor_id
            else reported_by_actor_id
        end as reported_by_actor_id,
        is_reported
    from located
    where
        crisis_actor_id is not null
        or {{ crisis_state }} not in (actor_id, coalesce(target_actor_id, ''))
),

final as (
    select * from resolved
    where target_actor_id is null or target_actor_id <> actor_id
)

select * from final
