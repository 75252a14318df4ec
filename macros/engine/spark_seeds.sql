{#- Seeds on Spark, loaded as literals instead of driver bindings.

    dbt-spark's own spark__load_csv_rows passes every cell as a binding, and
    the session method renders a binding as '<value>' by string formatting:
    an empty cell (None) becomes the string 'None' and an apostrophe ends the
    literal ("Cote d'Ivoire" breaks the insert, "O'Brien" too). Both are
    silent or confusing, so this project macro (found first through the
    `dbt` dispatch search order, which starts at the root project) renders
    each cell as a SQL literal itself: null, true/false, a number, or a
    string with backslashes and quotes escaped for Spark's parser. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(column_override.get(column_name, inferred_type)) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ liveledger.spark_seed_literal(value) }} as {{ types[loop.index0] }})
                    {%- if not loop.last %}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor -%}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- One seed cell as a Spark SQL literal. Spark string literals treat the
    backslash as an escape character, so it is doubled before quotes are
    escaped. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        '{{ (value | string) | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
