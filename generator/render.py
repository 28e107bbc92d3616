"""The render stage: the model -> pages in memory, per language, with Jinja2.

``plan_pages`` lists every page of the site (its address, template and the model objects it
shows); ``render_site`` renders them one by one. Templates receive model objects and a few
helpers (``url``, ``label``, date and country formatting) and only loop and branch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from babel import Locale
from babel.numbers import format_decimal
from markupsafe import Markup

from generator import charts, parallel, urls
from generator.assets import CONTENT_SECURITY_POLICY, Asset, load_assets, policy_allowing
from generator.changelog import Change, changes, subject_changes
from generator.countries import country_name
from generator.dataset import Version, dataset, file_size, last_updated, open_graph_locale
from generator.errors import Location, Problem
from generator.fields import RELATIONS, SUBJECT_FIELDS
from generator.i18n import (
    format_day,
    format_locale,
    format_partial,
    template_gettext,
    translations,
)
from generator.labels import LABELS
from generator.markup import MarkdownRenderer
from generator.model import Origin, Page, Participant, Site, Subject, empty_value
from generator.names import sort_key
from generator.official_links import in_language
from generator.paging import PAGE_SIZE, initial, letters, paged_address, pages
from generator.publish import Output, write_file
from generator.screening.normalise import rules as screening_rules
from generator.search import merged_folders

HOME_LATEST = 10
# Entries of a feed's page (the changes to the list, paged) and of an authority's or a case's
# feed (the latest only; a subject's feed has all of its changes).
FEED_ENTRIES = PAGE_SIZE
# What XML 1.0 cannot hold at all, even escaped: C0 controls but tab and line breaks, lone
# surrogates, U+FFFE and U+FFFF. Text may still carry U+FFFE or U+FFFF (noncharacters, which
# no validator rule refuses), and one would leave a feed that no reader can parse.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class PagePlan:
    """A page to render: where it goes, with which template, showing what."""

    path: str  # address relative to the site root, e.g. "en/designations/x/"
    template: str
    lang: str
    context: Mapping[str, Any] = field(default_factory=dict)
    alternates: Mapping[str, str] = field(default_factory=dict)  # lang -> address


@dataclass(frozen=True, slots=True)
class Link:
    """A related subject as shown on a subject page: how it relates, and which subject."""

    relation: str
    subject: Subject


class SiteIndex:
    """Lookups computed once per build, when first needed, and shared by every page."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.subjects = {subject.id: subject for subject in site.subjects}
        self.participants = {p.code: p for p in site.participants}
        self.cases = {case.id: case for case in site.cases}

    @functools.cached_property
    def by_authority(self) -> dict[str, list[Subject]]:
        by_authority: dict[str, list[Subject]] = defaultdict(list)
        for subject in self.site.subjects:
            for code in subject.authorities:
                by_authority[code].append(subject)
        return dict(by_authority)

    @functools.cached_property
    def by_case(self) -> dict[str, list[Subject]]:
        return {
            case.id: [s for s in self.site.subjects if case.id in s.cases]
            for case in self.site.cases
        }

    @functools.cached_property
    def changes(self) -> list[Change]:
        return changes(self.site)

    @functools.cached_property
    def links(self) -> dict[str, list[Link]]:
        """Each subject's related subjects, both ways (a relation shows on both pages)."""
        links: dict[str, list[Link]] = defaultdict(list)
        for subject in self.site.subjects:
            for relation in subject.related:
                other = self.subjects[relation.id]
                links[subject.id].append(Link(relation.relation, other))
                inverse = RELATIONS[relation.relation] or relation.relation
                links[other.id].append(Link(inverse, subject))
        return {
            key: sorted(
                {(link.relation, link.subject.id): link for link in value}.values(),
                key=lambda link: (link.relation, link.subject.sort_key),
            )
            for key, value in links.items()
        }

    @functools.cached_property
    def facets(self) -> dict[tuple[str, str], list[Subject]]:
        """The list narrowed by type, country or status: (facet, value) -> subjects."""
        groups: dict[tuple[str, str], list[Subject]] = defaultdict(list)
        for subject in self.site.subjects:
            groups[("type", subject.type)].append(subject)
            groups[("status", subject.status_on(self.site.as_of))].append(subject)
            for code in subject.countries:
                groups[("country", code)].append(subject)
        return dict(sorted(groups.items()))

    @functools.cached_property
    def changes_by_authority(self) -> dict[str, list[Change]]:
        """The changes of each authority's sanctions, newest first (its feed)."""
        found: dict[str, list[Change]] = defaultdict(list)
        for change in self.changes:
            if change.sanction is not None:
                found[change.sanction.authority].append(change)
        return dict(found)

    def case_changes(self, case_id: str) -> list[Change]:
        """The changes of the subjects of a case, newest first (its feed)."""
        members = {subject.id for subject in self.by_case.get(case_id, ())}
        return [change for change in self.changes if change.subject.id in members]

    def authorities(self) -> list[Participant]:
        return [self.participants[code] for code in sorted(self.by_authority)]

    def news(self, lang: str) -> list[Page]:
        items = [p for p in self.site.pages if p.section == "news" and p.lang == lang]
        return sorted(items, key=lambda p: (p.date or dt.date.min, p.slug), reverse=True)


