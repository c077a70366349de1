{#-
    On a flows model (fct_register_flows_quarter): recounts every column from
    the person-level transitions with the definitions the measure registry
    declares (each flow metric's meta `cell`, read by cell_definitions(): the
    side it counts on and its condition) and fails for every quarter × region
    × target group where a column differs, a cell exists on one side only, or a
    count column of the model has no definition (rule `no_definition`) or a
    definition no column (`no_column`). The
    audit trace selects a cell's persons with the same definitions, so this
    proves that what an auditor traces is what the mart counts.
    Arguments: transitions_model (int_register_transitions), quarters_model
    (dim_quarter).
-#}
{% test flows_match_cell_definitions(model, transitions_model, quarters_model) %}

{%- set leaving = cell_definitions(model.identifier, 'start') %}
{%- set entering = cell_definitions(model.identifier, 'end') %}
{%- set keys = ['quarter_label', 'quarter_end_date', 'region_code', 'target_group'] %}
{%- set mart_columns = [] %}
{%- if execute %}
    {%- for column in adapter.get_columns_in_relation(model) %}
        {%- do mart_columns.append(column.name | lower) %}
    {%- endfor %}
{%- endif %}
{%- set defined = [] %}
{%- set missing = [] %}
{%- for column, where in leaving + entering %}
    {%- do (defined if column in mart_columns else missing).append(column) %}
{%- endfor %}
{%- set undefined = [] %}
{%- for column in mart_columns if column not in keys and column not in defined %}
    {%- do undefined.append(column) %}
{%- endfor %}

with

transitions as (

    select * from {{ transitions_model }}

),

quarters as (

    {{ quarters_from_dim(quarters_model) }}

),

leaving as (

    select
        transitions.quarter_index,
        transitions.region_code_start as region_code,
        transitions.target_group_start as target_group
        {%- for column, where in leaving %},
        {{ count_where(where) if where else 'count(*)' }} as {{ column }}
        {%- endfor %}

    from transitions
    where transitions.is_registered_start
    group by 1, 2, 3

),

entering as (

    select
        transitions.quarter_index,
        transitions.region_code_end as region_code,
        transitions.target_group_end as target_group
        {%- for column, where in entering %},
        {{ count_where(where) if where else 'count(*)' }} as {{ column }}
        {%- endfor %}

    from transitions
    where transitions.is_registered_end
    group by 1, 2, 3

),

recounted as (

    select
        quarters.quarter_label,
        coalesce(leaving.region_code, entering.region_code) as region_code,
        coalesce(leaving.target_group, entering.target_group) as target_group
        {%- for column, where in leaving %},
        coalesce(leaving.{{ column }}, 0) as {{ column }}
        {%- endfor %}
        {%- for column, where in entering %},
        coalesce(entering.{{ column }}, 0) as {{ column }}
        {%- endfor %}

    from leaving
    full outer join entering
        on leaving.quarter_index = entering.quarter_index
        and leaving.region_code = entering.region_code
        and leaving.target_group = entering.target_group
    inner join quarters
        on coalesce(leaving.quarter_index, entering.quarter_index) = quarters.quarter_index

),

mart as (

    select * from {{ model }}

),

compared as (

    select
        coalesce(mart.quarter_label, recounted.quarter_label) as quarter_label,
        coalesce(mart.region_code, recounted.region_code) as region_code,
        coalesce(mart.target_group, recounted.target_group) as target_group,
        mart.quarter_label is null as only_recounted,
        recounted.quarter_label is null as only_in_mart
        {%- for column in defined %},
        mart.{{ column }} as {{ column }},
        recounted.{{ column }} as {{ column }}_recounted
        {%- endfor %}

    from mart
    full outer join recounted
        on mart.quarter_label = recounted.quarter_label
        and mart.region_code = recounted.region_code
        and mart.target_group = recounted.target_group

)

select
    compared.quarter_label,
    compared.region_code,
    compared.target_group,
    'differs' as rule
from compared
where compared.only_recounted
    or compared.only_in_mart
    {%- for column in defined %}
    or compared.{{ column }} <> compared.{{ column }}_recounted
    {%- endfor %}
{%- set problems = [] %}
{%- if not (leaving + entering) %}{% do problems.append('no_definition: the registry declares no cell') %}{% endif %}
{%- if undefined %}{% do problems.append('no_definition: ' ~ undefined | join(', ')) %}{% endif %}
{%- if missing %}{% do problems.append('no_column: ' ~ missing | join(', ')) %}{% endif %}
{%- for problem in problems %}

union all

select
    null as quarter_label,
    null as region_code,
    null as target_group,
    '{{ problem }}' as rule
{%- endfor %}

{% endtest %}
