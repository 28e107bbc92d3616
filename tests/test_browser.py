"""The built site in a real browser (Playwright driving the system's Chromium).

The browser comes from the system: ``$NOIMPUNITY_BROWSER`` when set, else the first of
chromium, chromium-browser, google-chrome and google-chrome-stable on the PATH that runs
(``make test`` installs Debian's ``chromium`` when there is none: scripts/system-packages.sh).
A missing browser is an error, never a skip. Screenshots go to ``test-artifacts/`` (not committed).

Every page keeps its Content-Security-Policy and its integrity checks in force: a test fails
when the browser refuses anything on a page it opened. So the tests wait with selectors
(Playwright's string predicates are evaluated by ``eval``, which the policy forbids), and axe
is served from the site's own origin rather than injected inline.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from generator import search as search_index
from generator.assets import load_assets
from generator.build import build_site
from generator.paging import PAGE_SIZE
from generator.read import read_site
from generator.screening.index import screener
from tests.conftest import REPO, TEMPLATES, TODAY

ARTIFACTS = REPO / "test-artifacts"
RCB_TROOPS = (
    "Radiological Chemical and Biological Defence Troops of the Ministry of Defence of the"
    " Russian Federation"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


AXE = REPO / "node_modules/axe-core/axe.min.js"
AXE_ADDRESS = "_tests/axe.min.js"  # beside the site's files: same origin, allowed by 'self'
# What Chromium logs when the policy or an integrity check refuses something.
REFUSALS = ("Content Security Policy", "integrity")


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built."""
    site = tmp_path_factory.mktemp("browser") / "site"
    build_site(REPO, site, strict=True, today=TODAY)
    if AXE.is_file():
        (site / AXE_ADDRESS).parent.mkdir()
        (site / AXE_ADDRESS).write_bytes(AXE.read_bytes())
    return site


@pytest.fixture(scope="module")
def base_url(site_folder: Path) -> Iterator[str]:
    with served(site_folder) as address:
        yield address


