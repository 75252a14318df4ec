{#- People the curated seeds do not know, found by the way news introduces
    officials: a demonym or a country's possessive, one to four title words,
    then a two- or three-word capitalised name ("Australian Foreign Minister
    Marise Payne", "Mexico's Foreign Minister Marcelo Ebrard"). Each becomes
    a person of that country, speaking for its government (unless the title
    is a "former" one), not curated.
    Names the seeds already know are left to the seeds. -#}
with tokens as (
    select * from {{ ref('int_entry_tokens_split') }}
),

aliases as (
    select * from {{ ref('int_actor_aliases_unioned') }}
),

titles as (
    select * from {{ ref('stg_reference__titles') }}
),

country_words as (
    select
        {{ liveledger.normalize_token('alias_name') }} as word_norm,
        min(substring(actor_id, 9, 3)) as country_key
    from aliases
    where
        actor_id like 'country-%'
        and alias_type in ('demonym', 'name')
        and alias_name not like '% %'
    group by {{ liveledger.normalize_token('alias_name') }}
    having count(distinct actor_id) = 1
),

known_names as (
    select distinct
        lower({{ liveledger.strip_accents('alias_name') }})
            as name_lower
    from aliases
),

shaped as (
    select
        tokens.event_id,
        tokens.sentence_index,
        tokens.token_index,
        tokens.token_norm,
        tokens.token_cased,
        tokens.is_possessive,
        case
            when titles.title_word is not null then 'T'
            when
                {{ liveledger.regex_matches(
                    'tokens.token_cased', "'^[A-Z][a-z]'") }}
                and not tokens.is_possessive
                then 'N'
            else 'x'
        end as shape
    from tokens
    left join titles
        on tokens.token_norm = titles.title_word
),

windows as (
    {#- One window pass (one sort of every token) for the previous word
        and the next seven. -#}
    select
        shaped.*,
        lag(shaped.token_norm) over sentence_tokens as previous_token_norm,
        concat_ws(
            '',
            lead(shaped.shape, 1) over sentence_tokens,
            lead(shaped.shape, 2) over sentence_tokens,
            lead(shaped.shape, 3) over sentence_tokens,
            lead(shaped.shape, 4) over sentence_tokens,
            lead(shaped.shape, 5) over sentence_tokens,
            lead(shaped.shape, 6) over sentence_tokens,
            lead(shaped.shape, 7) over sentence_tokens
        ) as next_shapes,
        lead(shaped.token_cased, 1) over sentence_tokens as next_1,
        lead(shaped.token_cased, 2) over sentence_tokens as next_2,
        lead(shaped.token_cased, 3) over sentence_tokens as next_3,
        lead(shaped.token_cased, 4) over sentence_tokens as next_4,
        lead(shaped.token_cased, 5) over sentence_tokens as next_5,
        lead(shaped.token_cased, 6) over sentence_tokens as next_6,
        lead(shaped.token_cased, 7) over sentence_tokens as next_7
    from shaped
    window sentence_tokens as (
        partition by event_id, sentence_index order by token_index
    )
),

anchored as (
    select
        windows.*,
        country_words.country_key,
        length(regexp_extract(windows.next_shapes, '^(T{1,4})N', 1))
            as title_length,
        length(regexp_extract(windows.next_shapes, '^T{1,4}(N{2,3})', 1))
            as name_length
    from windows
    inner join country_words
        on windows.token_norm = country_words.word_norm
    where {{ liveledger.regex_matches('windows.next_shapes', "'^T{1,4}NN'") }}
),

names as (
    select
        country_key,
        coalesce(previous_token_norm = 'former', false) as is_former,
        concat_ws(
            ' ',
            case title_length
                when 1 then next_2 when 2 then next_3
                when 3 then next_4 else next_5
            end,
            case title_length
                when 1 then next_3 when 2 then next_4
                when 3 then next_5 else next_6
            end,
            case
                when name_length = 3
                    then case title_length
                        when 1 then next_4 when 2 then next_5
                        when 3 then next_6 else next_7
                    end
            end
        ) as person_name
    from anchored
),

new_names as (
    select
        names.person_name,
        min(names.country_key) as country_key,
        bool_and(names.is_former) as is_former
    from names
    left join known_names
        on
            lower({{ liveledger.strip_accents('names.person_name') }})
            = known_names.name_lower
    where known_names.name_lower is null
    group by names.person_name
    having count(distinct names.country_key) = 1
),

final as (
    select
        'person-' || {{ liveledger.regex_replace_all(
            "lower(" ~ liveledger.strip_accents('person_name') ~ ")",
            "'[^a-z0-9]+'", "'-'") }} as actor_id,
        case
            when not is_former then 'gov-' || country_key
        end as affiliation_actor_id,
        person_name as actor_name,
        upper(country_key) as country_code
    from new_names
)

select * from final
