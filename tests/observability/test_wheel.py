"""An installed wheel carries the demo catalogue: `opendata serve` outside the source tree
is not empty."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

READ_DEMO = """
import sys
from opendata.catalogue.reader import read_catalog
from opendata.config import DEMO_CATALOG
assert str(DEMO_CATALOG).startswith(sys.argv[1]), DEMO_CATALOG
print(len(read_catalog(DEMO_CATALOG).datasets))
"""


@pytest.mark.slow
def test_the_wheel_carries_the_demo_catalogue(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("opendata-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    assert (installed / "opendata" / "demo_catalog" / "dinkes" / "agency.yaml").is_file()
    # run from elsewhere, with only the unpacked wheel on the path (its dependencies aside)
    done = subprocess.run(
        [sys.executable, "-c", READ_DEMO, str(installed)],
        env={**os.environ, "PYTHONPATH": str(installed)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert int(done.stdout) == 45
