"""Long lists in pages: the whole list, each filter, each authority, the changes and the
changes' feed come in pages of ``PAGE_SIZE``, at stable addresses (the list's own for the
first page, ``page/N/`` under it for the others), with an A–Z index that leads to the page
where each initial begins."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.model import Subject
from generator.names import sort_key

# Items per page: at 14,000 subjects a page of the list stays far under 250 kB and light
# enough for a phone.
PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Paging:
    """Where a page of a paged list stands: its number (from 1) among ``count`` pages, the
    addresses of all of them in its language, and the whole list's size."""

    number: int
    addresses: tuple[str, ...]
    total: int  # items (subjects, changes) in the whole list
    listed: int  # of its subjects, those listed as of the build date
    first: int  # the position of the page's first item in the whole list (from 1)
    last: int  # and of its last

    @property
    def count(self) -> int:
        return len(self.addresses)

    def shown(self) -> list[int | None]:
        """The page numbers to link to: the first, the last and two on each side of this
        one; None where numbers are left out."""
        wanted = {1, self.count, *range(self.number - 2, self.number + 3)}
        shown: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.count):
            if shown and number - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(number)
        return shown


def paged_address(first: str, number: int) -> str:
    """The address of a paged list's page: the list's own for the first, ``page/N/`` under it
    for the others (``en/designations/page/2/``)."""
    return first if number == 1 else f"{first}page/{number}/"


# One page of a list in one language: (language, address, its items, where it stands, its
# addresses in every language).
Page = tuple[str, str, Sequence[Any], Paging, dict[str, str]]


def pages(
    items: Sequence[Any],
    address: Callable[[str], str],
    languages: Sequence[str],
    listed: int = 0,
    addressing: Callable[[str, int], str] = paged_address,
) -> Iterator[Page]:
    """The pages of ``items`` in each language (one page when there is none); ``address``
    gives the list's own address in a language, ``addressing`` a page's from it."""
    count = max(1, -(-len(items) // PAGE_SIZE))
    for lang in languages:
        addresses = tuple(addressing(address(lang), n) for n in range(1, count + 1))
        for number, where in enumerate(addresses, 1):
            start = (number - 1) * PAGE_SIZE
            shown = items[start : start + PAGE_SIZE]
            paging = Paging(number, addresses, len(items), listed, start + 1, start + len(shown))
            alternates = {other: addressing(address(other), number) for other in languages}
            yield lang, where, shown, paging, alternates


def initial(name: str) -> str:
    """The A–Z index letter of a name: its first letter, folded (Élysées under E); "#" for
    names that start with a digit or another script."""
    letter = sort_key(name)[:1].upper()
    return letter if "A" <= letter <= "Z" else "#"


def letters(subjects: Sequence[Subject]) -> tuple[tuple[str, int], ...]:
    """The A–Z index of a list in alphabetical order: each initial with the number of the page
    where its names begin."""
    found: dict[str, int] = {}
    for position, subject in enumerate(subjects):
        found.setdefault(initial(subject.name), position // PAGE_SIZE + 1)
    return tuple(found.items())
