"""Benchmark of the interoperability readers and writers (issue 6, robustness).

Prints, for synthetic catalogues of the given sizes (each credential requires 0-3 earlier ones
as "all of", "k of" or "credits from"): CTDL export, the JSON-LD size, CTDL import (with
checking), CSV export and import; then how long refusing hostile inputs takes (a 200 MB file,
100,000 levels of nesting, 2,000 requirement cycles).

Usage: ``python -m benchmarks.bench_interop [--sizes 1000 10000]``.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pathplanner.catalog import check_catalog_data
from pathplanner.interop.csv_catalog import catalog_to_csv, import_csv_text
from pathplanner.interop.ctdl_export import catalog_to_ctdl
from pathplanner.interop.ctdl_import import import_ctdl, import_ctdl_files
from pathplanner.model import Catalog


def synthetic_catalog(size: int, seed: int = 1) -> Catalog:
    rng = random.Random(seed)
    credentials: list[dict[str, Any]] = []
    for n in range(size):
        record: dict[str, Any] = {
            "id": f"c{n}",
            "name": f"Credential {n}",
            "kind": rng.choice(["certificate", "certification", "badge", "other"]),
            "cost": rng.randint(0, 2000),
            "duration_weeks": rng.randint(1, 20),
            "credits": rng.choice([0, 3, 4]),
        }
        earlier = rng.sample(range(n), k=min(n, rng.randint(0, 3)))
        refs = [f"c{e}" for e in earlier]
        if len(refs) == 1:
            record["requires"] = refs[0]
        elif len(refs) > 1:
            shape = rng.random()
            if shape < 0.4:
                record["requires"] = {"all": refs}
            elif shape < 0.8:
                record["requires"] = {"any": refs, "count": len(refs) - 1}
            else:
                record["requires"] = {"credits": 1, "from": [{"id": r, "credits": 1} for r in refs]}
        credentials.append(record)
    data = {
        "format": "pathplanner-catalog",
        "version": 1,
        "name": f"synthetic {size}",
        "credentials": credentials,
    }
    return check_catalog_data(data).catalog


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    columns = ["credentials", "CTDL export", "JSON-LD size", "CTDL import", "CSV export"]
    print(f"| {' | '.join([*columns, 'CSV import', 'identical'])} |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size in args.sizes:
        catalog = synthetic_catalog(size)
        export_s, document = timed(lambda c=catalog: json.loads(json.dumps(catalog_to_ctdl(c))))
        megabytes = len(json.dumps(document)) / 1e6
        import_s, result = timed(lambda d=document: import_ctdl([("synthetic.json", d)]))
        csv_out_s, text = timed(lambda c=catalog: catalog_to_csv(c))
        csv_in_s, back = timed(lambda t=text: import_csv_text(t))
        same = result.catalog == catalog and back.catalog == catalog
        print(
            f"| {size:,} | {export_s:.2f} s | {megabytes:.1f} MB | {import_s:.2f} s | "
            f"{csv_out_s:.2f} s | {csv_in_s:.2f} s | {same} |"
        )
    with tempfile.TemporaryDirectory() as folder:
        huge = Path(folder) / "huge.json"
        with huge.open("wb") as handle:
            handle.truncate(200 * 1024 * 1024)
        deep = Path(folder) / "deep.json"
        deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        for label, path in (("200 MB file", huge), ("100,000 levels of nesting", deep)):
            seconds, result = timed(lambda p=path: import_ctdl_files([p]))
            print(f"refused {label} in {seconds:.3f} s: {result.report.errors[0]}")
    pairs = []
    for n in range(0, 4000, 2):
        for a, b in ((n, n + 1), (n + 1, n)):
            pairs.append(
                {
                    "@id": f"urn:pathplanner:credential:c{a}",
                    "@type": "ceterms:Badge",
                    "ceterms:name": f"C{a}",
                    "ceterms:requires": {
                        "ceterms:targetCredential": f"urn:pathplanner:credential:c{b}"
                    },
                }
            )
    seconds, result = timed(lambda: import_ctdl([("cycles.json", {"@graph": pairs})]))
    print(
        f"2,000 requirement cycles broken in {seconds:.2f} s (valid: {result.catalog is not None})"
    )


if __name__ == "__main__":
    main()
