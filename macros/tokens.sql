{#- The one definition of how a word is compared: lower case, no accents,
    no leading/trailing punctuation, no possessive "'s". Text tokens, actor
    aliases and cue phrases all go through it, so they match exactly when
    they are the same word. Portable: only dispatched macros inside. -#}
{% macro normalize_token(expr) -%}
    {{ liveledger.regex_replace_all(
        liveledger.regex_replace_all(
            liveledger.regex_replace_all(
                "replace(lower(" ~ liveledger.strip_accents(expr) ~ "), '’', chr(39))",
                "'^[^a-z0-9@#]+'", "''"
            ),
            "'[^a-z0-9]+$'", "''"
        ),
        "chr(39) || 's$'", "''"
    ) }}
{%- endmacro %}

{#- The token with punctuation and accents stripped but its case kept: used
    to match acronyms ("US", "WHO") only when written in capitals. -#}
{% macro cased_token(expr) -%}
    {{ liveledger.regex_replace_all(
        liveledger.regex_replace_all(
            liveledger.strip_accents(expr), "'^[^A-Za-z0-9@#]+'", "''"
        ),
        "'[^A-Za-z0-9]+$'", "''"
    ) }}
{%- endmacro %}
