"""Regenerate the demo catalogue: `.venv/bin/python catalog/_generator`.

Also runs as `.venv/bin/python -m catalog._generator` from the repository root.

Each agency module rewrites its own folder from scratch; everything is seeded, so the output
is the same on every run. Folders starting with "_" (this one) are ignored by the loader.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bappeda
import bencana
import common
import ekonomi
import infrastruktur
import kependudukan
import kesehatan
import keuangan
import kominfo
import lingkungan
import pendidikan
import sosial

MODULES = [kesehatan, pendidikan, infrastruktur, kependudukan, kominfo, bappeda, bencana,
           lingkungan, ekonomi, sosial, keuangan]


def main() -> None:
    for module in MODULES:
        folder = common.CATALOG / module.AG
        if folder.is_dir():
            shutil.rmtree(folder)
        module.build()
    total_rows = 0
    for agency, slug, category, counts, n_ex in common.SUMMARY:
        rows = ", ".join(f"{name}={n}" for name, n in counts.items())
        total_rows += sum(counts.values())
        print(f"{agency:12} {slug:36} {category:10} {rows}" + (f"  [{n_ex} exemptions]"
                                                               if n_ex else ""))
    size = sum(p.stat().st_size for p in common.CATALOG.rglob("*")
               if p.is_file() and "_generator" not in p.parts)
    print(f"{len(MODULES)} agencies, {len(common.SUMMARY)} datasets, {total_rows} rows, "
          f"{size / 1024:.0f} KiB")


main()
