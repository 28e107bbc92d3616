"""Text that a spreadsheet would run: CSV cells are neutralised, such values are reported.

A cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets skip
before looking) is read as a formula when a CSV file is opened: ``=HYPERLINK("http://x","y")``
in a name becomes a link, worse formulas can fetch or run things. The downloads keep every
value, but a CSV cell that would start a formula gets a leading apostrophe (OWASP's rule for
CSV injection), which spreadsheets show as text and do not display; JSON and FtM keep the exact
value. The validator and the importers say when a value starts so: no real name does.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` (ignoring leading spaces) as a formula."""
    return text.lstrip(" \n")[:1] in FORMULA_STARTS and bool(text.strip())


def inert(cell: str) -> str:
    """The cell as a CSV download writes it: a leading apostrophe before a formula start."""
    return "'" + cell if cell[:1] in FORMULA_STARTS else cell
