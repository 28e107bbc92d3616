"""Hostile text anywhere in the inputs never reaches a reader as markup, script or style.

Hypothesis writes a small site whose every free-text field (names, aliases, places, positions,
addresses, identifiers, sanction programmes, entries and acts, grounds and reasons in both
languages, the site's titles and contact, an organisation's name, cases) and every page (front
matter and Markdown body, news included) holds script tags, event handlers, ``javascript:``
addresses, entity tricks, template syntax and arbitrary Unicode; web addresses, which the
validator checks, carry it in their path and query. The site is built, and every page is
parsed as a browser would (html5lib) and checked: the Content-Security-Policy comes first in
<head>; the only script is the site's own, with its integrity; no element outside what the
templates and the Markdown allow-list produce, no attribute beyond what they produce, no event
handler, no style, no script address; external links carry rel="noopener noreferrer". The
Atom feeds and the sitemap must stay well-formed XML with no element smuggled in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml
from hypothesis import HealthCheck, given, note, reject, settings
from hypothesis import strategies as st

from generator.assets import (
    CONTENT_SECURITY_POLICY,
    hashed_name,
    integrity,
    load_assets,
    policy_allowing,
)
from generator.build import build_site
from generator.errors import BuildError
from generator.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MarkdownRenderer
from generator.validate import PLACEHOLDER
from tests.conftest import MINIMAL, TEMPLATES, TODAY

ASSETS = load_assets(TEMPLATES / "static")
JSON_LD = "application/ld+json"  # the data page's schema.org Dataset
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "cite", "srcset", "background"}
    | {XLINK_HREF, "xlink:href"}
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
ATOM = "{http://www.w3.org/2005/Atom}"
RENDERER = MarkdownRenderer()

# Fragments that a careless template or Markdown set-up would let through. The validator
# refuses some of them in record fields (Markdown links to other schemes than http(s) and
# mailto, invisible characters): those go only into the pages' Markdown bodies, which reach
# the renderer unchecked.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<script src=https://evil.example/x.js></script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea></noscript><style>*{display:none}</style>",
    '<a href="javascript:alert(1)">x</a>',
    "<a href=jav&#x09;ascript:alert(1)>x</a>",
    "javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;b&amp;gt;",
    '<div style="background:url(javascript:alert(1))">',
    "<iframe src=//evil.example></iframe>",
    "<object data=x></object><embed src=x>",
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<!-- x --><![CDATA[ x ]]>",
    "{{ 7*7 }}",
    "{{ site.config }}",
    "{% include 'base.html' %}",
    "{% raw %}{{",
    "{# x #}",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    '[x](https://example.org/ "a\\" onmouseover=\\"alert(1)")',
    '[x](https://example.org/"onmouseover="alert(1))',
    "<javascript:alert(1)>",
    "<https://evil.example/?a=1&b=2>",
    "`<script>`",
    "Боширов مركز \U0001d49c \ufdfd",  # Cyrillic, Arabic, a mathematical A, a ligature
)
BODY_ONLY = (
    "[x](javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](JaVaScRiPt:alert(1))",
    "![i](javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](//evil.example/)",
    "\u202eevil\u202c",
    "\u200b\ufeff",
)
# Markdown over several lines (Markdown fields only).
BLOCKS = (
    "<div>\n<script>alert(1)</script>\n</div>",
    "<style>\nbody { display: none }\n</style>",
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "| a | <b onclick=alert(1)> |\n| - | - |\n| <img src=x onerror=alert(1)> | b |",
    "> <svg onload=alert(1)>\n> [x](jav&#x09;ascript:alert(1))",
)
BODY_BLOCKS = ("[a]: javascript:alert(1)\n\n[x][a]", "[a]: <javascript:alert(1)>\n\n[a]")
# Any character a value can hold: no controls, no line separators, no invisible characters.
CHARACTERS = st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))


def _usable(text: str) -> bool:
    """A value the validator takes as it is (stripped, not empty, not a placeholder)."""
    return bool(text.strip()) and not text.strip().startswith(PLACEHOLDER)


def _texts(payloads: tuple[str, ...]) -> st.SearchStrategy[str]:
    fragment = st.one_of(st.sampled_from(payloads), st.text(CHARACTERS, min_size=1, max_size=8))
    return st.lists(fragment, min_size=1, max_size=3).map(" ".join).filter(_usable)


def _markdown(lines: st.SearchStrategy[str], blocks: tuple[str, ...]) -> st.SearchStrategy[str]:
    parts = st.one_of(lines, st.sampled_from(blocks))
    return st.lists(parts, min_size=1, max_size=4).map("\n\n".join).filter(_usable)


def _no_space(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


LINE = _texts(PAYLOADS)
MARKDOWN = _markdown(LINE, BLOCKS)
BODY = _markdown(_texts(PAYLOADS + BODY_ONLY), BLOCKS + BODY_BLOCKS)
URL = st.builds(
    "{}://example.org/{}?q={}".format,
    st.sampled_from(["https", "http"]),
    LINE.map(_no_space),
    LINE.map(_no_space),
)
EMAIL = st.sampled_from(["a{{7*7}}", "x'y", "x{%raw%}", "{#x#}", "%3Cscript%3E", "javascript"]).map(
    "{}@example.org".format
)

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _localized(draw: Draw, strategy: st.SearchStrategy[str]) -> dict[str, str]:
    return {"en": draw(strategy), "fr": draw(strategy)}


def _sanction(draw: Draw, authority: str, listed: str, **extra: Any) -> dict[str, Any]:
    return {
        "authority": authority,
        "program": draw(LINE),
        "entry": draw(LINE),
        "listed": listed,
        "reference": draw(LINE),
        "url": draw(URL),
        "measures": ["asset-freeze"],
        **extra,
    }


def _identifier(draw: Draw, kind: str) -> dict[str, str]:
    return {"type": kind, "number": draw(LINE), "country": "RU", "note": draw(LINE)}


def _person(draw: Draw) -> dict[str, Any]:
    return {
        "id": "alexander-mishkin",
        "type": "person",
        "name": draw(LINE),
        "aliases": [draw(LINE), {"name": draw(LINE), "lang": "ru"}, {"name": draw(LINE)}],
        "birth_date": "1979-07-13",
        "birth_place": [draw(LINE), draw(LINE)],
        "nationality": ["RU"],
        "gender": "male",
        "position": [draw(LINE)],
        "address": [draw(LINE)],
        "identifiers": [_identifier(draw, "passport")],
        "sanctions": [_sanction(draw, "EU", "2019-01-21", renewed=["2020-01"])],
        "grounds": _localized(draw, MARKDOWN),
        "related": [{"id": "main-intelligence-directorate", "relation": "employee-of"}],
        "cases": ["salisbury-2018"],
        "sources": [draw(URL), draw(URL)],
    }


def _entity(draw: Draw, record_id: str, lifted: bool) -> dict[str, Any]:
    extra = {"lifted": "2019-07-18"} if lifted else {"expires": "2030-01-01"}
    return {
        "id": record_id,
        "type": "entity",
        "name": draw(LINE),
        "aliases": [{"name": draw(LINE), "lang": "ar", "weak": "true"}],
        "country": ["SY"],
        "address": [draw(LINE)],
        # The validator refuses what is not a phone number, e-mail or web address.
        "phone": ["+963 11 212 3456"],
        "email": [draw(EMAIL)],
        "website": [draw(URL)],
        "identifiers": [_identifier(draw, "registration-number")],
        "sanctions": [
            _sanction(draw, "US", "2016-12-28"),
            _sanction(draw, "FR", "2018-01-18", **extra),
        ],
        "grounds": _localized(draw, MARKDOWN),
        "sources": [draw(URL)],
    }


def _page(draw: Draw, news: bool) -> str:
    front: dict[str, str] = {"title": draw(LINE), "summary": draw(LINE)}
    if news:
        front["date"] = "2018-01-23"
    return f"---\n{_yaml(front)}---\n{draw(BODY)}\n"


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=200)


@st.composite
def hostile_site(draw: Draw) -> dict[str, str]:
    """The files of the minimal site rewritten with hostile text: path -> contents."""
    site = {
        "title": _localized(draw, LINE),
        "short_title": _localized(draw, LINE),
        "description": _localized(draw, LINE),
        "base_url": "https://example.org/",
        "languages": ["en", "fr"],
        "contact": draw(LINE),
    }
    participants = [
        {"code": "EU", "kind": "organisation", "name": _localized(draw, LINE)},
        {"code": "FR", "kind": "state", "joined": "2018-01-23"},
        {"code": "US", "kind": "state", "joined": "2018-01-23"},
    ]
    events = [{"date": "2018-03", "text": _localized(draw, LINE)}]
    cases = [
        {
            "id": "salisbury-2018",
            "title": _localized(draw, LINE),
            "summary": _localized(draw, MARKDOWN),
            "events": events,
            "sources": [draw(URL)],
        },
        {"id": "daesh", "title": _localized(draw, LINE), "summary": _localized(draw, MARKDOWN)},
    ]
    tombstone = {
        "id": "withdrawn-entry",
        "type": "person",
        "name": draw(LINE),
        "removed": {"date": "2020-02-02", "reason": _localized(draw, MARKDOWN)},
    }
    files = {
        "content/site.yaml": _yaml(site),
        "content/participants.yaml": _yaml(participants),
        "content/cases.yaml": _yaml(cases),
        "designations/alexander-mishkin.yaml": _yaml(_person(draw)),
        "designations/main-intelligence-directorate.yaml": _yaml(
            _entity(draw, "main-intelligence-directorate", lifted=False)
        ),
        "designations/scientific-studies-and-research-centre.yaml": _yaml(
            _entity(draw, "scientific-studies-and-research-centre", lifted=True)
        ),
        "designations/withdrawn-entry.yaml": _yaml(tombstone),
    }
    for lang in ("en", "fr"):
        files[f"content/declaration.{lang}.md"] = _page(draw, news=False)
        files[f"content/about.{lang}.md"] = _page(draw, news=False)
        files[f"content/news/2018-01-23-launch.{lang}.md"] = _page(draw, news=True)
    return files


# --- What a page may hold ---------------------------------------------------------------------


def parse(path: Path) -> ET.Element:
    document: ET.Element = html5lib.parse(
        path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False
    )
    return document


def elements(root: ET.Element) -> list[ET.Element]:
    """Every element, skipping comments (their tag is not a string)."""
    return [element for element in root.iter() if isinstance(element.tag, str)]


def address(value: str) -> str:
    """An address as a browser reads its scheme: without spaces and controls, lower case."""
    return "".join(
        c for c in value if ord(c) > 0x20 and unicodedata.category(c) not in {"Cc", "Cf"}
    ).lower()


Allowed = dict[str, set[str]]  # element -> its attributes


def allowed_markup(site: Path) -> Allowed:
    """Elements and attributes of a benign build, plus what the Markdown allow-list permits."""
    allowed: Allowed = defaultdict(set)
    for path in site.rglob("*.html"):
        for element in elements(parse(path)):
            allowed[element.tag] |= set(element.attrib)
    for tag in ALLOWED_TAGS:
        allowed[tag] |= ALLOWED_ATTRIBUTES.get(tag, set())
    allowed["a"] |= {"rel"}  # nh3's link_rel
    return dict(allowed)


def page_problems(root: ET.Element, allowed: Allowed) -> list[str]:
    problems = _head_problems(root)
    for element in elements(root):
        problems += _element_problems(element, allowed)
    return problems


def _head_problems(root: ET.Element) -> list[str]:
    head = root.find("head")
    if head is None:
        return ["no <head>"]
    first = [(child.tag, dict(child.attrib)) for child in head[:2]]
    blocks = [e.text or "" for e in head.iter("script") if e.get("type") == JSON_LD]
    allowed = policy_allowing(blocks[0]) if len(blocks) == 1 else CONTENT_SECURITY_POLICY
    policy = {"http-equiv": "Content-Security-Policy", "content": allowed}
    expected = [("meta", {"charset": "utf-8"}), ("meta", policy)]
    problems = [] if first == expected else [f"<head> starts with {first}"]
    equivs = [e.get("http-equiv") for e in root.iter("meta") if e.get("http-equiv") is not None]
    if equivs != ["Content-Security-Policy"]:
        problems.append(f"http-equiv metas: {equivs}")
    return problems


def _data_block_problems(text: str) -> list[str]:
    """The data page's JSON-LD: a Dataset, with no "<" that could close its element."""
    try:
        data = json.loads(text)
    except ValueError:
        return [f"a data block that is not JSON: {text[:80]!r}"]
    if "<" in text or not isinstance(data, dict) or data.get("@type") != "Dataset":
        return [f"a foreign data block: {text[:80]!r}"]
    return []


