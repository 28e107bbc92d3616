"""The FollowTheMoney export: every subject and sanction, read back by the library unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from followthemoney import model

from generator.build import build_site
from generator.errors import BuildError
from generator.export.ftm import ftm_lines
from generator.repository import read_site
from tests.conftest import MINIMAL, REPO, TODAY


@pytest.mark.parametrize("root", [MINIMAL, REPO], ids=["minimal", "repository"])
def test_round_trip_keeps_every_value(root: Path) -> None:
    site, _problems = read_site(root, TODAY)
    assert site is not None
    data, dropped = ftm_lines(site)
    assert dropped == []
    entities = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    for entity in entities:
        proxy = model.get_proxy(entity)
        again = {key: sorted(values) for key, values in proxy.to_dict()["properties"].items()}
        assert again == entity["properties"], entity["id"]
    people = [e for e in entities if e["schema"] != "Sanction"]
    assert [e["id"] for e in people] == [f"noimpunity-{s.id}" for s in site.subjects]
    sanctions = [e for e in entities if e["schema"] == "Sanction"]
    assert len(sanctions) == sum(len(s.sanctions) for s in site.subjects)
    assert {e["properties"]["entity"][0] for e in sanctions} == {e["id"] for e in people}


def test_a_lifted_sanction_has_an_end_date_and_no_sanction_topic_when_nothing_is_in_force() -> None:
    site, _problems = read_site(MINIMAL, TODAY)
    assert site is not None
    entities = [json.loads(line) for line in ftm_lines(site)[0].decode().splitlines()]
    french = next(
        e
        for e in entities
        if e["schema"] == "Sanction" and e["properties"].get("endDate") == ["2018-07-18"]
    )
    assert french["properties"]["status"] == ["lifted"]
    centre = next(
        e for e in entities if e["id"] == "noimpunity-scientific-studies-and-research-centre"
    )
    assert centre["properties"]["topics"] == ["sanction"]  # the EU sanction is still in force


def test_a_value_ftm_would_drop_stops_the_build(minimal_copy: Path, tmp_path: Path) -> None:
    record = minimal_copy / "designations/main-intelligence-directorate.yaml"
    record.write_text(record.read_text("utf-8") + "phone: [call us]\n", "utf-8")
    with pytest.raises(BuildError) as failure:
        build_site(minimal_copy, tmp_path / "site", today=TODAY)
    assert [(p.code, p.field) for p in failure.value.problems] == [("ftm-dropped", "phone")]


def test_the_export_is_published_with_its_checksum(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build_site(MINIMAL, output, strict=True, today=TODAY)
    assert (output / "data/subjects.ftm.json").is_file()
    index = json.loads((output / "data/index.json").read_text("utf-8"))
    assert "subjects.ftm.json" in {entry["path"] for entry in index["files"]}