@pytest.fixture(scope="module")
def parts_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same site with its full-text index in parts of 50 subjects (a large list's shape)."""
    site = tmp_path_factory.mktemp("parts") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "RECORDS_PER_SHARD", 50)
        build_site(REPO, site, strict=True, today=TODAY, cache=False)
    with served(site) as address:
        yield address


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """The folder served over HTTP on a free local port, at the address given."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# The names Chromium and Chrome are installed under (Debian, Ubuntu, Google's packages), in the
# order they are looked for; scripts/system-packages.sh looks for the same.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_VARIABLE = "NOIMPUNITY_BROWSER"


def find_browser() -> str:
    """The browser the tests drive: $NOIMPUNITY_BROWSER, else the first of BROWSERS that runs
    (Ubuntu's chromium-browser may be a stub asking for a snap)."""
    chosen = os.environ.get(BROWSER_VARIABLE)
    candidates = [chosen] if chosen else [shutil.which(name) for name in BROWSERS]
    for candidate in candidates:
        if candidate and _runs(candidate):
            return candidate
    if chosen:
        raise AssertionError(f"{BROWSER_VARIABLE}={chosen} does not run ('--version' fails)")
    raise AssertionError(
        f"no browser: none of {', '.join(BROWSERS)} runs; `make test` installs Debian's chromium"
        f" as root (scripts/system-packages.sh), or set {BROWSER_VARIABLE}=/path/to/chrome"
    )


def _runs(executable: str) -> bool:
    try:
        done = subprocess.run(
            [executable, "--version"], capture_output=True, timeout=60, check=False
        )
    except OSError:
        return False
    return done.returncode == 0


def test_the_browser_is_found_by_variable_then_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake(name: str, works: bool) -> Path:
        path = tmp_path / name
        path.write_text(f"#!/bin/sh\nexit {0 if works else 1}\n", "utf-8")
        path.chmod(0o755)
        return path

    monkeypatch.delenv(BROWSER_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AssertionError, match="no browser"):
        find_browser()
    fake("chromium-browser", works=False)  # a stub that cannot run a browser
    google = fake("google-chrome", works=True)
    assert find_browser() == str(google)
    chromium = fake("chromium", works=True)
    assert find_browser() == str(chromium)
    elsewhere = fake("my-chrome", works=True)
    monkeypatch.setenv(BROWSER_VARIABLE, str(elsewhere))
    assert find_browser() == str(elsewhere)
    monkeypatch.setenv(BROWSER_VARIABLE, str(tmp_path / "chromium-browser"))
    with pytest.raises(AssertionError, match="does not run"):
        find_browser()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A tab whose pages may not break their security policy nor fail an integrity check."""
    opened = browser.new_page()
    refused = watch_refusals(opened)
    yield opened
    opened.close()
    assert refused == [], "the browser refused part of a page"


def watch_refusals(page: Page) -> list[str]:
    """What the browser refuses on the pages of ``page`` from now on (a list that grows)."""
    refused: list[str] = []

    def note(text: str) -> None:
        if any(sign in text for sign in REFUSALS):
            refused.append(text)

    page.on("console", lambda message: note(message.text))
    return refused


def search(page: Page, base_url: str, query: str, lang: str = "en") -> list[str]:
    page.goto(f"{base_url}{lang}/search/")
    page.fill("#search-query", query)
    page.press("#search-query", "Enter")
    page.wait_for_selector("#search-status[data-state=done]", state="attached")
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.textContent)")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hasan", {"Hassan al-Rays", "Ammar Hasan"}),
        ("Hassan", {"Hassan al-Rays", "Ammar Hasan"}),
        ("Boshirov", {"Anatoliy Vladimirovich Chepiga"}),
        ("Боширов", {"Anatoliy Vladimirovich Chepiga"}),
        ("Чепига", {"Anatoliy Vladimirovich Chepiga"}),
        ("Tchepiga Anatoli", {"Anatoliy Vladimirovich Chepiga"}),
        ("MISHKIN", {"Alexander Yevgeniyevich Mishkin"}),
        ("Katranji", {"Amir Katrangi", "Maher Katrangi"}),
        ("lumiere elysees", {"Lumière Elysées"}),
        ("al-Hakim", {"Muhammad Sa'id al-Hakim"}),
        ("Hakim", {"Muhammad Sa'id al-Hakim"}),
        ("مركز الدراسات", {"Scientific Studies and Research Centre"}),
        ("7704-195-013", {RCB_TROOPS}),
    ],
)
def test_search_finds_every_spelling(
    page: Page, base_url: str, query: str, expected: set[str]
) -> None:
    found = set(search(page, base_url, query))
    assert expected <= found, found


def test_search_says_so_when_nobody_matches(page: Page, base_url: str) -> None:
    assert search(page, base_url, "Emmanuel Macron") == []
    assert page.inner_text("#search-status") == (
        "No close match: nobody on this list has a name or identifier close to"
        " “Emmanuel Macron” (score 0.80 or more)."
    )
    page.check("#search-wide")
    page.wait_for_selector("#search-status:has-text('0.60')")


def test_an_empty_search_and_a_country_name_are_answered(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}en/search/")
    page.press("#search-query", "Enter")
    page.wait_for_selector("#search-status[data-state=done]", state="attached")
    assert page.inner_text("#search-status") == "Type a name, an alias or an identifier."
    search(page, base_url, "Syria")
    page.click("#search-country")
    page.wait_for_url("**/en/browse/country/sy/")


def test_the_search_box_has_focus_and_results_do_not_shift_the_page(
    page: Page, base_url: str
) -> None:
    page.goto(f"{base_url}en/search/")
    assert page.evaluate("document.activeElement.id") == "search-query"
    before = page.locator("#search-results").bounding_box()
    page.keyboard.type("Mishkin")
    page.wait_for_selector("#search-results li")
    after = page.locator("#search-results").bounding_box()
    assert before is not None and after is not None and before["y"] == after["y"]


def test_search_in_french_links_to_french_pages(page: Page, base_url: str) -> None:
    assert "Anatoliy Vladimirovich Chepiga" in search(page, base_url, "Boshirov", lang="fr")
    page.click("#search-results a")
    page.wait_for_url("**/fr/designations/anatoliy-chepiga/")
    assert page.get_attribute("html", "lang") == "fr"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "subject-fr.png", full_page=True)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pages_mentioning_the_words_link_to_the_subjects_pages(
    page: Page, base_url: str, lang: str
) -> None:
    """Pagefind's results (a word of the grounds) link to the subjects' own pages, in the
    reader's language: Pagefind indexed scratch pages that stand for them."""
    search(page, base_url, "Salisbury", lang=lang)
    page.wait_for_selector("#text-search:not([hidden]) #text-results a")
    links = page.eval_on_selector_all("#text-results a", "links => links.map(a => a.href)")
    expected = f"{base_url}{lang}/designations/alexander-mishkin/"
    assert expected in links, links
    assert all(link.startswith(f"{base_url}{lang}/designations/") for link in links), links
    page.click(f'#text-results a[href="{expected}"]')
    page.wait_for_url(f"**/{lang}/designations/alexander-mishkin/")
    assert "Mishkin" in page.inner_text("h1")


def text_results(page: Page, base_url: str, query: str, lang: str = "en") -> list[str]:
    """The addresses the full-text results link to, relative to the site, in their order."""
    search(page, base_url, query, lang=lang)
    page.wait_for_selector("#text-search:not([hidden]) #text-results a")
    links = page.eval_on_selector_all("#text-results a", "links => links.map(a => a.href)")
    return [link.removeprefix(base_url) for link in links]


@pytest.mark.parametrize(
    ("query", "lang"),
    [("Salisbury", "en"), ("Hama", "en"), ("Technolab", "en"), ("Salisbury", "fr")],
)
def test_an_index_in_parts_finds_what_the_whole_index_finds(
    page: Page, base_url: str, parts_url: str, query: str, lang: str
) -> None:
    """A large list's full-text index comes in parts that the page merges (search.js): every
    page the whole index finds is found, whichever part holds it, and nothing else: a part
    without the word does not answer with words it starts with ("Sa'id" for "Salisbury")."""
    page.goto(f"{parts_url}en/search/")
    parts = page.get_attribute("[data-search]", "data-parts") or ""
    assert len(parts.split()) >= 6, parts  # 344 subjects, 50 a part
    whole = text_results(page, base_url, query, lang)
    assert 0 < len(whole) < 10, whole  # fewer than a page of results: all of them shown
    assert sorted(text_results(page, parts_url, query, lang)) == sorted(whole)


def test_results_show_band_score_match_and_what_tells_namesakes_apart(
    page: Page, base_url: str
) -> None:
    search(page, base_url, "Petrov Alexander")
    assert page.inner_text("#search-results li") == (
        "Alexander Yevgeniyevich Mishkin Exact score 1.00\n\n"
        "Matched name: Alexander Petrov\n"
        "Individual · Born 1979-07-13 · Russia · Sanctioned by European Union, United States"
        " · Listed"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "search-results.png", full_page=True)
    search(page, base_url, "Muhammad Ali")
    born = page.eval_on_selector_all(
        "#search-results li .note", "notes => notes.map(n => n.textContent)"
    )
    assert any("1979-08-01" in note for note in born) and any("1985-08-30" in note for note in born)


def test_batch_screening_in_the_page(page: Page, base_url: str, tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text(
        'name,ref\nAlexandre Michkine,1\nEmmanuel Macron,2\n"=HYPERLINK(1)",3\n', "utf-8"
    )
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.method))
    page.goto(f"{base_url}en/search/")
    page.click("#batch summary")
    page.set_input_files("#batch-file", names)
    page.wait_for_selector("#batch-rows tr")
    assert page.inner_text("#batch-status") == "3 names screened: 1 with candidates."
    rows = page.eval_on_selector_all(
        "#batch-rows tr",
        "rows => rows.map(r => r.cells[0].textContent + '|' + r.cells[1].textContent)",
    )
    assert rows == [
        "Alexandre Michkine|Alexander Yevgeniyevich Mishkin",
        "Emmanuel Macron|—",
        "=HYPERLINK(1)|—",
    ]
    with page.expect_download() as download:
        page.click("#batch-download")
    lines = Path(download.value.path()).read_text("utf-8").splitlines()
    assert lines[0].startswith("query,rank,band,score,id,name,matched")
    site, _problems = read_site(REPO, TODAY)
    assert site is not None
    best = screener(site).screen("Alexandre Michkine")[0]
    assert lines[1].startswith(f"Alexandre Michkine,1,strong,{best.score:.3f},alexander-mishkin,")
    assert lines[3] == "'=HYPERLINK(1),,none,,,,,,,,,,,"
    assert set(sent) == {"GET"}, "the file must not leave the page"


