{#- The stance reports of current entries (the rows of int_stances_attributed
    that fct_stances shows), each with the stance event it belongs to. A
    report is one stance fact; an event is one position taken, by one actor
    toward one target, however often it is reported. The folding rule:

    1. Reports are keyed by holder (actor_id), target (target_actor_id, no
       target being a target of its own) and claimed polarity (+1, -1, 0, or
       none for a negated or hypothetical claim that takes no side).
    2. News reports (not is_background) of one holder and target, in the
       order they were published across every blog and outlet, start a new
       event when the claimed polarity differs from the previous report's
       (the stance changed) or when more than stance_event_window_days have
       passed since the previous report (a restatement after a silence);
       otherwise they fold into the event of the report before them. A
       reprint or a second outlet's report of the same statement therefore
       folds by what it says, never by its file or blog.
    3. A background report ("X, which had recognised Y") recalls an earlier
       position: it folds into the latest event of its key that started at
       or before it, else the earliest later one; when its key has no news
       report at all, its background reports form one event of their own
       (is_background_only in fct_stance_events).

    Reports published in the same minute are ordered by when liveledger
    first observed them (the entry version's valid_from), then stance_id,
    so the original keeps its place before a later reprint. The event's id
    is the hash of its first news report's stance_id (or of its first
    report, for a background-only event): stable while no earlier report
    of it arrives. -#}
{%- set window_us = var('stance_event_window_days') * 86400 * 1000000 -%}
with stances as (
    select * from {{ ref('int_stances_attributed') }}
),

reports as (
    select
        stances.stance_id,
        stances.actor_id,
        stances.is_background,
        stances.published_at,
        stances.version_observed_at as observed_at,
        coalesce(stances.target_actor_id, '') as target_key,
        case
            when stances.is_hypothetical then null
            when stances.is_negated and stances.polarity = 1 then -1
            when stances.is_negated then null
            when
                stances.target_actor_id is null and stances.polarity <> 0
                then null
            else stances.polarity
        end as claimed_polarity
    from stances
    where stances.is_current_version
),

keyed as (
    select
        *,
        coalesce(
            cast(claimed_polarity as {{ dbt.type_string() }}), 'none'
        ) as polarity_key
    from reports
),

news as (
    select
        *,
        lag(polarity_key) over key_reports as previous_polarity_key,
        lag(published_at) over key_reports as previous_published_at
    from keyed
    where not is_background
    window key_reports as (
        partition by actor_id, target_key
        order by published_at asc, observed_at asc, stance_id asc
    )
),

news_starts as (
    select
        *,
        case
            when previous_published_at is null then 1
            when previous_polarity_key <> polarity_key then 1
            when
                {{ liveledger.epoch_microseconds('published_at') }}
                - {{ liveledger.epoch_microseconds('previous_published_at') }}
                > {{ window_us }}
                then 1
            else 0
        end as starts_event
    from news
),

news_numbered as (
    select
        *,
        sum(starts_event) over (
            partition by actor_id, target_key
            order by published_at asc, observed_at asc, stance_id asc
            rows between unbounded preceding and current row
        ) as event_number
    from news_starts
),

news_folded as (
    select
        stance_id,
        actor_id,
        target_key,
        polarity_key,
        claimed_polarity,
        first_value(stance_id) over event_reports as anchor_stance_id,
        first_value(published_at) over event_reports as event_started_at
    from news_numbered
    window event_reports as (
        partition by actor_id, target_key, event_number
        order by published_at asc, observed_at asc, stance_id asc
    )
),

events as (
    select distinct
        actor_id,
        target_key,
        polarity_key,
        anchor_stance_id,
        event_started_at
    from news_folded
),

background as (
    select * from keyed
    where is_background
),

background_candidates as (
    select
        background.stance_id,
        background.claimed_polarity,
        events.anchor_stance_id,
        events.event_started_at <= background.published_at
            as is_started_before,
        abs(
            {{ liveledger.epoch_microseconds('background.published_at') }}
            - {{ liveledger.epoch_microseconds('events.event_started_at') }}
        ) as distance_us
    from background
    inner join events
        on
            background.actor_id = events.actor_id
            and background.target_key = events.target_key
            and background.polarity_key = events.polarity_key
),

background_ranked as (
    select
        *,
        row_number() over (
            partition by stance_id
            order by
                is_started_before desc,
                distance_us asc,
                anchor_stance_id asc
        ) as preference
    from background_candidates
),

background_folded as (
    select
        stance_id,
        claimed_polarity,
        anchor_stance_id
    from background_ranked
    where preference = 1
),

background_only as (
    select
        background.stance_id,
        background.claimed_polarity,
        first_value(background.stance_id) over (
            partition by
                background.actor_id,
                background.target_key,
                background.polarity_key
            order by
                background.published_at asc,
                background.observed_at asc,
                background.stance_id asc
        ) as anchor_stance_id
    from background
    left join background_folded
        on background.stance_id = background_folded.stance_id
    where background_folded.stance_id is null
),

folded as (
    select
        stance_id,
        claimed_polarity,
        anchor_stance_id
    from news_folded
    union all
    select * from background_folded
    union all
    select * from background_only
),

ordered as (
    select
        folded.stance_id,
        {{ dbt.hash('folded.anchor_stance_id') }} as stance_event_id,
        folded.claimed_polarity,
        row_number() over (
            partition by folded.anchor_stance_id
            order by
                keyed.published_at asc,
                keyed.observed_at asc,
                keyed.stance_id asc
        ) = 1 as is_first_report
    from folded
    inner join keyed
        on folded.stance_id = keyed.stance_id
),

final as (
    select
        stances.stance_id,
        stances.event_id,
        stances.load_batch_id,
        stances.actor_id,
        stances.target_actor_id,
        stances.source_mention_id,
        stances.target_mention_id,
        stances.reported_by_actor_id,
        stances.source_affiliation_actor_id,
        stances.target_affiliation_actor_id,
        stances.source_group_id,
        stances.target_group_id,
        stances.stance_code,
        stances.cue_phrase,
        stances.cue_form,
        stances.rule_id,
        stances.polarity,
        stances.sentence_index,
        stances.cue_char_start,
        stances.cue_char_end,
        stances.is_negated,
        stances.is_hypothetical,
        stances.is_background,
        stances.is_reported,
        stances.entry_date,
        stances.published_at,
        ordered.stance_event_id,
        ordered.claimed_polarity,
        ordered.is_first_report
    from ordered
    inner join stances
        on ordered.stance_id = stances.stance_id
)

select * from final
