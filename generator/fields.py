"""The data contract as data: one table of field specs per kind of document.

Like FollowTheMoney's schema, the tables drive everything that handles a record's fields:
validation (validate.py) walks them; the JSON Schema (export/schema.py), the coordinators'
reference (docs.py) and the skeleton of ``new`` (new.py) are written from them; a subject's
model object (read.build_subject and model.Subject), the view the list pages get
(render.listing_view) and the downloads (export/data.py: JSON and CSV; export/ftm.py:
FollowTheMoney) follow each field's declaration below. Only computed values (statuses, dates of
first and last listing, history, addresses of pages) are written out by hand where they are made.

Adding a scalar field to a subject type is: its line in SUBJECT_FIELDS, the template line that
shows it, its label in the catalog, and the regenerated schema and docs. Nothing else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple

SUBJECT_TYPES = ("person", "entity", "group", "government")
ORGANISATIONS = frozenset({"entity", "group", "government"})
ALL_TYPES = frozenset(SUBJECT_TYPES)
PERSON = frozenset({"person"})

MEASURES = ("asset-freeze", "travel-ban", "arms-embargo", "export-restrictions", "other")
GENDERS = ("male", "female")
IDENTIFIER_TYPES = (
    "passport",
    "national-id",
    "tax-number",
    "inn",
    "ogrn",
    "registration-number",
    "other",
)
# relation -> label seen from the other side (None: the relation reads the same both ways)
RELATIONS: dict[str, str | None] = {
    "part-of": "includes",
    "subsidiary-of": "parent-of",
    "employee-of": "employs",
    "director-of": "directed-by",
    "owner-of": "owned-by",
    "member-of": "has-member",
    "family-of": None,
    "associate-of": None,
    "linked-to": None,
}
# Relations that build a hierarchy (the subject sits inside the other): following them can never
# lead back to where it started, so a cycle of them is an error. The others may form cycles
# (two associates name each other; cross-ownership exists).
HIERARCHICAL_RELATIONS = frozenset({"part-of", "subsidiary-of"})
PARTICIPANT_KINDS = ("state", "organisation")


class Kind(enum.Enum):
    TEXT = "text"
    MARKDOWN = "markdown"
    SLUG = "slug"
    CODE = "code"  # a participant code: ISO 3166-1 alpha-2 or EU
    CHOICE = "choice"
    BOOL = "bool"
    DATE = "date"
    PARTIAL_DATE = "partial-date"
    YEAR = "year"
    COUNTRY = "country"
    LANGUAGE = "language"
    URL = "url"
    WEBSITE = "website"  # a web address, http:// may be left out (as official lists print them)
    PHONE = "phone"
    EMAIL = "email"
    RECORD = "record"
    LOCALIZED = "localized"


# The parts of a subject record, in the order the JSON downloads give its fields (a field's
# place within its part is its place in the table). The computed values (status, history,
# dates of listing) come first in the listing part.
PARTS = ("identity", "countries", "person", "contact", "documents", "listing", "links")


class Ftm(NamedTuple):
    """The FollowTheMoney property a field fills, and that property's type (export/ftm.py)."""

    prop: str
    type: str


@dataclass(frozen=True, slots=True)
class Field:
    """How one field is written, what it means and where it applies; for a subject's fields,
    also where it is shown and which downloads carry it."""

    name: str
    kind: Kind
    doc: str
    required: bool = False
    many: bool = False  # a list of values
    single_ok: bool = False  # with many: one value may be written without a list
    nullable: bool = False
    choices: tuple[str, ...] = ()
    applies_to: frozenset[str] = ALL_TYPES
    fields: tuple[Field, ...] = ()  # for RECORD
    shorthand: str = ""  # for RECORD: a plain string stands for {shorthand: string}
    future_ok: bool = False  # for dates
    # What the skeleton of ``new`` shows, commented out, for an optional field (YAML value).
    example: object = field(default=None, compare=False)
    is_name: bool = False  # a name: warns about look-alike letters of another script in a word
    # Subject fields only:
    part: str = ""  # one of PARTS
    listing: bool = False  # shown in lists (every page but the subject's own), else its page only
    csv: str = ""  # its column in data/subjects.csv, if any (several values joined by "; ")
    ftm: Ftm | None = None  # the FollowTheMoney property it fills, if any


