{#- Actor aliases and stance cue phrases in the normalised token form the
    matcher compares against. A leading "the" is dropped. A one-word alias
    written in capitals ("US", "WHO") only matches capitals. A normalised
    alias that two different actors share is marked ambiguous and is not
    matched, rather than guessed. -#}
with aliases as (
    select * from {{ ref('int_actor_aliases_unioned') }}
),

cues as (
    select * from {{ ref('stg_reference__stance_cues') }}
),

discovered as (
    select * from {{ ref('int_actors_discovered') }}
),

phrases as (
    select
        'actor' as phrase_kind,
        actor_id as phrase_key,
        alias_name as phrase,
        alias_type as phrase_type
    from aliases
    union all
    select
        'actor' as phrase_kind,
        actor_id as phrase_key,
        actor_name as phrase,
        'discovered' as phrase_type
    from discovered
    union all
    select
        'actor' as phrase_kind,
        actor_id as phrase_key,
        regexp_extract(actor_name, '[^ ]+$', 0) as phrase,
        'discovered_surname' as phrase_type
    from discovered
    union all
    select
        'cue' as phrase_kind,
        stance_code as phrase_key,
        cue_phrase as phrase,
        'cue' as phrase_type
    from cues
),

token_arrays as (
    select
        phrases.*,
        {{ liveledger.split_to_array('phrase', "' '") }} as tokens
    from phrases
),

tokens as (
    select
        phrase_kind,
        phrase_key,
        phrase,
        phrase_type,
        {{ liveledger.explode_with_position('tokens', 'token', 'token_index') }}
    from token_arrays
),

normalized as (
    select
        phrase_kind,
        phrase_key,
        phrase,
        phrase_type,
        token_index,
        {{ liveledger.normalize_token('token') }} as token_norm,
        {{ liveledger.cased_token('token') }} as token_cased
    from tokens
),

kept as (
    select
        normalized.*,
        first_value(normalized.token_norm) over (
            partition by
                normalized.phrase_kind, normalized.phrase_key, normalized.phrase
            order by normalized.token_index
            rows between unbounded preceding and unbounded following
        ) as first_token
    from normalized
    where
        normalized.token_norm <> ''
        and not (normalized.token_index = 0 and normalized.token_norm = 'the')
),

per_phrase as (
    select
        phrase_kind,
        phrase_key,
        phrase,
        phrase_type,
        first_token,
        {{ liveledger.string_agg_ordered(
            'token_norm', 'token_index', "' '") }} as phrase_norm,
        max(token_cased) as phrase_cased,
        count(*) as token_count
    from kept
    group by phrase_kind, phrase_key, phrase, phrase_type, first_token
),

per_norm as (
    select
        phrase_kind,
        phrase_key,
        phrase_norm,
        first_token,
        token_count,
        min(phrase) as phrase,
        min(phrase_type) as phrase_type,
        max(phrase_cased) as phrase_cased,
        bool_and(
            token_count = 1
            and {{ liveledger.regex_matches('phrase', "'^[A-Z][A-Z.]*$'") }}
        ) as is_case_sensitive,
        bool_and(
            token_count = 1
            and phrase_type in (
                'surname', 'discovered_surname', 'world_surname'
            )
        ) as is_capitalized_only,
        bool_and(
            token_count = 1 and phrase_type = 'world_surname'
        ) as is_introduced_only
    from per_phrase
    group by phrase_kind, phrase_key, phrase_norm, first_token, token_count
),

final as (
    select
        phrase_kind,
        phrase_key,
        phrase,
        phrase_norm,
        first_token,
        phrase_cased,
        phrase_type,
        token_count,
        is_case_sensitive,
        is_capitalized_only,
        is_introduced_only,
        phrase_kind || ':' || phrase_key || ':' || phrase_norm as phrase_id,
        token_count > 8 as is_too_long,
        count(*) over (
            partition by phrase_kind, phrase_norm
        ) > 1 as is_ambiguous
    from per_norm
)

select * from final
