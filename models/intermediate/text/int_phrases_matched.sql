{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set match_columns = [
    'event_id', 'load_batch_id', 'sentence_index', 'phrase_kind', 'phrase_key',
    'phrase', 'phrase_type', 'char_start', 'char_end', 'start_token_index',
    'end_token_index'
] %}
{#- Every place a known phrase (actor alias or stance cue) occurs in a
    sentence: the spans of int_phrase_candidates_matched with each surname
    resolved. An ambiguous phrase (two keys share it) is not matched,
    except a one-word surname several people share ("Morales"): it goes to
    the one person whose longer, unambiguous name occurs earlier in the
    same entry ("Evo Morales ... Morales"), and is dropped when none or
    several do. A world dictionary person's bare surname
    (is_introduced_only) follows the same rule even when no one else has
    it. A surname not named earlier in the entry also goes to the one
    person it names who holds a named office (a president, prime minister,
    foreign minister, king, ...; not the dictionaries' generic "Government"
    rows) on the entry's local day: a report calls the leaders of the day by
    surname alone ("Gadhafi's regime"). -#}
with longest as (
    select * from {{ ref('int_phrase_candidates_matched') }}
    {{ liveledger.new_batches_only() }}
),

entry_days as (
    select
        event_id,
        cast(published_at_local as date) as entry_day
    from {{ ref('int_entries_versioned') }}
    {{ liveledger.new_batches_only() }}
),

named_offices as (
    select
        actor_id,
        valid_from,
        valid_to
    from {{ ref('int_actor_roles_unioned') }}
    where role_title not in ('Government', 'Intergovernmental organisation')
),

-- an ambiguous or introduced-only surname keeps the candidates whose person
-- was named in full (unambiguously) earlier in the entry; it is kept only if
-- exactly one is
named_earlier as (
    select distinct surnames.*
    from longest as surnames
    inner join longest as named
        on
            surnames.event_id = named.event_id
            and surnames.phrase_kind = named.phrase_kind
            and surnames.phrase_key = named.phrase_key
            and (
                surnames.sentence_index > named.sentence_index
                or (
                    surnames.sentence_index = named.sentence_index
                    and surnames.start_token_index > named.end_token_index
                )
            )
    where
        (surnames.is_ambiguous or surnames.is_introduced_only)
        and not named.is_ambiguous
        and named.token_count > 1
),

-- a surname no one was named by earlier in the entry: the candidates in a
-- named office on the entry's day
in_office as (
    select distinct surnames.*
    from longest as surnames
    inner join entry_days
        on surnames.event_id = entry_days.event_id
    inner join named_offices
        on
            surnames.phrase_key = named_offices.actor_id
            and entry_days.entry_day >= named_offices.valid_from
            and (
                named_offices.valid_to is null
                or entry_days.entry_day <= named_offices.valid_to
            )
    left join named_earlier
        on
            surnames.event_id = named_earlier.event_id
            and surnames.sentence_index = named_earlier.sentence_index
            and surnames.start_token_index = named_earlier.start_token_index
    where
        (surnames.is_ambiguous or surnames.is_introduced_only)
        and named_earlier.event_id is null
),

resolved_surnames as (
    select
        *,
        count(*) over (
            partition by event_id, sentence_index, start_token_index
        ) as resolved_count
    from (
        select * from named_earlier
        union all
        select * from in_office
    ) as resolved
),

kept as (
    select {{ match_columns | join(', ') }}
    from longest
    where not is_ambiguous and not is_introduced_only
    union all
    select {{ match_columns | join(', ') }}
    from resolved_surnames
    where resolved_count = 1
),

final as (
    select
        event_id,
        load_batch_id,
        phrase_kind,
        phrase_key,
        phrase,
        phrase_type,
        sentence_index,
        start_token_index,
        end_token_index,
        char_start,
        char_end,
        event_id
        || '/'
        || cast(start_token_index as {{ dbt.type_string() }})
        || '/'
        || phrase_kind as phrase_match_id
    from kept
)

select * from final