ALIAS_FIELDS = (
    Field("name", Kind.TEXT, "The other name, in any script.", required=True, is_name=True),
    Field("lang", Kind.LANGUAGE, "ISO 639-1 code of the name's language (ru, ar, fr...)."),
    Field("weak", Kind.BOOL, "true for a weak alias (a vague or common name)."),
)

IDENTIFIER_FIELDS = (
    Field("type", Kind.CHOICE, "Kind of identifier.", required=True, choices=IDENTIFIER_TYPES),
    Field("number", Kind.TEXT, "The number as printed.", required=True),
    Field("country", Kind.COUNTRY, "Issuing country (ISO 3166-1 alpha-2)."),
    Field("note", Kind.TEXT, "Anything the reader should know about it."),
)

SANCTION_FIELDS = (
    Field(
        "authority",
        Kind.CODE,
        "Code of the participant that imposed it.",
        required=True,
        example="EU",
    ),
    Field("program", Kind.TEXT, "Short code of the sanctions programme.", example="EU-CHEM"),
    Field("entry", Kind.TEXT, "The authority's own entry number or id.", example="I.A 1"),
    Field("listed", Kind.DATE, "Date of the legal act that listed the subject.", required=True),
    Field("reference", Kind.TEXT, "The legal act, as cited officially.", required=True),
    Field(
        "url",
        Kind.URL,
        "Official publication of the act, on one of the authority's `official_domains`.",
        example="https://eur-lex.europa.eu/eli/...",
    ),
    Field(
        "url_not_found",
        Kind.BOOL,
        "true when no official publication of the act can be found online: the page says so"
        " instead of linking one. Only without `url`.",
    ),
    Field(
        "measures",
        Kind.CHOICE,
        "Restrictive measures imposed.",
        required=True,
        many=True,
        single_ok=True,
        choices=MEASURES,
    ),
    Field("lifted", Kind.DATE, "Date the measure was lifted.", nullable=True, example="2026-01-31"),
    Field(
        "expires",
        Kind.PARTIAL_DATE,
        "End of a temporary measure, as set by the latest act (YYYY-MM when the day is not known).",
        nullable=True,
        future_ok=True,
        example="2026-07-31",
    ),
    Field(
        "not_renewed",
        Kind.BOOL,
        "true when the measure is known to have ended on `expires`, not renewed. Without it, an"
        " expiry date that has passed shows as 'renewal not recorded since' that date.",
        example="true",
    ),
    Field(
        "renewed",
        Kind.PARTIAL_DATE,
        "Dates of the acts that renewed it (YYYY-MM when the day is not known).",
        many=True,
        single_ok=True,
        example=["2026-01-31"],
    ),
)

RELATED_FIELDS = (
    Field("id", Kind.SLUG, "Id of the other record.", required=True),
    Field(
        "relation",
        Kind.CHOICE,
        "How this subject relates to the other.",
        required=True,
        choices=tuple(RELATIONS),
    ),
)

