"""A value as a DuckDB string literal, for the statements that take no bound parameters.

ATTACH, COPY … TO and the table functions of a SQL text built ahead (benchmark
scripts) cannot take `?` parameters, so a path reaches them as a literal made
here: its quotes doubled, so `/data/'s-Hertogenbosch` is a path and a path holding
SQL is only a name. Everywhere else the scripts bind values as parameters. The dbt
models do the same with the macro sql_text (macros/quoting.sql).
"""
from __future__ import annotations


def sql_literal(value: object) -> str:
    """'value' with every ' doubled (DuckDB and standard SQL; a backslash is an ordinary character)."""
    return "'" + str(value).replace("'", "''") + "'"
