"""The repository's own records and pages: valid with --strict, and every record published."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

from generator.build import build_site
from generator.read import read_site
from tests.conftest import REPO, TODAY


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("repo") / "site"
    build_site(REPO, output, strict=True, today=TODAY)
    return output


def record_ids() -> list[str]:
    return sorted(path.stem for path in (REPO / "designations").glob("*.yaml"))


def test_the_repository_holds_the_real_list() -> None:
    assert len(record_ids()) >= 37


def test_every_record_has_a_page_in_both_languages(built: Path) -> None:
    missing = [
        f"{lang}/designations/{record}/"
        for record in record_ids()
        for lang in ("en", "fr")
        if not (built / lang / "designations" / record / "index.html").is_file()
    ]
    assert missing == []


def test_every_record_is_in_the_list_pages(built: Path) -> None:
    pages = [built / "en/designations/index.html"]
    pages += sorted(
        (built / "en/designations/page").glob("*/index.html"), key=lambda p: int(p.parent.name)
    )
    listing = "".join(page.read_text("utf-8").replace("../../", "") for page in pages)
    for record in record_ids():
        assert listing.count(f'<th scope="row"><a href="{record}/"') == 1, record


@pytest.mark.parametrize(
    "page",
    [
        "declaration",
        "about",
        "participants",
        "news",
        "authorities",
        "authorities/eu",
        "designations",
    ],
)
def test_main_pages_exist_in_both_languages(built: Path, page: str) -> None:
    for lang in ("en", "fr"):
        assert (built / lang / page / "index.html").is_file()


def test_every_sanction_shows_its_legal_act(built: Path) -> None:
    site, _problems = read_site(REPO, TODAY)
    assert site is not None
    for subject in site.subjects:
        page = (built / "fr/designations" / subject.id / "index.html").read_text("utf-8")
        for sanction in subject.sanctions:
            assert escape(sanction.reference) in page
