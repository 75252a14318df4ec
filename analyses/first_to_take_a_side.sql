-- Who took a side first: for every target and side (for it, +1, or against
-- it, -1), the actors in the order they were first reported taking that
-- side, with the minute, the blog that reported it first and the sentence.
-- It reads stance events, so an actor restated in twelve entries or by a
-- second outlet appears once, at its first report. is_background_only
-- marks a side known only from a recap ("which had recognised"), whose
-- first report is later than the side was taken.
with stance_events as (
    select * from {{ ref('fct_stance_events') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

sides as (
    select
        *,
        row_number() over (
            partition by actor_id, target_actor_id, polarity
            order by first_reported_at asc, stance_event_id asc
        ) as event_number
    from stance_events
    where
        polarity in (-1, 1)
        and target_actor_id is not null
),

final as (
    select
        sides.target_actor_id,
        targets.actor_name as target_actor_name,
        sides.polarity as side,
        sides.actor_id,
        holders.actor_name,
        sides.stance_code,
        sides.first_reported_at,
        sides.first_reported_at_local,
        sides.first_blog_id,
        sides.report_count,
        sides.is_background_only,
        sides.evidence,
        rank() over (
            partition by sides.target_actor_id, sides.polarity
            order by sides.first_reported_at asc
        ) as position_in_order
    from sides
    inner join actors as holders
        on sides.actor_id = holders.actor_id
    inner join actors as targets
        on sides.target_actor_id = targets.actor_id
    where sides.event_number = 1
)

select * from final
order by
    target_actor_name asc, side desc, position_in_order asc, actor_name asc
