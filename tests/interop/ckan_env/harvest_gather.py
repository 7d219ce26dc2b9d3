"""ckanext-harvest's CKANHarvester gather stage against a CKAN API, run in the CKAN env.

Usage: python harvest_gather.py BASE_URL RUNS_JSON

RUNS_JSON is a list of runs, each {"config": SOURCE_CONFIG, "since": LAST_HARVEST_ISO or null}
(one process for them all: importing CKAN takes seconds).

The real `gather_stage` builds the `fq` terms from the harvest source's configuration
(organizations_filter_include/exclude, groups_filter_include/exclude) and, when a previous
harvest finished without errors at LAST_HARVEST_ISO, the incremental
`metadata_modified:[... TO *]` term; the real `_search_for_datasets` pages through
`package_search`. Only what needs CKAN's own database is stood in for: the harvest job and
source, the last error-free job, and HarvestObject rows (recorded instead of saved).
Prints one JSON line: per run, the gathered package names in order, and the gather errors.
"""

import datetime
import json
import sys
from types import SimpleNamespace

from ckanext.harvest.harvesters import ckanharvester
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester

gathered: list = []
errors: list = []


class RecordedObject:
    """HarvestObject without a database: keeps what the gather stage would have saved."""

    def __init__(self, guid, job, content):
        self.id = guid
        self.content = content

    def save(self):
        gathered.append(json.loads(self.content))


def gather(base_url, config, since):
    gathered.clear()
    errors.clear()
    harvester = CKANHarvester()
    harvester.last_error_free_job = lambda job: (
        SimpleNamespace(gather_started=datetime.datetime.fromisoformat(since)) if since else None
    )
    harvester._save_gather_error = lambda message, job: errors.append(message)
    job = SimpleNamespace(source=SimpleNamespace(url=base_url, config=json.dumps(config)))
    ids = harvester.gather_stage(job)
    return {
        "ids": ids,
        "names": [package["name"] for package in gathered],
        "errors": list(errors),
    }


def main():
    base_url, runs = sys.argv[1], json.loads(sys.argv[2])
    ckanharvester.HarvestObject = RecordedObject
    print(json.dumps([gather(base_url, run["config"], run.get("since")) for run in runs]))


if __name__ == "__main__":
    main()
