-- Who backed each side, hour by hour: for every target actor (a claimant,
-- a government, a body) and every UTC hour, the actors that took a positive
-- position toward it (support, recognize, ...) and those that took a
-- negative one (criticize, reject, sanction, ...), by claimed polarity: a
-- denial ("doesn't recognize") is negative, other negated and hypothetical
-- facts claim nothing; neutral stances (consult, dialogue) are not sides.
with stances as (
    select * from {{ ref('fct_stances') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

positions as (
    select
        stances.target_actor_id,
        stances.actor_id,
        sources.actor_name,
        stances.claimed_polarity as polarity,
        {{ dbt.date_trunc('hour', 'stances.published_at') }} as published_hour
    from stances
    inner join actors as sources
        on stances.actor_id = sources.actor_id
    where stances.claimed_polarity in (-1, 1)
),

distinct_positions as (
    select distinct
        target_actor_id,
        actor_id,
        actor_name,
        polarity,
        published_hour
    from positions
),

by_hour as (
    select
        target_actor_id,
        published_hour,
        count(case when polarity > 0 then 1 end) as backer_count,
        count(case when polarity < 0 then 1 end) as opponent_count,
        {{ liveledger.string_agg_ordered(
            "case when polarity > 0 then actor_name end",
            "actor_name",
            "', '"
        ) }} as backers,
        {{ liveledger.string_agg_ordered(
            "case when polarity < 0 then actor_name end",
            "actor_name",
            "', '"
        ) }} as opponents
    from distinct_positions
    group by target_actor_id, published_hour
),

final as (
    select
        by_hour.target_actor_id,
        targets.actor_name as target_actor_name,
        by_hour.backers,
        by_hour.opponents,
        by_hour.backer_count,
        by_hour.opponent_count,
        by_hour.published_hour
    from by_hour
    inner join actors as targets
        on by_hour.target_actor_id = targets.actor_id
)

select * from final
order by published_hour asc, target_actor_name asc