def plan_pages(site: Site, index: SiteIndex, details: Site) -> Iterator[PagePlan]:
    """Every page of the site, in a fixed order. Lists, counts and indexes come from ``site``
    and ``index``, the listing view (what their fingerprint covers); a subject's own page gets
    its full record from ``details``."""
    languages = site.config.languages

    def plan(address: Callable[[str], str], template: str, **context: Any) -> Iterator[PagePlan]:
        alternates = {lang: address(lang) for lang in languages}
        for lang in languages:
            yield PagePlan(address(lang), template, lang, context, alternates)

    def paged(
        address: Callable[[str], str],
        template: str,
        items: Sequence[Any],
        name: str = "subjects",
        addressing: Callable[[str, int], str] = paged_address,
        **context: Any,
    ) -> Iterator[PagePlan]:
        """A list in pages (paging.py), each given its share of ``items`` as ``name``;
        ``subjects`` are counted as listed or not."""
        listed = 0
        if name == "subjects":
            listed = sum(1 for subject in items if subject.is_listed_on(site.as_of))
        for lang, where, shown, paging, alternates in pages(
            items, address, languages, listed, addressing
        ):
            given = {**context, name: shown, "paging": paging}
            yield PagePlan(where, template, lang, given, alternates)

    yield from plan(urls.home, "home.html")
    yield from plan(urls.search, "search.html")
    yield from plan(urls.data, "data.html", downloads=None)  # measured by the build (LATE)
    yield from paged(urls.changes, "changes.html", index.changes, "changes")
    yield from paged(urls.feed, "feed.xml", index.changes, "changes", urls.feed_page)
    initials = letters(site.subjects)
    yield from paged(urls.subjects, "subjects.html", site.subjects, facet=None, letters=initials)
    newest = sorted(site.subjects, key=lambda s: (-s.last_listed.toordinal(), s.sort_key))
    yield from paged(urls.by_date, "subjects.html", newest, facet=("sort", "date"), letters=())
    for (facet, value), members in index.facets.items():
        address = partial(urls.browse, facet=facet, value=value)
        yield from paged(address, "subjects.html", members, facet=(facet, value), letters=())
    for subject in details.subjects:
        address = partial(_subject_address, subject.id)
        yield from plan(address, "subject.html", subject=subject)
        # Its changes are listed as it is rendered (``subject_changes``): held by every planned
        # feed, they took 0.5 GiB at 50,000 subjects.
        yield from plan(_feed_of(address), FEED, subject=subject)
    for tombstone in details.tombstones:
        address = partial(_subject_address, tombstone.id)
        yield from plan(address, "tombstone.html", tombstone=tombstone)
    yield from plan(urls.authorities, "authorities.html")
    for participant in index.authorities():
        address = partial(_authority_address, participant.code)
        designated = index.by_authority[participant.code]
        yield from paged(address, "authority.html", designated, participant=participant)
        latest = index.changes_by_authority.get(participant.code, [])[:FEED_ENTRIES]
        yield from plan(_feed_of(address), "feed.xml", authority=participant, changes=latest)
    if site.cases:
        yield from plan(urls.cases, "cases.html")
    for case in site.cases:
        address = partial(_case_address, case.id)
        yield from plan(address, "case.html", case=case)
        latest = index.case_changes(case.id)[:FEED_ENTRIES]
        yield from plan(_feed_of(address), "feed.xml", case=case, changes=latest)
    yield from plan(urls.participants, "participants.html")
    yield from plan(urls.news, "news.html")
    for page in site.pages:
        page_address = urls.news_item if page.section == "news" else urls.page
        alternates = {
            lang: page_address(lang, page.slug)
            for lang in languages
            if site.page(page.section, page.slug, lang)
        }
        template = "news_item.html" if page.section == "news" else "page.html"
        yield PagePlan(
            page_address(page.lang, page.slug), template, page.lang, {"page": page}, alternates
        )


