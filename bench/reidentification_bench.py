"""The re-identification check at scale: 1,000,000 rows over 4 quasi-identifiers (300,000
with --quick), target under 10 s (issue 22, "Done when").

Rows of synthetic people in Kubu Raya: kecamatan, desa of that kecamatan (Kemendagri's list),
age 0-99, sex, and a count. Figures (seconds, best of the runs):
- `scan`: the check itself (`ReidentificationScan` fed every parsed row, then its result)
  beside a plain `collections.Counter` over the same key tuples in the same run (pandas and
  duckdb are not installed, so the Counter is the reference);
- `csv`: `run_checks` over the same rows as a CSV file (every check, one read of the file
  through the catalogue reader) beside reading the file alone through the reader.
"""

from __future__ import annotations

import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

import yaml

from bench.rows_bench import SCRATCH, figure
from opendata.catalogue.reader import read_dataset
from opendata.publishing.checks import CheckContext, CheckKind, run_checks
from opendata.publishing.checks.reidentification import ReidentificationScan, small_groups
from opendata.publishing.checks.wilayah import kubu_raya

FOLDER = SCRATCH.parent / "reidentification"
QUASI = ("kecamatan", "desa", "umur", "jenis_kelamin")
FIELDS = [
    {"name": "kecamatan", "type": "string"},
    {"name": "desa", "type": "string"},
    {"name": "umur", "type": "integer"},
    {"name": "jenis_kelamin", "type": "string"},
    {"name": "jumlah", "type": "integer"},
]
TARGET_S = 10.0


def people(count: int) -> list[tuple[Any, ...]]:
    areas = kubu_raya()
    desa_of = [
        (k.name, [d.name for d in areas.desa.values() if d.kecamatan_code == k.code])
        for k in areas.kecamatan.values()
    ]
    pick = random.Random(22)
    rows = []
    for _ in range(count):
        kecamatan, desa = pick.choice(desa_of)
        rows.append((kecamatan, pick.choice(desa), pick.randrange(100), pick.choice("LP"), 1))
    return rows


def best(runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def write_package(rows: list[tuple[Any, ...]]) -> Any:
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    with (FOLDER / "orang.csv").open("w", encoding="utf-8") as handle:
        handle.write(",".join(f["name"] for f in FIELDS) + "\n")
        handle.writelines(",".join(str(v) for v in row) + "\n" for row in rows)
    descriptor = {
        "name": "orang",
        "title": "Orang (sintetis)",
        "category": "PERIODIC",
        "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [{"name": "orang", "path": "orang.csv", "schema": {"fields": FIELDS}}],
    }
    (FOLDER / "datapackage.yaml").write_text(yaml.safe_dump(descriptor))
    return read_dataset(FOLDER, "bench", FOLDER / "datapackage.yaml")


def run(quick: bool) -> Iterator[dict[str, Any]]:
    count = 300_000 if quick else 1_000_000
    rows = people(count)
    dataset = write_package(rows)
    resource = dataset.resources[0]
    context = CheckContext(quasi_identifiers=QUASI, minimum_cell_size=5)

    def check() -> None:
        scan = ReidentificationScan(resource, list(QUASI), 5, None)
        for line, values in enumerate(rows, start=2):
            scan.add(line, values)
        scan.results()

    def reference() -> None:
        small_groups(Counter(map(itemgetter(0, 1, 2, 3), rows)), 5)

    value, plain = best(3, check), best(3, reference)
    yield {
        **figure("python", "reidentification_scan", value, plain, "s", "< 10 s", value < TARGET_S),
        "rows": count,
        "quasi_identifiers": len(QUASI),
    }

    def all_checks() -> None:
        results = run_checks(dataset, context)
        assert any(r.kind == CheckKind.REIDENTIFICATION for r in results)

    def read_only() -> None:
        for _ in resource.iter_rows():
            pass

    value, plain = best(1, all_checks), best(1, read_only)
    yield {
        **figure("python", "run_checks_csv", value, plain, "s", "< 10 s", value < TARGET_S),
        "rows": count,
        "csv_bytes": resource.size,
    }
    shutil.rmtree(FOLDER, ignore_errors=True)