def _element_problems(element: ET.Element, allowed: Allowed) -> list[str]:
    tag, attributes = element.tag, element.attrib
    known = allowed.get(tag)
    problems = [] if known is not None else [f"unexpected element <{tag}>"]
    problems += [
        f"unexpected {name}= on <{tag}>" for name in attributes if name not in (known or ())
    ]
    for name, value in attributes.items():
        local = name.rsplit("}", 1)[-1].lower()
        if local.startswith("on") or local == "style":
            problems.append(f"<{tag} {name}={value!r}>")
        if name in URL_ATTRIBUTES and address(value).startswith(BAD_SCHEMES):
            problems.append(f"script address <{tag} {name}={value!r}>")
    if tag == "style":
        problems.append("a <style> element")
    if tag == "script" and attributes == {"type": JSON_LD}:
        problems += _data_block_problems(element.text or "")
    elif tag == "script":
        source = attributes.get("src", "")
        scripts = [ASSETS[name] for name in ("search.js", "list.js")]
        own = [script for script in scripts if source.endswith(script.path)]
        if not own or attributes.get("integrity") != own[0].integrity or (element.text or ""):
            problems.append(f"a foreign script {attributes}")
    if tag == "link" and attributes.get("rel") == "stylesheet":
        sheet = ASSETS["style.css"]
        if not attributes["href"].endswith(sheet.path) or attributes.get("integrity") != (
            sheet.integrity
        ):
            problems.append(f"a foreign style sheet {attributes}")
    href = address(attributes.get("href", ""))
    if tag == "a" and href.startswith(("http:", "https:", "//")):
        rel = set(attributes.get("rel", "").split())
        if not {"noopener", "noreferrer"} <= rel:
            problems.append(f"external link without rel=noopener noreferrer: {attributes}")
    return problems