def test_language_switch_lands_on_the_same_subject(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}en/designations/gosniiokht/")
    page.click(".language-switch a[hreflang=fr]")
    page.wait_for_url("**/fr/designations/gosniiokht/")
    assert page.get_attribute("html", "lang") == "fr"


def listed_count(page: Page) -> int:
    """The whole list's size, as the list page says it ("344 names, of which ...")."""
    return int(page.locator("main p.count").first.inner_text().split()[0].replace(",", ""))


def test_filters_narrow_the_list(browser: Browser, base_url: str) -> None:
    """Without JavaScript, each filter is a link to its pre-rendered page."""
    page = browser.new_page(java_script_enabled=False)
    page.goto(f"{base_url}en/designations/")
    everyone = listed_count(page)
    assert not page.is_visible("nav.filters a:text-is('Entity')")  # collapsed until asked for
    page.click("nav.filters summary")
    page.click("nav.filters a:text-is('Entity')")
    page.wait_for_url("**/en/browse/type/entity/")
    entities = listed_count(page)
    assert 0 < entities < everyone
    assert page.locator("table.subjects tbody tr").count() == min(entities, PAGE_SIZE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "list-filtered.png", full_page=False)
    page.close()


def test_filters_combine_in_the_page(page: Page, base_url: str, site_folder: Path) -> None:
    """With the script, filters combine (Russia and entity), the counts follow the choice and
    the address keeps it; the subjects shown are those the listing file says match."""
    listing = json.loads((site_folder / "search/listing.json").read_text("utf-8"))
    rows = [dict(zip(listing["fields"], values, strict=True)) for values in listing["subjects"]]
    russian = [row for row in rows if "RU" in row["countries"]]
    expected = [row["name"] for row in russian if row["type"] == "entity"]
    assert 0 < len(expected) < len(russian)
    page.goto(f"{base_url}en/designations/")
    assert page.is_hidden("nav.filters") and page.is_visible("#combine")
    page.click("#combine summary")
    page.check("#combine input[name=country][value=RU]")
    page.check("#combine input[name=type][value=entity]")
    page.wait_for_function(
        f"document.querySelectorAll('#combined tbody tr').length === {len(expected)}"
    )
    assert page.locator("#combined tbody th a").all_inner_texts() == expected
    assert page.inner_text("#combined-count") == f"{len(expected)} names match these filters."
    assert page.inner_text("[data-count='type:person']") == f"({len(russian) - len(expected)})"
    assert page.url.endswith("/en/designations/?type=entity&country=RU")
    assert page.is_hidden("#list-pages")
    page.reload()  # the address keeps the choice
    page.wait_for_selector("#combined:not([hidden])")
    assert page.locator("#combined tbody tr").count() == len(expected)
    page.click("#combine button[type=reset]")
    page.wait_for_selector("#list-pages:not([hidden])")
    assert page.url.endswith("/en/designations/")


