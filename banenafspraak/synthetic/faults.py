"""Contract-breaking rows for the raw data generator (--faults, demo only), written by
writing.py so that quarantine is exercised.
"""
from __future__ import annotations

import duckdb


def add_faults(con: duckdb.DuckDBPyConnection) -> None:
    """Rows that break the raw contract, as real extracts have them (demo only).

    Each lands in quarantine with its rule; see README "Data quality". The rows
    they are made from are picked before any fault is added, so each fault
    breaks exactly one rule.
    """
    con.execute("""
        create temp table base_payroll as
            select * from out_payroll order by all limit 5;
        create temp table base_spell as
            select * from out_register_spells where valid_until is not null order by all limit 2;
        -- exact duplicate payroll rows (duplicate_row), three of them
        insert into out_payroll select * from base_payroll order by all limit 3;
        -- negative hours (negative_hours)
        insert into out_payroll
            select person_id, employment_id, employer_id, sector, period_month,
                   -4.00, contract_type, employment_kind, employment_start
            from base_payroll order by all limit 1 offset 3;
        -- a payroll row of a person who is not in persons (unknown_person)
        insert into out_payroll
            select 'P9999999', employment_id, employer_id, sector, period_month,
                   paid_hours, contract_type, employment_kind, employment_start
            from base_payroll order by all limit 1 offset 4;
        -- a residence in an unknown municipality (unknown_municipality)
        insert into out_residences
            select person_id, 'GM9999', valid_from, valid_until
            from out_residences order by all limit 1;
        -- a spell that ends before it starts (invalid_interval)
        insert into out_register_spells
            select 'S' || cast(9000001 as varchar), person_id, target_group, valid_from,
                   valid_from - 10, inflow_reason, outflow_reason
            from base_spell order by all limit 1;
        -- an unknown target group (unknown_code)
        insert into out_register_spells
            select 'S' || cast(9000002 as varchar), person_id, 'wajong_old', valid_from,
                   valid_until, inflow_reason, outflow_reason
            from base_spell order by all limit 1 offset 1;
        -- the same person twice (duplicate_row)
        insert into out_persons select * from out_persons order by all limit 1;
        -- a positive advice without a decision date (missing_value)
        insert into out_sheltered_work_requests
            select 'R9000001', person_id, gemeente_code, requester, request_date,
                   'positive', null, advice_valid_until
            from out_sheltered_work_requests order by all limit 1;
    """)
