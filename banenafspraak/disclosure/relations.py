"""What a reader knows: every linear relation between the cells.

A reader of `publication.figures` knows every published value, every value an
earlier vintage published that has not changed since (every vintage in the history,
withdrawn ones included: readers downloaded them), that counts and jobs are never
negative, and every linear relation between the cells:

* target groups add up to `all`, regions (with UNKNOWN) add up to `NL`, and so do the
  provinces (with PVUNKNOWN);
* UNKNOWN (no residence) is at most PVUNKNOWN (no province), and equal to it where the
  two are equal (see unknown_province);
* flow reasons add up to `inflow` / `outflow`;
* the classes of a breakdown (`age_class:<27`, …) add up to the row's figure, and the
  jobs of `sector:market` / `sector:government` are jobs_market / jobs_government;
* registered = working + not working;
* both balance identities of the flows, on every row:
  registered_end = registered_start + inflow − outflow + moved_in − moved_out
  + group_in − group_out, and the same for the working persons;
* `registered_start` / `working_start` equal the previous quarter's stock,
  `registered_end` / `working_end` the quarter's stock;
* moves cancel nationally (moved_in = moved_out for NL), group changes cancel
  within a region (group_in = group_out for a region's `all`);
* the working part of a flow is at most the flow (inflow_working <= inflow, …),
  working sheltered <= valid positive advices, working persons <= registered persons
  on every row.

build_relations writes them as sparse matrices over the cells (one column per cell);
check_relations_hold checks them on the exact figures. The totals of parts
(`total_of`), the balance identities and the parts at most their whole (`within`)
are not written here: they come from the measure registry (models/semantic/, read by
banenafspraak.registry from dbt's artefacts), the one place they are declared.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from banenafspraak import registry
from banenafspraak.config import config
from banenafspraak.disclosure.cells import KEY, LP_KINDS, SECTOR_JOBS, quarter_shift


@dataclass(frozen=True)
class RegistryRelations:
    """The relations the measure registry declares, as coefficients over measures:
    totals ({whole: {whole: -1, part: 1, ...}}) and balances ({identity: {end: -1,
    start: 1, term: +1 or -1, ...}})."""
    totals: dict[str, dict[str, float]]
    balances: dict[str, dict[str, float]]
    # derived figures: (period_type, measure, [(input measure, period), ...]) from meta
    # hidden_with; period is same, previous_quarter, previous_year_end or q4 (a year's Q4)
    derived: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    # (part, whole): the part is at most the whole on the same row (meta relations within)
    at_most: list[tuple[str, str]] = field(default_factory=list)


def registry_relations_of(rows: list[dict]) -> RegistryRelations:
    """RegistryRelations from banenafspraak.registry.registry() rows (public metrics)."""
    public = registry.public_metrics(rows)
    totals = {row["column"]: {row["column"]: -1.0, **{part: 1.0 for part in row["relations"]["total_of"]}}
              for row in public if row["relations"].get("total_of")}
    balances: dict[str, dict[str, float]] = {}
    for mart in sorted({row["mart"] for row in public}):
        for name, identity in registry.balance_identities(public, mart).items():
            if name in balances:
                raise ValueError(f"measure registry: balance identity {name!r} is declared on more than one mart")
            balances[name] = {identity["end"]: -1.0, identity["start"]: 1.0,
                              **{column: (1.0 if sign == "+" else -1.0) for sign, column in identity["terms"]}}
    column = {row["name"]: row["column"] for row in rows}
    derived = []
    for row in public:
        hidden = row.get("hidden_with")
        if not hidden:
            if row["value_kind"] == "derived":   # it would be shown whatever its inputs hide
                raise ValueError(f"measure registry: {row['name']} is a public derived figure without "
                                 "meta hidden_with (the cells it is computed from)")
            continue
        try:
            inputs = [(column[entry["metric"]], entry.get("period", "same")) for entry in hidden["inputs"]]
        except KeyError as missing:
            raise ValueError(f"measure registry: {row['name']}: hidden_with names {missing}, not a metric") from None
        derived.append((hidden.get("period_type", "quarter"), row["column"], inputs))
    at_most = [(row["column"], column[row["relations"]["within"]]) for row in public
               if row["relations"].get("within")]
    return RegistryRelations(totals, balances, derived, at_most)


@lru_cache(maxsize=4)
def _registry_relations(target: Path) -> RegistryRelations:
    registry.ensure_artifacts(target)
    return registry_relations_of(registry.registry(*registry.load_artifacts(target)))


def registry_relations(target: Path | None = None) -> RegistryRelations:
    """The registry's relations, from dbt's artefacts in target (default: the project's)."""
    return _registry_relations(Path(target or config().target).resolve())


@dataclass
class Relations:
    """Equalities E·x = 0 and inequalities U·x <= 0 over the cells (columns = cell rows)."""
    equalities: sparse.csr_matrix
    inequalities: sparse.csr_matrix
    equality_names: list[str] = field(default_factory=list)
    inequality_names: list[str] = field(default_factory=list)


def _terms(frame: pd.DataFrame, family: str, key: list[str], coefficient) -> pd.DataFrame:
    out = pd.DataFrame({"cell": frame.index.to_numpy()})
    out["equation"] = [family + "|" + "|".join(map(str, row)) for row in frame[key].itertuples(index=False)] \
        if len(frame) else []
    out["coefficient"] = coefficient if np.isscalar(coefficient) else np.asarray(coefficient, dtype=float)
    return out


def complete_rows(frame: pd.DataFrame, measures, row: list[str]) -> pd.DataFrame:
    """The cells of the given measures on rows that have every one of them (an identity
    only holds where all its terms are figures)."""
    frame = frame[frame["measure"].isin(measures)]
    if not len(frame):
        return frame
    return frame[frame.groupby(row)["measure"].transform("nunique") == len(measures)]


FLOW_DIRECTIONS = ("inflow", "outflow")


def area_level(codes: pd.Series) -> pd.Series:
    """What an area code in region_code is: `national` (NL), `municipality` (GMxxxx),
    `province` (PVxx, PVUNKNOWN) or `region` (a labour-market region or UNKNOWN)."""
    return pd.Series(np.select([codes.eq("NL"), codes.str.startswith("GM"), codes.str.startswith("PV")],
                               ["national", "municipality", "province"], "region"), index=codes.index)


def sum_to_totals(name: str, details: pd.DataFrame, totals: pd.DataFrame, on: list[str]) -> list[pd.DataFrame]:
    """details add up to the total with the same values of `on` (one equation per total
    that has at least one detail)."""
    joined = details.reset_index().merge(totals.reset_index()[on + ["index"]], on=on, suffixes=("", "_total"))
    if not len(joined):
        return []
    used = joined["index_total"].unique()
    return [pd.DataFrame({"cell": joined["index"], "equation": f"{name}|" + joined["index_total"].astype(str),
                          "coefficient": 1.0}),
            pd.DataFrame({"cell": used, "equation": f"{name}|" + pd.Series(used).astype(str), "coefficient": -1.0})]


def unknown_province(lp: pd.DataFrame) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """PVUNKNOWN against UNKNOWN, per target group and for all: the persons without a
    province are those without a residence (UNKNOWN) plus those living in a municipality
    without a province that year (Haaren, split in 2021; not published per municipality).
    (equalities, inequalities): UNKNOWN <= PVUNKNOWN always; where the two are equal, the
    equality. A reader knows it where no such municipality has residents; writing it
    wherever they are equal may credit the reader with more than it knows, which only
    makes the audit stricter."""
    on = ["period_type", "period", "target_group", "breakdown", "measure"]
    unknown = lp[lp["region_code"] == "UNKNOWN"]
    province = lp[lp["region_code"] == "PVUNKNOWN"]
    pairs = unknown.reset_index().merge(province.reset_index()[on + ["index", "exact_value"]], on=on,
                                        suffixes=("", "_province"))
    if not len(pairs):
        return [], []
    equal = (np.abs(pairs["exact_value"].fillna(0) - pairs["exact_value_province"].fillna(0)) <= 1e-9).to_numpy()
    out: tuple[list[pd.DataFrame], list[pd.DataFrame]] = ([], [])
    for kind, chosen in ((0, pairs[equal]), (1, pairs[~equal])):
        if len(chosen):
            name = ("unknown_province|" if kind == 0 else "unknown<=unknown_province|") \
                + chosen["index_province"].astype(str)
            out[kind].extend([pd.DataFrame({"cell": chosen["index"], "equation": name, "coefficient": 1.0}),
                              pd.DataFrame({"cell": chosen["index_province"], "equation": name,
                                            "coefficient": -1.0})])
    return out


def build_relations(cells: pd.DataFrame, declared: RegistryRelations | None = None) -> Relations:
    """Every linear relation a reader knows, from the cells' keys and the registry's
    relations (declared; default: the project's registry)."""
    declared = declared or registry_relations()
    lp = cells[cells["value_kind"].isin(LP_KINDS)]
    parts: list[pd.DataFrame] = []
    sums = ["period_type", "period", "breakdown", "measure"]

    # target groups add up to `all`; regions (with UNKNOWN) add up to `NL`, and so do the
    # provinces (with PVUNKNOWN); only where both sides are published
    level = area_level(lp["region_code"])
    for name, column, total, details in (
            ("sum_target_group", "target_group", "all", lp[lp["target_group"] != "all"]),
            ("sum_region_code", "region_code", "NL", lp[level == "region"]),
            ("sum_province", "region_code", "NL", lp[level == "province"])):
        other = "region_code" if column == "target_group" else "target_group"
        totals = lp[lp[column] == total]
        parts.extend(sum_to_totals(name, details, totals, sums + [other]))

    unknown_equal, unknown_within = unknown_province(lp)
    parts.extend(unknown_equal)

    row = ["period_type", "period", "region_code", "target_group"]
    plain = lp[lp["breakdown"] == "all"]

    # totals of their parts (registered = working + not working, ...), from the registry
    for whole, coefficients in sorted(declared.totals.items()):
        frame = complete_rows(plain, coefficients, row)
        parts.append(_terms(frame, "stock" if whole == "persons_registered" else f"total_{whole}", row,
                            frame["measure"].map(coefficients)))

    # the balance identities, from the registry
    for identity, coefficients in sorted(declared.balances.items()):
        frame = complete_rows(plain, coefficients, row)
        parts.append(_terms(frame, f"balance_{identity}", row, frame["measure"].map(coefficients)))

    # flow reasons add up to inflow / outflow
    reasons = lp[lp["measure"].eq("persons") & lp["breakdown"].str.contains(":")]
    direction = reasons["breakdown"].str.split(":").str[0]
    reasons = reasons.assign(direction=direction)
    flows = plain[plain["measure"].isin(["inflow", "outflow"])].assign(direction=lambda f: f["measure"])
    flows = flows[flows.set_index(row + ["direction"]).index.isin(reasons.set_index(row + ["direction"]).index)]
    parts.append(_terms(reasons, "reasons", row + ["direction"], 1.0))
    parts.append(_terms(flows, "reasons", row + ["direction"], -1.0))

    # the classes of a breakdown add up to the row's figure; the jobs of the sector
    # classes are jobs_market and jobs_government
    # (only where the row's figure is a cell: classes alone would be made to add up to 0)
    classes = lp[lp["breakdown"].str.contains(":") & ~lp["breakdown"].str.split(":").str[0].isin(FLOW_DIRECTIONS)]
    classes = classes[classes.set_index(row + ["measure"]).index.isin(plain.set_index(row + ["measure"]).index)]
    classes = classes.assign(family=classes["breakdown"].str.split(":").str[0])
    families = classes[row + ["family", "measure"]].drop_duplicates()
    wholes = plain.reset_index().merge(families, on=row + ["measure"]).set_index("index")
    wholes.index.name = None
    parts.append(_terms(classes, "classes", row + ["family", "measure"], 1.0))
    parts.append(_terms(wholes, "classes", row + ["family", "measure"], -1.0))
    for measure, breakdown in SECTOR_JOBS.items():
        sector = lp[(lp["breakdown"] == breakdown) & (lp["measure"] == "jobs")]
        named = plain[plain["measure"] == measure]
        both = sector.set_index(row).index.intersection(named.set_index(row).index)
        sector = sector[sector.set_index(row).index.isin(both)]
        named = named[named.set_index(row).index.isin(both)]
        parts.append(_terms(sector, f"{measure}_is_sector_jobs", row, 1.0))
        parts.append(_terms(named, f"{measure}_is_sector_jobs", row, -1.0))

    # start = the previous quarter's stock, end = the quarter's stock
    for flow, stock, offset in (("registered_start", "persons_registered", 1), ("working_start", "persons_working", 1),
                                ("registered_end", "persons_registered", 0), ("working_end", "persons_working", 0)):
        starts = plain[plain["measure"] == flow]
        stocks = plain[(plain["measure"] == stock) & (plain["period_type"] == "quarter")]
        stocks = stocks.assign(period=quarter_shift(stocks["period"], offset)) if len(stocks) else stocks
        stocks = stocks[stocks.set_index(row).index.isin(starts.set_index(row).index)]
        parts.append(_terms(starts, f"{flow}_is_stock", row, 1.0))
        parts.append(_terms(stocks, f"{flow}_is_stock", row, -1.0))

    # moves cancel nationally, group changes within a region
    for inward, outward, where in (("moved_in", "moved_out", plain["region_code"] == "NL"),
                                   ("moved_in_working", "moved_out_working", plain["region_code"] == "NL"),
                                   ("group_in", "group_out", pd.Series(True, index=plain.index)),
                                   ("group_in_working", "group_out_working", pd.Series(True, index=plain.index))):
        frame = plain[where & (plain["target_group"] == "all") & plain["measure"].isin([inward, outward])]
        parts.append(_terms(frame, f"{inward}_cancels", row, np.where(frame["measure"] == inward, 1.0, -1.0)))

    equalities = pd.concat([p for p in parts if len(p)] or
                           [pd.DataFrame(columns=["cell", "equation", "coefficient"])], ignore_index=True)

    inequality_parts = list(unknown_within)
    # working persons are at most the registered ones on every row that has both (the
    # rows without persons_not_working: municipalities, provinces, age and gender classes)
    counted = lp[lp["measure"].isin(["persons_registered", "persons_working"])]
    counted = counted[counted.groupby(row + ["breakdown"])["measure"].transform("nunique") == 2]
    inequality_parts.append(_terms(counted, "persons_working<=persons_registered", row + ["breakdown"],
                                   np.where(counted["measure"] == "persons_working", 1.0, -1.0)))
    for part, whole in declared.at_most:
        frame = plain[plain["measure"].isin([part, whole])]
        complete = frame.groupby(row)["measure"].transform("nunique") == 2
        frame = frame[complete]
        inequality_parts.append(_terms(frame, f"{part}<={whole}", row, np.where(frame["measure"] == part, 1.0, -1.0)))
    inequalities = pd.concat([p for p in inequality_parts if len(p)] or
                             [pd.DataFrame(columns=["cell", "equation", "coefficient"])], ignore_index=True)

    def matrix(terms: pd.DataFrame) -> tuple[sparse.csr_matrix, list[str]]:
        codes, names = pd.factorize(terms["equation"])
        m = sparse.coo_matrix((terms["coefficient"].astype(float), (codes, terms["cell"].astype(int))),
                              shape=(len(names), len(cells))).tocsr()
        m.sum_duplicates()
        return m, list(names)

    e, e_names = matrix(equalities)
    u, u_names = matrix(inequalities)
    return Relations(e, u, e_names, u_names)


def check_relations_hold(cells: pd.DataFrame, relations: Relations) -> None:
    """Every relation must hold on the exact values, or the audit's premise is wrong."""
    values = cells["exact_value"].fillna(0).to_numpy(dtype=float)
    for matrix, names, kind in ((relations.equalities, relations.equality_names, "equality"),
                                (relations.inequalities, relations.inequality_names, "inequality")):
        residual = matrix @ values
        bad = np.flatnonzero(np.abs(residual) > 1e-4) if kind == "equality" else np.flatnonzero(residual > 1e-4)
        if len(bad):
            examples = []
            for i in bad[:5]:
                members = matrix[i].indices
                examples.append(f"{names[i]}: residual {residual[i]:.6f} over "
                                + ", ".join(f"{'/'.join(map(str, cells.loc[c, KEY[1:]].tolist()))}="
                                            f"{cells.loc[c, 'exact_value']}" for c in members[:12]))
            raise ValueError(f"{len(bad)} {kind} relation(s) do not hold on the exact figures "
                             f"(a mart broke a documented identity):\n  " + "\n  ".join(examples))
