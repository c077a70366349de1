{#-
    The measure registry (models/semantic/_semantic__models.yml) as read from
    the graph: one dict per metric with name, label, mart, column, value_kind,
    additivity, public, relations and cell (from the metric's config meta). Only
    meaningful at execution time (graph is filled then); empty while parsing.
-#}
{% macro measure_registry() -%}
    {%- set registry = [] -%}
    {%- if not execute -%}{{ return(registry) }}{%- endif -%}
    {%- for metric in graph.metrics.values() | sort(attribute='name') -%}
        {%- set meta = metric.config.meta if metric.config and metric.config.meta else metric.meta -%}
        {%- do registry.append({
            'name': metric.name,
            'label': metric.label,
            'type': metric.type,
            'mart': meta.get('mart'),
            'column': meta.get('column'),
            'value_kind': meta.get('value_kind'),
            'additivity': meta.get('additivity'),
            'public': meta.get('public', false),
            'relations': meta.get('relations', {}),
            'cell': meta.get('cell'),
        }) -%}
    {%- endfor -%}
    {{ return(registry) }}
{%- endmacro %}

{#-
    The balance identities of the registry: {identity: {'start': column,
    'end': column, 'terms': [('+' or '-', column), …]}} with the terms in
    their declared order.
-#}
{% macro balance_identities(mart) -%}
    {%- set identities = {} -%}
    {%- set entries = [] -%}
    {%- for entry in measure_registry() if entry.mart == mart and entry.relations.get('balance') -%}
        {%- do entries.append(entry) -%}
    {%- endfor -%}
    {%- for entry in entries | sort(attribute='relations.balance.order') -%}
        {%- set balance = entry.relations.balance -%}
        {%- if balance.identity not in identities -%}
            {%- do identities.update({balance.identity: {'start': none, 'end': none, 'terms': []}}) -%}
        {%- endif -%}
        {%- set identity = identities[balance.identity] -%}
        {%- if balance.term in ('start', 'end') -%}
            {%- do identity.update({balance.term: entry.column}) -%}
        {%- else -%}
            {%- do identity.terms.append((balance.term, entry.column)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(identities) }}
{%- endmacro %}

{#-
    The person-level definition of each column of a mart whose cells count
    transitions (fct_register_flows_quarter), from the metrics' meta `cell`:
    [(column, where), …] for one side — `start`, the cell the person was in at
    the previous peildatum, or `end`, the cell at this one — by balance
    identity and order. `where` is a condition on int_register_transitions (aliased
    `transitions`), none for every transition of the side. The same
    definitions drive the trace (banenafspraak/trace/cell.py).
-#}
{% macro cell_definitions(mart, side) -%}
    {%- set entries = [] -%}
    {%- for entry in measure_registry() if entry.mart == mart and entry.cell and entry.cell.side == side -%}
        {%- do entries.append(entry) -%}
    {%- endfor -%}
    {%- set definitions = [] -%}
    {%- for entry in entries | sort(attribute='relations.balance.identity,relations.balance.order') -%}
        {%- do definitions.append((entry.column, entry.cell.where)) -%}
    {%- endfor -%}
    {{ return(definitions) }}
{%- endmacro %}

{#- start + term … - term … as SQL, from one identity of balance_identities(). -#}
{% macro balance_expression(identity) -%}
    {{ identity.start }}{% for sign, column in identity.terms %} {{ sign }} {{ column }}{% endfor %}
{%- endmacro %}

{#-
    The columns of a mart that the registry declares public (meta public:
    true), in the registry's order (by metric name); only those of the given
    value kinds when value_kinds is given. The publication models unpivot
    exactly these, so a metric made public in the registry becomes public
    cells without a second list. Empty while parsing (measure_registry()).
-#}
{% macro public_measures(mart, value_kinds=none) -%}
    {%- set columns = [] -%}
    {%- for entry in measure_registry() if entry.public and entry.mart == mart and entry.column -%}
        {%- if value_kinds is none or entry.value_kind in value_kinds -%}
            {%- do columns.append(entry.column) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#-
    The public ratios of a mart (meta relations ratio_of: [numerator,
    denominator], both metrics): [(column, numerator column, denominator
    column), …] in the registry's order, for a publication model that derives
    the shares from its counts.
-#}
{% macro public_ratios(mart) -%}
    {%- set registry = measure_registry() -%}
    {%- set column_of = {} -%}
    {%- for entry in registry -%}{%- do column_of.update({entry.name: entry.column}) -%}{%- endfor -%}
    {%- set ratios = [] -%}
    {%- for entry in registry if entry.public and entry.mart == mart and entry.relations.get('ratio_of') -%}
        {%- do ratios.append((entry.column, column_of[entry.relations.ratio_of[0]],
                              column_of[entry.relations.ratio_of[1]])) -%}
    {%- endfor -%}
    {{ return(ratios) }}
{%- endmacro %}

{#-
    The value kind of a public cell as the registry gives it to the cell's
    measure (a column of one of the marts named): count_of_persons becomes
    `count`; `amount`, `reference` and `derived` stay. A SQL CASE over
    measure_column; a measure the registry does not know gets NULL, which the
    not_null test on the publication models catches.
-#}
{% macro public_value_kind(measure_column, marts) -%}
    {%- set kinds = {} -%}
    {%- for entry in measure_registry() if entry.public and entry.mart in marts and entry.column -%}
        {%- do kinds.update({entry.column: 'count' if entry.value_kind == 'count_of_persons' else entry.value_kind}) -%}
    {%- endfor -%}
    case {{ measure_column }}{% for column, kind in kinds | dictsort %} when '{{ column }}' then '{{ kind }}'{% endfor %} end
{%- endmacro %}

{#- dbt run-operation print_measure_registry: the registry as one JSON line. -#}
{% macro print_measure_registry() -%}
    {%- if execute %}{{ print('MEASURE_REGISTRY ' ~ tojson(measure_registry())) }}{% endif -%}
{%- endmacro %}

