{#- The one definition of how a word is compared: lower case, no accents,
    no leading/trailing punctuation, no possessive "'s". Text tokens, actor
    aliases and cue phrases all go through it, so they match exactly when
    they are the same word. Portable: only dispatched macros inside. -#}
{% macro normalize_token(expr) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                replace(
                    lower({{ liveledger.strip_accents(expr) }}), '’', chr(39)
                ),
                '^[^a-z0-9@#]+', ''
            ),
            '[^a-z0-9]+$', ''
        ),
        chr(39) || 's$', ''
    )
{%- endmacro %}

{#- The token with punctuation and accents stripped but its case kept: used
    to match acronyms ("US", "WHO") only when written in capitals. -#}
{% macro cased_token(expr) -%}
    regexp_replace(
        regexp_replace(
            {{ liveledger.strip_accents(expr) }}, '^[^A-Za-z0-9@#]+', ''
        ),
        '[^A-Za-z0-9]+$', ''
    )
{%- endmacro %}
