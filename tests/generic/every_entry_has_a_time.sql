{#- Every entry must carry its clock time as written, its local time and its
    UTC instant, and the two must differ by a whole number of minutes no
    larger than a day (time-zone offsets lie within -12h..+14h). Returns the
    entries that break this. -#}
{% test every_entry_has_a_time(
    model, column_name, local_column, marker_column
) %}

with entries as (
    select
        {{ column_name }} as published_at,
        {{ local_column }} as published_at_local,
        {{ marker_column }} as time_marker
    from {{ model }}
),

final as (
    select *
    from entries
    where
        published_at is null
        or published_at_local is null
        or time_marker is null
        or trim(time_marker) = ''
        or published_at_local
        > published_at + interval '14' hour
        or published_at_local
        < published_at - interval '12' hour
)

select * from final

{% endtest %}
