"""Official texts in the reader's language, where the publisher offers them at a known
address. EUR-Lex (the EU's acts) serves every official language of the Union: its
``legal-content/EN/`` addresses take the two-letter code of another language, and its ELI
addresses (``eli/.../oj``) the three-letter one after ``oj`` (EUR-Lex's own rules for linking).
Any other address is left as the record gives it; so are the downloads, which keep the record.
"""

from __future__ import annotations

import re

# EUR-Lex's language codes (two letters in addresses, three after an ELI), for the Union's
# official languages.
EU_LANGUAGES = {
    "bg": "bul", "cs": "ces", "da": "dan", "de": "deu", "el": "ell", "en": "eng", "es": "spa",
    "et": "est", "fi": "fin", "fr": "fra", "ga": "gle", "hr": "hrv", "hu": "hun", "it": "ita",
    "lt": "lit", "lv": "lav", "mt": "mlt", "nl": "nld", "pl": "pol", "pt": "por", "ro": "ron",
    "sk": "slk", "sl": "slv", "sv": "swe",
}  # fmt: skip
EURLEX = r"https://eur-lex\.europa\.eu/"
LEGAL_CONTENT = re.compile(EURLEX + r"legal-content/([A-Z]{2})/")
ELI = re.compile(EURLEX + r"eli/[a-z_]+/\d{4}/\d+(?:/[a-z_0-9-]+)*/oj(?:/[a-z]{3})?$")


def in_language(url: str, lang: str, default: str) -> str:
    """``url`` in ``lang`` when it is an EUR-Lex text and ``lang`` is an official language of
    the Union; as given otherwise, and on the pages in the ``default`` language (the one the
    records are written in)."""
    if lang == default or lang not in EU_LANGUAGES:
        return url
    found = LEGAL_CONTENT.match(url)
    if found:
        return url[: found.start(1)] + lang.upper() + url[found.end(1) :]
    if ELI.match(url):
        return f"{url[: url.rindex('/oj') + 3]}/{EU_LANGUAGES[lang]}"
    return url