def _subject_address(subject_id: str, lang: str) -> str:
    return urls.subject(lang, subject_id)


def _case_address(case_id: str, lang: str) -> str:
    return urls.case(lang, case_id)


def _feed_of(address: Callable[[str], str]) -> Callable[[str], str]:
    return lambda lang: urls.feed_of(address(lang))


def _authority_address(code: str, lang: str) -> str:
    return urls.authority(lang, code)


class Renderer:
    """Holds one Jinja environment per language and renders page plans to bytes."""

    def __init__(
        self,
        site: Site,
        templates: Path,
        bytecode: Path | None = None,
        *,
        data_files: Sequence[tuple[str, str, str]],
        version: Version | None = None,
    ) -> None:
        self.site = site
        self.version = version or Version()
        # The data page's table of downloads: (name, description, media type), from their
        # registry.
        self.data_files = tuple(data_files)
        self.index = SiteIndex(site)
        # The parts of the full-text index that the search page merges into the main one; they
        # follow from the subjects' ids, which the listing view (below) holds.
        self.search_parts = tuple(merged_folders(site.subjects))
        # Every page but a subject's own sees only what lists show (see listing_view), so that
        # those pages' fingerprints need not change when a record's details do.
        self.listing = listing_site(site)
        self.listing_index = SiteIndex(self.listing)
        self.markdown = MarkdownRenderer()
        # The static files with their published (hashed) names and integrity (assets.py).
        self.assets = load_assets(templates / "static")
        cache = jinja2.FileSystemBytecodeCache(str(bytecode)) if bytecode else None
        if bytecode:
            bytecode.mkdir(parents=True, exist_ok=True)
        self.envs = {
            lang: self._environment(templates, lang, cache) for lang in site.config.languages
        }

    def _environment(
        self, templates: Path, lang: str, cache: jinja2.BytecodeCache | None
    ) -> jinja2.Environment:
        env = jinja2.Environment(
            bytecode_cache=cache,
            loader=jinja2.FileSystemLoader(templates),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=True,
        )
        catalog = translations(lang)
        env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
        env.globals["_"] = env.globals["gettext"] = template_gettext(lang)
        gettext: Callable[[str], str] = catalog.gettext
        by_name = sorted(
            self.site.participants,
            key=lambda p: (sort_key(self.participant_name(p.code, lang)), p.code),
        )
        env.globals.update(
            asset=self.asset,
            # A constant without a character to escape in a double-quoted attribute: shown as is.
            content_security_policy=Markup(CONTENT_SECURITY_POLICY),
            policy_allowing=policy_allowing,
            charts=charts,
            participants_by_name=by_name,
            missing_pages=frozenset(
                [
                    urls.page(lang, slug)
                    for slug in ("declaration", "about")
                    if self.site.page("", slug, lang) is None
                ]
                + ([] if self.site.cases else [urls.cases(lang)])
            ),
            language_name=language_name,
            translate=_translate,
            root_path=urlsplit(self.site.config.base_url).path or "/",
            as_of=self.site.as_of,
            lang=lang,
            label=partial(_label, gettext),
            participant_name=lambda code: self.participant_name(code, lang),
            participant=self.index.participants.get,
            screening_labels=lambda: self.screening_labels(lang, gettext),
            filter_options=lambda: self.filter_options(lang, gettext),
            subject_changes=lambda subject: subject_changes(self.site, subject),
            date_locale=format_locale(lang).replace("_", "-"),
            screening_rules=screening_rules(),
            search_parts=self.search_parts,
            data_files=self.data_files,
            version=self.version,
            last_updated=last_updated(self.site),
            dataset=lambda measured: dataset(
                self.site, self.version, self.data_files, measured, lang
            ),
            open_graph_locale=open_graph_locale,
        )
        env.tests["listed"] = lambda subject: subject.is_listed_on(self.site.as_of)
        env.filters.update(
            day=lambda value: format_day(value, lang),
            partial_date=lambda value: format_partial(value, lang),
            country=lambda code: country_name(code, lang),
            markdown=self.render_markdown,
            localized=lambda values: values.get(lang) or values[self.site.config.languages[0]],
            score=lambda value: format_decimal(value, "0.00", locale=lang),
            initial=initial,
            filesize=lambda value: file_size(value, lang),
            official=lambda url: in_language(url, lang, self.site.config.languages[0]),
        )
        return env

    @functools.cache  # noqa: B019 - one renderer per build
    def screening_labels(self, lang: str, gettext: Callable[[str], str]) -> dict[str, Any]:
        """What the search page's script shows in words: types, statuses, countries, authorities
        (the index holds codes). Once per language: every list page gives them to its filters'
        script (a pass over every subject per page cost 2,500 passes at 50,000)."""
        codes = sorted({code for s in self.listing.subjects for code in s.countries})
        return {
            "type": {
                name: gettext(LABELS[name]) for name in ("person", "entity", "group", "government")
            },
            "status": {
                name: gettext(LABELS[name]) for name in ("listed", "delisted", "unconfirmed")
            },
            "country": {code: country_name(code, lang) for code in codes},
            "authority": {
                p.code: self.participant_name(p.code, lang) for p in self.site.participants
            },
        }

    @functools.cache  # noqa: B019 - one renderer per build
    def filter_options(
        self, lang: str, gettext: Callable[[str], str]
    ) -> dict[str, list[tuple[str, str]]]:
        """The values each filter of the list offers, with their names in ``lang``, in the
        order of the filters' links (partials/filters.html)."""
        index = self.listing_index
        facets = [key for key in index.facets if key[0] in ("type", "status")]
        return {
            "type": [(v, _label(gettext, v)) for facet, v in facets if facet == "type"],
            "status": [(v, _label(gettext, v)) for facet, v in facets if facet == "status"],
            "authority": [
                (p.code, self.participant_name(p.code, lang)) for p in index.authorities()
            ],
            "country": [(code, name) for code, name, _ in self._countries(lang)],
            "case": [
                (case.id, case.title.get(lang) or case.title[self.site.config.languages[0]])
                for case in self.site.cases
                if index.by_case.get(case.id)
            ],
        }

    def participant_name(self, code: str, lang: str) -> str:
        participant = self.index.participants.get(code)
        return participant.display_name(lang) if participant else country_name(code, lang)

    def asset(self, name: str) -> Asset:
        """A file of templates/static/ as published: ``.path`` (for ``url()``), ``.integrity``."""
        found = self.assets.get(name)
        if found is None:
            raise jinja2.TemplateRuntimeError(f"no static file {name!r} in templates/static/")
        return found

    def render_markdown(self, text: str) -> Markup:
        return self.markdown.render(text)

    def render(self, plan: PagePlan) -> bytes:
        env = self.envs[plan.lang]
        template = env.get_template(plan.template)
        detail = plan.template in DETAIL_TEMPLATES
        path = plan.path

        def url(target: str) -> str:
            return urls.relative(path, target)

        lists = {} if detail else {"countries_by_name": self._countries(plan.lang)}
        html = template.render(
            plan.context,
            **lists,
            site=self.site if detail else self.listing,
            index=self.index if detail else self.listing_index,
            url=url,
            urls=urls,
            path=path,
            alternates=plan.alternates,
        )
        if plan.template.endswith(".xml"):  # the Atom feeds: shown as U+FFFD, as HTML would
            html = NOT_XML.sub("\ufffd", html)
        return html.encode("utf-8")

    @functools.cache  # noqa: B019 - one renderer per build
    def _countries(self, lang: str) -> list[tuple[str, str, list[Subject]]]:
        """The country filter: (code, name in ``lang``, subjects), by name."""
        countries = [
            (code, country_name(code, lang), members)
            for (facet, code), members in self.listing_index.facets.items()
            if facet == "country"
        ]
        return sorted(countries, key=lambda item: (sort_key(item[1]), item[0]))

    def plans(self) -> list[PagePlan]:
        """Every page, then the two outside the language trees (root chooser and 404)."""
        first = self.site.config.languages[0]
        return [
            *plan_pages(self.listing, self.listing_index, self.site),
            PagePlan("index.html", "root.html", first),
            PagePlan("404.html", "404.html", first),
        ]


