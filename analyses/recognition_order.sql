-- The order in which governments recognised or rejected a claimant: the
-- first recognize or reject fact of each government toward each target,
-- ranked by time. A person speaking for a government (a foreign minister,
-- a spokesperson) counts for that government through its affiliation.
with stances as (
    select * from {{ ref('fct_stances') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

attributed as (
    select
        stances.stance_id,
        stances.target_actor_id,
        stances.stance_code,
        stances.evidence,
        stances.published_at,
        speakers.actor_name as speaker_name,
        case
            when speakers.actor_type in ('government', 'country')
                then speakers.actor_id
            else speakers.affiliation_actor_id
        end as government_actor_id
    from stances
    inner join actors as speakers
        on stances.actor_id = speakers.actor_id
    where
        stances.stance_code in ('recognize', 'reject')
        and not stances.is_negated
        and stances.target_actor_id is not null
),

firsts as (
    select
        *,
        row_number() over (
            partition by government_actor_id, target_actor_id, stance_code
            order by published_at asc, stance_id asc
        ) as statement_number
    from attributed
    where government_actor_id is not null
),

final as (
    select
        firsts.government_actor_id,
        governments.actor_name as government_name,
        firsts.target_actor_id,
        targets.actor_name as target_actor_name,
        firsts.stance_code,
        firsts.speaker_name,
        firsts.evidence,
        firsts.published_at,
        rank() over (
            partition by firsts.target_actor_id, firsts.stance_code
            order by firsts.published_at asc
        ) as position_in_order
    from firsts
    inner join actors as governments
        on firsts.government_actor_id = governments.actor_id
    inner join actors as targets
        on firsts.target_actor_id = targets.actor_id
    where firsts.statement_number = 1
)

select * from final
order by target_actor_name asc, stance_code asc, position_in_order asc
