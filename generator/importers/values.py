"""Values as lists print them: dates, countries and nationalities, Russian tax numbers.

Every parser returns what it could read and says what it could not; nothing is guessed. A
country is mapped only through an exact (case- and accent-insensitive) name of pycountry or
Babel, a short table of the lists' own spellings, or a table of nationality adjectives.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

import pycountry
from babel import Locale

from generator.countries import CODES
from generator.dates import DateError, parse_partial_date
from generator.importers.draft import words
from generator.names import fold

_MONTHS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?:Z|[+-]\d{2}:\d{2})?")  # xs:date may have a zone
_WORDS = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{4})")
_YEAR = re.compile(r"(\d{4})")
_APPROXIMATE = re.compile(r"(?:circa|c\.|ca\.|approx\.|approximately|about)\s+", re.IGNORECASE)
_RANGE = re.compile(r"(?:between\s+)?(.+?)\s+(?:to|and|-|–)\s+(.+)", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
_ALTERNATIVES = re.compile(r"\s*;\s*|\s+or\s+|\s+alt\.\s+", re.IGNORECASE)
MAX_RANGE_YEARS = 15


@dataclass
class Dates:
    """Dates read from text: ISO values (YYYY, YYYY-MM, YYYY-MM-DD) and what needs a look."""

    values: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)


def parse_dates(text: str) -> Dates:
    """``16.6.1981 or 16.6.1980``, ``5 April 1979; 12 Apr 1978``, ``circa 1951``, ``1960 to
    1962``... -> ``Dates``. A range is written as the years it covers."""
    result = Dates()
    for printed in _ALTERNATIVES.split(text.strip()):
        piece = printed.strip().rstrip(".")
        approximate = _APPROXIMATE.match(piece)
        if approximate:
            piece = piece[approximate.end() :]
        before = len(result.values)
        if piece:
            _read_piece(piece, text.strip(), result)
        if approximate and len(result.values) > before:
            written = ", ".join(result.values[before:])
            result.doubts.append(f"'{text.strip()}' is approximate; written as {written}")
    return result


def _read_piece(piece: str, whole: str, result: Dates) -> None:
    single = parse_date(piece)
    if single is not None:
        result.values.append(single)
        return
    match = _YEAR_RANGE.fullmatch(piece) or _RANGE.fullmatch(piece)
    ends = (parse_date(match[1]), parse_date(match[2])) if match else (None, None)
    if ends[0] is None or ends[1] is None:
        result.doubts.append(f"'{piece}' is not a date we can read; not written")
        return
    first, last = int(ends[0][:4]), int(ends[1][:4])
    if ends[0] == ends[1]:
        result.values.append(ends[0])
    elif first > last or last - first > MAX_RANGE_YEARS:
        result.doubts.append(f"'{whole}' is too wide a range to write as years; not written")
    else:
        result.values.extend(str(year) for year in range(first, last + 1))
        result.doubts.append(f"'{whole}' is a range; written as the years it covers")


def parse_date(text: str) -> str | None:
    """One date in any of the lists' forms -> ISO text, or None when it is not one."""
    text = text.strip().rstrip(".")
    parts: tuple[str | int | None, ...] | None = None
    if match := _DMY.fullmatch(text):
        parts = (match[3], match[2], match[1])
    elif match := _ISO.fullmatch(text):
        parts = (match[1], match[2], match[3])
    elif (match := _WORDS.fullmatch(text)) and match[2].lower() in _MONTHS:
        parts = (match[3], _MONTHS[match[2].lower()], match[1])
    elif match := _YEAR.fullmatch(text):
        parts = (match[1], None, None)
    if parts is None:
        return None
    iso = "-".join(f"{int(part):02d}" for part in parts if part is not None)
    try:
        return parse_partial_date(iso).iso()
    except DateError:
        return None


def parse_full_date(text: str) -> dt.date | None:
    """A listing date: must be a whole day (``21.1.2019``, ``2019-01-21``)."""
    iso = parse_date(text)
    if iso is None or len(iso) != len("2019-01-21"):
        return None
    return dt.date.fromisoformat(iso)


