"""The JSON Schema of the study file (issue 19) validates the sample studies, rejects malformed
ones, and the study-file reference generated from it is current.

The validator is the independent ``jsonschema`` package (draft-07), not qra's own parser:
the schema is generated from the Rust types, so this checks that what the types promise is what
the committed studies contain.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "models" / "schema" / "qra-study-1.schema.json"
STUDIES = sorted((ROOT / "models" / "studies").glob("*.toml"))


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_schema_header():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == "urn:qra:schema:qra-study-1"
    assert schema["properties"]["schema"]["const"] == "qra-study/1"


@pytest.mark.parametrize("path", STUDIES, ids=[p.name for p in STUDIES])
def test_sample_studies_are_valid(validator, path):
    assert STUDIES, "no sample studies found"
    assert errors(validator, load(path)) == []


def sample() -> dict:
    return load(ROOT / "models" / "studies" / "analytic_demo.toml")


def test_volume_inventory_and_calm_are_valid(validator):
    doc = sample()
    inst = doc["installations"][0]
    del inst["inventory_kg"]
    inst.update(volume_m3=40.0, fill_fraction=0.85, temperature_k=293.15)
    w = doc["meteorology"]["weather"][0]
    w["wind_rose"] = [v * 0.9 for v in w["wind_rose"]]
    w["calm_fraction"] = 0.1
    assert errors(validator, doc) == []


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.update(schema="qra-study/2"), id="schema-tag"),
        pytest.param(lambda d: d.update(colour="red"), id="unknown-top-level-field"),
        pytest.param(lambda d: d["installations"][0].update(inventory_kg=-1.0), id="negative-inventory"),
        pytest.param(lambda d: d["installations"][0].update(volume_m3=40.0, fill_fraction=0.8), id="mass-and-volume"),
        pytest.param(lambda d: d["installations"][0].pop("inventory_kg"), id="no-inventory"),
        pytest.param(lambda d: (d["installations"][0].pop("inventory_kg"), d["installations"][0].update(volume_m3=40.0)), id="volume-without-fill"),
        pytest.param(lambda d: d["installations"][0].update(fill_fraction=0.8), id="fill-with-mass"),
        pytest.param(lambda d: d["meteorology"]["weather"][0].update(calm_fraction=1.5), id="calm-above-1"),
        pytest.param(lambda d: d["meteorology"]["weather"][0].update(wind_rose=[]), id="empty-wind-rose"),
        pytest.param(lambda d: d["meteorology"]["weather"][0].update(stability="G"), id="stability-class"),
        pytest.param(lambda d: d["meteorology"].update(sector_subdivisions=0), id="sector-subdivisions"),
        pytest.param(lambda d: d["events"][0]["outcomes"][0]["spec"].update(kind="tsunami"), id="outcome-kind"),
        pytest.param(lambda d: d["events"][0].update(frequency="often"), id="unknown-event-field"),
        pytest.param(lambda d: d["grid"].pop("resolution_m"), id="missing-required"),
    ],
)
def test_malformed_studies_are_rejected(validator, mutate):
    doc = copy.deepcopy(sample())
    mutate(doc)
    assert errors(validator, doc), "the schema accepted a malformed study"


def _properties(node, where=""):
    """Every (path, property schema) of a schema tree."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}.{name}", prop
        for key, child in node.items():
            if key != "properties":
                yield from _properties(child, f"{where}/{key}")
        for name, prop in (node.get("properties") or {}).items():
            yield from _properties(prop, f"{where}.{name}")
    elif isinstance(node, list):
        for k, child in enumerate(node):
            yield from _properties(child, f"{where}[{k}]")


def test_every_example_satisfies_its_own_field_schema():
    # The examples shown to users (schema `examples`, reference column) are valid values.
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    checked = 0
    for path, prop in _properties(schema):
        for example in prop.get("examples", []):
            sub = {"definitions": schema["definitions"], **{k: v for k, v in prop.items() if k != "examples"}}
            errs = [e.message for e in jsonschema.Draft7Validator(sub).iter_errors(example)]
            assert errs == [], f"{path}: example {example!r}: {errs}"
            checked += 1
    assert checked >= 60


def test_reference_is_current():
    # docs/study-file-reference.md is generated from the committed schema.
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_study_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr


def test_reference_states_the_wind_rose_convention():
    text = (ROOT / "docs" / "study-file-reference.md").read_text(encoding="utf-8")
    assert "index 0 is the wind\n  blowing FROM north" in text
    assert "clockwise" in text and "wind_rose_offset_deg" in text and "calm_fraction" in text
