{#- Engine-specific SQL lives only here (and in the other files of
    macros/engine/), behind adapter.dispatch, so every model stays portable
    between DuckDB and Spark; tests/python/test_portability.py enforces it
    and tests/python/test_spark.py runs each macro on both engines over the
    same inputs. Positions are 0-based on every engine. -#}

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

{#- Spark has no Unicode normalisation: translate over the map generated
    from DuckDB's strip_accents (macros/engine/accent_map.sql), so both
    engines strip exactly the same characters. -#}
{% macro spark__strip_accents(expr) -%}
    {%- set accents = liveledger.accent_map() -%}
    translate({{ expr }}, '{{ accents.from }}', '{{ accents.to }}')
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

{#- `expr` with every match of the regular expression `pattern` replaced
    by `replacement`. DuckDB replaces only the first match unless told 'g';
    Spark always replaces all. Same backslash rule as regex_matches. -#}
{% macro regex_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'liveledger')(
        expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ pattern }}, {{ replacement }})
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

{#- localtimestamp() is the session's wall clock as TIMESTAMP_NTZ;
    convert_timezone moves it from the session zone to UTC, so this is
    right whatever the cluster's session zone is. -#}
{% macro spark__utc_now() -%}
    convert_timezone('UTC', localtimestamp())
{%- endmacro %}

{#- The wall-clock time in IANA zone `zone_expr` of `utc_expr`, a naive
    UTC timestamp; naive in, naive out. -#}
{% macro utc_to_local(utc_expr, zone_expr) -%}
    {{ return(adapter.dispatch('utc_to_local', 'liveledger')(utc_expr, zone_expr)) }}
{%- endmacro %}

{% macro default__utc_to_local(utc_expr, zone_expr) -%}
    cast(timezone({{ zone_expr }}, timezone('UTC', {{ utc_expr }})) as timestamp)
{%- endmacro %}

{% macro spark__utc_to_local(utc_expr, zone_expr) -%}
    convert_timezone('UTC', {{ zone_expr }}, {{ utc_expr }})
{%- endmacro %}

{#- Part `part_number` (1-based) of `expr` split on the single character
    `delimiter`, NULL when there is no such part or it is empty, on every
    engine. dbt.split_part is not portable: on Spark it turns a letter
    delimiter into a regex escape ('a' becomes \a) and gives '' where
    DuckDB gives NULL. (Not named split_part: default__/spark__split_part
    would override dbt's own.) -#}
{% macro split_part_or_null(expr, delimiter, part_number) -%}
    {{ return(adapter.dispatch('split_part_or_null', 'liveledger')(
        expr, delimiter, part_number)) }}
{%- endmacro %}

{% macro default__split_part_or_null(expr, delimiter, part_number) -%}
    nullif(split_part({{ expr }}, {{ delimiter }}, {{ part_number }}), '')
{%- endmacro %}

{% macro spark__split_part_or_null(expr, delimiter, part_number) -%}
    nullif(
        try_element_at({{ liveledger.spark__split_to_array(expr, delimiter) }}, {{ part_number }}),
        ''
    )
{%- endmacro %}

{#- The string `expr` cast to `type`, NULL when it does not convert.
    dbt.safe_cast is a plain cast on DuckDB, which fails the whole query
    instead. DuckDB's try_cast also rounds '1.5' and reads '1e3' as
    integers where Spark gives NULL, so integer types accept only digits.
    (Not named safe_cast: default__/spark__safe_cast would override dbt's
    own, which dbt's unit tests use to cast their fixtures.) -#}
{% macro cast_or_null(expr, type) -%}
    {{ return(adapter.dispatch('cast_or_null', 'liveledger')(expr, type)) }}
{%- endmacro %}

{% macro default__cast_or_null(expr, type) -%}
    {%- if type | lower in ['tinyint', 'smallint', 'int', 'integer', 'bigint'] -%}
        try_cast(
            case
                when regexp_full_match({{ expr }}, '\s*[-+]?[0-9]+\s*') then {{ expr }}
            end as {{ type }}
        )
    {%- else -%}
        try_cast({{ expr }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__cast_or_null(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{#- Placed between `as` and the body of a CTE that is referenced several
    times: DuckDB otherwise materialises such a CTE, every row and column,
    in memory it cannot spill (at 1M entries the token table's neighbour
    joins ran out of memory that way); not materialised, each reference
    is a scan of the table with only its columns, which streams. Spark
    inlines CTEs anyway and has no such syntax. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'liveledger')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}

{#- Microseconds since 1970-01-01 of `expr`, a naive UTC timestamp, as a
    bigint: differences of instants compared exactly on every engine (the
    profile's Spark session zone is UTC, so the cast to a zoned timestamp
    moves nothing). -#}
{% macro epoch_microseconds(expr) -%}
    {{ return(adapter.dispatch('epoch_microseconds', 'liveledger')(expr)) }}
{%- endmacro %}

{% macro default__epoch_microseconds(expr) -%}
    epoch_us({{ expr }})
{%- endmacro %}

{% macro spark__epoch_microseconds(expr) -%}
    unix_micros(cast({{ expr }} as timestamp_ltz))
{%- endmacro %}
