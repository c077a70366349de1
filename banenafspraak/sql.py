"""A value as a DuckDB string literal, for the statements that take no bound parameters.

ATTACH, COPY … TO and the table functions of a SQL text built ahead (the
benchmarks) cannot take `?` parameters, so a path reaches them as a literal made
here: its quotes doubled, so `/data/'s-Hertogenbosch` is a path and a path holding
SQL is only a name. Everywhere else the package binds values as parameters. The dbt
models do the same with the macro sql_text (macros/quoting.sql).
"""
from __future__ import annotations

from typing import Any


def sql_literal(value: object) -> str:
    """'value' with every ' doubled (DuckDB and standard SQL; a backslash is an ordinary character)."""
    return "'" + str(value).replace("'", "''") + "'"


def table_names(con: Any, catalog: str, schema: str) -> list[str]:
    """The tables (and views) of catalog.schema on a DuckDB connection, by name."""
    return [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_catalog = ? "
        "and table_schema = ? order by table_name", [catalog, schema]).fetchall()]
