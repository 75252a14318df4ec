-- Entries with the most stance facts: where the blog says the most about
-- who stands where. Counts facts, distinct actors and distinct targets per
-- entry, with the entry's text to read next to them.
with entries as (
    select * from {{ ref('fct_entries') }}
),

stances as (
    select * from {{ ref('fct_stances') }}
),

per_entry as (
    select
        entry_id,
        count(*) as stance_count,
        count(distinct actor_id) as actor_count,
        count(distinct target_actor_id) as target_count,
        count(case when is_negated then 1 end) as negated_count
    from stances
    group by entry_id
),

final as (
    select
        entries.entry_id,
        entries.blog_id,
        entries.time_marker,
        entries.body,
        per_entry.stance_count,
        per_entry.actor_count,
        per_entry.target_count,
        per_entry.negated_count,
        entries.published_at_local,
        entries.published_at
    from per_entry
    inner join entries
        on per_entry.entry_id = entries.entry_id
)

select * from final
order by stance_count desc, published_at asc
