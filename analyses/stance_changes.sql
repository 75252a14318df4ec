-- Actors whose stance changed: every point where an actor's position toward
-- a target flipped polarity (for example support, then criticize) compared
-- with its previous favourable or hostile claim toward that target
-- (claimed_polarity: negated and hypothetical facts claim nothing).
with stances as (
    select * from {{ ref('fct_stances') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

sided as (
    select
        stance_id,
        actor_id,
        target_actor_id,
        stance_code,
        claimed_polarity as polarity,
        evidence,
        published_at
    from stances
    where claimed_polarity in (-1, 1)
),

with_previous as (
    select
        *,
        lag(stance_code) over (
            partition by actor_id, target_actor_id
            order by published_at asc, stance_id asc
        ) as previous_stance_code,
        lag(polarity) over (
            partition by actor_id, target_actor_id
            order by published_at asc, stance_id asc
        ) as previous_polarity,
        lag(published_at) over (
            partition by actor_id, target_actor_id
            order by published_at asc, stance_id asc
        ) as previous_published_at
    from sided
),

final as (
    select
        with_previous.stance_id,
        with_previous.actor_id,
        sources.actor_name,
        with_previous.target_actor_id,
        targets.actor_name as target_actor_name,
        with_previous.previous_stance_code,
        with_previous.stance_code,
        with_previous.evidence,
        with_previous.previous_polarity,
        with_previous.polarity,
        with_previous.previous_published_at,
        with_previous.published_at
    from with_previous
    inner join actors as sources
        on with_previous.actor_id = sources.actor_id
    inner join actors as targets
        on with_previous.target_actor_id = targets.actor_id
    where with_previous.polarity <> with_previous.previous_polarity
)

select * from final
order by published_at asc, actor_name asc