# The templates of a subject's own page: the only ones given the record's details.
FEED = "subject_feed.xml"  # a subject's own feed: its changes, not the records it links to
DETAIL_TEMPLATES = frozenset({"subject.html", FEED, "tombstone.html"})
# Rendered once the downloads are written: the data page gives their sizes and checksums,
# which the build passes in the page's ``downloads`` (path -> (size, SHA-256)).
LATE_TEMPLATES = frozenset({"data.html"})


# What list pages do without: the fields the table marks as shown on the subject's page only.
DETAILS = tuple(spec for spec in SUBJECT_FIELDS if not spec.listing)


def listing_view(subject: Subject) -> Subject:
    """A subject as the list pages see it: without what lists, counts, charts and change logs
    never show (its details: fields.SUBJECT_FIELDS says which), nor where its fields were
    written."""
    hidden = {spec.name: empty_value(spec) for spec in DETAILS}
    return subject.replaced(hidden, Origin(subject.origin.path))


def listing_site(site: Site) -> Site:
    tombstones = tuple(
        dataclasses.replace(tombstone, origin=Origin(tombstone.origin.path))
        for tombstone in site.tombstones
    )
    subjects = tuple(listing_view(subject) for subject in site.subjects)
    return dataclasses.replace(site, subjects=subjects, tombstones=tombstones, fingerprints={})


