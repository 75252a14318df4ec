{#- The actor id that "the military", "the police", "the regime" (nouns of
    stg_reference__state_body_nouns) are matched as: a stand-in that
    int_stances_expanded replaces with the actor of the country the blog is
    about (int_load_batches_located), or drops when the blog names none.
    Quoted, ready for SQL. -#}
{% macro crisis_state_actor_id() -%}
    'state-of-the-crisis'
{%- endmacro %}
