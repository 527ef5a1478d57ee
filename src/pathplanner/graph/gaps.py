"""Gap analysis that needs only the catalogue: dead ends, reachability, levels, overlap,
access equity (in-person only, too many hours per week) and structural problems.

The findings that need cheapest routes (missing bridges, routes over budget) live in
:mod:`pathplanner.graph.bridges`. Every function here is linear or near-linear in the size of
the catalogue (see ``docs/analysis.md`` for each definition).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

import networkx as nx

from pathplanner.graph.findings import (
    QUALIFICATION_KINDS,
    Finding,
    FindingKind,
    FindingSeverity,
    level_name,
    level_of,
)
from pathplanner.graph.metrics import pathway, prerequisite_map, topological_order
from pathplanner.graph.reachability import (
    LearnerFilters,
    dependents_index,
    filtered_reachable,
    lightest_weekly_load,
    reachable_from_zero,
)
from pathplanner.model import (
    AllOf,
    AnyOf,
    Catalog,
    Delivery,
    Requirement,
    item_id,
    requirement_refs,
)
from pathplanner.requirement_text import requirement_text

ONLINE_MODES = frozenset({Delivery.ONLINE, Delivery.HYBRID})


def default_goals(catalog: Catalog) -> list[str]:
    """The goals analysed when none are given: every diploma, degree and doctorate; failing
    those, every credential that has requirements and that nothing else builds on."""
    goals = [c.id for c in catalog.credentials if c.kind in QUALIFICATION_KINDS]
    if goals:
        return goals
    used = _used_ids(catalog)
    return [c.id for c in catalog.credentials if c.id not in used and c.requires is not None]


def dead_ends(catalog: Catalog) -> list[Finding]:
    """Credentials that stack into nothing: no other credential requires or accepts them.

    Credentials at the highest level present (e.g. doctorates) are where pathways end, so
    they are not reported; degrees below it are reported as info, smaller credentials as
    warnings (a micro-credential that leads nowhere is what designers look for).
    """
    used = _used_ids(catalog)
    present = [lv for c in catalog.credentials if (lv := level_of(c.kind)) is not None]
    top = max(present, default=None)
    findings: list[Finding] = []
    for credential in catalog.credentials:
        level = level_of(credential.kind)
        if credential.id in used or (level is not None and level == top):
            continue
        small = level is None or level <= 1
        what = "requires nothing and " if credential.requires is None else ""
        findings.append(
            Finding(
                FindingKind.DEAD_END,
                FindingSeverity.WARNING if small else FindingSeverity.INFO,
                (credential.id,),
                f"{credential.id} ({credential.kind.value}) {what}stacks into nothing: "
                "no credential requires it or accepts its credits",
            )
        )
    return findings


def unmeetable_requirements(catalog: Catalog, reachable: set[str] | None = None) -> list[Finding]:
    """Credentials nobody can ever earn, even with no filters, and why.

    The root cause (an impossible count or credit sum, an unknown id, a cycle) is an error;
    credentials blocked only because something they need is unreachable are warnings.
    """
    reach = reachable if reachable is not None else reachable_from_zero(catalog)
    known = catalog.credentials_by_id
    findings: list[Finding] = []
    for credential in catalog.credentials:
        if credential.id in reach:
            continue
        refs = list(dict.fromkeys(requirement_refs(credential.requires)))
        unknown = [r for r in refs if r not in known]
        blocked = [r for r in refs if r in known and r not in reach]
        text = requirement_text(credential.requires)
        if unknown:
            message = f"{credential.id} requires unknown credential(s) {', '.join(unknown)}"
            severity = FindingSeverity.ERROR
        elif not blocked:
            message = (
                f"{credential.id}: requirement '{text}' can never be met, "
                "even with every other credential earned"
            )
            severity = FindingSeverity.ERROR
        else:
            message = (
                f"{credential.id} can never be earned: '{text}' needs "
                f"{', '.join(blocked)}, which can never be earned"
            )
            severity = FindingSeverity.WARNING
        findings.append(
            Finding(
                FindingKind.UNMEETABLE_REQUIREMENT,
                severity,
                (credential.id, *blocked),
                message,
                {"unreachable_prerequisites": len(blocked)},
            )
        )
    return findings


def stranded(
    catalog: Catalog,
    filters: LearnerFilters,
    *,
    reachable: set[str] | None = None,
    reachable_filtered: set[str] | None = None,
    dependents: dict[str, list[str]] | None = None,
) -> list[Finding]:
    """Credentials a learner could take under ``filters`` but can never reach under them.

    Credentials the filters themselves rule out are not reported (they are simply excluded),
    nor those unreachable even without filters (see :func:`unmeetable_requirements`).
    ``reachable`` / ``reachable_filtered``, when given, must be what is reachable without
    filters / under ``filters`` (each is one pass over the catalogue otherwise).
    """
    if not filters.active:
        return []
    index = dependents if dependents is not None else dependents_index(catalog)
    reach = reachable if reachable is not None else reachable_from_zero(catalog, dependents=index)
    reach_filtered = (
        reachable_filtered
        if reachable_filtered is not None
        else filtered_reachable(catalog, filters, index)
    )
    findings: list[Finding] = []
    for credential in catalog.credentials:
        cid = credential.id
        if cid in reach_filtered or cid not in reach or not filters.allows(catalog, credential):
            continue
        refs = dict.fromkeys(requirement_refs(credential.requires))
        blockers = [r for r in refs if r not in reach_filtered]
        findings.append(
            Finding(
                FindingKind.STRANDED,
                FindingSeverity.WARNING,
                (cid, *blockers),
                f"{cid} cannot be reached under {filters.describe()}: it requires "
                f"{requirement_text(credential.requires)}, and {', '.join(blockers)} cannot be "
                "reached",
                {"blocking_prerequisites": len(blockers)},
            )
        )
    return findings


def levels_without_on_ramp(catalog: Catalog) -> list[Finding]:
    """Qualification levels that no credential of the level just below leads into.

    A level has an on-ramp when some credential at it requires, or accepts transfer credit
    from, a credential at the nearest lower level present in the catalogue.
    """
    by_level: dict[int, list[str]] = {}
    for credential in catalog.credentials:
        level = level_of(credential.kind)
        if level is not None:
            by_level.setdefault(level, []).append(credential.id)
    present = sorted(by_level)
    known = catalog.credentials_by_id
    findings: list[Finding] = []
    for below, level in itertools.pairwise(present):
        has_ramp = any(
            ref in known and level_of(known[ref].kind) == below
            for cid in by_level[level]
            for ref in _feeding_ids(catalog, cid)
        )
        if has_ramp:
            continue
        findings.append(
            Finding(
                FindingKind.NO_ON_RAMP,
                FindingSeverity.WARNING,
                tuple(by_level[level]),
                f"no {level_name(level)}-level credential requires or accepts credit from a "
                f"{level_name(below)}-level credential: holders of {level_name(below)}-level "
                "credentials get no head start",
                {"credentials_at_level": len(by_level[level])},
            )
        )
    return findings


def overlaps(catalog: Catalog, threshold: float = 0.6, min_skills: int = 2) -> list[Finding]:
    """Pairs at the same level whose skills overlap with Jaccard index >= ``threshold``.

    Only credentials listing at least ``min_skills`` skills are compared (one shared skill
    between two one-skill badges says little). Pairs are found through a skill index, so only
    credentials sharing a skill are ever compared.
    """
    skills = {
        c.id: frozenset(c.skills) for c in catalog.credentials if len(set(c.skills)) >= min_skills
    }
    group = {c.id: _level_key(c.kind.value, level_of(c.kind)) for c in catalog.credentials}
    holders: dict[tuple[str, str], list[str]] = {}
    for cid, owned in skills.items():
        for skill in owned:
            holders.setdefault((group[cid], skill), []).append(cid)
    shared: Counter[tuple[str, str]] = Counter()
    for members in holders.values():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                shared[(first, second)] += 1
    findings: list[Finding] = []
    for (first, second), common in shared.items():
        jaccard = common / len(skills[first] | skills[second])
        if jaccard + 1e-12 < threshold:
            continue
        findings.append(
            Finding(
                FindingKind.OVERLAP,
                FindingSeverity.INFO if jaccard < 1 else FindingSeverity.WARNING,
                (first, second),
                f"{first} and {second} teach {common} of the same skills "
                f"(Jaccard {jaccard:.2f}): learners may not see the difference",
                {"jaccard": round(jaccard, 4), "shared_skills": common},
            )
        )
    findings.sort(key=lambda f: (-f.numbers["jaccard"], f.credentials))
    return findings


def access_equity(
    catalog: Catalog,
    goals: Sequence[str],
    *,
    hours_per_week: float | None = None,
    filters: LearnerFilters | None = None,
    reachable: set[str] | None = None,
    dependents: dict[str, list[str]] | None = None,
) -> list[Finding]:
    """Goals with no route that is online or hybrid throughout, or none that fits a working
    learner's weekly hours (every route has a credential heavier than ``hours_per_week``).

    ``reachable``, when given, must be what is reachable under ``filters``."""
    base = filters or LearnerFilters()
    index = dependents if dependents is not None else dependents_index(catalog)
    reach = reachable if reachable is not None else filtered_reachable(catalog, base, index)
    online_only = replace(base, delivery=ONLINE_MODES & (base.delivery or ONLINE_MODES))
    online = reach if online_only == base else filtered_reachable(catalog, online_only, index)
    light: set[str] | None = None
    if hours_per_week is not None:
        light = filtered_reachable(catalog, replace(base, hours_per_week=hours_per_week), index)
    prerequisites = prerequisite_map(catalog)
    position = {cid: i for i, cid in enumerate(prerequisites)}
    known = catalog.credentials_by_id
    findings: list[Finding] = []
    for goal in goals:
        if goal not in reach:
            continue
        members = sorted(pathway(prerequisites, goal), key=position.__getitem__)
        if goal not in online:
            in_person = [c for c in members if known[c].delivery is Delivery.IN_PERSON]
            findings.append(
                Finding(
                    FindingKind.IN_PERSON_ONLY,
                    FindingSeverity.WARNING,
                    (goal, *(c for c in in_person if c != goal)),
                    f"every route to {goal} needs in-person attendance "
                    f"(in person: {', '.join(in_person)})",
                    {"in_person_credentials": len(in_person)},
                )
            )
        if light is not None and hours_per_week is not None and goal not in light:
            heavy = [c for c in members if lightest_weekly_load(known[c]) > hours_per_week + 1e-9]
            heaviest = max((lightest_weekly_load(known[c]) for c in members), default=0.0)
            findings.append(
                Finding(
                    FindingKind.TOO_MANY_HOURS,
                    FindingSeverity.WARNING,
                    (goal, *(c for c in heavy if c != goal)),
                    f"every route to {goal} needs more than {hours_per_week:g} hours/week "
                    f"(too heavy: {', '.join(heavy)}; the heaviest needs {heaviest:.1f})",
                    {"hours_per_week": hours_per_week, "heaviest_load": round(heaviest, 2)},
                )
            )
    return findings


def cycles(catalog: Catalog) -> list[Finding]:
    """Requirement or transfer cycles (a valid catalogue has none; an edited one may)."""
    prerequisites = prerequisite_map(catalog, include_transfer=True)
    self_loops = [
        c.id
        for c in catalog.credentials
        if c.id in requirement_refs(c.requires) or c.id in {item_id(i) for i in c.transfer}
    ]
    if not self_loops and len(_topological(prerequisites)) == len(prerequisites):
        return []  # the common case, without building a NetworkX graph
    graph: nx.DiGraph[str] = nx.DiGraph()
    for after, befores in prerequisites.items():
        graph.add_edges_from((before, after) for before in befores)
    graph.add_edges_from((cid, cid) for cid in self_loops)
    position = {c.id: i for i, c in enumerate(catalog.credentials)}
    findings: list[Finding] = []
    components = [
        (min(c, key=lambda n: position.get(n, len(position))), c)
        for c in nx.strongly_connected_components(graph)
    ]
    components.sort(key=lambda fc: position.get(fc[0], len(position)))
    for first, component in components:
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        cycle = nx.find_cycle(graph.subgraph(component), source=first)
        # Edges run prerequisite -> dependent; read backwards, each one needs the next.
        forward = [u for u, _ in cycle]
        path = [forward[0], *reversed(forward[1:])]
        findings.append(
            Finding(
                FindingKind.CYCLE,
                FindingSeverity.ERROR,
                tuple(path),
                f"cycle: {' needs '.join([*path, path[0]])}; a credential cannot need itself",
                {"length": len(path)},
            )
        )
    return findings


def redundant_prerequisites(catalog: Catalog) -> list[Finding]:
    """Direct requirements A -> C that are implied by another requirement B of C needing A.

    Only mandatory requirements count (plain ids and ``all`` groups, or ``any`` groups that
    need every option): with a real choice, a direct option is not implied by another.
    """
    known = catalog.credentials_by_id
    mandatory = {
        c.id: [r for r in dict.fromkeys(_mandatory_refs(c.requires)) if r in known and r != c.id]
        for c in catalog.credentials
    }
    order = _topological(mandatory)
    bit = {cid: 1 << i for i, cid in enumerate(mandatory)}
    ancestors: dict[str, int] = {}
    findings: list[Finding] = []
    for cid in order:
        preds = mandatory[cid]
        bits = 0
        for p in preds:
            bits |= ancestors[p] | bit[p]
        ancestors[cid] = bits
        for a in preds:
            witness = next((b for b in preds if b != a and ancestors[b] & bit[a]), None)
            if witness is None:
                continue
            findings.append(
                Finding(
                    FindingKind.REDUNDANT_PREREQUISITE,
                    FindingSeverity.INFO,
                    (cid, a, witness),
                    f"{cid} requires {a} directly and through {witness} (which already needs "
                    f"{a}): the direct requirement is redundant",
                )
            )
    return findings


def _mandatory_refs(requirement: Requirement | None) -> list[str]:
    if requirement is None:
        return []
    if isinstance(requirement, str):
        return [requirement]
    if isinstance(requirement, AllOf):
        return [r for sub in requirement.all for r in _mandatory_refs(sub)]
    if isinstance(requirement, AnyOf) and requirement.count >= len(requirement.any):
        return [r for sub in requirement.any for r in _mandatory_refs(sub)]
    return []


def _topological(preds: dict[str, list[str]]) -> list[str]:
    """The nodes not on a cycle, prerequisites first (cycles are reported separately)."""
    nodes = list(preds)
    index = {node: i for i, node in enumerate(nodes)}
    pred = [[index[b] for b in preds[node]] for node in nodes]
    succ: list[list[int]] = [[] for _ in nodes]
    for v, befores in enumerate(pred):
        for u in befores:
            succ[u].append(v)
    return [nodes[v] for v in topological_order(succ, pred)]


def _used_ids(catalog: Catalog) -> set[str]:
    """Credentials that some other credential requires or accepts for transfer."""
    used: set[str] = set()
    for credential in catalog.credentials:
        used.update(r for r in _feeding_ids(catalog, credential.id) if r != credential.id)
    return used


def _feeding_ids(catalog: Catalog, credential_id: str) -> Iterable[str]:
    credential = catalog.credentials_by_id[credential_id]
    yield from requirement_refs(credential.requires)
    yield from (item_id(item) for item in credential.transfer)


def _level_key(kind: str, level: int | None) -> str:
    return f"level:{level}" if level is not None else f"kind:{kind}"
