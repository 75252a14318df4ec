{{ config(materialized='incremental', incremental_strategy='append') }}
{#- The country each loaded blog is about, read from its dateline, so a
    call for calm or dialogue that names no party can target the country
    of the crisis (docs/annotation.md: "else that country").

    A dateline is a place, a dash and a topic ("MEXICO CITY (AP) — The
    Latest on the political crisis in Bolivia and ..."). The country is the
    first country named in the topic (by name, variant, demonym or
    capital); when the topic names none, the first one the place names
    ("SANAA, Yemen", "MOSCOW"). A blog with no dateline (a TV station's
    reprint) is read from its headline instead. Words are compared whole,
    case and accents ignored. One row per load batch, null when neither
    names a country. -#}
with batches as (
    select
        load_batch_id,
        blog_id,
        dateline,
        headline
    from {{ ref('stg_liveblog__load_batches') }}
    {{ liveledger.new_batches_only() }}
),

aliases as (
    select * from {{ ref('int_actor_aliases_unioned') }}
),

actors as (
    select * from {{ ref('int_actors_unioned') }}
),

country_actors as (
    select
        actor_id,
        country_code
    from actors
    where actor_type = 'country'
),

country_aliases as (
    select distinct
        actors.country_code,
        {{ liveledger.padded_words('aliases.alias_name') }} as alias_norm
    from aliases
    inner join actors
        on aliases.actor_id = actors.actor_id
    where
        actors.actor_type in ('country', 'government')
        and aliases.alias_type in ('name', 'variant', 'demonym', 'capital')
        and actors.country_code is not null
),

parts as (
    select
        load_batch_id,
        blog_id,
        dateline is null as is_headline_only,
        coalesce(dateline, headline) as dateline,
        regexp_extract(dateline, ' [—–-] (.*)$', 1) as topic
    from batches
),

normalized as (
    select
        load_batch_id,
        blog_id,
        is_headline_only,
        {{ liveledger.padded_words('topic') }} as topic_norm,
        {{ liveledger.padded_words('dateline') }} as dateline_norm
    from parts
),

positions as (
    select
        normalized.load_batch_id,
        country_aliases.country_code,
        length(country_aliases.alias_norm) as alias_length,
        {{ dbt.position(
            'country_aliases.alias_norm', 'normalized.topic_norm') }}
            as topic_position,
        {{ dbt.position(
            'country_aliases.alias_norm', 'normalized.dateline_norm') }}
            as dateline_position
    from normalized
    cross join country_aliases
),

found as (
    select
        load_batch_id,
        country_code,
        alias_length,
        topic_position > 0 as is_in_topic,
        case
            when topic_position > 0 then topic_position
            else dateline_position
        end as found_at
    from positions
    where dateline_position > 0
),

ranked as (
    select
        load_batch_id,
        country_code,
        is_in_topic,
        row_number() over (
            partition by load_batch_id
            order by
                is_in_topic desc,
                found_at asc,
                alias_length desc,
                country_code asc
        ) as country_rank
    from found
),

final as (
    select
        normalized.load_batch_id,
        normalized.blog_id,
        ranked.country_code as crisis_country_code,
        country_actors.actor_id as crisis_actor_id,
        case
            when ranked.is_in_topic then 'topic'
            when ranked.country_code is null then null
            when normalized.is_headline_only then 'headline'
            else 'place'
        end as crisis_country_source
    from normalized
    left join ranked
        on
            normalized.load_batch_id = ranked.load_batch_id
            and ranked.country_rank = 1
    left join country_actors
        on ranked.country_code = country_actors.country_code
)

select * from final
