{#- A primary key is unique and never null. Returns the offending keys. -#}
{% test primary_key(model, column_name) %}

with keys as (
    select {{ column_name }} as key_value from {{ model }}
),

final as (
    select
        key_value,
        count(*) as occurrences
    from keys
    group by key_value
    having key_value is null or count(*) > 1
)

select * from final

{% endtest %}
