{#- Every way of writing an actor that the mention matcher looks for:
    curated aliases and names, country names, variants and demonyms,
    generated government phrases ("German government", "government of
    Venezuela"), international organisations' names and aliases, the
    world dictionaries' people (an alias another actor has is theirs), and
    the unqualified state bodies ("military", "police"; alias_type
    `state_body`) of the crisis-state stand-in. -#}
with countries as (
    select * from {{ ref('stg_reference__countries') }}
),

organizations as (
    select * from {{ ref('stg_reference__international_organizations') }}
),

curated as (
    select * from {{ ref('stg_reference__actors') }}
),

curated_aliases as (
    select * from {{ ref('stg_reference__actor_aliases') }}
),

state_body_nouns as (
    select * from {{ ref('stg_reference__state_body_nouns') }}
),

country_lists as (
    select
        country_code,
        country_name,
        {{ liveledger.split_to_array('demonyms', "'|'") }} as demonym_list,
        {{ liveledger.split_to_array('name_variants', "'|'") }} as variant_list
    from countries
),

demonyms as (
    select
        country_code,
        {{ liveledger.explode_with_position(
            'demonym_list', 'demonym', 'demonym_index') }}
    from country_lists
),

variants as (
    select
        country_code,
        {{ liveledger.explode_with_position(
            'variant_list', 'variant', 'variant_index') }}
    from country_lists
),

world_aliases as (
    select * from {{ ref('stg_reference__world_person_aliases') }}
),

organization_lists as (
    select
        actor_id,
        {{ liveledger.split_to_array('aliases', "'|'") }} as alias_list
    from organizations
),

organization_aliases as (
    select
        actor_id,
        {{ liveledger.explode_with_position(
            'alias_list', 'alias_name', 'alias_index') }}
    from organization_lists
),

unioned as (
    select
        actor_id,
        alias_name,
        alias_type
    from curated_aliases
    union all
    select
        actor_id,
        actor_name as alias_name,
        'name' as alias_type
    from curated
    union all
    select
        'country-' || lower(country_code) as actor_id,
        country_name as alias_name,
        'name' as alias_type
    from countries
    union all
    select
        'country-' || lower(country_code) as actor_id,
        variant as alias_name,
        'variant' as alias_type
    from variants
    union all
    select
        'country-' || lower(country_code) as actor_id,
        demonym as alias_name,
        'demonym' as alias_type
    from demonyms
    union all
    select
        'gov-' || lower(country_code) as actor_id,
        demonym || ' government' as alias_name,
        'government' as alias_type
    from demonyms
    union all
    select
        'gov-' || lower(country_code) as actor_id,
        country_name || ' government' as alias_name,
        'government' as alias_type
    from countries
    union all
    select
        'gov-' || lower(country_code) as actor_id,
        'government of ' || country_name as alias_name,
        'government' as alias_type
    from countries
    union all
    select
        'gov-' || lower(country_code) as actor_id,
        capital_name as alias_name,
        'capital' as alias_type
    from countries
    where capital_name <> country_name
    union all
    select
        actor_id,
        organization_name as alias_name,
        'name' as alias_type
    from organizations
    union all
    select
        actor_id,
        alias_name,
        'variant' as alias_type
    from organization_aliases
    union all
    select
        {{ liveledger.crisis_state_actor_id() }} as actor_id,
        state_body_noun as alias_name,
        'state_body' as alias_type
    from state_body_nouns
),

-- a world person's alias that another actor already has is left out: the
-- curated, country and organisation names win over the dictionaries. A
-- world person's bare surname is a `world_surname`: it names them only
-- after their full name in the same entry (int_phrases_matched), as
-- reporters introduce people, since thousands of people share the
-- dictionaries' surnames with words and with each other ("Catalan").
world_unclaimed as (
    select
        world_aliases.actor_id,
        world_aliases.alias_name,
        case
            when world_aliases.alias_type = 'surname' then 'world_surname'
            else world_aliases.alias_type
        end as alias_type
    from world_aliases
    left join unioned
        on lower(world_aliases.alias_name) = lower(unioned.alias_name)
    where unioned.alias_name is null
),

all_aliases as (
    select * from unioned
    union all
    select * from world_unclaimed
),

final as (
    select
        actor_id,
        alias_name,
        min(alias_type) as alias_type
    from all_aliases
    where alias_name is not null and trim(alias_name) <> ''
    group by actor_id, alias_name
)

select * from final