def test_keyboard_alone_reaches_search_and_results(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}en/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.site-nav a') !== null") and (
            page.evaluate("document.activeElement.textContent") == "Search"
        ):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/")
    page.keyboard.press("Tab")  # skip link
    while page.evaluate("document.activeElement.id") != "search-query":
        page.keyboard.press("Tab")
    page.keyboard.type("Mishkin")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results a")
    while page.evaluate("document.activeElement.closest('#search-results') === null"):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Alexander Yevgeniyevich Mishkin"


def test_home_page_screenshot(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}en/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "home.png", full_page=True)
    assert page.locator("h1").count() == 1


PAGE_TYPES = [
    "index.html",
    "404.html",
    "en/",
    "fr/",
    "en/designations/",
    "fr/browse/country/ru/",
    "en/browse/by-date/",
    "en/designations/anatoliy-chepiga/",
    "fr/designations/scientific-studies-and-research-centre/",
    "en/authorities/",
    "fr/authorities/eu/",
    "en/cases/",
    "fr/cases/navalny-2020/",
    "en/participants/",
    "fr/participants/",
    "fr/news/",
    "en/news/2018-01-23-launch-in-paris/",
    "fr/declaration/",
    "en/about/",
    "fr/search/?q=Hasan",
    "fr/data/",
    "en/changes/",
    "fr/designations/page/2/",
]
# A phone (the width of the most common ones) and a desktop screen.
WIDTHS = (390, 1280)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("address", PAGE_TYPES)
def test_no_accessibility_violation(page: Page, base_url: str, address: str, width: int) -> None:
    assert AXE.is_file(), "run `npm ci` in the repository root (axe-core)"
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(base_url + address)
    if "/search/" in address:
        page.wait_for_selector("#search-status[data-state=done]", state="attached")
    page.add_script_tag(url=base_url + AXE_ADDRESS)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id}: ${v.nodes.length} nodes, first ${v.nodes[0].target.join(' ')}`)"
    )
    assert violations == []


def overflowing(page: Page) -> list[str]:
    """The elements that reach past the window's right edge (what makes a page scroll sideways),
    outside the boxes that scroll on their own (tables, the menu on a phone)."""
    return list(
        page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const wide = [...document.querySelectorAll("body *")].filter(element => {
                    for (let box = element.parentElement; box; box = box.parentElement) {
                        if (getComputedStyle(box).overflowX !== "visible") return false;
                    }
                    const box = element.getBoundingClientRect();
                    // to the right only: the skip link waits out of sight on the left
                    return box.width > 0 && box.right > width + 0.5;
                });
                return wide.slice(0, 5).map(element => element.outerHTML.slice(0, 120));
            }"""
        )
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(page: Page, base_url: str, width: int) -> None:
    """Every page type of the site at each width: nothing sticks out sideways."""
    page.set_viewport_size({"width": width, "height": 844})
    found = {}
    for address in PAGE_TYPES:
        page.goto(base_url + address)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        wide = overflowing(page)
        if scroll > width or wide:
            found[address] = (scroll, wide)
    assert found == {}


def test_no_page_of_the_site_is_wider_than_a_phone(
    page: Page, base_url: str, site_folder: Path
) -> None:
    """Every HTML page of the repository's site, at a phone's width."""
    page.set_viewport_size({"width": 390, "height": 844})
    addresses = sorted(p.relative_to(site_folder).as_posix() for p in site_folder.rglob("*.html"))
    assert len(addresses) > 700
    found = {}
    for address in addresses:
        page.goto(base_url + address)
        wide = overflowing(page)
        if wide or page.evaluate("document.documentElement.scrollWidth") > 390:
            found[address] = wide
    assert found == {}


def test_the_overflow_check_can_fail(page: Page, base_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "en/")
    page.evaluate(
        """() => {
            const wide = document.createElement("span");
            wide.textContent = "https://example.org/" + "x".repeat(300);
            Object.assign(wide.style, {display: "inline-block", whiteSpace: "nowrap"});
            document.querySelector("main").append(wide);
        }"""
    )
    assert overflowing(page)


def test_the_header_search_box_finds_a_name(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}fr/designations/")
    page.fill("#header-search-query", "Mishkin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/search/?q=Mishkin")
    page.wait_for_selector("#search-results a")
    assert "Mishkin" in page.locator("#search-results").inner_text()


def test_the_accessibility_audit_can_fail(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    page.add_script_tag(url=base_url + AXE_ADDRESS)
    found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert "image-alt" in found


def test_inline_script_and_style_are_refused(browser: Browser, base_url: str) -> None:
    """The policy is in force: a script or style written into a page does not apply."""
    opened = browser.new_page()
    refused = watch_refusals(opened)
    opened.goto(f"{base_url}en/")
    ran = opened.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            const style = document.createElement("style");
            style.textContent = "main { display: none }";
            document.head.append(style);
            const main = document.querySelector("main");
            return [window.injected === true, getComputedStyle(main).display];
        }"""
    )
    opened.close()
    assert ran == [False, "block"]
    assert len(refused) == 2


def test_a_changed_asset_is_refused(browser: Browser, base_url: str) -> None:
    """Subresource Integrity: a style sheet altered after the build is not applied."""
    sheet = load_assets(TEMPLATES / "static")["style.css"]
    opened = browser.new_page()
    refused = watch_refusals(opened)

    def alter(route: Route) -> None:
        route.fulfill(response=route.fetch(), body=sheet.data + b"\nmain { display: none }\n")

    opened.route(f"**/{sheet.path}", alter)
    opened.goto(f"{base_url}en/")
    assert opened.evaluate("document.styleSheets.length") == 0
    opened.close()
    assert [text for text in refused if "integrity" in text]


def test_assets_have_hashed_names_only(base_url: str, page: Page) -> None:
    assets = load_assets(TEMPLATES / "static")
    for name, asset in assets.items():
        hashed, plain = page.goto(base_url + asset.path), page.goto(f"{base_url}static/{name}")
        assert hashed is not None and hashed.ok
        assert plain is not None and plain.status == 404
