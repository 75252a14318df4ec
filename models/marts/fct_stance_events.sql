{#- One row per stance event: a position taken by one actor toward one
    target, folded from every report of it in every entry, snapshot and
    blog (the rule is in int_stance_reports_folded and the README, "Stance
    events"). Counting these rows counts positions, not sentences. -#}
with stances as (
    select * from {{ ref('fct_stances') }}
),

firsts as (
    select * from stances
    where is_first_report
),

totals as (
    select
        stance_event_id,
        count(*) as report_count,
        count(distinct blog_id) as blog_count,
        count(distinct entry_id) as entry_count,
        max(published_at) as last_reported_at,
        min(case when is_background then 1 else 0 end) = 1
            as is_background_only
    from stances
    group by stance_event_id
),

final as (
    select
        firsts.stance_event_id,
        firsts.actor_id,
        firsts.target_actor_id,
        firsts.source_group_id,
        firsts.target_group_id,
        firsts.stance_code,
        firsts.claimed_polarity as polarity,
        firsts.published_at as first_reported_at,
        firsts.published_at_local as first_reported_at_local,
        totals.last_reported_at,
        cast(totals.report_count as integer) as report_count,
        cast(totals.blog_count as integer) as blog_count,
        cast(totals.entry_count as integer) as entry_count,
        firsts.stance_id as first_stance_id,
        firsts.blog_id as first_blog_id,
        firsts.entry_id as first_entry_id,
        firsts.evidence,
        totals.is_background_only
    from firsts
    inner join totals
        on firsts.stance_event_id = totals.stance_event_id
)

select * from final