# The lists' own spellings that neither pycountry nor Babel know, and what they mean.
_EXTRA_COUNTRIES = {
    "burma": "MM",
    "korea north": "KP",
    "korea south": "KR",
    "north korea": "KP",
    "south korea": "KR",
    "turkey": "TR",
    "congo democratic republic of the": "CD",
    "north macedonia the republic of": "MK",
    "state of palestine": "PS",
    "russia": "RU",
    "syria": "SY",
    "iran": "IR",
    "vietnam": "VN",
    "laos": "LA",
}
# Nationality adjectives (only unambiguous ones: "Congolese" or "Korean" are not here).
_ADJECTIVES = dict(
    pair.split("=", 1)
    for pair in words(
        "afghan=AF albanian=AL algerian=DZ american=US argentine=AR argentinian=AR armenian=AM"
        " australian=AU austrian=AT azerbaijani=AZ bahraini=BH bangladeshi=BD belarusian=BY"
        " belgian=BE bosnian=BA brazilian=BR british=GB bulgarian=BG burmese=MM canadian=CA"
        " chadian=TD chinese=CN colombian=CO croatian=HR cuban=CU cypriot=CY czech=CZ danish=DK"
        " dutch=NL egyptian=EG emirati=AE eritrean=ER estonian=EE ethiopian=ET filipino=PH"
        " finnish=FI french=FR georgian=GE german=DE greek=GR haitian=HT hungarian=HU indian=IN"
        " indonesian=ID iranian=IR iraqi=IQ irish=IE israeli=IL italian=IT japanese=JP"
        " jordanian=JO kazakh=KZ kenyan=KE kuwaiti=KW kyrgyz=KG latvian=LV lebanese=LB"
        " libyan=LY lithuanian=LT malaysian=MY malian=ML maltese=MT mauritanian=MR mexican=MX"
        " moldovan=MD mongolian=MN montenegrin=ME moroccan=MA nicaraguan=NI nigerian=NG"
        " norwegian=NO omani=OM pakistani=PK palestinian=PS polish=PL portuguese=PT qatari=QA"
        " romanian=RO russian=RU rwandan=RW saudi=SA serbian=RS slovak=SK slovenian=SI"
        " somali=SO spanish=ES swedish=SE swiss=CH syrian=SY tajik=TJ thai=TH tunisian=TN"
        " turkish=TR turkmen=TM ugandan=UG ukrainian=UA uzbek=UZ venezuelan=VE vietnamese=VN"
        " yemeni=YE"
    )
) | {"north korean": "KP", "south korean": "KR", "south sudanese": "SS", "sri lankan": "LK"}


@functools.cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            text = getattr(country, attribute, None)
            if text:
                _add_name(names, text, country.alpha_2)
    for code, text in Locale.parse("en").territories.items():
        if code in CODES:
            _add_name(names, text, code)
    return names | _EXTRA_COUNTRIES | _ADJECTIVES


def _add_name(names: dict[str, str], text: str, code: str) -> None:
    head, comma, tail = text.partition(",")
    for variant in (text, f"{tail} {head}" if comma else ""):
        key = _key(variant)
        if key:
            names.setdefault(key, code)


def _key(text: str) -> str:
    key = fold(text.replace("'", "").replace("’", ""))
    return key.removeprefix("the ")


def country_code(text: str) -> str | None:
    """``Syrian``, ``Syria``, ``Syrian Arab Republic``, ``Korea, North`` -> the ISO code."""
    names = _country_names()
    return names.get(_key(text)) or names.get(fold(text))


def country_codes(text: str) -> tuple[list[str], list[str]]:
    """A cell of countries or nationalities -> (ISO codes, the parts that are not known)."""
    whole = country_code(text)
    if whole:
        return [whole], []
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"\s*[;,/]\s*|\s+and\s+", text):
        if not part.strip():
            continue
        code = country_code(part)
        if code:
            codes.append(code)
        else:
            unknown.append(part.strip())
    return list(dict.fromkeys(codes)), unknown


def place_country(place: str) -> str | None:
    """The country a place or address ends with: ``Damascus, Syria`` -> ``SY``."""
    last = place.rsplit(",", 1)[-1].strip().rstrip(".")
    return country_code(last) if last else None
