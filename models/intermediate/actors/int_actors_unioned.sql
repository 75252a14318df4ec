{#- Every actor liveledger knows: a country and its government for each
    country in the reference seed, each international organisation, the
    curated people, bodies and groups, the world dictionaries' people with
    government roles (their dated roles say whom they speak for), and people
    discovered in the text. -#}
with countries as (
    select * from {{ ref('stg_reference__countries') }}
),

organizations as (
    select * from {{ ref('stg_reference__international_organizations') }}
),

curated as (
    select * from {{ ref('stg_reference__actors') }}
),

world_people as (
    select * from {{ ref('stg_reference__world_people') }}
),

discovered as (
    select * from {{ ref('int_actors_discovered') }}
),

country_actors as (
    select
        'country-' || lower(country_code) as actor_id,
        cast(null as {{ dbt.type_string() }}) as affiliation_actor_id,
        country_name as actor_name,
        'country' as actor_type,
        country_code,
        'Country: ' || country_name as actor_description,
        'countries' as actor_source
    from countries
),

government_actors as (
    select
        'gov-' || lower(country_code) as actor_id,
        cast(null as {{ dbt.type_string() }}) as affiliation_actor_id,
        'Government of ' || country_name as actor_name,
        'government' as actor_type,
        country_code,
        'National government of ' || country_name as actor_description,
        'countries' as actor_source
    from countries
),

organization_actors as (
    select
        actor_id,
        cast(null as {{ dbt.type_string() }}) as affiliation_actor_id,
        organization_name as actor_name,
        'organization' as actor_type,
        cast(null as {{ dbt.type_string() }}) as country_code,
        'International organisation (' || organization_type || ')'
            as actor_description,
        'international_organizations' as actor_source
    from organizations
),

curated_actors as (
    select
        actor_id,
        affiliation_actor_id,
        actor_name,
        actor_type,
        country_code,
        actor_description,
        'actors' as actor_source
    from curated
),

world_actors as (
    select
        actor_id,
        cast(null as {{ dbt.type_string() }}) as affiliation_actor_id,
        actor_name,
        'person' as actor_type,
        country_code,
        'Person of the world dictionaries: ' || actor_name
            as actor_description,
        'world_people' as actor_source
    from world_people
),

discovered_actors as (
    select
        actor_id,
        affiliation_actor_id,
        actor_name,
        'person' as actor_type,
        country_code,
        'Discovered in the text: ' || actor_name as actor_description,
        'discovered' as actor_source
    from discovered
),

crisis_state_actors as (
    select
        {{ liveledger.crisis_state_actor_id() }} as actor_id,
        cast(null as {{ dbt.type_string() }}) as affiliation_actor_id,
        'The state the blog is about' as actor_name,
        'government' as actor_type,
        cast(null as {{ dbt.type_string() }}) as country_code,
        'Stand-in for an unqualified state body ("the military"); resolved '
        || 'to the crisis country in int_stances_expanded'
            as actor_description,
        'state_body_nouns' as actor_source
),

final as (
    select * from country_actors
    union all
    select * from government_actors
    union all
    select * from organization_actors
    union all
    select * from curated_actors
    union all
    select * from world_actors
    union all
    select * from discovered_actors
    union all
    select * from crisis_state_actors
)

select * from final
