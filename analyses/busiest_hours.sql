-- The busiest hours of the blog: entries and stance facts per UTC hour,
-- with how many actors took positions, ranked by entries then stances.
with entries as (
    select * from {{ ref('fct_entries') }}
),

stances as (
    select * from {{ ref('fct_stances') }}
),

entries_per_hour as (
    select
        blog_id,
        {{ dbt.date_trunc('hour', 'published_at') }} as published_hour,
        count(*) as entry_count
    from entries
    group by blog_id, published_hour
),

stances_per_hour as (
    select
        blog_id,
        {{ dbt.date_trunc('hour', 'published_at') }} as published_hour,
        count(*) as stance_count,
        count(distinct actor_id) as actor_count
    from stances
    group by blog_id, published_hour
),

final as (
    select
        entries_per_hour.blog_id,
        entries_per_hour.entry_count,
        entries_per_hour.published_hour,
        coalesce(stances_per_hour.stance_count, 0) as stance_count,
        coalesce(stances_per_hour.actor_count, 0) as actor_count,
        rank() over (
            order by
                entries_per_hour.entry_count desc,
                coalesce(stances_per_hour.stance_count, 0) desc
        ) as busyness_rank
    from entries_per_hour
    left join stances_per_hour
        on
            entries_per_hour.blog_id = stances_per_hour.blog_id
            and entries_per_hour.published_hour
            = stances_per_hour.published_hour
)

select * from final
order by busyness_rank asc, published_hour asc
