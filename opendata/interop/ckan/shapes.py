"""Our records in the shapes CKAN clients expect: package, organization, group, resource, tag.

Names and types follow `ckan/logic/action/get.py` (package_show's dictization): `name`,
`title`, `notes`, `organization`, `resources[].url`, `metadata_modified`, ... Our own
properties that have no CKAN field ride in `extras` as strings, as CKAN does.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from opendata.catalogue.topics import topic_label
from opendata.db.models import Agency, Resource
from opendata.interop.records import DatasetRecord, resource_global_id
from opendata.interop.vocabulary import REGENCY_ID, license_of, media_type_of
from opendata.public_ids import to_global_id
from opendata.urls import PublicUrls

# The download is always the CSV of the rows anyone may see (web/download.py).
DOWNLOAD_FORMAT = "CSV"


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: naive UTC, ISO 8601 with microseconds."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


# Neither agencies nor topics carry an image.
_NO_IMAGE = {"image_url": "", "image_display_url": ""}


def _group_state(group_type: str) -> dict[str, Any]:
    """The keys CKAN gives every group: ours are all approved and active."""
    return {
        "is_organization": group_type == "organization",
        "approval_status": "approved",
        "state": "active",
        "type": group_type,
    }


def _counted(shown: dict[str, Any], package_count: int | None) -> dict[str, Any]:
    """`package_count` only where the action counted the packages."""
    return shown if package_count is None else {**shown, "package_count": package_count}


def organization_dict(agency: Agency, package_count: int | None = None) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": to_global_id("Agency", agency.id),
        "name": agency.slug,
        "title": agency.name,
        "display_name": agency.name,
        "description": agency.description or "",
        "description_en": agency.description_en or "",
        "acronym": agency.acronym,
        "website": agency.website,
        **_NO_IMAGE,
        "created": ckan_time(agency.created_at),
        **_group_state("organization"),
    }
    return _counted(shown, package_count)


def group_dict(topic: str, package_count: int | None = None) -> dict[str, Any]:
    """A topic as a CKAN group; the English label rides in `title_en`."""
    label_id, label_en = topic_label(topic)
    shown: dict[str, Any] = {
        "id": topic,
        "name": topic,
        "title": label_id,
        "title_en": label_en,
        "display_name": label_id,
        "description": "",
        **_NO_IMAGE,
        **_group_state("group"),
    }
    return _counted(shown, package_count)


def tag_dict(keyword: str) -> dict[str, Any]:
    return {
        "id": keyword,
        "name": keyword,
        "display_name": keyword,
        "state": "active",
        "vocabulary_id": None,
    }


def resource_dict(record: DatasetRecord, resource: Resource, urls: PublicUrls) -> dict[str, Any]:
    """No download URL where no row is served: withheld whole, or published as AGGREGATES."""
    resource_id = resource_global_id(resource)
    withheld = not record.rows_public
    return {
        "id": resource_id,
        "package_id": record.global_id,
        "name": resource.name,
        "description": "",
        "format": DOWNLOAD_FORMAT,
        "mimetype": media_type_of("csv"),
        "url": "" if withheld else urls.download(resource_id),
        "url_type": None,
        "position": resource.position,
        "datastore_active": not withheld,
        "access": record.policy.access,
        "state": "active",
        "created": ckan_time(record.dataset.created_at),
        "last_modified": ckan_time(record.dataset.updated_at),
        "size": None,
        "hash": "",
        "resource_type": None,
    }


def _extras(record: DatasetRecord) -> list[dict[str, str]]:
    dataset = record.dataset
    access_id, access_en = record.access_statement()
    values: dict[str, Any] = {
        "title_en": dataset.title_en,
        "notes_en": dataset.description_en,
        "category": dataset.category,
        "access": record.policy.access,
        "access_rights": access_id,
        "access_rights_en": access_en,
        "exemptions": json.dumps(
            [
                {
                    "basis": n.basis,
                    "scope": n.scope,
                    "target": n.target,
                    "consequence_test": n.consequence_test,
                    "decision_reference": n.decision_reference,
                    "decided_on": n.decided_on.isoformat(),
                    "expires_on": n.expires_on.isoformat() if n.expires_on else None,
                }
                for n in record.notices
            ],
            ensure_ascii=False,
        )
        if record.notices
        else None,
        "modified": dataset.modified.isoformat() if dataset.modified else None,
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
        "spatial_text": REGENCY_ID,
    }
    return [{"key": key, "value": str(value)} for key, value in values.items() if value is not None]


def package_dict(record: DatasetRecord, urls: PublicUrls) -> dict[str, Any]:
    dataset, agency = record.dataset, record.agency
    licence = license_of(dataset.license)
    return {
        "id": record.global_id,
        "name": dataset.slug,
        "title": dataset.title,
        "type": "dataset",
        "state": "active",
        "private": False,
        "notes": dataset.description,
        "url": urls.dataset(dataset.slug),
        "version": None,
        "author": agency.name,
        "author_email": None,
        "maintainer": f"PPID {agency.name}",
        "maintainer_email": None,
        "license_id": dataset.license,
        "license_title": licence.title,
        "license_url": licence.url,
        "isopen": licence.is_open,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "creator_user_id": None,
        "owner_org": to_global_id("Agency", agency.id),
        "organization": organization_dict(agency),
        "groups": [group_dict(topic) for topic in dataset.topics],
        "tags": [tag_dict(keyword) for keyword in dataset.keywords],
        "num_tags": len(dataset.keywords),
        "resources": [resource_dict(record, r, urls) for r in record.resources],
        "num_resources": len(record.resources),
        "extras": _extras(record),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
