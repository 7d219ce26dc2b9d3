"""The portal tests' catalogue: the small fixture plus every kind of exemption, with secrets.

`register-pasien-tbc` withholds the NIK column (FIELD) and the rows of patients who stopped
treatment (ROW); `memo-internal-uji` is withheld whole (DATASET). Each withheld value is a
string found nowhere else, so a test can look for it in any page's HTML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from opendata.catalogue.loader import load_catalog
from opendata.services import Services
from tests.conftest import FIXTURES

SECRET_NIK = "6112999999999999"  # FIELD-withheld, in a visible row
SECRET_ROW_PLACE = "Dusun Rahasiabaris"  # a visible column, but in a ROW-withheld row
SECRET_ROW_NIK = "6112888888888888"
SECRET_MEMO = "Isimemo Sangatrahasia"  # in a dataset withheld whole
SECRETS = (SECRET_NIK, SECRET_ROW_PLACE, SECRET_ROW_NIK, SECRET_MEMO)

ROW_EXEMPTION = """
  - scope: ROW
    rowFilter: {status_pengobatan: putus berobat}
    basis: PASAL_17H
    consequenceTest: Pasien yang putus berobat dapat dikenali dari umur dan kecamatannya.
    decidedOn: 2025-03-10
    expiresOn: null
"""

MEMO = """name: memo-internal-uji
title: Memo Internal Uji
title_en: Internal test memo
description: Memo internal yang dikecualikan seluruhnya.
description_en: An internal memo withheld whole.
keywords: [memo]
topics: [kesehatan]
licenses: [{name: CC-BY-4.0}]
category: ON_REQUEST
modified: 2025-05-20
temporal: {start: 2025, end: 2025}
exemptions:
  - scope: DATASET
    basis: PASAL_17I
    consequenceTest: Memo berisi pertimbangan yang belum diputuskan.
    decidedOn: 2025-05-20
    expiresOn: null
resources:
  - name: memo
    path: memo.csv
    format: csv
    mediatype: text/csv
    schema:
      fields:
        - {name: tahun, type: integer, title: Tahun}
        - {name: isi, type: string, title: Isi}
"""


def portal_catalog(root: Path) -> Path:
    shutil.copytree(FIXTURES / "catalog_small", root)
    tbc = root / "dinkes" / "register-pasien-tbc"
    package = (tbc / "datapackage.yaml").read_text()
    head, _, resources = package.partition("resources:")
    (tbc / "datapackage.yaml").write_text(head.rstrip() + ROW_EXEMPTION + "resources:" + resources)
    with (tbc / "register.csv").open("a") as rows:
        rows.write(f"{SECRET_NIK},45,Kubu,2024,sembuh\n")
        rows.write(f"{SECRET_ROW_NIK},38,{SECRET_ROW_PLACE},2024,putus berobat\n")
    memo = root / "dinkes" / "memo-internal-uji"
    memo.mkdir()
    (memo / "datapackage.yaml").write_text(MEMO)
    (memo / "memo.csv").write_text(f"tahun,isi\n2025,{SECRET_MEMO}\n")
    return root


async def load_portal_catalog(services: Services, root: Path) -> None:
    """The portal catalogue loaded into `services`' store (for tests without a server)."""
    assert (await load_catalog(services, portal_catalog(root))).ok
