"""Build-time charts: the numbers behind two figures, and an accessible inline SVG of each.

``designations_per_year`` and ``participants_over_time`` reduce the site to a ``ChartData``
(rows and columns, also what a template shows as the fallback table); ``render_svg`` draws it
as inline SVG with no script, no style sheet and no external reference. Every string that is
not data (title, description, axis titles) comes from the caller, so templates translate them;
numbers are formatted for the page's locale. The same input always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from generator.i18n import format_locale
from generator.model import Site

# Every colour has at least 4.5:1 contrast against white (text and bars alike).
INK = "#1b1f24"
MUTED = "#4a5560"
GRID = "#d0d6dc"
ACCENT = "#0b4f8a"
PALETTE = ("#0b4f8a", "#b04a00", "#1e6b34", "#9c2f6b", "#4a5560", "#7a5c00", "#00687a", "#7b3294")
# White marks drawn over a series' colour on an 8x8 tile, so that series differ without colour.
PATTERNS = (
    "",
    '<path d="M-2 2L2-2M0 8L8 0M6 10L10 6" stroke="#fff" stroke-width="1.5"/>',
    '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
    '<path d="M0 4H8" stroke="#fff" stroke-width="1.5"/>',
    '<path d="M0 0L8 8M8 0L0 8" stroke="#fff" stroke-width="1.2"/>',
    '<path d="M4 0V8" stroke="#fff" stroke-width="1.5"/>',
    '<path d="M-2 6L2 10M0 0L8 8M6-2L10 2" stroke="#fff" stroke-width="1.5"/>',
)
WIDTH = 440  # small, so that text stays readable when a phone scales the picture down
PLOT_HEIGHT = 240  # of the step chart
ROW = 24  # height of a year in the bar chart
BAR = 16
TOP = 40  # room for an axis title above the plot
TICK_SIZE = 14
TEXT_SIZE = 15
SWATCH = 16
LEGEND_LINE = 24


@dataclass(frozen=True, slots=True)
class Row:
    """One point on the x axis: a year (bars) or a day (steps), and one value per column."""

    key: str  # "2019", or an ISO day "2018-01-23"
    x: int | dt.date
    values: tuple[int, ...]
    total: int  # sum of values
    cumulative: int  # sum of the totals of this row and every row before it


@dataclass(frozen=True, slots=True)
class ChartData:
    """What a chart shows, in the shape of a table: columns are series, rows are x values.

    ``kind`` is ``bars`` (stacked, one column per authority code) or ``steps`` (one column,
    ``joined``: how many participants joined that day; the line plots ``row.cumulative``).
    ``omitted`` counts the records that could not be placed (participants without a date).
    """

    kind: Literal["bars", "steps"]
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    omitted: int = 0

    @property
    def totals(self) -> tuple[int, ...]:
        """The sum of each column over every row."""
        return tuple(sum(row.values[i] for row in self.rows) for i in range(len(self.columns)))

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def maximum(self) -> int:
        """The largest plotted value: the tallest bar, or the last step."""
        if self.kind == "steps":
            return self.rows[-1].cumulative if self.rows else 0
        return max((row.total for row in self.rows), default=0)


def _rows(points: Iterable[tuple[str, int | dt.date, tuple[int, ...]]]) -> tuple[Row, ...]:
    rows: list[Row] = []
    running = 0
    for key, x, values in points:
        running += sum(values)
        rows.append(Row(key=key, x=x, values=values, total=sum(values), cumulative=running))
    return tuple(rows)


def designations_per_year(site: Site) -> ChartData:
    """Listing acts (sanction entries) per year of ``listed``, one column per authority code."""
    counts = Counter(
        (sanction.listed.year, sanction.authority)
        for subject in site.subjects
        for sanction in subject.sanctions
    )
    if not counts:
        return ChartData(kind="bars", columns=(), rows=())
    authorities = tuple(sorted({authority for _, authority in counts}))
    first = min(year for year, _ in counts)
    last = max(year for year, _ in counts)
    rows = _rows(
        (str(year), year, tuple(counts[(year, code)] for code in authorities))
        for year in range(first, last + 1)
    )
    return ChartData(kind="bars", columns=authorities, rows=rows)


def participants_over_time(site: Site) -> ChartData:
    """Participants by join date, with the running total; those without a date are omitted."""
    joined = Counter(p.joined for p in site.participants if p.joined is not None)
    omitted = sum(1 for p in site.participants if p.joined is None)
    rows = _rows((day.isoformat(), day, (joined[day],)) for day in sorted(joined))
    return ChartData(kind="steps", columns=("joined",), rows=rows, omitted=omitted)


Format = Callable[[int], str]


@dataclass(frozen=True, slots=True)
class _Scale:
    """Counts -> one axis of the plot: 0 at pixel ``start``, ``top`` at pixel ``end``."""

    start: float
    end: float
    top: int
    step: int

    def at(self, value: float) -> float:
        return self.start + (self.end - self.start) * value / self.top

    @property
    def ticks(self) -> range:
        return range(0, self.top + 1, self.step)


def _scale(maximum: int, start: float, end: float) -> _Scale:
    """Round ticks (1, 2 or 5 times a power of ten), at most five steps up to ``maximum``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(maximum / step) <= 5:
                top = max(step, step * math.ceil(maximum / step))
                return _Scale(start=start, end=end, top=top, step=step)
        magnitude *= 10


