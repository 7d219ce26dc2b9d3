"""Screenshots of the main pages for the README: `python -m tests.portal.take_screenshots URL`.

Run against a server with the demo catalogue (`make serve`); writes docs/screenshots/*.png
at phone (360 px) and desktop (1280 px) widths with Debian's Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.portal.conftest import CHROMIUM

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SHOTS = {
    "home": "/",
    "search": "/cari?q=demam+berdarah+sungai+kakap",
    "dataset": "/dataset/kasus-dbd-per-kecamatan?res=kasus&col=kecamatan&val=Sungai+Kakap#res-1",
    "dataset-withheld-columns": "/dataset/registri-umkm#notice-heading",
    "agency": "/instansi/dinkes",
    "register": "/permohonan",
    "request-form": "/permohonan/baru?dataset=registri-umkm#main",
    "deadline": "/tenggat?start=2026-03-13&days=10",
    "statistics": "/statistik?sort=received&dir=desc#per-agency",
    "dashboard": "/dasbor",
    "tb-register": "/dataset/register-pasien-tbc#res-1",
}


def main(base: str) -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width, suffix in ((360, "phone"), (1280, "desktop")):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
            page = context.new_page()
            for name, path in SHOTS.items():
                page.goto(base.rstrip("/") + path)
                page.screenshot(
                    path=str(OUT / f"{name}-{suffix}.png"), full_page=suffix == "desktop"
                )
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