SUBJECT_FIELDS = (
    Field(
        "id",
        Kind.SLUG,
        "Permanent id, equal to the file name.",
        required=True,
        part="identity",
        listing=True,
        csv="id",
    ),
    Field(
        "type",
        Kind.CHOICE,
        "Kind of subject.",
        required=True,
        choices=SUBJECT_TYPES,
        part="identity",
        listing=True,
        csv="type",
    ),
    Field(
        "name",
        Kind.TEXT,
        "Primary name, in Latin script.",
        required=True,
        is_name=True,
        part="identity",
        listing=True,
        csv="name",
        ftm=Ftm("name", "name"),
    ),
    Field(
        "aliases",
        Kind.RECORD,
        "Other names: a string, or {name, lang, weak}.",
        many=True,
        fields=ALIAS_FIELDS,
        shorthand="name",
        example=["Other Name", {"name": "Имя Фамилия", "lang": "ru"}],
        part="identity",
        listing=True,
        csv="aliases",
        ftm=Ftm("alias", "name"),  # weakAlias for an alias marked weak
    ),
    Field(
        "country",
        Kind.COUNTRY,
        "Countries of the organisation.",
        many=True,
        single_ok=True,
        applies_to=ORGANISATIONS,
        example=["SY"],
        part="countries",
        listing=True,
        ftm=Ftm("country", "country"),
    ),
    Field(
        "address",
        Kind.TEXT,
        "Known addresses.",
        many=True,
        single_ok=True,
        example=["Street, City, Country"],
        part="contact",
        ftm=Ftm("address", "address"),
    ),
    Field(
        "phone",
        Kind.PHONE,
        "Phone numbers in international form: + and the country code first.",
        many=True,
        single_ok=True,
        applies_to=ORGANISATIONS,
        example=["+000 0000 0000"],
        part="contact",
        ftm=Ftm("phone", "phone"),
    ),
    Field(
        "email",
        Kind.EMAIL,
        "E-mail addresses.",
        many=True,
        single_ok=True,
        applies_to=ORGANISATIONS,
        example=["contact@example.org"],
        part="contact",
        ftm=Ftm("email", "email"),
    ),
    Field(
        "website",
        Kind.WEBSITE,
        "Websites (http:// may be left out).",
        many=True,
        single_ok=True,
        applies_to=ORGANISATIONS,
        example=["example.org"],
        part="contact",
        ftm=Ftm("website", "url"),
    ),
    Field(
        "birth_date",
        Kind.PARTIAL_DATE,
        "Dates of birth: YYYY, YYYY-MM or YYYY-MM-DD.",
        many=True,
        single_ok=True,
        applies_to=PERSON,
        example=["1970-01-31"],
        part="person",
        csv="birth_dates",
        ftm=Ftm("birthDate", "date"),  # partial dates as YYYY or YYYY-MM
    ),
    Field(
        "birth_place",
        Kind.TEXT,
        "Places of birth.",
        many=True,
        single_ok=True,
        applies_to=PERSON,
        example=["City, Country"],
        part="person",
        ftm=Ftm("birthPlace", "string"),
    ),
    Field(
        "nationality",
        Kind.COUNTRY,
        "Nationalities.",
        many=True,
        single_ok=True,
        applies_to=PERSON,
        example=["SY"],
        part="countries",
        listing=True,
        ftm=Ftm("nationality", "country"),
    ),
    Field(
        "gender",
        Kind.CHOICE,
        "Gender.",
        choices=GENDERS,
        applies_to=PERSON,
        example="male",
        part="person",
        ftm=Ftm("gender", "gender"),
    ),
    Field(
        "position",
        Kind.TEXT,
        "Functions and ranks.",
        many=True,
        single_ok=True,
        applies_to=PERSON,
        example=["Director of ..."],
        part="person",
        ftm=Ftm("position", "string"),
    ),
    Field(
        "identifiers",
        Kind.RECORD,
        "Identity documents and registration numbers.",
        many=True,
        fields=IDENTIFIER_FIELDS,
        example=[{"type": "passport", "number": "000000", "country": "SY"}],
        part="documents",
        # the property follows the identifier's type (export/ftm.IDENTIFIER_PROPERTIES)
        ftm=Ftm("idNumber", "identifier"),
    ),
    Field(
        "sanctions",
        Kind.RECORD,
        "One entry per authority and listing act.",
        required=True,
        many=True,
        fields=SANCTION_FIELDS,
        part="listing",
        listing=True,
    ),
    Field(
        "grounds",
        Kind.LOCALIZED,
        "Why the subject is listed, in Markdown.",
        required=True,
        part="listing",
    ),
    Field(
        "related",
        Kind.RECORD,
        "Links to other records.",
        many=True,
        fields=RELATED_FIELDS,
        example=[{"id": "other-record-id", "relation": "employee-of"}],
        part="links",
    ),
    Field(
        "cases",
        Kind.SLUG,
        "Ids of cases in content/cases.yaml.",
        many=True,
        example=["case-id"],
        part="links",
        listing=True,
    ),
    Field(
        "sources",
        Kind.URL,
        "Public sources.",
        many=True,
        single_ok=True,
        example=["https://www.example.org/press-release"],
        part="links",
        ftm=Ftm("sourceUrl", "url"),
    ),
)

