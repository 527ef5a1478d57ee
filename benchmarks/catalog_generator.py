"""Realistic synthetic catalogues (format v1) for the planner benchmark, deterministic by seed.

A catalogue is a set of *domains* (a field such as "data analytics"), each a stack of layers:

* badges and micro-credentials at the bottom (cheap, short, a few credits),
* certificates needing k of n micro-credentials and badges (some with monthly intakes),
* certifications (an exam on top of a certificate),
* diplomas: credit blocks needing credits from certificates, with a transfer list and cap,
* degrees (associate, bachelor, master): credit blocks needing credits from diplomas and a
  certification, with transfer from diplomas and certificates, intakes twice a year.

A small pool of *core* badges (writing, digital literacy, ...) is shared by every domain, and
inside a domain lower-layer credentials are reused by several higher ones: the shared
prerequisites that make tree-shaped search pay twice. Providers carry a recognition level,
credentials a delivery mode and skills from their domain.

Sizes: the domain grows with the catalogue so that a degree's closure is a few hundred
credentials (about 500 at 100,000 credentials).

Usage: ``python -m benchmarks.catalog_generator --size 10000 --seed 1 --out cat.json``.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FIRST_INTAKE = date(2027, 1, 4)  # benchmark plans start on this Monday
INTAKE_YEARS = 10
CORE_BADGES = 12
DELIVERY_WEIGHTS = {"online": 6, "hybrid": 2, "in_person": 2}

# share of a domain's credentials in each layer
LAYERS = {
    "badge": 0.34,
    "micro": 0.30,
    "certificate": 0.15,
    "certification": 0.08,
    "diploma": 0.07,
    "degree": 0.06,
}


WINDOW_SCALE = {250: 1.0, 500: 1.5, 1_000: 2.5}


def domain_size(size: int) -> int:
    """Credentials per domain: a degree's closure grows slowly with the catalogue."""
    if size <= 2_000:
        return 250
    if size <= 20_000:
        return 500
    return 1_000


@dataclass
class _Domain:
    index: int
    providers: dict[str, list[str]] = field(default_factory=dict)  # recognition -> ids
    skills: list[str] = field(default_factory=list)
    layers: dict[str, list[str]] = field(default_factory=dict)