def _num(value: float) -> str:
    """A coordinate with at most one decimal: ``12``, ``12.5``."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _width(text: str, size: int = TICK_SIZE) -> float:
    """A rough width of a line of text, enough to lay out labels without overlap."""
    return len(text) * size * 0.6


def _text(
    x: float, y: float, text: str, *, size: int = TICK_SIZE, fill: str = "", **attrs: str
) -> str:
    """A line of text (escaped); tick values are muted, other text is ink."""
    extra = "".join(f' {name.replace("_", "-")}="{escape(v)}"' for name, v in attrs.items())
    fill = fill or (INK if size == TEXT_SIZE else MUTED)
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{fill}"{extra}>'
        f"{escape(text)}</text>"
    )


def _title(x: float, y: float, text: str, anchor: str = "start") -> str:
    return _text(x, y, text, size=TEXT_SIZE, font_weight="600", text_anchor=anchor)


def _line(x: float, y: float, direction: str, length: float, colour: str = GRID) -> str:
    return f'<path d="M{_num(x)} {_num(y)}{direction}{_num(length)}" stroke="{colour}"/>'


def _fill(ident: str, column: int) -> str:
    if column % len(PATTERNS) == 0:
        return PALETTE[column % len(PALETTE)]
    return f"url(#{ident}-p{column})"


def _patterns(ident: str, count: int) -> list[str]:
    parts = []
    for column in range(count):
        marks = PATTERNS[column % len(PATTERNS)]
        if marks:
            parts.append(
                f'<pattern id="{ident}-p{column}" width="8" height="8" '
                f'patternUnits="userSpaceOnUse"><rect width="8" height="8" '
                f'fill="{PALETTE[column % len(PALETTE)]}"/>{marks}</pattern>'
            )
    return [f"<defs>{''.join(parts)}</defs>"] if parts else []


def _legend(ident: str, names: list[str], top: float) -> tuple[list[str], float]:
    """Swatches with the series' names, in as many columns as fit; and the legend's height."""
    if not names:
        return [], 0
    column = SWATCH + 8 + max(_width(name, TEXT_SIZE) for name in names) + 24
    columns = max(1, min(len(names), int((WIDTH - 16) // column)))
    parts = []
    for index, name in enumerate(names):
        x = 8 + (index % columns) * column
        y = top + (index // columns) * LEGEND_LINE
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{SWATCH}" height="{SWATCH}" '
            f'fill="{_fill(ident, index)}" stroke="{PALETTE[index % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + SWATCH + 8, y + SWATCH - 3, name, size=TEXT_SIZE))
    return parts, math.ceil(len(names) / columns) * LEGEND_LINE


def _bar_rows(data: ChartData, scale: _Scale, ident: str, fmt: Format) -> list[str]:
    """One horizontal stacked bar per year: the year before it, its total after it."""
    parts = []
    for index, row in enumerate(data.rows):
        y = TOP + index * ROW + (ROW - BAR) / 2
        parts.append(_text(scale.start - 8, y + BAR - 3, row.key, text_anchor="end"))
        base = 0
        for column, value in enumerate(row.values):
            if value:
                x, end = scale.at(base), scale.at(base + value)
                parts.append(
                    f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(end - x)}" '
                    f'height="{BAR}" fill="{_fill(ident, column)}"/>'
                )
                base += value
        total = fmt(row.total)
        parts.append(_text(scale.at(row.total) + 6, y + BAR - 3, total, fill=INK))
    return parts


def _bar_chart(
    data: ChartData, ident: str, fmt: Format, names: list[str], titles: tuple[str, str]
) -> tuple[list[str], float]:
    """Stacked horizontal bars, one per year (so that every year label fits, even on phones)."""
    left = math.ceil(16 + max((_width(row.key) for row in data.rows), default=0))
    ticks = _scale(data.maximum, 0, 1).ticks
    right = 12 + max([_width(fmt(row.total)) for row in data.rows] + [_width(fmt(ticks[-1])) / 2])
    scale = _scale(data.maximum, left, WIDTH - math.ceil(right))
    bottom = TOP + max(1, len(data.rows)) * ROW
    parts = [*_patterns(ident, len(names)), _title(8, TOP - 16, titles[0])]
    for value in scale.ticks:
        parts.append(_line(scale.at(value), TOP, "V", bottom, MUTED if value == 0 else GRID))
        parts.append(_text(scale.at(value), bottom + 20, fmt(value), text_anchor="middle"))
    parts += _bar_rows(data, scale, ident, fmt)
    parts.append(_title((scale.start + scale.end) / 2, bottom + 44, titles[1], "middle"))
    legend, height = _legend(ident, names, bottom + 60)
    return parts + legend, bottom + 60 + height


def _step_line(data: ChartData, scale: _Scale, left: float, right: float) -> list[str]:
    """The running total as a step line over a time axis of whole years, with year labels."""
    days = [row.x for row in data.rows if isinstance(row.x, dt.date)]
    start, end = dt.date(days[0].year, 1, 1), dt.date(days[-1].year + 1, 1, 1)

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / (end - start).days

    path = [f"M{_num(left)} {_num(scale.at(0))}"]
    parts = []
    for day, row in zip(days, data.rows, strict=True):
        path.append(f"H{_num(x(day))}V{_num(scale.at(row.cumulative))}")
        parts.append(
            f'<circle cx="{_num(x(day))}" cy="{_num(scale.at(row.cumulative))}" r="3.5" '
            f'fill="{ACCENT}"/>'
        )
    path.append(f"H{_num(right)}")
    parts.insert(0, f'<path d="{"".join(path)}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>')
    years = range(start.year, end.year)
    every = math.ceil((_width("0000") + 8) / ((right - left) / len(years)))
    for index, year in enumerate(years):
        parts.append(_line(x(dt.date(year, 1, 1)), scale.start, "v", 6, MUTED))
        if index % every == 0:
            label = _text(x(dt.date(year, 7, 2)), scale.start + 20, str(year), text_anchor="middle")
            parts.append(label)
    return parts


def _step_chart(data: ChartData, fmt: Format, titles: tuple[str, str]) -> tuple[list[str], float]:
    """A step line of the running total, the last value written at its end."""
    bottom = TOP + PLOT_HEIGHT
    ticks = _scale(data.maximum, 0, 1).ticks
    left = math.ceil(16 + max(_width(fmt(value)) for value in ticks))
    last = fmt(data.rows[-1].cumulative) if data.rows else ""
    right = WIDTH - math.ceil(12 + max(_width(last, TEXT_SIZE), _width("0000") / 2))
    scale = _scale(data.maximum, bottom, TOP)
    parts = [_title(8, TOP - 20, titles[1])]
    for value in scale.ticks:
        parts.append(_line(left, scale.at(value), "H", right, MUTED if value == 0 else GRID))
        parts.append(_text(left - 8, scale.at(value) + 5, fmt(value), text_anchor="end"))
    if data.rows:
        parts += _step_line(data, scale, left, right)
        y = scale.at(data.rows[-1].cumulative) + 5
        parts.append(_text(right + 6, y, last, size=TEXT_SIZE, font_weight="600"))
    parts.append(_title((left + right) / 2, bottom + 44, titles[0], "middle"))
    return parts, bottom + 58


def format_number(value: int, lang: str) -> str:
    """A count as written in ``lang``: ``1,200`` in English, ``1 200`` in French."""
    return format_decimal(value, locale=format_locale(lang))


def _ident(data: ChartData, lang: str, title: str) -> str:
    """An id prefix that differs between the charts of a page and never between builds."""
    digest = hashlib.sha256(repr((data, lang, title)).encode("utf-8")).hexdigest()
    return f"chart-{digest[:10]}"


def render_svg(
    data: ChartData,
    *,
    lang: str,
    title: str,
    description: str,
    label: Callable[[str], str],
    time_axis: str,
    count_axis: str,
) -> Markup:
    """The chart as an inline ``<svg role="img">`` named by its ``<title>`` and ``<desc>``.

    ``label`` names a column (``participant_name`` for authority codes) in the legend of a bar
    chart; a step chart has one series, named by ``count_axis``, and no legend. ``time_axis``
    titles the axis of years or days, ``count_axis`` the axis of counts.
    """
    ident = _ident(data, lang, title)
    fmt = partial(format_number, lang=lang)
    titles = (time_axis, count_axis)
    if data.kind == "bars":
        names = [label(code) for code in data.columns]
        body, height = _bar_chart(data, ident, fmt, names, titles)
    else:
        body, height = _step_chart(data, fmt, titles)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {math.ceil(height)}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" class="chart">\n'
        f'<title id="{ident}-title">{escape(title)}</title>\n'
        f'<desc id="{ident}-desc">{escape(description)}</desc>\n' + "\n".join(body) + "\n</svg>\n"
    )
