"""The separate CKAN 2.11 environment: the python of `.ckan-venv/`, built by `make ckan-env`.

CKAN itself (with its own pinned requirements), ckanext-harvest, ckanext-dcat and ckanapi live
in a venv of their own, never in the project's: their pins (SQLAlchemy 1.4, Flask, mypy, ...)
would clash with ours. Tests run CKAN's real client code in a subprocess with that python,
against a real server of ours.

`ckan_python()` gives the path of that python, or skips with the reason it cannot be used;
with `OPENDATA_REQUIRE_CKAN=1` (CI, `.ci/run`) the skip is a failure. `OPENDATA_CKAN_VENV`
points at another venv built the same way.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CKAN_VENV = Path(os.environ.get("OPENDATA_CKAN_VENV") or REPO / ".ckan-venv")
REQUIRE_CKAN = os.environ.get("OPENDATA_REQUIRE_CKAN") == "1"
# Scripts that run inside the CKAN environment (they import ckan, ckanext, ckanapi).
CLIENTS = Path(__file__).resolve().parent / "ckan_env"
# What the tests import there: CKAN's harvester, ckanext-dcat's parser, ckanapi.
NEEDED = ("ckan", "ckanext.harvest.harvesters.ckanharvester", "ckanext.dcat.processors", "ckanapi")

_state: dict[str, str | None] = {}


def _reason() -> str | None:
    """None if the CKAN environment imports what the tests need, else why not."""
    if "reason" in _state:
        return _state["reason"]
    python = CKAN_VENV / "bin" / "python"
    reason: str | None = None
    if not python.exists():
        reason = f"no CKAN environment at {CKAN_VENV} (build it with `make ckan-env`)"
    else:
        check = subprocess.run(
            [
                str(python),
                "-c",
                f"import importlib, sys; [importlib.import_module(m) for m in {list(NEEDED)!r}]",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=CKAN_VENV,
        )
        if check.returncode != 0:
            last = (check.stderr.strip().splitlines() or ["no output"])[-1]
            reason = (
                f"the CKAN environment at {CKAN_VENV} is broken ({last}); rebuild it "
                "with `rm -rf .ckan-venv && make ckan-env`"
            )
    _state["reason"] = reason
    return reason


def ckan_python() -> Path:
    """The CKAN environment's python; skips with the reason (fails under OPENDATA_REQUIRE_CKAN)."""
    reason = _reason()
    if reason is not None:
        if REQUIRE_CKAN:
            pytest.fail(f"OPENDATA_REQUIRE_CKAN=1 but {reason}")
        pytest.skip(reason)
    return CKAN_VENV / "bin" / "python"


def ckan_command(name: str) -> Path:
    """A console script of the CKAN environment, e.g. `ckanapi`."""
    return ckan_python().parent / name


def ckan_environ() -> dict[str, str]:
    """This process's environment with the CKAN venv's scripts first on PATH.

    `ckanapi dump` starts its workers as `ckanapi` by name, so that name must resolve to the
    CKAN environment's script even where the venv was never activated (a clean CI machine).
    """
    bin_dir = str(ckan_python().parent)
    return {**os.environ, "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}


def run_client(script: str, *args: str, timeout: float = 300) -> Any:
    """Runs `ckan_env/<script>.py` with the CKAN python; its last stdout line is JSON."""
    done = subprocess.run(
        [str(ckan_python()), str(CLIENTS / f"{script}.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=CLIENTS,
        env=ckan_environ(),
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    lines = done.stdout.strip().splitlines()
    assert lines, f"{script} printed nothing:\n{done.stderr}"
    return json.loads(lines[-1])