def xml_problems(path: Path) -> list[str]:
    root = ET.fromstring(path.read_bytes())  # well-formed, or this raises
    if path.name != "feed.xml":
        return []
    foreign = {e.tag for e in root.iter() if not e.tag.startswith(ATOM)}
    texts = [e for e in root.iter(f"{ATOM}title") if len(e)]
    return [f"foreign elements {sorted(foreign)}"] * bool(foreign) + [
        f"markup inside a title: {ET.tostring(e, 'unicode')}" for e in texts
    ]


def site_problems(site: Path, allowed: Allowed) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            problems = page_problems(parse(path), allowed)
        elif path.suffix == ".xml":
            problems = xml_problems(path)
        else:
            continue
        if problems:
            found[path.relative_to(site).as_posix()] = problems
    return found


# --- Tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def allowed(tmp_path_factory: pytest.TempPathFactory) -> Allowed:
    site = tmp_path_factory.mktemp("benign") / "site"
    build_site(MINIMAL, site, strict=True, today=TODAY, cache=False)
    return allowed_markup(site)


def test_the_minimal_site_passes_its_own_checks(
    allowed: Allowed, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = tmp_path_factory.mktemp("benign-again") / "site"
    build_site(MINIMAL, site, strict=True, today=TODAY, cache=False)
    assert site_problems(site, allowed) == {}
    assert (site / ASSETS["search.js"].path).is_file()
    assert not (site / "static/style.css").exists()


def test_the_checks_can_fail(allowed: Allowed, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
        "<p style=color:red>x</p><a href=' jav\tascript:alert(1)'>y</a>"
        "<a href=https://evil.example/>z</a><script>alert(1)</script><iframe></iframe>"
        "<svg><a xlink:href=javascript:alert(1)><text onclick=alert(1)>t</text></a></svg>",
        "utf-8",
    )
    problems = "\n".join(page_problems(parse(page), allowed))
    for expected in (
        "<head> starts with",
        "style=",
        "script address <a href=",
        "without rel=noopener",
        "a foreign script",
        "unexpected element <iframe>",
        "script address <{http://www.w3.org/2000/svg}a {http://www.w3.org/1999/xlink}href",
        "onclick=",
    ):
        assert expected in problems


def test_assets_are_named_by_their_content_and_carry_their_integrity(tmp_path: Path) -> None:
    data = b"body { color: black }\n"
    tag = hashlib.sha256(data).hexdigest()[:10]
    assert hashed_name("style.css", data) == f"style.{tag}.css"
    assert hashed_name("fonts/a.b.woff2", data) == f"fonts/a.{tag}.b.woff2"
    assert hashed_name("LICENSE", data) == f"LICENSE.{tag}"
    assert integrity(data) == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts/a.woff2").write_bytes(data)
    [(name, asset)] = load_assets(tmp_path).items()
    assert (name, asset.path) == ("fonts/a.woff2", f"static/fonts/a.{tag}.woff2")


def test_an_unknown_asset_is_a_located_template_problem(minimal_copy: Path) -> None:
    templates = minimal_copy / "templates"
    shutil.copytree(TEMPLATES, templates)
    search = templates / "search.html"
    search.write_text(search.read_text("utf-8").replace('"search.js"', '"missing.js"'), "utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(minimal_copy, minimal_copy / "site", today=TODAY, cache=False)
    [problem] = failure.value.problems
    assert (problem.code, problem.location.path) == ("template", "templates/search.html")
    assert "no static file 'missing.js'" in problem.message


@settings(
    max_examples=25,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(files=hostile_site())
def test_hostile_text_never_becomes_markup(allowed: Allowed, files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory(prefix="noimpunity-hostile-") as scratch:
        root, site = Path(scratch) / "repo", Path(scratch) / "site"
        shutil.copytree(MINIMAL, root)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, "utf-8")
        try:
            build_site(root, site, today=TODAY, cache=False)
        except BuildError as failure:
            codes = sorted({problem.code for problem in failure.problems})
            note(f"rejected by the validator: {codes}")
            assert "template" not in codes, [p.format() for p in failure.problems]
            reject()
        assert site_problems(site, allowed) == {}
        # The hostile name did reach the page, as text.
        heading = parse(site / "en/designations/alexander-mishkin/index.html").find(".//h1")
        assert heading is not None
        person = yaml.safe_load(files["designations/alexander-mishkin.yaml"])
        assert "".join(heading.itertext()) == person["name"].strip()


@settings(max_examples=300, deadline=None, database=None)
@given(text=BODY)
def test_markdown_never_yields_markup_of_its_own(text: str) -> None:
    """The Markdown renderer alone, with what the validator would refuse too (script links)."""
    allowed = {tag: set(ALLOWED_ATTRIBUTES.get(tag, ())) for tag in ALLOWED_TAGS}
    allowed["a"] |= {"rel"}
    fragment = html5lib.parseFragment(
        str(RENDERER.render(text)), treebuilder="etree", namespaceHTMLElements=False
    )
    problems = [
        p for element in elements(fragment)[1:] for p in _element_problems(element, allowed)
    ]
    assert problems == []


def test_a_noncharacter_cannot_break_the_feed(minimal_copy: Path, tmp_path: Path) -> None:
    """U+FFFF is text to YAML and HTML but cannot be in XML at all: the feed replaces it."""
    record = minimal_copy / "designations/alexander-mishkin.yaml"
    name = "name: Alexander Yevgeniyevich Mishkin\n"
    escaped = 'name: "\\uFFFF\\uFFFE Alexander Yevgeniyevich Mishkin"\n'  # YAML escapes
    record.write_text(record.read_text("utf-8").replace(name, escaped), "utf-8")
    try:
        build_site(minimal_copy, tmp_path / "site", today=TODAY, cache=False)
    except BuildError:
        return  # refused by the validator: as good
    for lang in ("en", "fr"):
        feed = tmp_path / "site" / lang / "feed.xml"
        assert "\ufffd\ufffd Alexander" in feed.read_text("utf-8")
        assert xml_problems(feed) == []
