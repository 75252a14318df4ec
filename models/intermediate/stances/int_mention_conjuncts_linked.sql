{{ config(materialized='incremental', incremental_strategy='append') }}
{#- Head mentions joined by coordination in one sentence ("Qatar, Saudi
    Arabia, the UAE, Bahrain and Egypt", "Russia or Ukraine"): one row per
    ordered pair of members of a list, both ways, however long the list.

    A head continues the list of the head before it in the sentence when
    the earlier ends with a comma and the later follows it directly or
    after "the" ("Saudi Arabia, the UAE") and itself ends with a comma or
    comes before "and"/"or" (so "Spain, Dastis said" is no list), or when "and"/"or" stands
    between them ("Bahrain and Egypt"). A list is a run of such heads.

    A stance whose source is one member holds for each
    (int_stances_extracted), as does one whose target is
    (int_stances_expanded). -#}
with mentions as (
    select * from {{ ref('int_actor_mentions_matched') }}
    {{ liveledger.new_batches_only() }}
),

heads as (
    select
        event_id,
        load_batch_id,
        mention_id,
        actor_id,
        sentence_index,
        start_token_index,
        end_token_index,
        ends_with_comma,
        next_token_norm
    from mentions
    where is_head
),

sequenced as (
    select
        event_id,
        load_batch_id,
        mention_id,
        actor_id,
        sentence_index,
        start_token_index,
        ends_with_comma,
        next_token_norm,
        lag(end_token_index) over sentence_heads as previous_end_token_index,
        lag(ends_with_comma) over sentence_heads as previous_ends_with_comma,
        lag(next_token_norm) over sentence_heads as previous_next_token_norm
    from heads
    window sentence_heads as (
        partition by event_id, sentence_index order by start_token_index
    )
),

continued as (
    select
        *,
        coalesce(
            (
                previous_ends_with_comma
                and (ends_with_comma or next_token_norm in ('and', 'or'))
                and (
                    start_token_index = previous_end_token_index + 1
                    or (
                        start_token_index = previous_end_token_index + 2
                        and previous_next_token_norm = 'the'
                    )
                )
            )
            or (
                start_token_index = previous_end_token_index + 2
                and previous_next_token_norm in ('and', 'or')
            ),
            false
        ) as is_continuation
    from sequenced
),

listed as (
    select
        event_id,
        load_batch_id,
        mention_id,
        actor_id,
        sentence_index,
        sum(case when is_continuation then 0 else 1 end) over (
            partition by event_id, sentence_index
            order by start_token_index
            rows between unbounded preceding and current row
        ) as list_index
    from continued
),

final as (
    select
        members.event_id,
        members.load_batch_id,
        members.mention_id,
        other_members.mention_id as conjunct_mention_id,
        other_members.actor_id as conjunct_actor_id
    from listed as members
    inner join listed as other_members
        on
            members.event_id = other_members.event_id
            and members.sentence_index = other_members.sentence_index
            and members.list_index = other_members.list_index
            and members.mention_id <> other_members.mention_id
)

select * from final