SITE_FIELDS = (
    Field("title", Kind.LOCALIZED, "Site title per language.", required=True),
    Field("short_title", Kind.LOCALIZED, "Short title per language."),
    Field("description", Kind.LOCALIZED, "One-sentence description per language.", required=True),
    Field("base_url", Kind.URL, "Public address of the site, ending with '/'.", required=True),
    Field(
        "languages", Kind.LANGUAGE, "Languages, the first is the default.", required=True, many=True
    ),
    Field("contact", Kind.TEXT, "Contact e-mail address."),
    Field(
        "licence",
        Kind.RECORD,
        "The licence of the data and the site's texts, stated in every footer and on the data"
        " page: {name, url}.",
        fields=(
            Field("name", Kind.TEXT, "Its name as readers know it: CC BY 4.0.", required=True),
            Field("url", Kind.URL, "The licence's official text.", required=True),
        ),
        example={"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    ),
)

PARTICIPANT_FIELDS = (
    Field("code", Kind.CODE, "ISO 3166-1 alpha-2 code, or EU.", required=True),
    Field("kind", Kind.CHOICE, "State or organisation.", required=True, choices=PARTICIPANT_KINDS),
    Field(
        "name",
        Kind.LOCALIZED,
        "Name per language (organisations; States get theirs from the code).",
    ),
    Field("joined", Kind.DATE, "Date the participant joined."),
    Field("coordinator", Kind.YEAR, "Years it coordinated the Partnership.", many=True),
    Field(
        "official_domains",
        Kind.TEXT,
        "Web domains where it publishes its acts and lists (`legifrance.gouv.fr`; subdomains"
        " count). When set, each of its sanctions must link an act there with `url`.",
        many=True,
    ),
    Field(
        "list_url",
        Kind.URL,
        "Its current official list, linked from each of its sanctions.",
    ),
)

MILESTONE_FIELDS = (
    Field("date", Kind.DATE, "Date of the statement that gives the count.", required=True),
    Field(
        "count",
        Kind.LOCALIZED,
        "The count as the statement gives it, per language (38 States and the European Union).",
        required=True,
    ),
    Field("source", Kind.URL, "The statement, preferably an official page.", required=True),
)

REMOVED_FIELDS = (
    Field("date", Kind.DATE, "Date the record was withdrawn from the list.", required=True),
    Field(
        "reason", Kind.LOCALIZED, "Why, per language (for example: entered twice).", required=True
    ),
)

TOMBSTONE_FIELDS = (
    Field("id", Kind.SLUG, "The permanent id of the withdrawn record.", required=True),
    Field("type", Kind.CHOICE, "Kind of subject.", required=True, choices=SUBJECT_TYPES),
    Field("name", Kind.TEXT, "The name it was published under.", required=True, is_name=True),
    Field(
        "removed",
        Kind.RECORD,
        "Marks a withdrawn record: its page stays and says when and why.",
        required=True,
        fields=REMOVED_FIELDS,
    ),
)

EVENT_FIELDS = (
    Field(
        "date", Kind.PARTIAL_DATE, "When it happened: YYYY, YYYY-MM or YYYY-MM-DD.", required=True
    ),
    Field("text", Kind.LOCALIZED, "What happened, per language.", required=True),
)

CASE_FIELDS = (
    Field("id", Kind.SLUG, "Permanent id, used by records in `cases:`.", required=True),
    Field("title", Kind.LOCALIZED, "Title per language.", required=True),
    Field("summary", Kind.LOCALIZED, "What the case is about, in Markdown.", required=True),
    Field("events", Kind.RECORD, "Dated events, oldest first.", many=True, fields=EVENT_FIELDS),
    Field("sources", Kind.URL, "Public sources.", many=True, single_ok=True),
)

PAGE_FIELDS = (
    Field("title", Kind.TEXT, "Page title.", required=True),
    Field("summary", Kind.TEXT, "One sentence shown in lists and search results."),
    Field("date", Kind.DATE, "Publication date (news items)."),
)

# A subject's fields in the order of the downloads: part by part, each part in table order.
EXPORT_ORDER = tuple(spec for part in PARTS for spec in SUBJECT_FIELDS if spec.part == part)
