"""The vendored browser assets: which npm package, which version, which files, which licence.

Nothing the portal or GraphiQL loads comes from another host. This table is the one place
that says what is vendored; `python -m opendata.portal.vendor_assets` refreshes the files from
the npm registry (`npm pack`, the ordinary client) and checks each against its pinned hash.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
# axe-core only runs inside the browser tests; it is not served to visitors
TEST_VENDOR = Path(__file__).resolve().parents[2] / "tests" / "portal" / "vendor"


@dataclass(frozen=True)
class VendoredPackage:
    name: str
    version: str
    license: str
    # path inside the npm tarball (under package/) -> file name in the target folder
    files: dict[str, str]
    # None: the tarball ships no licence file; its package.json `license` field is copied
    licence_file: str | None = "LICENSE"
    for_tests: bool = False

    @property
    def folder(self) -> Path:
        base = TEST_VENDOR if self.for_tests else VENDOR
        return base / self.name.replace("@", "").replace("/", "-")

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


# The versions strawberry's GraphiQL page names (strawberry/static/graphiql.html), so the
# page's own integrity hashes still match the files we serve.
PACKAGES: tuple[VendoredPackage, ...] = (
    VendoredPackage("react", "18.2.0", "MIT", {"umd/react.production.min.js": "react.js"}),
    VendoredPackage(
        "react-dom", "18.2.0", "MIT", {"umd/react-dom.production.min.js": "react-dom.js"}
    ),
    VendoredPackage("js-cookie", "3.0.5", "MIT", {"dist/js.cookie.min.js": "js.cookie.js"}),
    VendoredPackage(
        "graphiql",
        "3.8.3",
        "MIT",
        {"graphiql.min.js": "graphiql.js", "graphiql.min.css": "graphiql.css"},
    ),
    VendoredPackage(
        "@graphiql/plugin-explorer",
        "1.0.2",
        "MIT",
        {"dist/index.umd.js": "plugin-explorer.js", "dist/style.css": "plugin-explorer.css"},
        licence_file=None,
    ),
    # the dashboard's charts (bar, line, stacked bar); loaded by /dasbor only
    VendoredPackage(
        "chart.js",
        "4.5.1",
        "MIT",
        {"dist/chart.umd.min.js": "chart.umd.min.js"},
        licence_file="LICENSE.md",
    ),
    VendoredPackage(
        "axe-core",
        "4.10.3",
        "MPL-2.0",
        {"axe.min.js": "axe.min.js"},
        for_tests=True,
    ),
)

MANIFEST = VENDOR / "manifest.json"


def _sha384(data: bytes) -> str:
    import base64

    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def _member(archive: tarfile.TarFile, package: VendoredPackage, inner: str) -> bytes:
    member = archive.extractfile(f"package/{inner}")
    if member is None:
        raise FileNotFoundError(f"{package.spec}: {inner}")
    return member.read()


def _licence(archive: tarfile.TarFile, package: VendoredPackage) -> bytes:
    if package.licence_file is not None:
        return _member(archive, package, package.licence_file)
    declared = json.loads(_member(archive, package, "package.json"))
    if declared.get("license") != package.license:
        raise ValueError(f"{package.spec} declares {declared.get('license')!r}")
    return (
        f"{package.spec} is licensed {package.license} (its package.json `license` field; "
        f"the npm tarball ships no licence file).\nAuthor: {declared.get('author', '')}\n"
        f"Repository: {json.dumps(declared.get('repository', ''))}\n"
    ).encode()


def refresh(packages: tuple[VendoredPackage, ...] = PACKAGES) -> dict[str, dict[str, object]]:
    """Download each pinned package with `npm pack` and copy out its files and licence."""
    manifest: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for package in packages:
            packed = subprocess.run(
                ["npm", "pack", package.spec, "--json", "--pack-destination", scratch],
                check=True,
                capture_output=True,
                text=True,
            )
            tarball = Path(scratch) / json.loads(packed.stdout)[0]["filename"]
            package.folder.mkdir(parents=True, exist_ok=True)
            hashes: dict[str, str] = {}
            with tarfile.open(tarball) as archive:
                for inner, target in package.files.items():
                    data = _member(archive, package, inner)
                    (package.folder / target).write_bytes(data)
                    hashes[target] = _sha384(data)
                (package.folder / "LICENSE").write_bytes(_licence(archive, package))
            manifest[package.name] = {
                "version": package.version,
                "license": package.license,
                "files": hashes,
            }
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main() -> int:
    manifest = refresh()
    for name, entry in manifest.items():
        print(f"{name}@{entry['version']} ({entry['license']}): {', '.join(entry['files'])}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
