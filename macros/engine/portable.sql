{#- Engine-specific SQL lives only here, behind adapter.dispatch, so every
    model stays portable between DuckDB and Spark. Positions are 0-based on
    every engine. -#}

{#- An array of the parts of `expr` between single `delimiter` characters.
    Spark's split takes a regex, so the character is wrapped in a class:
    do not pass `]`, `^` or a backslash. -#}
{% macro split_to_array(expr, delimiter) -%}
    {{ return(adapter.dispatch('split_to_array', 'liveledger')(expr, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_array(expr, delimiter) -%}
    string_split({{ expr }}, {{ delimiter }})
{%- endmacro %}

{% macro spark__split_to_array(expr, delimiter) -%}
    split({{ expr }}, concat('[', {{ delimiter }}, ']'))
{%- endmacro %}

{#- Select-list expressions giving one row per array element, with its
    0-based position. -#}
{% macro explode_with_position(array_expr, value_name, position_name) -%}
    {{ return(adapter.dispatch('explode_with_position', 'liveledger')(
        array_expr, value_name, position_name)) }}
{%- endmacro %}

{% macro default__explode_with_position(array_expr, value_name, position_name) -%}
    unnest({{ array_expr }}) as {{ value_name }},
    generate_subscripts({{ array_expr }}, 1) - 1 as {{ position_name }}
{%- endmacro %}

{% macro spark__explode_with_position(array_expr, value_name, position_name) -%}
    posexplode({{ array_expr }}) as ({{ position_name }}, {{ value_name }})
{%- endmacro %}

{#- Remove diacritics: "Guaidó" -> "Guaido". -#}
{% macro strip_accents(expr) -%}
    {{ return(adapter.dispatch('strip_accents', 'liveledger')(expr)) }}
{%- endmacro %}

{% macro default__strip_accents(expr) -%}
    strip_accents({{ expr }})
{%- endmacro %}

{% macro spark__strip_accents(expr) -%}
    translate(
        {{ expr }},
        'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŠšŽžŁłŃńŚśŹźŻżĆćĘęĄąŞşĞğİıČčŘřĎďŤťŇň',
        'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyySsZzLlNnSsZzZzCcEeAaSsGgIiCcRrDdTtNn'
    )
{%- endmacro %}

{#- True when `expr` matches the regular expression `pattern` anywhere.
    Write patterns without backslashes (use [.] not \.): Spark string
    literals eat them. -#}
{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'liveledger')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(expr, pattern) -%}
    ({{ expr }} rlike {{ pattern }})
{%- endmacro %}

{#- Values of `expr` joined with `separator`, in the order of `order_by`
    (Spark's listagg ignores ordering, so it sorts an array instead). -#}
{% macro string_agg_ordered(expr, order_by, separator) -%}
    {{ return(adapter.dispatch('string_agg_ordered', 'liveledger')(
        expr, order_by, separator)) }}
{%- endmacro %}

{% macro default__string_agg_ordered(expr, order_by, separator) -%}
    string_agg({{ expr }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expr, order_by, separator) -%}
    array_join(
        transform(
            array_sort(collect_list(struct({{ order_by }} as k, {{ expr }} as v))),
            x -> x.v
        ),
        {{ separator }}
    )
{%- endmacro %}

{#- The last non-null value of `expr` in the window. -#}
{% macro last_value_ignore_nulls(expr) -%}
    {{ return(adapter.dispatch('last_value_ignore_nulls', 'liveledger')(expr)) }}
{%- endmacro %}

{% macro default__last_value_ignore_nulls(expr) -%}
    last_value({{ expr }} ignore nulls)
{%- endmacro %}

{% macro spark__last_value_ignore_nulls(expr) -%}
    last_value({{ expr }}, true)
{%- endmacro %}

{#- The current instant in UTC as a timestamp without zone. -#}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now', 'liveledger')()) }}
{%- endmacro %}

{% macro default__utc_now() -%}
    cast(current_timestamp at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro spark__utc_now() -%}
    to_utc_timestamp(current_timestamp(), current_timezone())
{%- endmacro %}
