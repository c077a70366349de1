"""The project's structure rules (project.py) on the DAG: what reads sources, what staging
reads, models without parents, fan-out, rejoined concepts, chains of views and what
exposures read. Each rule yields its Findings.
"""
from __future__ import annotations

from banenafspraak.checks.project_manifest import (
    CHAIN_LIMIT,
    FANOUT_LIMIT,
    VIEW_MATERIALIZATIONS,
    Finding,
    children,
    folder,
    materialization,
    models,
    name,
    parents,
)


def direct_join_to_source(manifest):
    for uid in models(manifest):
        ups = parents(manifest, uid)
        if any(p.startswith("source.") for p in ups) and any(p.startswith("model.") for p in ups):
            yield Finding("direct_join_to_source", name(uid), "joins a source directly with other models.",
                          "read the source through its staging model and join that.")


def marts_or_intermediate_dependent_on_source(manifest):
    for uid, node in models(manifest).items():
        if folder(node) in ("marts", "intermediate", "audit") and any(
                p.startswith("source.") for p in parents(manifest, uid)):
            yield Finding("marts_or_intermediate_dependent_on_source", name(uid),
                          f"a {folder(node)} model reads a source.", "read the staging model instead.")


def staging_dependent_on_staging(manifest):
    all_models = models(manifest)
    for uid, node in all_models.items():
        if folder(node) == "staging":
            for p in parents(manifest, uid):
                if p in all_models and folder(all_models[p]) == "staging":
                    yield Finding("staging_dependent_on_staging", name(uid), f"staging model reads {name(p)}.",
                                  "staging reads exactly one source; combine in intermediate.")


def staging_dependent_on_marts_or_intermediate(manifest):
    all_models = models(manifest)
    for uid, node in all_models.items():
        if folder(node) == "staging":
            for p in parents(manifest, uid):
                if p in all_models and folder(all_models[p]) in ("intermediate", "marts", "audit"):
                    yield Finding("staging_dependent_on_marts_or_intermediate", name(uid),
                                  f"staging model reads {folder(all_models[p])} model {name(p)}.",
                                  "staging only renames and casts its source; move the logic downstream.")


def multiple_sources_joined(manifest):
    for uid in models(manifest):
        sources = [p for p in parents(manifest, uid) if p.startswith("source.")]
        if len(sources) > 1:
            yield Finding("multiple_sources_joined", name(uid), f"reads {len(sources)} sources.",
                          "give each source its own staging model and join those.")


def unused_sources(manifest):
    for uid in manifest["sources"]:
        if not children(manifest, uid):
            yield Finding("unused_sources", name(uid), "no model reads this source.",
                          "remove it or add its staging model.")


def root_models(manifest):
    for uid in models(manifest):
        if not parents(manifest, uid):
            yield Finding("root_models", name(uid), "has no parents: it reads no source, seed or model.",
                          "read inputs through source() or ref(), never by name or path.")


def model_fanout(manifest):
    all_models = models(manifest)
    for uid in all_models:
        leaves = [c for c in children(manifest, uid) if c in all_models
                  and not any(cc in all_models for cc in children(manifest, c))]
        if len(leaves) > FANOUT_LIMIT:
            yield Finding("model_fanout", name(uid), f"feeds {len(leaves)} end models directly "
                          f"(more than {FANOUT_LIMIT}).", "build a shared model the end models read instead.")


def rejoining_of_upstream_concepts(manifest):
    """A → B → C and A → C, where B feeds nothing but C: B is a step of C, not a concept of its own."""
    all_models = models(manifest)
    reported = set()
    for uid in all_models:
        direct = set(children(manifest, uid))
        for middle in sorted(direct - reported):
            if middle not in all_models:
                continue
            downstream = [c for c in children(manifest, middle) if not c.startswith(("test.", "unit_test."))]
            if len(downstream) == 1 and downstream[0] in direct and downstream[0] in all_models:
                reported.add(middle)
                yield Finding("rejoining_of_upstream_concepts", name(middle),
                              f"sits between {name(uid)} and {name(downstream[0])}, which also reads "
                              f"{name(uid)} directly, and feeds nothing else.",
                              f"fold it into {name(downstream[0])} as a CTE, or let more than one model use it.")


def chained_views(manifest):
    """More than CHAIN_LIMIT views in an unbroken chain: every read runs the whole chain again."""
    all_models = models(manifest)
    depth: dict[str, int] = {}

    def views_up_to(uid: str) -> int:  # views in the longest unbroken chain ending at uid (0 if uid is a table)
        if uid not in depth:
            depth[uid] = 0  # a cycle cannot occur in dbt's DAG; this only guards the recursion
            if materialization(all_models[uid]) in VIEW_MATERIALIZATIONS:
                depth[uid] = 1 + max([views_up_to(p) for p in parents(manifest, uid) if p in all_models],
                                     default=0)
        return depth[uid]

    for uid, node in all_models.items():
        is_view = materialization(node) in VIEW_MATERIALIZATIONS
        chain = views_up_to(uid) if is_view else max(
            [views_up_to(p) for p in parents(manifest, uid) if p in all_models], default=0)
        model_children = [c for c in children(manifest, uid) if c in all_models]
        if chain > CHAIN_LIMIT and not (is_view and model_children):  # report where the chain ends
            yield Finding("chained_views", name(uid), f"reads a chain of {chain} views (more than {CHAIN_LIMIT}).",
                          "materialize a model in the middle of the chain as a table.")


def source_fanout(manifest):
    """A source read by more than one model: its renaming and casting is done in more than one place."""
    all_models = models(manifest)
    for uid in manifest["sources"]:
        readers = [c for c in children(manifest, uid) if c in all_models]
        if len(readers) > 1:
            yield Finding("source_fanout", name(uid), f"is read by {len(readers)} models "
                          f"({', '.join(sorted(name(r) for r in readers))}).",
                          "read it in one staging model only; the others read that model.")
        for reader in readers:
            if folder(all_models[reader]) != "staging":
                yield Finding("source_fanout", name(reader), f"reads source {name(uid)} but is not a staging "
                              "model.", "read the source's staging model instead.")


def exposure_parents(manifest):
    """Exposures (dashboards, reports) read the public marts only, never staging, intermediate or sources."""
    all_models = models(manifest)
    for exposure in manifest.get("exposures", {}).values():
        for parent in (exposure.get("depends_on") or {}).get("nodes", []):
            if parent in all_models and folder(all_models[parent]) == "marts":
                continue
            kind = f"{folder(all_models[parent])} model" if parent in all_models else parent.split(".")[0]
            yield Finding("exposure_parents", exposure["name"], f"depends on {kind} {name(parent)}.",
                          "let the exposure read a mart (models/marts/); add one if it needs more.")
