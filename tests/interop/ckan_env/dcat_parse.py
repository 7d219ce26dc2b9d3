"""ckanext-dcat's RDFParser with the euro_dcat_ap_3 profile over a DCAT document, in the CKAN env.

Usage: python dcat_parse.py FILE [FORMAT]

Prints one JSON line: for each dataset the parser gives, its name, `license_id`, its
`access_rights` and dates (from the extras or the top level, wherever the profile puts them),
and each resource's name, `license` and `rights`.
"""

import json
import sys

from ckanext.dcat.processors import RDFParser


def field(dataset, key):
    if dataset.get(key):
        return dataset[key]
    for extra in dataset.get("extras", []):
        if extra["key"] == key:
            return extra["value"]
    return None


def main():
    path = sys.argv[1]
    rdf_format = sys.argv[2] if len(sys.argv) > 2 else "turtle"
    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    with open(path, encoding="utf-8") as document:
        parser.parse(document.read(), _format=rdf_format)
    found = []
    for dataset in parser.datasets():
        found.append(
            {
                "name": dataset.get("name"),
                "uri": field(dataset, "uri"),
                "license_id": dataset.get("license_id"),
                "access_rights": field(dataset, "access_rights"),
                "issued": field(dataset, "issued"),
                "modified": field(dataset, "modified"),
                "resources": [
                    {"name": r.get("name"), "license": r.get("license"), "rights": r.get("rights")}
                    for r in dataset.get("resources", [])
                ],
            }
        )
    print(json.dumps(found, default=str))


if __name__ == "__main__":
    main()
