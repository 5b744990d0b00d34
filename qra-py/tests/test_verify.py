"""``qra verify``: recompute a submission and compare (issue 7).

References: a submission written by ``qra run`` from the same study must verify PASS (the engine is
deterministic); tampered values must be reported as differences, item by item; a changed study
must give STUDY CHANGED; malformed or oversized submissions are user errors (exit 2). The
tolerances are the documented constants of :mod:`qra.verify`.
"""

import json
import shutil
from pathlib import Path

import pytest

import qra
from qra import verify as qv
from qra.cli import main
from qra.runner import run_study

DEMO = Path(__file__).resolve().parents[2] / "models" / "studies" / "analytic_demo.toml"


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    d = tmp_path_factory.mktemp("sub")
    study = d / "study.toml"
    shutil.copy(DEMO, study)
    run_study(study, d / "submitted")
    return study, d / "submitted"


def _tampered(src: Path, dst: Path, edit) -> Path:
    """A copy of the submission folder ``src`` with ``summary.json`` edited by ``edit``."""
    shutil.copytree(src, dst)
    s = json.loads((src / "summary.json").read_text(encoding="utf-8"))
    edit(s)
    (dst / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    return dst


def test_unchanged_submission_passes(submission, tmp_path, capsys):
    study, sub = submission
    assert main(["verify", str(study), str(sub), "-o", str(tmp_path / "v")]) == 0
    assert capsys.readouterr().out.startswith("PASS")
    v = json.loads((tmp_path / "v" / "verification.json").read_text(encoding="utf-8"))
    assert v["verdict"] == "PASS" and v["differences"] == []
    kinds = {i["check"] for i in v["comparisons"]}
    assert {"study hash", "IR at target", "PLL", "F-N", "safety distance", "compliance verdict"} <= kinds
    html = (tmp_path / "v" / "verification.html").read_text(encoding="utf-8")
    assert "PASS" in html and "<script" not in html


def test_tampered_summary_gives_differences(submission, tmp_path, capsys):
    study, sub = submission

    def edit(s):
        s["targets"][0]["individual_risk"] *= 2.0
        s["pll_per_year"] *= 1.05  # 5 % > the 1 % tolerance

    bad = _tampered(sub, tmp_path / "bad", edit)
    assert main(["verify", str(study), str(bad), "-o", str(tmp_path / "v")]) == 1
    assert capsys.readouterr().out.startswith("DIFFERENCES")
    v = json.loads((tmp_path / "v" / "verification.json").read_text(encoding="utf-8"))
    assert v["verdict"] == "DIFFERENCES"
    diffs = {(i["check"], i["item"]) for i in v["differences"]}
    assert diffs == {("IR at target", "school"), ("PLL", "PLL")}


def test_within_tolerance_still_passes(submission, tmp_path):
    study, sub = submission

    def edit(s):
        s["pll_per_year"] *= 1.0 + 0.5 * qv.PLL_REL_TOL
        for t in s["targets"]:
            t["individual_risk"] *= 1.0 + 0.5 * qv.IR_REL_TOL

    ok = _tampered(sub, tmp_path / "ok", edit)
    assert qv.verify(study, ok, tmp_path / "v")["verdict"] == "PASS"


def test_changed_verdict_and_fn_are_differences(submission, tmp_path):
    study, sub = submission

    def edit(s):
        s["compliance"]["targets"][0]["pass"] = not s["compliance"]["targets"][0]["pass"]
        s["fn_curve"]["F"] = [f * 3.0 for f in s["fn_curve"]["F"]]

    bad = _tampered(sub, tmp_path / "bad", edit)
    v = qv.verify(study, bad, tmp_path / "v")
    checks = {i["check"] for i in v["differences"]}
    assert v["verdict"] == "DIFFERENCES" and {"compliance verdict", "F-N"} <= checks


def test_changed_study(submission, tmp_path, capsys):
    study, sub = submission
    changed = tmp_path / "study.toml"
    changed.write_text(study.read_text(encoding="utf-8") + "\n# edited after submission\n", encoding="utf-8")
    assert main(["verify", str(changed), str(sub), "-o", str(tmp_path / "v")]) == 1
    assert capsys.readouterr().out.startswith("STUDY CHANGED")


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"format": "qra-submission/1"}',
        b'{"format": "other/9", "pll_per_year": NaN}',
        b"[" * 5000 + b"]" * 5000,
        b'{"format": "qra-submission/1", "pll_per_year": 1' + b"0" * 5000 + b"}",
    ],
)
def test_malformed_submission_is_a_user_error(submission, tmp_path, capsys, content):
    study, _ = submission
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "summary.json").write_bytes(content)
    assert main(["verify", str(study), str(tmp_path / "s"), "-o", str(tmp_path / "v")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("qra: error:") and "Traceback" not in err
    assert not (tmp_path / "v" / "verification.json").exists()


def test_huge_submission_is_refused_before_reading(submission, tmp_path, capsys):
    study, _ = submission
    (tmp_path / "s").mkdir()
    with (tmp_path / "s" / "summary.json").open("wb") as f:
        f.truncate(qv.MAX_SUMMARY_BYTES + 1)  # sparse: nothing is really written
    assert main(["verify", str(study), str(tmp_path / "s"), "-o", str(tmp_path / "v")]) == 2
    assert "exceeds the limit" in capsys.readouterr().err


def test_html_escapes_untrusted_names(tmp_path):
    evil = '<script>alert("x")</script> & "quoted"'
    text = DEMO.read_text(encoding="utf-8").replace('id = "school"', f"id = '{evil}'")
    study = tmp_path / "evil.toml"
    study.write_text(text, encoding="utf-8")
    run_study(study, tmp_path / "sub")

    def edit(s):
        s["targets"][0]["individual_risk"] *= 10.0
        s["study"]["title"] = evil

    bad = _tampered(tmp_path / "sub", tmp_path / "bad", edit)
    v = qv.verify(study, bad, tmp_path / "v")
    assert any(i["item"] == evil for i in v["differences"])
    html = (tmp_path / "v" / "verification.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == ["verification.html", "verification.json"]


def test_plausibility_findings():
    d = qra.Study.from_file(DEMO).to_dict()
    assert [f for f in qv.plausibility(d) if f["check"] != "frequency"] == []
    d["grid"]["resolution_m"] = 50.0
    d["targets"][0]["point"] = [d["installations"][0]["x_m"] + 60.0, d["installations"][0]["y_m"]]
    for e in d["events"]:
        if e["installation"] == d["installations"][1]["id"]:
            e["outcomes"] = [o for o in e["outcomes"] if o["spec"].get("hazard") not in ("thermal", "flash-fire", "explosion")]
    f = qv.plausibility(d, {"criteria": "NL-Bevi-2004", "compliance": {"targets": [{"id": "school", "class": "general-1", "status": "new"}]}})
    checks = [(x["check"], x["item"]) for x in f]
    assert ("grid", "resolution_m") in checks
    assert ("grid", d["targets"][0]["id"]) in checks
    assert ("criteria", "NL-Bevi-2004") in checks  # a study located in China
    assert ("criteria", "school") in checks  # class differs from the study's
    assert ("outcomes", d["installations"][1]["id"]) in checks  # propane without fire outcomes


def test_frequency_and_ignition_flags():
    d = qra.Study.from_toml(qra.park.sample_park_toml()).to_dict()
    e = d["events"][0]
    e.pop("loc")
    e["frequency_per_year"] = 1e-9  # generic pressure-vessel 10 mm hole: 1e-5/y [M]
    d["events"][1]["event_tree"] = {"immediate_ignition": 0.99}
    f = {(x["check"], x["item"]) for x in qv.plausibility(d)}
    assert ("frequency", e["id"]) in f and ("ignition", d["events"][1]["id"]) in f


def test_submission_without_manifest_cannot_be_verified(submission, tmp_path, capsys):
    """``qra-submission/1`` (written before issue 21) has no manifest of its output files: it is
    refused as malformed (exit 2, could not verify), naming the format."""
    study, sub = submission

    def edit(s):
        s["format"] = "qra-submission/1"
        del s["files"]

    old = _tampered(sub, tmp_path / "old", edit)
    assert main(["verify", str(study), str(old), "-o", str(tmp_path / "v")]) == qv.EXIT_COULD_NOT_VERIFY
    err = capsys.readouterr().err
    assert "format" in err and "qra-submission/2" in err and "Traceback" not in err


def test_tampered_enterprise_distance_is_a_difference(submission, tmp_path, capsys):
    study, sub = submission

    def edit(s):
        rows = [d for d in s["compliance"]["safety_distances"] if d["distance_m"] > 0]
        rows[0]["distance_m"] *= 1.5

    bad = _tampered(sub, tmp_path / "bad", edit)
    assert main(["verify", str(study), str(bad), "-o", str(tmp_path / "v")]) == 1
    v = json.loads((tmp_path / "v" / "verification.json").read_text(encoding="utf-8"))
    assert any(i["check"] == "safety distance" for i in v["differences"])


def test_tampered_major_hazard_grade_gives_differences(submission, tmp_path):
    study, sub = submission
    units = json.loads((sub / "summary.json").read_text(encoding="utf-8"))["major_hazard_units"]
    assert units, "qra run writes the GB 18218 units"

    def edit(s):
        u = s["major_hazard_units"][0]
        u["grade"] = 1 if u["grade"] != 1 else 2

    bad = _tampered(sub, tmp_path / "bad-grade", edit)
    assert main(["verify", str(study), str(bad), "-o", str(tmp_path / "v")]) == 1
    v = json.loads((tmp_path / "v" / "verification.json").read_text(encoding="utf-8"))
    assert [(d["file"], d["field"]) for d in v["differences"]] == [
        ("summary.json", "major_hazard_units[0].grade")
    ]
