"""Rules across records: ids, references between files, dates that contradict, duplicates.

Input: a ``Site`` whose files each passed their own field checks. Output: problems, located at
the field they are about (through each object's ``Origin``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath

from generator.countries import is_country
from generator.errors import Location, Problem, Severity
from generator.fields import HIERARCHICAL_RELATIONS
from generator.fingerprint import digest, object_digest
from generator.identifiers import CHECKS
from generator.model import Origin, Participant, Sanction, Site, Subject
from generator.names import detect_script, identity_key, spelling_key
from generator.validate import suggest, suggest_code


def check_site(site: Site, page_files: dict[tuple[str, str], set[str]]) -> list[Problem]:
    problems = list(check_participants(site))
    problems.extend(check_cases(site))
    codes = sorted(p.code for p in site.participants)
    ids = {subject.id for subject in site.subjects}
    cases = sorted(case.id for case in site.cases)
    by_code = {p.code: p for p in site.participants}
    languages = site.config.languages
    # What a record's own checks see besides the record, when its related ids all exist.
    context = digest(*codes, "|", *cases, "|", *languages, "|", object_digest(site.participants))
    for subject in site.subjects:
        # Kept with the record (0.4 s of each build at 10,000 records), while its related ids
        # all exist: an unknown one's message suggests one of all the ids.
        resolved = all(relation.id in ids for relation in subject.related)
        known = subject.derived.get("checks")
        if resolved and known is not None and known[0] == context:
            problems.extend(known[1])
            continue
        found = [
            *check_subject(subject, codes, ids, cases, languages),
            *check_official_links(subject, by_code),
        ]
        if resolved:
            subject.derived["checks"] = (context, found)
        problems.extend(found)
    for tombstone in site.tombstones:
        problems.extend(check_file_name(tombstone.id, tombstone.origin))
    problems.extend(check_duplicates(site.subjects))
    problems.extend(check_cycles(site.subjects))
    problems.extend(check_translations(site, page_files))
    return problems


def check_participants(site: Site) -> Iterator[Problem]:
    seen: set[str] = set()
    for participant in site.participants:
        where = participant.origin.at("code")
        if participant.code in seen:
            yield Problem(
                where, "duplicate-id", "code", f"participant {participant.code} is listed twice"
            )
        seen.add(participant.code)
        if participant.kind == "state" and not is_country(participant.code):
            message = f"'{participant.code}' is not an ISO 3166-1 alpha-2 code"
            yield Problem(
                where, "invalid-country", "code", message, "organisations have kind: organisation"
            )


def check_cases(site: Site) -> Iterator[Problem]:
    seen: set[str] = set()
    for case in site.cases:
        if case.id in seen:
            message = f"case {case.id} is defined twice"
            yield Problem(case.origin.at("id"), "duplicate-id", "id", message)
        seen.add(case.id)


def check_subject(
    subject: Subject,
    codes: list[str],
    ids: set[str],
    cases: list[str],
    languages: tuple[str, ...],
) -> Iterator[Problem]:
    origin = subject.origin
    yield from check_file_name(subject.id, origin)
    if detect_script(subject.name) != "Latn":
        yield Problem(
            origin.at("name"),
            "name-script",
            "name",
            f"'{subject.name}' is not in Latin script",
            "write the primary name in Latin script and this one under aliases with its lang",
            Severity.WARNING,
        )
    for index, sanction in enumerate(subject.sanctions):
        yield from check_sanction(sanction, f"sanctions[{index}]", origin, codes)
    yield from check_identifiers(subject)
    for index, relation in enumerate(subject.related):
        field = f"related[{index}].id"
        if relation.id == subject.id:
            yield Problem(
                origin.at(field), "self-related", field, "a record cannot be related to itself"
            )
        elif relation.id not in ids:
            yield Problem(
                origin.at(field),
                "unknown-related",
                field,
                f"no record has the id '{relation.id}'{suggest(relation.id, sorted(ids))}",
                "related ids are file names in designations/ without .yaml",
            )
    for index, case in enumerate(subject.cases):
        field = f"cases[{index}]"
        if case in cases:
            continue
        yield Problem(
            origin.at(field),
            "unknown-case",
            field,
            f"no case has the id '{case}'{suggest(case, cases)}",
            "cases are defined in content/cases.yaml",
        )
    for lang in languages[1:]:
        if lang not in subject.grounds:
            yield Problem(
                origin.at("grounds"),
                "missing-translation",
                f"grounds.{lang}",
                f"the grounds have no {lang} text; {lang} readers see the {languages[0]} one",
                severity=Severity.WARNING,
            )


def check_official_links(subject: Subject, by_code: Mapping[str, Participant]) -> Iterator[Problem]:
    """Each sanction links its act where its authority publishes (its ``official_domains``).

    A reader must be able to check a status at its source, so an authority that declares its
    domains gets an error for a sanction with no link there; ``url_not_found`` says, on the page,
    that no official text could be found, and answers the check. A record with such a sanction
    whose other sanctions (of authorities that declare no domains) are neither linked nor marked
    so, and whose sources are all third parties' pages, is warned about: it rests on the press.
    """
    origin = subject.origin
    official = reported = unanswered = declared = False
    for index, sanction in enumerate(subject.sanctions):
        field = f"sanctions[{index}]"
        authority = by_code.get(sanction.authority)
        if authority is None:
            continue
        if not authority.official_domains:
            official = official or bool(sanction.url)
            unanswered = unanswered or not (sanction.url or sanction.url_not_found)
            continue
        declared = True
        if sanction.url and sanction.url_not_found:
            reported = True
            yield Problem(
                origin.at(f"{field}.url_not_found"),
                "url-not-found-with-url",
                f"{field}.url_not_found",
                "url_not_found says no official text can be found, but url links one",
                "remove url_not_found when the act is linked",
            )
        domains = ", ".join(authority.official_domains)
        if sanction.url and authority.is_official(sanction.url):
            official = True
        elif sanction.url:
            reported = True
            yield Problem(
                origin.at(f"{field}.url"),
                "unofficial-url",
                f"{field}.url",
                f"'{sanction.url}' is not on an official domain of {sanction.authority}"
                f" ({domains})",
                "link the act where the authority publishes it; put other pages in sources",
            )
        elif not sanction.url_not_found:
            reported = True
            yield Problem(
                origin.at(field),
                "missing-official-url",
                f"{field}.url",
                f"no link to the act on an official domain of {sanction.authority} ({domains})",
                "add url; if no official text can be found online, write url_not_found: true",
            )
    if not declared or official or reported or not unanswered:
        return
    if any(p.is_official(url) for url in subject.sources for p in by_code.values()):
        return
    yield Problem(
        origin.at("sources"),
        "third-party-sources",
        "sources",
        "no sanction links its act, and no source is an official page",
        "link the act in url, or add the authority's press release or list entry to sources",
        Severity.WARNING,
    )


def check_file_name(record_id: str, origin: Origin) -> Iterator[Problem]:
    """A record's id is its file name: designations/<id>.yaml."""
    stem = PurePosixPath(origin.path).stem
    if record_id != stem:
        yield Problem(
            origin.at("id"),
            "id-mismatch",
            "id",
            f"'{record_id}' differs from the file name '{stem}'",
            "the id and the file name must be the same; never rename a published record",
        )


