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

{#- A text as the words it is made of, for whole-word search with position():
    lower case, no accents, every run of other characters one space, and a
    space at each end (" the latest on the crisis in bolivia "), so " bolivia "
    is found only as a word. -#}
{% macro padded_words(expr) -%}
    ' ' || trim({{ liveledger.regex_replace_all(
        liveledger.strip_accents('lower(' ~ expr ~ ')'), "'[^a-z0-9]+'", "' '") }}) || ' '
{%- endmacro %}
