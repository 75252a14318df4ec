with source as (
    select * from {{ ref('countries') }}
),

final as (
    select
        country_code,
        country_code_alpha2,
        country_name,
        capital as capital_name,
        demonyms,
        official_name_variants as name_variants
    from source
)

select * from final
