-- Who took which position toward whom: stance facts per source and target
-- actor, with the net polarity (negated facts left out). A starting point
-- for "who backed each side".
with stances as (
    select * from {{ ref('fct_stances') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

counted as (
    select
        actor_id,
        target_actor_id,
        count(*) as stance_count,
        sum(polarity) as net_polarity,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at
    from stances
    where not is_negated
    group by actor_id, target_actor_id
),

final as (
    select
        counted.actor_id,
        counted.target_actor_id,
        sources.actor_name,
        targets.actor_name as target_actor_name,
        counted.stance_count,
        counted.net_polarity,
        counted.first_published_at,
        counted.last_published_at
    from counted
    inner join actors as sources
        on counted.actor_id = sources.actor_id
    left join actors as targets
        on counted.target_actor_id = targets.actor_id
)

select * from final
order by stance_count desc, actor_name asc
