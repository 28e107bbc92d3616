"""The Remarks cell of OFAC's legacy ``sdn.csv``: ``;``-separated facts, each led by a label.

``DOB 13 Jul 1979; POB Loyga, Russia; alt. POB Kotlas, Russia; nationality Russia; Gender Male;
a.k.a. 'PETROV'; Passport 1084010 (Egypt); Website www.ekt2.com; Linked To: GRU.`` Each fact
is mapped to a field of the draft or reported as not written; none is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.identifiers import inn_ok, ogrn_ok
from generator.importers.draft import Draft
from generator.importers.mapping import (
    add_alias,
    add_birth_dates,
    add_countries,
    add_identifier,
    drop,
    split_number,
)
from generator.importers.naming import invert_name, recase_alias

# Identifier labels -> our identifier type; "id" means national-id for persons and
# registration-number for organisations.
ID_LABELS = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "National ID No.": "national-id",
    "Personal ID Card": "national-id",
    "Cedula No.": "national-id",
    "D.N.I.": "national-id",
    "C.U.R.P.": "national-id",
    "Identification Number": "id",
    "Registration ID": "registration-number",
    "Registration Number": "registration-number",
    "Company Number": "registration-number",
    "UK Company Number": "registration-number",
    "Commercial Registry Number": "registration-number",
    "Chamber of Commerce Number": "registration-number",
    "Business Registration Document #": "registration-number",
    "Business Registration Number": "registration-number",
    "Trade License No.": "registration-number",
    "Enterprise Number": "registration-number",
    "Government Gazette Number": "registration-number",
    "Central Registration System Number": "registration-number",
    "Economic Register Number (CBLS)": "registration-number",
    "Unified Social Credit Code (USCC)": "registration-number",
    "C.R. No.": "registration-number",
    "Tax ID No.": "tax-number",
    "V.A.T. Number": "tax-number",
    "R.F.C.": "tax-number",
    "RFC": "tax-number",
    "Italian Fiscal Code": "tax-number",
    "US FEIN": "tax-number",
    "NIT #": "tax-number",
    "RUC #": "tax-number",
    "RIF #": "tax-number",
    "Folio Mercantil No.": "registration-number",
    "Matricula Mercantil No": "registration-number",
    "Istanbul Chamber of Comm. No.": "registration-number",
    "Business Number": "registration-number",
    "Public Registration Number": "registration-number",
    "National Foreign ID Number": "national-id",
    "C.U.I.": "national-id",
    "Birth Certificate Number": "other",
    "Electoral Registry No.": "other",
    "Credencial electoral": "other",
    "Residency Number": "other",
    "Driver's License No.": "other",
    "BIK (RU)": "other",
    "Legal Entity Number": "other",
    "SWIFT/BIC": "other",
    "D-U-N-S Number": "other",
}
_ID_PATTERN = re.compile(
    "({}) (.+)".format("|".join(re.escape(label) for label in sorted(ID_LABELS, key=len)[::-1]))
)
_CONTACTS = {
    "Website": "website",
    "Email Address": "email",
    "Email": "email",
    "Phone Number": "phone",
    "Telephone No.": "phone",
    "Telephone": "phone",
}
_CONTACT_PATTERN = re.compile(
    "({}):? *(.+)".format("|".join(re.escape(label) for label in _CONTACTS))
)
_ALIAS = re.compile(r"([afn])\.k\.a\.,? '(.+)'")


def apply_remarks(draft: Draft, remarks: str, title: str) -> None:
    """Map every fact of a Remarks cell onto the draft, reporting those it cannot map."""
    for fact in split_remarks(remarks):
        if fact == title:
            continue  # the Title column, already the position
        bare = fact.removeprefix("alt. ")
        for pattern, handler in _HANDLERS:
            match = pattern.fullmatch(bare)
            if match:
                handler(draft, match)
                break
        else:
            drop(draft, "remarks", fact, "no field of our format holds it")


def split_remarks(remarks: str) -> list[str]:
    """``DOB 1928; Linked To: X.`` -> [``DOB 1928``, ``Linked To: X``]."""
    text = remarks.strip().removesuffix(".")
    return [part.strip() for part in re.split(r";\s*", text) if part.strip()]


def _birth_date(draft: Draft, match: re.Match[str]) -> None:
    add_birth_dates(draft, match[1], "remarks (DOB)")


def _birth_place(draft: Draft, match: re.Match[str]) -> None:
    draft.add("birth_place", match[1].strip())


def _nationality(draft: Draft, match: re.Match[str]) -> None:
    if draft.type == "person":
        add_countries(draft, "nationality", match[2], f"remarks ({match[1]})")
    else:
        add_countries(draft, "country", match[2], f"remarks ({match[1]})")


def _gender(draft: Draft, match: re.Match[str]) -> None:
    if draft.type == "person":
        draft.add("gender", match[1].lower())
    else:
        drop(draft, "remarks", match[0], "an organisation has no gender")


def _alias(draft: Draft, match: re.Match[str]) -> None:
    printed = match[2].strip()
    organisation = draft.type != "person"
    name = recase_alias(
        printed if organisation else invert_name(printed), organisation=organisation
    )
    add_alias(draft, name)
    if match[1] != "a":
        kind = {"f": "a former name (f.k.a.)", "n": "a new name (n.k.a.)"}[match[1]]
        draft.warn("import-check", "aliases", f"'{name}' is {kind}; written as an alias")


def _link(draft: Draft, match: re.Match[str]) -> None:
    draft.links.append(match[1].strip())


def _contact(draft: Draft, match: re.Match[str]) -> None:
    field = _CONTACTS[match[1]]
    if draft.type == "person":
        drop(draft, "remarks", match[0], f"our format has {field} for organisations only")
    else:
        draft.add(field, match[2].strip())


def _identifier(draft: Draft, match: re.Match[str]) -> None:
    label, text = match[1], match[2]
    kind = ID_LABELS[label]
    if kind == "id":
        kind = "national-id" if draft.type == "person" else "registration-number"
    number, country, _ = split_number(text)
    if country == "RU" and kind == "tax-number" and inn_ok(number):
        kind = "inn"
    elif country == "RU" and kind == "registration-number" and ogrn_ok(number):
        kind = "ogrn"
    note = None if label == "Passport" or kind in ("inn", "ogrn") else label
    add_identifier(draft, kind, text, note)


_HANDLERS: list[tuple[re.Pattern[str], Callable[[Draft, re.Match[str]], None]]] = [
    (re.compile(r"DOB (.+)"), _birth_date),
    (re.compile(r"POB (.+)"), _birth_place),
    (re.compile(r"(nationality|citizen) (.+)"), _nationality),
    (re.compile(r"Gender (Male|Female)"), _gender),
    (_ALIAS, _alias),
    (re.compile(r"Linked To: (.+)"), _link),
    (_CONTACT_PATTERN, _contact),
    (_ID_PATTERN, _identifier),
]