def check_identifiers(subject: Subject) -> Iterator[Problem]:
    """Numbers with check digits (INN, OGRN) must pass them: FtM would drop them otherwise."""
    for index, identifier in enumerate(subject.identifiers):
        check = CHECKS.get(identifier.type)
        if check and not check(identifier.number):
            field = f"identifiers[{index}].number"
            yield Problem(
                subject.origin.at(field),
                "invalid-identifier",
                field,
                f"'{identifier.number}' is not a valid {identifier.type.upper()}: its check digit"
                " does not match",
                "if the act prints it so, record it as type: other with a note",
            )


def _check_not_renewed(sanction: Sanction, field: str, origin: Origin) -> Iterator[Problem]:
    """``not_renewed`` says the measure ended on ``expires``: that day must be known."""
    if not sanction.not_renewed or (sanction.expires and sanction.expires.day):
        return
    where = f"{field}.expires" if sanction.expires else f"{field}.not_renewed"
    what = "gives no day" if sanction.expires else "is missing"
    yield Problem(
        origin.at(where),
        "missing-field",
        f"{field}.expires",
        f"not_renewed says the measure ended on its expiry date, which {what}",
        "write expires as YYYY-MM-DD, the last day of the measure (or leave out not_renewed)",
    )


def check_sanction(
    sanction: Sanction, field: str, origin: Origin, codes: list[str]
) -> Iterator[Problem]:
    """The authority exists, and the dates of listing, renewals, expiry and lifting agree."""
    if sanction.authority not in codes:
        yield Problem(
            origin.at(f"{field}.authority"),
            "unknown-authority",
            f"{field}.authority",
            f"'{sanction.authority}' is not a participant"
            + suggest_code(sanction.authority, codes),
            "authorities are the codes in content/participants.yaml",
        )
    listed = sanction.listed
    expiry = sanction.expires.latest() if sanction.expires else None
    ends = {"lifted": sanction.lifted, "expires": expiry}
    for name, value in ends.items():
        if value is not None and value < listed:
            message = f"{getattr(sanction, name)} is before the listing date {listed}"
            yield Problem(
                origin.at(f"{field}.{name}"), f"{name}-before-listed", f"{field}.{name}", message
            )
    yield from _check_not_renewed(sanction, field, origin)
    for position, renewal in enumerate(sanction.renewed):
        where = f"{field}.renewed[{position}]"
        if renewal.latest() < listed:
            message = f"{renewal} is before the listing date {listed}"
            yield Problem(origin.at(where), "renewed-before-listed", where, message)
        elif sanction.expires is not None and sanction.expires.latest() < renewal.earliest():
            message = f"{sanction.expires} is before the renewal of {renewal}"
            hint = "expires is the end date set by the latest act"
            yield Problem(
                origin.at(f"{field}.expires"),
                "expires-before-renewed",
                f"{field}.expires",
                message,
                hint,
            )


