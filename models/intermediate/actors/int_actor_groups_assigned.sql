{#- The alignment group of every actor: what it ultimately speaks for. A
    country, its government and state bodies share the country's ISO code
    (`VEN`); an organisation that does not speak for a state is its own
    group (`org-un`, the opposition-led `org-ven-national-assembly`); a
    person or group takes the group of its affiliation (the crisis-state
    stand-in is its own group until int_stances_expanded resolves it). Used to roll stances
    up to "who stood where" and to score them against the gold file. -#}
with actors as (
    select * from {{ ref('int_actors_unioned') }}
),

own_groups as (
    select
        actor_id,
        affiliation_actor_id,
        actor_type,
        case
            when actor_id = {{ liveledger.crisis_state_actor_id() }}
                then actor_id
            when actor_type in ('country', 'government') then country_code
            else actor_id
        end as own_group_id
    from actors
),

final as (
    select
        own_groups.actor_id,
        coalesce(
            affiliations.own_group_id, own_groups.own_group_id
        ) as alignment_group_id
    from own_groups
    left join own_groups as affiliations
        on own_groups.affiliation_actor_id = affiliations.actor_id
)

select * from final
