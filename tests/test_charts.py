"""Build-time charts: the numbers behind them, and the safety and accessibility of the SVG."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace

import jinja2
import pytest
from pytest_regressions.file_regression import FileRegressionFixture

from generator import charts as charts_module
from generator.charts import (
    PALETTE,
    ChartData,
    designations_per_year,
    participants_over_time,
    render_svg,
)
from generator.i18n import format_day, translations
from generator.model import Participant, Sanction, Site, SiteConfig, Subject
from generator.read import read_site
from tests.conftest import MINIMAL, TEMPLATES, TODAY

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>\"&'"
NAMES = {"EU": "European Union", "FR": "France", "US": "United States", "GB": "United Kingdom"}
CONFIG = SiteConfig(title={}, description={}, base_url="https://example.org/", languages=("en",))


def make_site(
    listings: Sequence[tuple[str, dt.date]] = (),
    joined: Sequence[dt.date | None] = (),
) -> Site:
    """A site with one subject per listing act and one participant per join date."""
    subjects = tuple(
        Subject(
            id=f"subject-{index}",
            type="organisation",
            name=f"Subject {index}",
            sanctions=(Sanction(authority=code, listed=day, reference="ref", measures=("x",)),),
            grounds={"en": "Grounds."},
        )
        for index, (code, day) in enumerate(listings)
    )
    participants = tuple(
        Participant(code=f"P{index}", kind="state", name={}, joined=day)
        for index, day in enumerate(joined)
    )
    return Site(config=CONFIG, participants=participants, subjects=subjects, pages=(), as_of=TODAY)


def table(data: ChartData) -> list[tuple[str, tuple[int, ...]]]:
    return [(row.key, row.values) for row in data.rows]


def draw(data: ChartData, lang: str = "en", names: dict[str, str] = NAMES) -> str:
    return str(
        render_svg(
            data,
            lang=lang,
            title="Listing acts per year",
            description="Bars, one per year.",
            label=lambda code: names.get(code, code),
            time_axis="Year",
            count_axis="Listing acts",
        )
    )


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def minimal() -> Site:
    site, problems = read_site(MINIMAL, TODAY)
    assert site is not None, problems
    return site


# The numbers


def test_designations_per_year_on_minimal_site(minimal: Site) -> None:
    data = designations_per_year(minimal)
    assert data.kind == "bars"
    assert data.columns == ("EU", "FR", "US")
    assert table(data) == [
        ("2016", (0, 0, 1)),
        ("2017", (0, 0, 0)),  # an empty year is kept
        ("2018", (0, 1, 0)),
        ("2019", (2, 0, 0)),  # two EU listing acts on the same day, for two subjects
    ]
    assert [row.x for row in data.rows] == [2016, 2017, 2018, 2019]
    assert [row.total for row in data.rows] == [1, 0, 1, 2]
    assert [row.cumulative for row in data.rows] == [1, 1, 2, 4]
    assert data.totals == (2, 1, 1)
    assert data.total == 4
    assert data.maximum == 2
    assert data.omitted == 0


def test_designations_count_acts_not_subjects() -> None:
    subject = Subject(
        id="one",
        type="person",
        name="One",
        sanctions=(
            Sanction(authority="US", listed=dt.date(2020, 1, 1), reference="a", measures=()),
            Sanction(authority="US", listed=dt.date(2020, 6, 1), reference="b", measures=()),
            Sanction(authority="EU", listed=dt.date(2020, 6, 1), reference="c", measures=()),
        ),
        grounds={},
    )
    site = Site(config=CONFIG, participants=(), subjects=(subject,), pages=(), as_of=TODAY)
    assert table(designations_per_year(site)) == [("2020", (1, 2))]


def test_designations_with_gaps_and_a_single_authority() -> None:
    site = make_site([("US", dt.date(2021, 3, 1)), ("US", dt.date(2017, 5, 2))])
    data = designations_per_year(site)
    assert data.columns == ("US",)
    assert table(data) == [
        ("2017", (1,)),
        ("2018", (0,)),
        ("2019", (0,)),
        ("2020", (0,)),
        ("2021", (1,)),
    ]
    assert data.maximum == 1


def test_designations_of_a_site_without_sanctions() -> None:
    data = designations_per_year(make_site())
    assert (data.columns, data.rows, data.total, data.totals, data.maximum) == ((), (), 0, (), 0)


def test_participants_over_time_on_minimal_site(minimal: Site) -> None:
    data = participants_over_time(minimal)
    assert data.kind == "steps"
    assert data.columns == ("joined",)
    assert table(data) == [("2018-01-23", (3,)), ("2018-04-15", (1,))]
    assert [row.x for row in data.rows] == [dt.date(2018, 1, 23), dt.date(2018, 4, 15)]
    assert [row.cumulative for row in data.rows] == [3, 4]
    assert (data.total, data.maximum, data.omitted) == (4, 4, 0)


def test_participants_without_a_date_are_counted_apart() -> None:
    site = make_site(joined=[dt.date(2019, 2, 1), None, dt.date(2018, 1, 23), None])
    data = participants_over_time(site)
    assert table(data) == [("2018-01-23", (1,)), ("2019-02-01", (1,))]
    assert [row.cumulative for row in data.rows] == [1, 2]
    assert data.omitted == 2


def test_one_participant_and_none_with_a_date() -> None:
    one = participants_over_time(make_site(joined=[dt.date(2018, 1, 23)]))
    assert table(one) == [("2018-01-23", (1,))]
    assert one.maximum == 1
    undated = participants_over_time(make_site(joined=[None, None]))
    assert (undated.rows, undated.omitted, undated.maximum) == ((), 2, 0)


# The picture


def charts(site: Site) -> list[ChartData]:
    return [designations_per_year(site), participants_over_time(site)]


EDGE_SITES = [
    make_site(),
    make_site([("GB", dt.date(2020, 1, 1))], [dt.date(2018, 1, 23)]),
    make_site([("US", dt.date(2012, 1, 1)), ("EU", dt.date(2026, 1, 1))], [None]),
]


@pytest.mark.parametrize("site", EDGE_SITES, ids=["empty", "single", "gap"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_svg_is_accessible_and_safe(site: Site, lang: str) -> None:
    for data in charts(site):
        svg = draw(data, lang)
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
        assert root.get("width") is None and root.get("height") is None  # scales to its box
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and title.text == "Listing acts per year"
        assert desc is not None and desc.text == "Bars, one per year."
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        for element in root.iter():
            assert element.tag not in {f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image"}
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), name
                assert "href" not in name, name
                assert "url(" not in value or re.fullmatch(r"url\(#[\w-]+\)", value), value
            assert float(element.get("font-size", "12")) >= 12


def test_bar_chart_text(minimal: Site) -> None:
    shown = texts(draw(designations_per_year(minimal)))
    assert shown == [
        "Year",  # the time-axis title, above the years
        *("0", "1", "2"),  # ticks of the count axis
        *("2016", "1", "2017", "0", "2018", "1", "2019", "2"),  # each year and its total
        "Listing acts",  # the count-axis title
        *("European Union", "France", "United States"),  # the legend, in column order
    ]


def test_bars_are_as_long_as_their_counts(minimal: Site) -> None:
    root = ET.fromstring(draw(designations_per_year(minimal)))
    bars = [r for r in root.findall(f"{SVG}rect") if r.get("stroke") is None]  # not legend
    widths = [float(r.get("width", 0)) for r in bars]
    assert len(widths) == 3  # 2016 (US), 2018 (FR), 2019 (EU); 2017 has none
    assert widths[0] == pytest.approx(widths[1])
    assert widths[2] == pytest.approx(2 * widths[0], abs=0.2)


def test_step_chart_text(minimal: Site) -> None:
    svg = draw(participants_over_time(minimal))
    shown = texts(svg)
    assert shown == ["Listing acts", "0", "1", "2", "3", "4", "2018", "4", "Year"]
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}circle")) == 2  # one mark per join date
    assert not root.findall(f"{SVG}rect")  # no legend: one series, named by its axis


def test_series_differ_by_pattern_as_well_as_colour() -> None:
    codes = ["AU", "CA", "CH", "EU", "FR", "GB", "JP", "NZ", "US"]
    site = make_site([(code, dt.date(2020, 1, 1)) for code in codes])
    root = ET.fromstring(draw(designations_per_year(site)))
    bars = [rect.get("fill") for rect in root.findall(f"{SVG}rect")][: len(codes)]
    assert len(set(bars)) == len(codes)
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    marks = {
        ET.tostring(list(patterns[fill[5:-1]])[1]) if fill and fill.startswith("url") else b""
        for fill in bars[:7]
    }
    assert len(marks) == 7  # the first seven series have seven different patterns


def contrast(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_every_colour_contrasts_with_white(minimal: Site) -> None:
    svg = draw(designations_per_year(minimal)) + draw(participants_over_time(minimal))
    used = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg)) - {"#d0d6dc"}  # grid
    assert used
    for colour in set(PALETTE) | used:
        assert contrast(colour) >= 4.5, colour


def test_hostile_names_are_escaped() -> None:
    site = make_site([("XX", dt.date(2020, 1, 1))])
    svg = render_svg(
        designations_per_year(site),
        lang="en",
        title=HOSTILE,
        description=HOSTILE,
        label=lambda code: HOSTILE,
        time_axis=HOSTILE,
        count_axis=HOSTILE,
    )
    assert "<script" not in svg
    root = ET.fromstring(str(svg))
    assert not list(root.iter(f"{SVG}script"))
    assert texts(str(svg)).count(HOSTILE) == 3  # two axis titles and the legend
    assert root.findtext(f"{SVG}title") == HOSTILE
    assert root.findtext(f"{SVG}desc") == HOSTILE


def test_numbers_are_formatted_for_the_locale() -> None:
    site = make_site([("US", dt.date(2020, 1, 1))] * 1200)
    assert "1,000" in texts(draw(designations_per_year(site), "en"))
    assert "1\u202f000" in texts(draw(designations_per_year(site), "fr"))
    assert "1\u202f200" in texts(draw(designations_per_year(site), "fr"))  # the bar's total


def test_output_is_deterministic_and_ids_differ_between_charts(minimal: Site) -> None:
    first = draw(designations_per_year(minimal))
    again = draw(designations_per_year(read_site(MINIMAL, TODAY)[0] or minimal))
    assert first == again
    other = draw(participants_over_time(minimal))
    ids = set(re.findall(r' id="([^"]+)"', first))
    assert ids and not ids & set(re.findall(r' id="([^"]+)"', other))


def test_snapshot(minimal: Site, file_regression: FileRegressionFixture) -> None:
    names = {"EU": "Union européenne", "FR": "France", "US": "États-Unis"}
    svg = render_svg(
        designations_per_year(minimal),
        lang="fr",
        title="Actes d'inscription par année",
        description="De 2016 à 2019, 4 actes d'inscription par 3 autorités.",
        label=names.__getitem__,
        time_axis="Année",
        count_axis="Actes d'inscription",
    )
    file_regression.check(str(svg), basename="designations_fr", extension=".svg")


# The real partials, as the pages include them.
DESIGNATIONS_SNIPPET = "partials/chart_designations.html"
PARTICIPANTS_SNIPPET = "partials/chart_participants.html"


EXPECTED_DESIGNATIONS = {
    "en": (
        "Listing acts per year",
        "Stacked bars: listing acts by each authority, every year from 2016 to 2019.",
    ),
    "fr": (
        "Actes d’inscription par année",
        "Barres empilées\u00a0: actes d’inscription de chaque autorité,"
        " chaque année de 2016 à 2019.",
    ),
}


def render_snippet(name: str, site: Site, lang: str, names: dict[str, str]) -> ET.Element:
    """Render a partial like ``generator.render`` does (autoescape, new-style gettext), parse it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        charts=charts_module,
        site=site,
        lang=lang,
        participant_name=lambda code: names.get(code, code),
    )
    env.filters["day"] = lambda value: format_day(value, lang)
    html = env.get_template(name).render()
    return ET.fromstring(f"<div>{html}</div>")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_designations_snippet(minimal: Site, lang: str) -> None:
    names = {**NAMES, "US": HOSTILE}
    root = render_snippet(DESIGNATIONS_SNIPPET, minimal, lang, names)
    svg = root.find(f"section/figure/{SVG}svg")
    title, description = EXPECTED_DESIGNATIONS[lang]
    assert svg is not None and svg.findtext(f"{SVG}title") == title
    assert svg.findtext(f"{SVG}desc") == description
    assert HOSTILE in texts(ET.tostring(svg, encoding="unicode"))
    assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))
    head = [th.text for th in root.iterfind(".//thead/tr/th")]
    first, last = ("Year", "Total") if lang == "en" else ("Année", "Total")
    assert head == [first, "European Union", "France", HOSTILE, last]
    assert {th.get("scope") for th in root.iter("th")} == {"col", "row"}
    body = [[cell.text for cell in tr] for tr in root.iterfind(".//tbody/tr")]
    assert body[1] == ["2017", "0", "0", "0", "0"]
    assert body[3] == ["2019", "2", "0", "0", "2"]
    assert [td.text for td in root.iterfind(".//tfoot/tr/td")] == ["2", "1", "1", "4"]


def test_participants_snippet(minimal: Site) -> None:
    site = replace(
        minimal,
        participants=(*minimal.participants, Participant(code="XX", kind="state", name={})),
    )
    root = render_snippet(PARTICIPANTS_SNIPPET, site, "fr", NAMES)
    svg = root.find(f"section/figure/{SVG}svg")
    assert svg is not None and svg.findtext(f"{SVG}desc") == (
        "Courbe en escalier\u00a0: 4 participants nommés au 15 avril 2018."
    )
    body = [[cell.text for cell in tr] for tr in root.iterfind(".//tbody/tr")]
    assert body == [[None, "3", "3"], [None, "1", "4"]]
    assert [time.text for time in root.iter("time")] == ["23 janvier 2018", "15 avril 2018"]
    assert root.findtext("section/p") == (
        "1 participant dont la date d’adhésion n’est pas connue n’est pas représenté."
    )