def check_duplicates(subjects: tuple[Subject, ...]) -> Iterator[Problem]:
    """Warn about records that look like the same subject: same name (or alias) and birth date.

    Names match in any spelling a forger or another authority might use: other case, accents,
    punctuation, word order, script or transliteration (see ``names.identity_key``). Two records
    that name each other in ``related`` are known to be two subjects (a company and the branch
    that trades under its name) and are not reported.
    """
    first_seen: dict[tuple[str, str, str], tuple[Subject, str]] = {}
    reported = {(s.id, link.id) for s in subjects for link in s.related}
    reported |= {(other, one) for one, other in reported}
    for subject in sorted(subjects, key=lambda s: s.origin.path):
        for key, name in sorted(identity_keys(subject).items()):
            other, other_name = first_seen.setdefault(key, (subject, name))
            pair = (other.id, subject.id)
            if other is subject or pair in reported:
                continue
            reported.add(pair)
            born = f", born {key[2]}" if key[2] else ""
            through = "" if name == subject.name else f"its alias '{name}' is "
            yield Problem(
                subject.origin.at("name"),
                "likely-duplicate",
                "name",
                f"'{subject.name}' looks like the same {subject.type} as {other.origin.path}"
                f" ({through}listed there as '{other_name}'{born})",
                "merge the two records, giving each authority its own sanction entry",
                Severity.WARNING,
            )


def identity_keys(subject: Subject) -> dict[tuple[str, str, str], str]:
    """(type, name key, birth date) -> the name written, for the name and each strong alias.

    With an exact birth date, names match even when transliterations spell their vowels
    differently (Yevgeniyevich, Evgenevich); otherwise only in spelling, script and case.
    Computed once per version of a record (kept with it in the build cache).
    """
    known: dict[tuple[str, str, str], str] | None = subject.derived.get("identity_keys")
    if known is None:
        known = subject.derived["identity_keys"] = _compute_identity_keys(subject)
    return known


def _compute_identity_keys(subject: Subject) -> dict[tuple[str, str, str], str]:
    names = [subject.name, *(alias.name for alias in subject.aliases if not alias.weak)]
    births = sorted({date.iso() for date in subject.birth_date}) or [""]
    if subject.type == "person" and births == [""]:
        return {}  # a person's name alone is too weak a sign
    keys: dict[tuple[str, str, str], str] = {}
    for birth in births:
        key_of = identity_key if len(birth) == len("YYYY-MM-DD") else spelling_key
        for name in names:
            key = key_of(name)
            if key:
                keys.setdefault((subject.type, key, birth), name)
    return keys


def check_cycles(subjects: tuple[Subject, ...]) -> Iterator[Problem]:
    """A subject cannot sit inside itself through part-of and subsidiary-of links.

    Each cycle is reported once, on the record of the cycle whose file comes first, at its link
    into the cycle. Cycles of the other relations (associates, family, owners) are normal data.
    """
    ids = {subject.id for subject in subjects}
    links = {
        subject.id: [
            (index, relation.id, relation.relation)
            for index, relation in enumerate(subject.related)
            if relation.relation in HIERARCHICAL_RELATIONS
            and relation.id in ids
            and relation.id != subject.id
        ]
        for subject in subjects
    }
    reported: set[str] = set()
    for subject in sorted(subjects, key=lambda s: s.origin.path):
        if subject.id in reported:
            continue
        cycle = _cycle_from(subject.id, links)
        if cycle is None:
            continue
        reported.update(target for _, target, _ in cycle)
        chain = " ".join(f"{relation} {target}" for _, target, relation in cycle)
        field = f"related[{cycle[0][0]}].id"
        yield Problem(
            subject.origin.at(field),
            "related-cycle",
            field,
            f"the links go round in a circle: {subject.id} {chain}",
            "part-of and subsidiary-of point from the smaller body to the larger one;"
            " remove the link that points the wrong way",
        )


def _cycle_from(
    start: str, links: dict[str, list[tuple[int, str, str]]]
) -> list[tuple[int, str, str]] | None:
    """The shortest chain of links (index, target, relation) from ``start`` back to it."""
    came_by: dict[str, tuple[str, tuple[int, str, str]]] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for link in links[current]:
            target = link[1]
            if target in came_by:
                continue
            came_by[target] = (current, link)
            if target == start:
                chain = [link]
                while current != start:
                    current, step = came_by[current]
                    chain.append(step)
                return chain[::-1]
            queue.append(target)
    return None


def check_translations(
    site: Site, page_files: dict[tuple[str, str], set[str]]
) -> Iterator[Problem]:
    """Warn about pages that exist in some languages of the site but not in others."""
    origins = {(page.section, page.slug): page.origin.path for page in site.pages}
    for key, langs in sorted(page_files.items()):
        if key not in origins:
            continue  # the page itself is broken, and reported as such
        for lang in site.config.languages:
            if lang not in langs:
                yield Problem(
                    Location(origins[key]),
                    "missing-translation",
                    "",
                    f"this page has no {lang} version",
                    f"add {key[1]}.{lang}.md beside it",
                    Severity.WARNING,
                )
