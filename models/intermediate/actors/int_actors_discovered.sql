{#- People the curated seeds do not know, found by the way news introduces
    officials: a demonym or a country's possessive, one to four title words,
    then a two- or three-word capitalised name ("Australian Foreign Minister
    Marise Payne", "Mexico's Foreign Minister Marcelo Ebrard"). Each becomes
    a person of that country, speaking for its government (unless the title
    is a "former" one), not curated.
    Names the seeds already know are left to the seeds. -#}
{#- Read twice (the anchors, their neighbours): not materialised, so each
    read is a narrow scan that streams. -#}
with tokens as {{ liveledger.not_materialized() }} (
    select
        event_id,
        sentence_index,
        token_index,
        token_norm,
        token_cased,
        is_possessive
    from {{ ref('int_entry_tokens_split') }}
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

shaped as {{ liveledger.not_materialized() }} (
    select
        tokens.event_id,
        tokens.sentence_index,
        tokens.token_index,
        tokens.token_norm,
        tokens.token_cased,
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

-- A country word followed by a title word: the only tokens whose
-- neighbours are looked at, so no window sorts every token.
anchors as (
    select
        shaped.event_id,
        shaped.sentence_index,
        shaped.token_index,
        country_words.country_key
    from shaped
    inner join country_words
        on shaped.token_norm = country_words.word_norm
    inner join shaped as next_tokens
        on
            shaped.event_id = next_tokens.event_id
            and shaped.sentence_index = next_tokens.sentence_index
            and shaped.token_index + 1 = next_tokens.token_index
    where next_tokens.shape = 'T'
),

-- The previous word and the next seven of each anchor, in its sentence
-- (fewer at the sentence's end).
windows as (
    select
        anchors.event_id,
        anchors.token_index,
        anchors.country_key,
        max(case
            when shaped.token_index = anchors.token_index - 1
                then shaped.token_norm
        end) as previous_token_norm,
        concat_ws(
            '',
            max(case
                when shaped.token_index = anchors.token_index + 1
                    then shaped.shape
            end),
            max(case
                when shaped.token_index = anchors.token_index + 2
                    then shaped.shape
            end),
            max(case
                when shaped.token_index = anchors.token_index + 3
                    then shaped.shape
            end),
            max(case
                when shaped.token_index = anchors.token_index + 4
                    then shaped.shape
            end),
            max(case
                when shaped.token_index = anchors.token_index + 5
                    then shaped.shape
            end),
            max(case
                when shaped.token_index = anchors.token_index + 6
                    then shaped.shape
            end),
            max(case
                when shaped.token_index = anchors.token_index + 7
                    then shaped.shape
            end)
        ) as next_shapes,
        max(case
            when shaped.token_index = anchors.token_index + 1
                then shaped.token_cased
        end) as next_1,
        max(case
            when shaped.token_index = anchors.token_index + 2
                then shaped.token_cased
        end) as next_2,
        max(case
            when shaped.token_index = anchors.token_index + 3
                then shaped.token_cased
        end) as next_3,
        max(case
            when shaped.token_index = anchors.token_index + 4
                then shaped.token_cased
        end) as next_4,
        max(case
            when shaped.token_index = anchors.token_index + 5
                then shaped.token_cased
        end) as next_5,
        max(case
            when shaped.token_index = anchors.token_index + 6
                then shaped.token_cased
        end) as next_6,
        max(case
            when shaped.token_index = anchors.token_index + 7
                then shaped.token_cased
        end) as next_7
    from anchors
    inner join shaped
        on
            anchors.event_id = shaped.event_id
            and anchors.sentence_index = shaped.sentence_index
            and shaped.token_index >= anchors.token_index - 1
            and shaped.token_index <= anchors.token_index + 7
    group by anchors.event_id, anchors.token_index, anchors.country_key
),

anchored as (
    select
        windows.*,
        length(regexp_extract(windows.next_shapes, '^(T{1,4})N', 1))
            as title_length,
        length(regexp_extract(windows.next_shapes, '^T{1,4}(N{2,3})', 1))
            as name_length
    from windows
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
