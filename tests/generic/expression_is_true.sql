{#- Every row satisfies the SQL boolean `expression`. Returns the rows that
    do not. -#}
{% test expression_is_true(model, expression) %}

with checked as (
    select * from {{ model }}
),

final as (
    select *
    from checked
    where not coalesce({{ expression }}, false)
)

select * from final

{% endtest %}
