"""``search/listing.json``: the list in a compact form, for the list pages' script
(templates/static/list.js) to combine filters in the page: each subject's id, name, type,
status as of the build date, countries, authorities, cases and dates of listing, in the list's
order. Made from the listing view (what list pages show), so its fingerprint is theirs."""

from __future__ import annotations

import json

from generator.model import Site

LISTING_PATH = "search/listing.json"
FIELDS = ("id", "name", "type", "status", "countries", "authorities", "cases", "first", "latest")


def listing_json(site: Site) -> bytes:
    rows = [
        [
            subject.id,
            subject.name,
            subject.type,
            subject.status_on(site.as_of),
            list(subject.countries),
            list(subject.authorities),
            list(subject.cases),
            subject.first_listed.isoformat(),
            subject.last_listed.isoformat(),
        ]
        for subject in site.subjects
    ]
    document = {"fields": list(FIELDS), "subjects": rows}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
