{#- Who stood where toward whom, per local day: one row per source actor,
    target actor (null for calls for dialogue with no one singled out) and
    local date of the entries. Every stance fact is counted once, in exactly
    one of supporting, opposing, neutral or unclaimed (negated or
    hypothetical facts that claim nothing); net polarity sums the claimed
    polarities. -#}
with stances as (
    select * from {{ ref('fct_stances') }}
),

dated as (
    select
        stances.*,
        cast(stances.published_at_local as date) as local_date
    from stances
),

final as (
    select
        actor_id
        || '|' || coalesce(target_actor_id, '')
        || '|' || cast(local_date as {{ dbt.type_string() }})
            as alignment_id,
        actor_id,
        target_actor_id,
        min(source_group_id) as source_group_id,
        min(target_group_id) as target_group_id,
        {{ liveledger.string_agg_ordered(
            'stance_id', 'stance_id', "','") }} as stance_ids,
        cast(count(*) as integer) as stance_count,
        cast(sum(case when claimed_polarity = 1 then 1 else 0 end) as integer)
            as supporting_count,
        cast(sum(case when claimed_polarity = -1 then 1 else 0 end) as integer)
            as opposing_count,
        cast(sum(case when claimed_polarity = 0 then 1 else 0 end) as integer)
            as neutral_count,
        cast(
            sum(case when claimed_polarity is null then 1 else 0 end) as integer
        )
            as unclaimed_count,
        cast(coalesce(sum(claimed_polarity), 0) as integer) as net_polarity,
        local_date,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at
    from dated
    group by actor_id, target_actor_id, local_date
)

select * from final