class _Builder:
    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.credentials: list[dict[str, Any]] = []
        self.credits: dict[str, float] = {}
        self.providers: list[dict[str, Any]] = []
        self.skills: list[dict[str, Any]] = []
        self.core: list[str] = []
        self.window_scale = WINDOW_SCALE[domain_size(size)]
        self.monthly = self._calendar(1)
        self.quarterly = self._calendar(3)
        self.twice_a_year = self._calendar(6)

    # -- helpers ------------------------------------------------------------------------------

    def _calendar(self, every_months: int) -> list[str]:
        dates = []
        for month in range(0, 12 * INTAKE_YEARS, every_months):
            year, mon = divmod(month, 12)
            dates.append(date(FIRST_INTAKE.year + year, mon + 1, 1))
        return [(d + timedelta(days=(7 - d.weekday()) % 7)).isoformat() for d in dates]

    def _delivery(self) -> str:
        modes = list(DELIVERY_WEIGHTS)
        return self.rng.choices(modes, weights=list(DELIVERY_WEIGHTS.values()))[0]

    def _money(self, low: float, high: float) -> float:
        return float(round(self.rng.uniform(low, high) / 5) * 5)

    def _add(self, record: dict[str, Any]) -> str:
        record.setdefault("credits", 0.0)
        # 4 to 8 study hours a week: a learner with 10 h/week takes one course at a time,
        # or two light ones, so the fastest plan is a real scheduling problem
        record.setdefault("effort_hours", float(self.rng.randint(4, 8) * record["duration_weeks"]))
        self.credits[record["id"]] = record["credits"]
        self.credentials.append(record)
        return str(record["id"])

    def _pick(self, pool: list[str], count: int) -> list[str]:
        return self.rng.sample(pool, min(count, len(pool)))

    def _local(self, pool: list[str], count: int, centre: float, spread: int) -> list[str]:
        """``count`` credentials from a window of ``pool`` around ``centre`` (0..1): related
        credentials share components, so closures overlap without being the whole domain.
        Windows widen with the domain, so that closures grow with the catalogue."""
        spread = round(spread * self.window_scale)
        if len(pool) <= spread:
            return self._pick(pool, count)
        first = min(int(centre * len(pool)), len(pool) - spread)
        return self._pick(pool[first : first + spread], count)

    def _skills(self, domain: _Domain, count: int) -> list[str]:
        return sorted(self._pick(domain.skills, count))

    # -- catalogue ----------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self._core()
        per_domain = domain_size(self.size)
        domains = max(1, (self.size - CORE_BADGES) // per_domain)
        for index in range(domains):
            remaining = self.size - len(self.credentials)
            left = domains - index
            self._domain(index, remaining // left)
        return {
            "format": "pathplanner-catalog",
            "version": 1,
            "name": f"synthetic {self.size} (seed)",
            "currency": "USD",
            "providers": self.providers,
            "skills": self.skills,
            "credentials": self.credentials,
        }

    def _provider(self, pid: str, recognition: str) -> str:
        self.providers.append(
            {"id": pid, "name": pid.replace("-", " ").title(), "recognition": recognition}
        )
        return pid

    def _core(self) -> None:
        provider = self._provider("core-academy", "accredited")
        self.skills.append(
            {"id": "core-skill", "name": "Core study skills", "framework": "synthetic"}
        )
        for i in range(CORE_BADGES):
            self.core.append(
                self._add(
                    {
                        "id": f"core-badge-{i:02d}",
                        "name": f"Core badge {i}",
                        "kind": "badge",
                        "provider": provider,
                        "cost": self._money(0, 60),
                        "effort_hours": float(self.rng.randint(3, 8)),
                        "duration_weeks": self.rng.randint(1, 2),
                        "credits": 1.0,
                        "delivery": "online",
                        "skills": ["core-skill"],
                    }
                )
            )

    def _domain(self, index: int, budget: int) -> None:
        d = _Domain(index)
        prefix = f"d{index:04d}"
        recognitions = {
            "accredited": 2,
            "industry": 2,
            "employer": 2,
            "unverified": 1,
        }
        for recognition, count in recognitions.items():
            d.providers[recognition] = [
                self._provider(f"{prefix}-{recognition}-{i}", recognition) for i in range(count)
            ]
        for i in range(max(4, budget // 15)):
            sid = f"{prefix}-skill-{i:03d}"
            self.skills.append({"id": sid, "name": f"Skill {index}.{i}", "framework": "synthetic"})
            d.skills.append(sid)
        counts = {layer: max(2, int(share * budget)) for layer, share in LAYERS.items()}
        counts["badge"] += budget - sum(counts.values())
        makers = {
            "badge": self._badge,
            "micro": self._micro,
            "certificate": self._certificate,
            "certification": self._certification,
            "diploma": self._diploma,
            "degree": self._degree,
        }
        for layer, maker in makers.items():
            d.layers[layer] = []
            total = counts[layer]
            for i in range(total):
                position = (i + 0.5) / total
                d.layers[layer].append(maker(d, f"{prefix}-{layer}-{i:03d}", position))

    def _base(self, d: _Domain, cid: str, kind: str, recognition: str) -> dict[str, Any]:
        return {
            "id": cid,
            "name": cid.replace("-", " ").title(),
            "kind": kind,
            "provider": self.rng.choice(d.providers[recognition]),
            "delivery": self._delivery(),
        }

    def _badge(self, d: _Domain, cid: str, position: float) -> str:
        rec = self._base(d, cid, "badge", self.rng.choice(["employer", "unverified", "industry"]))
        rec.update(
            cost=self._money(0, 150),
            duration_weeks=self.rng.randint(1, 3),
            credits=float(self.rng.choice([0.5, 1, 1, 2])),
            skills=self._skills(d, 1),
        )
        if self.rng.random() < 0.15:
            rec["requires"] = self.rng.choice(self.core)
        return self._add(rec)

    def _micro(self, d: _Domain, cid: str, position: float) -> str:
        rec = self._base(d, cid, "micro-credential", self.rng.choice(["industry", "employer"]))
        rec.update(
            cost=self._money(80, 600),
            duration_weeks=self.rng.randint(2, 6),
            credits=float(self.rng.randint(2, 5)),
            skills=self._skills(d, 2),
        )
        roll = self.rng.random()
        badges = d.layers["badge"]
        if roll < 0.45:
            rec["requires"] = {"any": self._local(badges, 3, position, 12)}
        elif roll < 0.75:
            rec["requires"] = {"all": self._local(badges, 2, position, 12)}
        return self._add(rec)

    def _certificate(self, d: _Domain, cid: str, position: float) -> str:
        rec = self._base(d, cid, "certificate", self.rng.choice(["accredited", "industry"]))
        rec.update(
            cost=self._money(400, 2500),
            duration_weeks=self.rng.randint(6, 16),
            credits=float(self.rng.randint(10, 20)),
            skills=self._skills(d, 3),
        )
        options = self._local(d.layers["micro"], self.rng.randint(4, 7), position, 16)
        options += self._local(d.layers["badge"], self.rng.randint(1, 2), position, 16)
        count = self.rng.randint(2, min(4, len(options)))
        choose: dict[str, Any] = {"any": options, "count": count}
        if self.rng.random() < 0.35:
            rec["requires"] = {"all": [self.rng.choice(self.core), choose]}
        else:
            rec["requires"] = choose
        if self.rng.random() < 0.3:
            rec["start_dates"] = self.monthly
        return self._add(rec)

    def _certification(self, d: _Domain, cid: str, position: float) -> str:
        rec = self._base(d, cid, "certification", "industry")
        rec.update(
            cost=self._money(150, 900),
            duration_weeks=self.rng.randint(1, 4),
            credits=5.0,
            skills=self._skills(d, 1),
        )
        certificate = self._local(d.layers["certificate"], 1, position, 8)[0]
        micros = self._local(d.layers["micro"], 3, position, 16)
        rec["requires"] = {"all": [certificate, {"any": micros}]}
        return self._add(rec)

    def _credit_items(self, pool: list[str]) -> list[Any]:
        """Items for a credits/transfer list; a few carry a credit value of their own."""
        items: list[Any] = []
        for cid in pool:
            if self.rng.random() < 0.2:
                items.append({"id": cid, "credits": float(self.rng.randint(3, 12))})
            else:
                items.append(cid)
        return items

    def _item_credits(self, items: list[Any]) -> float:
        return sum(float(i["credits"]) if isinstance(i, dict) else self.credits[i] for i in items)

    def _diploma(self, d: _Domain, cid: str, position: float) -> str:
        rec = self._base(d, cid, "diploma", "accredited")
        required = float(self.rng.choice([60, 60, 90]))
        sources = self._local(d.layers["certificate"], self.rng.randint(5, 8), position, 14)
        sources += self._local(d.layers["micro"], self.rng.randint(2, 4), position, 20)
        needed_from = self._credit_items(sources)
        carried = self._item_credits(needed_from)
        rec.update(
            cost=self._money(200, 600),
            effort_hours=24.0,
            duration_weeks=4,
            credits=float(self.rng.choice([30, 40])),
            skills=self._skills(d, 3),
            requires={"credits": float(min(30, int(carried * 0.6))), "from": needed_from},
            credits_required=required,
            per_credit={
                "price": self._money(80, 160),
                "hours": 8.0,
                "weeks": 1.0,
            },
            transfer=self._credit_items(self._pick(sources, self.rng.randint(3, len(sources)))),
            transfer_max=required / 2,
            start_dates=self.quarterly,
        )
        return self._add(rec)

    def _degree(self, d: _Domain, cid: str, position: float) -> str:
        masters = position > 0.8 and bool(d.layers.get("degree"))
        kind = "master" if masters else self.rng.choice(["associate", "bachelor", "bachelor"])
        rec = self._base(d, cid, kind, "accredited")
        wanted = round(self.rng.randint(3, 5) * self.window_scale)
        diplomas = self._local(d.layers["diploma"], wanted, position, 8)
        certifications = self._local(d.layers["certification"], 3, position, 10)
        items = self._credit_items(diplomas)
        carried = self._item_credits(items)
        requirement: list[Any] = [
            {"credits": float(min(60, int(carried * 0.5))), "from": items},
            {"any": certifications},
        ]
        if masters:
            requirement.append({"any": self._pick(d.layers["degree"], 2)})
        required = float(self.rng.choice([120, 180]) if not masters else 90)
        transfer_pool = diplomas + self._local(d.layers["certificate"], 4, position, 14)
        rec.update(
            cost=self._money(500, 2000),
            effort_hours=48.0,
            duration_weeks=8,
            credits=required,
            delivery=self.rng.choice(["online", "hybrid", "in_person"]),
            skills=self._skills(d, 4),
            requires={"all": requirement},
            credits_required=required,
            per_credit={"price": self._money(150, 400), "hours": 8.0, "weeks": 1.0},
            transfer=self._credit_items(transfer_pool),
            transfer_max=float(self.rng.choice([45, 60, 90])),
            start_dates=self.twice_a_year,
        )
        return self._add(rec)


def generate_catalog_data(size: int, seed: int = 0) -> dict[str, Any]:
    """A format-v1 catalogue document of ``size`` credentials, the same for the same seed."""
    if size < 300:
        raise ValueError(f"size {size} is too small for a layered catalogue (at least 300)")
    data = _Builder(size, seed).build()
    data["name"] = f"synthetic catalogue, {size} credentials, seed {seed}"
    return data


def benchmark_goals(ids: Iterable[str], count: int, seed: int = 0) -> list[str]:
    """``count`` goal credentials (degrees, some diplomas) spread over the domains."""
    rng = random.Random(seed)
    ids = list(ids)
    degrees = [cid for cid in ids if "-degree-" in cid]
    diplomas = [cid for cid in ids if "-diploma-" in cid]
    picked = rng.sample(degrees, min(len(degrees), count - count // 4))
    picked += rng.sample(diplomas, min(len(diplomas), count - len(picked)))
    return picked


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(generate_catalog_data(args.size, args.seed)), encoding="utf-8")


if __name__ == "__main__":
    main()
