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
    # the demo's footprints are all analytic (issue 18: each listed), nothing else is flagged
    assert [f for f in qv.plausibility(d) if f["check"] not in ("frequency", "analytic footprint", "ignition override")] == []
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


# ---------------------------------------------------------------- issue 18


def test_crlf_copy_of_the_study_passes(submission, tmp_path):
    """The same study saved with Windows line endings is the same study: PASS, same hash."""
    study, sub = submission
    crlf = tmp_path / "study.toml"
    crlf.write_bytes(study.read_bytes().replace(b"\n", b"\r\n"))
    assert crlf.read_bytes() != study.read_bytes()
    v = qv.verify(crlf, sub, tmp_path / "v")
    assert v["verdict"] == "PASS", v["differences"][:3]
    assert any(i["check"] == "study copy" and i["match"] for i in v["comparisons"])


def test_version_mismatch_is_a_finding_and_an_edited_version_fails(submission, tmp_path):
    study, sub = submission
    # a submission made with another qra version (its summary and report both say so): a finding
    other = tmp_path / "other"
    shutil.copytree(sub, other)
    s = json.loads((other / "summary.json").read_text(encoding="utf-8"))
    page = (other / "report.html").read_text(encoding="utf-8")
    assert f"<td>{s['qra_version']}</td>" in page
    (other / "report.html").write_text(page.replace(f"<td>{s['qra_version']}</td>", "<td>0.0.1</td>", 1), encoding="utf-8")
    s["qra_version"] = "0.0.1"
    b = (other / "report.html").read_bytes()
    s["files"]["report.html"] = {"sha256": __import__("hashlib").sha256(b).hexdigest(), "bytes": len(b)}
    (other / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    v = qv.verify(study, other, tmp_path / "v1")
    assert v["verdict"] == "PASS"
    assert any(f["check"] == "version" and f["item"] == "qra_version" and "0.0.1" in f["message"] for f in v["plausibility"])
    # one edit (summary.json only): the regenerated report no longer matches the submitted one
    for field, value in [("qra_version", "0.0.1"), ("build_id", "git:0"), ("platform", "X"), ("run_seconds", 99.0)]:
        bad = _tampered(sub, tmp_path / f"bad-{field}", lambda s, f=field, x=value: s.update({f: x}))
        v = qv.verify(study, bad, tmp_path / f"v-{field}")
        assert v["verdict"] == "DIFFERENCES" and any(i["file"] == "report.html" for i in v["differences"]), field
    bad = _tampered(sub, tmp_path / "bad-table", lambda s: s["data_tables"].update({"models/ignition.toml": "0" * 64}))
    v = qv.verify(study, bad, tmp_path / "v-table")
    assert v["verdict"] == "DIFFERENCES" and any(i["file"] == "report.html" for i in v["differences"])
    assert any(f["check"] == "data table" and f["item"] == "models/ignition.toml" for f in v["plausibility"])


def test_analytic_footprints_and_overrides_are_findings(submission, tmp_path):
    study, sub = submission
    v = qv.verify(study, sub, tmp_path / "v")
    found = {(f["check"], f["item"]) for f in v["plausibility"]}
    # analytic_demo.toml: every outcome is an analytic footprint
    d = qra.Study.from_file(DEMO).to_dict()
    for e in d["events"]:
        assert ("analytic footprint", e["id"]) in found
    d["events"][0].pop("loc")
    d["events"][0]["frequency_per_year"] = 1e-6
    d["events"][1]["event_tree"] = {"immediate_ignition": 0.1}
    f = {(x["check"], x["item"]) for x in qv.plausibility(d)}
    assert ("frequency override", d["events"][0]["id"]) in f and ("ignition override", d["events"][1]["id"]) in f


def test_verification_report_in_chinese(submission, tmp_path, capsys):
    study, sub = submission
    assert main(["verify", str(study), str(sub), "-o", str(tmp_path / "v"), "--lang", "zh"]) == 0
    assert "通过" in capsys.readouterr().out
    page = (tmp_path / "v" / "verification.html").read_text(encoding="utf-8")
    assert "定量风险评价核查报告" in page and "结论：通过" in page and "研究文件哈希" in page and "手工给定致死率范围" in page


def test_provenance_findings_name_each_difference():
    from qra.runner import provenance_of

    mine = provenance_of("s.toml", 0.0)
    same = {"qra_version": mine["qra_version"], "build_id": mine["build_id"], "data_tables": dict(mine["data_tables"])}
    assert qv.provenance_findings(same, mine) == []
    other = {"qra_version": "9.9", "build_id": "git:x", "data_tables": {"models/criteria.toml": "0" * 64, "models/extra.toml": "1"}}
    items = {(f["check"], f["item"]) for f in qv.provenance_findings(other, mine)}
    assert {("version", "qra_version"), ("version", "build_id"), ("data table", "models/criteria.toml"),
            ("data table", "models/loc_frequencies.toml"), ("data table", "models/extra.toml")} <= items
    assert qv.VERDICT_ZH["PASS"].startswith("通过") and qv.CHECK_ZH["safety distance"] == "外部安全防护距离"


def test_a_number_edited_in_the_report_fails_naming_it(submission, tmp_path):
    """The regulator's example: the IR of a protected target changed to 1·10⁻⁸ in report.html
    (manifest resealed) — the report regenerated from the recomputation differs on that number."""
    import hashlib

    from qra.report import _cell

    study, sub = submission
    bad = tmp_path / "bad"
    shutil.copytree(sub, bad)
    s = json.loads((bad / "summary.json").read_text(encoding="utf-8"))
    t = s["compliance"]["targets"][0]
    page = (bad / "report.html").read_text(encoding="utf-8")
    shown = f'<td class="n">{_cell(t["individual_risk"])}</td>'
    assert shown in page
    (bad / "report.html").write_text(page.replace(shown, '<td class="n">1e-08</td>', 1), encoding="utf-8")
    b = (bad / "report.html").read_bytes()
    s["files"]["report.html"] = {"sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
    (bad / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    v = qv.verify(study, bad, tmp_path / "v")
    assert v["verdict"] == "DIFFERENCES"
    d = [i for i in v["differences"] if i["file"] == "report.html"]
    assert d and d[0]["submitted"] == "1e-08" and d[0]["recomputed"] == _cell(t["individual_risk"])
