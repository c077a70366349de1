{#-
    The public cells (audit.disclosure_figures_exact, the union of the
    publication models) hold exactly the measures the measure registry
    declares public (meta public: true), each with the value kind the registry
    gives it (count_of_persons → count, amount, reference, derived). A row per
    measure that is public in one and not the other, or of another kind: a
    metric made public in the registry fails here until a publication model
    unpivots it. A public metric of a mart without rows (a small extract with
    no finished durability cohort) is not expected among the cells; one of a
    mart this test does not know fails.
-#}

{%- set marts = {
    'fct_register_quarter': ref('fct_register_quarter'),
    'fct_register_flows_quarter': ref('fct_register_flows_quarter'),
    'fct_register_flow_reasons_quarter': ref('fct_register_flow_reasons_quarter'),
    'fct_sheltered_work_quarter': ref('fct_sheltered_work_quarter'),
    'fct_region_progress_quarter': ref('fct_region_progress_quarter'),
    'fct_work_durability_year': ref('fct_work_durability_year'),
    'fct_participation_year': ref('fct_participation_year'),
} %}

{%- set kinds = {'count_of_persons': 'count', 'amount': 'amount', 'reference': 'reference',
                 'derived': 'derived'} %}
{%- set declared = [] %}
{%- for entry in measure_registry() if entry.public and entry.column %}
    {%- do declared.append((entry.column, kinds.get(entry.value_kind, entry.value_kind), entry.mart)) %}
{%- endfor %}

with

registry as (

    {%- for column, kind, mart in declared %}
    select
        '{{ column }}' as measure,
        '{{ kind }}' as value_kind,
        {%- if mart in marts %}
        (select count(*) from {{ marts[mart] }}) > 0 as is_expected
        {%- else %}
        true as is_expected
        {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select 'the registry declares no public metric' as measure, 'none' as value_kind, true as is_expected
    {%- endfor %}

),

published as (

    select distinct
        figures.measure,
        figures.value_kind

    from {{ ref('disclosure_figures_exact') }} as figures

),

compared as (

    select
        coalesce(registry.measure, published.measure) as measure,
        registry.value_kind as value_kind_registry,
        registry.is_expected,
        published.value_kind as value_kind_published

    from registry
    full outer join published
        on registry.measure = published.measure
        and registry.value_kind = published.value_kind

)

select *
from compared
where compared.value_kind_registry is null
    or (compared.value_kind_published is null and compared.is_expected)
{%- for column, kind, mart in declared if mart not in marts %}

union all

select
    '{{ column }}' as measure,
    'mart {{ mart }} not known to this test' as value_kind_registry,
    true as is_expected,
    null as value_kind_published
{%- endfor %}