def render_site(
    site: Site, templates: Path, data_files: Sequence[tuple[str, str, str]]
) -> Iterator[Output]:
    """Every page of the site, in order, in this process (the build renders in parallel)."""
    renderer = Renderer(site, templates, data_files=data_files)
    for plan in renderer.plans():
        yield Output(urls.file_of(plan.path), renderer.render(plan))


def render_pages(
    renderer: Renderer,
    pages: Sequence[PagePlan],
    folder: Path,
    progress: Callable[[str, int, int], None] | None,
) -> int:
    """The render stage: render ``pages`` into ``folder`` with worker processes; return how
    many were written. ``progress`` is told how many are done as they finish."""
    count = len(pages)
    report = (lambda finished: progress("pages", finished, count)) if progress else None
    parallel.run(render_into, pages, (renderer, folder), report)
    return count


def render_into(state: tuple[Renderer, Path], plans: Sequence[PagePlan]) -> list[int]:
    """Render ``plans`` and write each page under the folder given (run by worker processes)."""
    renderer, folder = state
    for plan in plans:
        write_file(folder / urls.file_of(plan.path), renderer.render(plan))
    return [len(plans)]


def template_problem(failure: jinja2.TemplateError, root: Path, templates: Path) -> Problem:
    """A template that does not compile or render, as a located problem."""
    name = getattr(failure, "filename", None) or ""
    line = getattr(failure, "lineno", None) or 0
    if not name:  # a rendering error: Jinja puts the template's line in the traceback
        frames = [
            f for f in traceback.extract_tb(failure.__traceback__) if f.filename.endswith(".html")
        ]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno or 0
    path = (templates / name) if name else templates
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return Problem(Location(shown, line, 1 if line else 0), "template", "", str(failure.message))


def _label(gettext: Callable[[str], str], value: str) -> str:
    """The translated reader-facing label of a vocabulary value (``asset-freeze`` -> ...)."""
    return gettext(LABELS.get(value, value))


def _translate(lang: str, message: str) -> str:
    """Translate into a given language (for the pages shown in every language at once)."""
    return translations(lang).gettext(message)


def language_name(code: str) -> str:
    """A language's name in itself, capitalised as in a menu: ``English``, ``Français``."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]
