"""Issue 21, untrusted submissions and hostile input: each failure found by the attack on main is
a regression test here (the Rust side is ``qra-core/tests/hostile.rs``), plus the tamper suite of
``qra verify``: every material change of a submission FAILs, naming the file and the field.

The reference for every verification test is the honest submission written by ``qra run`` from the
same study, which verifies PASS (the engine is deterministic); a tamper is a *material* change when
it moves a value outside the documented tolerance of :mod:`qra.verify` (or changes a text, a verdict,
an entry or a file).
"""

import copy
import hashlib
import io
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tomllib

import qra
from qra import verify as qv
from qra.cli import main, tty_safe
from qra.runner import OUTPUT_FILES, csv_cell, run_study

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "models" / "studies" / "analytic_demo.toml"
PIPE = ROOT / "models" / "studies" / "pipeline_demo.toml"


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    d = tmp_path_factory.mktemp("sub")
    study = d / "study.toml"
    shutil.copy(DEMO, study)
    run_study(study, d / "submitted")
    return study, d / "submitted"


def _summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _write_summary(folder: Path, s: dict) -> None:
    (folder / "summary.json").write_text(json.dumps(s), encoding="utf-8")


def _copy(src: Path, dst: Path, edit=None) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    if edit is not None:
        s = _summary(dst)
        edit(s)
        _write_summary(dst, s)
    return dst


def _reseal(folder: Path, name: str) -> None:
    """An attacker who edits an output file also rewrites its manifest entry."""
    s = _summary(folder)
    b = (folder / name).read_bytes()
    s["files"][name] = {"sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)}
    _write_summary(folder, s)


def _verify(study: Path, folder: Path, out: Path) -> dict:
    v = qv.verify(study, folder, out)
    assert v["exit_code"] == (0 if v["verdict"] == "PASS" else 1)
    return v


def _diff_fields(v: dict) -> set[tuple[str, str]]:
    return {(i["file"], i["field"]) for i in v["differences"]}


# ---------------------------------------------------------------- (a)–(d) of the issue


def test_a_zero_distances_with_huge_dx_fail(submission, tmp_path):
    """(a) all distances 0 and ``grid.dx_m = 1e9`` used to PASS (the tolerance was the submitted
    cell). The tolerance is now one *recomputed* cell and ``dx_m`` itself is compared."""
    study, sub = submission

    def edit(s):
        s["grid"]["dx_m"] = 1e9
        for row in s["compliance"]["safety_distances"] + s["compliance"]["installation_distances"]:
            row["distance_m"] = 0.0
            row["reach_by_direction_m"] = [0.0] * len(row.get("reach_by_direction_m", []))

    v = _verify(study, _copy(sub, tmp_path / "a", edit), tmp_path / "v")
    fields = _diff_fields(v)
    assert v["verdict"] == "DIFFERENCES"
    assert ("summary.json", "grid.dx_m") in fields
    cell = _summary(sub)["grid"]["dx_m"]
    nonzero = [r for r in _summary(sub)["compliance"]["safety_distances"] if r["distance_m"] > cell]  # 0 is beyond tolerance
    assert nonzero
    for r in nonzero:
        key = f"{r['enterprise']} / {r['class']} / {r['status']}"
        assert ("summary.json", f"compliance.safety_distances[{key}].distance_m") in fields


def test_b_omitted_entries_and_changed_fields_fail(submission, tmp_path):
    """(b) only the entries the submission listed were compared: dropping the failing target,
    emptying the distances, editing limit, class, IR, ``worst_ratio`` or PLL all passed."""
    study, sub = submission
    base = _summary(sub)
    tid = base["compliance"]["targets"][0]["id"]
    cases = {
        "drop target": (lambda s: (s["targets"].pop(0), s["compliance"]["targets"].pop(0)),
                        [("summary.json", f"targets[{tid}]"), ("summary.json", f"compliance.targets[{tid}]")]),
        "empty distances": (lambda s: s["compliance"].update(safety_distances=[], installation_distances=[]), None),
        "removed limit": (lambda s: s["compliance"]["targets"][0].pop("limit"),
                          [("summary.json", f"compliance.targets[{tid}].limit")]),
        "changed class": (lambda s: s["compliance"]["targets"][0].update({"class": "general-3"}), None),
        "target IR": (lambda s: s["compliance"]["targets"][0].update(individual_risk=0.0),
                      [("summary.json", f"compliance.targets[{tid}].individual_risk")]),
        "worst_ratio": (lambda s: s["compliance"].update(worst_ratio=s["compliance"]["worst_ratio"] * 0.5 + 1e-3),
                        [("summary.json", "compliance.worst_ratio")]),
        "PLL": (lambda s: s.update(pll_per_year=s["pll_per_year"] * 0.5), [("summary.json", "pll_per_year")]),
        "compliance PLL": (lambda s: s["compliance"].update(pll=0.0), [("summary.json", "compliance.pll")]),
        "extra field": (lambda s: s.update(note="approved by the authority"), [("summary.json", "note")]),
    }
    for k, (name, (edit, expect)) in enumerate(cases.items()):
        v = _verify(study, _copy(sub, tmp_path / f"b{k}", edit), tmp_path / f"v{k}")
        assert v["verdict"] == "DIFFERENCES", name
        if expect:
            assert set(expect) <= _diff_fields(v), (name, _diff_fields(v))


def test_b_edited_report_fails(submission, tmp_path):
    """(b) an edited report (a verdict changed in the text) with a resealed manifest."""
    study, sub = submission
    bad = _copy(sub, tmp_path / "r")
    html = (bad / "report.html").read_text(encoding="utf-8")
    assert "<td>complies</td>" in html
    (bad / "report.html").write_text(html.replace("<td>complies</td>", "<td>exceeds limit</td>", 1), encoding="utf-8")
    _reseal(bad, "report.html")
    v = _verify(study, bad, tmp_path / "v")
    assert v["verdict"] == "DIFFERENCES"
    assert any(i["file"] == "report.html" and i["check"] == "report text" for i in v["differences"])


def test_c_half_written_folder_over_an_earlier_run_fails(submission, tmp_path):
    """(c) a stale IR grid of another shape (201 × 251 over a 501 × 501 summary) used to PASS."""
    study, sub = submission
    bad = _copy(sub, tmp_path / "c")
    ir = np.load(bad / "individual_risk.npy")
    np.save(bad / "individual_risk.npy", np.zeros((ir.shape[0] // 2, ir.shape[1] // 2)))
    v = _verify(study, bad, tmp_path / "v")
    assert ("individual_risk.npy", "sha256") in _diff_fields(v)  # stale: not the manifest's file
    _reseal(bad, "individual_risk.npy")
    v = _verify(study, bad, tmp_path / "v2")
    assert ("individual_risk.npy", "shape") in _diff_fields(v)  # and not the recomputed grid


def test_d_ill_typed_fields_are_differences_not_tracebacks(submission, tmp_path, capsys):
    """(d) ``class = []`` gave a traceback and exit 1 (the code of DIFFERENCES)."""
    study, sub = submission
    edits = [
        lambda s: s["compliance"]["targets"][0].update({"class": []}),
        lambda s: s["compliance"].update(targets={"a": 1}),
        lambda s: s.update(compliance=[]),
        lambda s: s.update(targets=[1, "x", None, {"id": ["list"]}]),
        lambda s: s.update(fn_curve={"N": "x"}),
        lambda s: s.update(grid=None),
        lambda s: s["compliance"]["safety_distances"].append(copy.deepcopy(s["compliance"]["safety_distances"][0])),
    ]
    for k, edit in enumerate(edits):
        bad = _copy(sub, tmp_path / f"d{k}", edit)
        code = main(["verify", str(study), str(bad), "-o", str(tmp_path / f"v{k}")])
        out = capsys.readouterr()
        assert code == qv.EXIT_DIFFERENCES and out.out.startswith("DIFFERENCES"), (k, out.err)
        assert "Traceback" not in out.err


def test_exit_codes_are_distinct(submission, tmp_path, capsys):
    study, sub = submission
    assert main(["verify", str(study), str(sub), "-o", str(tmp_path / "v0")]) == qv.EXIT_PASS == 0
    bad = _copy(sub, tmp_path / "x", lambda s: s.update(pll_per_year=1.0))
    assert main(["verify", str(study), str(bad), "-o", str(tmp_path / "v1")]) == qv.EXIT_DIFFERENCES == 1
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "summary.json").write_text("{", encoding="utf-8")
    assert main(["verify", str(study), str(tmp_path / "y"), "-o", str(tmp_path / "v2")]) == qv.EXIT_COULD_NOT_VERIFY == 2
    assert "Traceback" not in capsys.readouterr().err


# ---------------------------------------------------------------- the tamper suite


def _leaves(v, path=""):
    """(path list, value) of every leaf of a JSON value."""
    if isinstance(v, dict):
        for k, x in v.items():
            yield from _leaves(x, path + [k] if path else [k])
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from _leaves(x, [*path, i])
    else:
        yield path, v


def _perturb(v):
    if isinstance(v, bool):
        return not v
    if isinstance(v, (int, float)):
        return v * 3.0 + 100.0  # beyond every tolerance (a distance of 0 by more than one 10 m cell)
    if isinstance(v, str):
        return v + "x"
    return "x"


#: Reported provenance: not compared in summary.json, but shown in report.html, which the verifier
#: regenerates with the submitted values — an edit shows there (test_verify.py, issue 18).
REPORTED = {"study.file", "qra_version", "build_id", "platform", "data_tables", "python", "matplotlib", "run_seconds"}


def test_tamper_every_summary_field(submission, tmp_path):
    """Every leaf of ``summary.json`` (except the reported provenance) perturbed beyond any
    tolerance (× 3 + 100, negated, a text changed) FAILs, naming ``summary.json`` and the field —
    the manifest ``files`` too (then naming the file). Fields are perturbed in groups of 8 sharing
    one recomputation-free comparison (each group is checked to name each of its fields)."""
    study, sub = submission
    base = _summary(sub)
    rec = None
    leaves = [(p, v) for p, v in _leaves(base) if ".".join(map(str, p[:2])) not in REPORTED and p[0] not in REPORTED]
    assert len(leaves) > 100
    # Recompute once, then compare each tampered summary (verify's own comparison functions).
    study_obj, digest = qra.runner.read_study(study)
    result = study_obj.run()
    prov = {k: base[k] for k in ("qra_version", "build_id", "python", "matplotlib", "platform", "run_seconds", "data_tables")} | {
        "file": base["study"]["file"]}
    rec, rec_files = qra.runner.render_outputs(study_obj, digest, result, base["lang"], base["criteria"], prov,
                                               study_copy=("study.toml", study.read_bytes()))
    cell = rec["grid"]["dx_m"]
    missed = []
    for path, v in leaves:
        s = copy.deepcopy(base)
        cur = s
        for k in path[:-1]:
            cur = cur[k]
        cur[path[-1]] = _perturb(v)
        items = qv.compare_summary(s, rec)
        if path[0] == "study" and path[1] == "sha256":
            continue  # the hash is its own check (STUDY CHANGED), tested below
        if path[0] == "files":
            file_items, _ = qv.compare_files(sub, s, rec_files, cell)
            if not any(not i["match"] and i["file"] in (path[1], "summary.json") for i in file_items):
                missed.append(path)
            continue
        if not any(not i["match"] and i["file"] == "summary.json" for i in items):
            missed.append(path)
    assert missed == []


def _named(path, items) -> bool:
    """A difference names the tampered field: its leaf key (``individual_risk``), else — for the
    keys that identify a list entry (``id``; ``enterprise``/``class``/``status`` of a distance
    row; ``status`` of a check) — the entry, keyed by its identity, else — for the F–N curve's
    arrays — ``fn_curve``."""
    fields = [i["field"] for i in items if not i["match"] and i["file"] == "summary.json"]
    key = [k for k in path if isinstance(k, str)][-1]
    entry = f"{path[-3]}[" if len(path) >= 3 and isinstance(path[-2], int) else None
    return any(key in f for f in fields) or (key in ("id", "enterprise", "class", "status") and entry is not None and any(entry in f for f in fields)) \
        or (path[0] == "fn_curve" and "fn_curve" in fields)


def test_tamper_every_summary_field_names_it_and_omitting_any_field_fails(submission):
    """Every leaf of ``summary.json`` perturbed (as above), and every key of every object removed
    (an omission), FAILs with a difference that names the field (:func:`_named`)."""
    study, sub = submission
    base = _summary(sub)
    study_obj, digest = qra.runner.read_study(study)
    prov = {k: base[k] for k in ("qra_version", "python", "matplotlib", "run_seconds")} | {"file": base["study"]["file"]}
    rec, _ = qra.runner.render_outputs(study_obj, digest, study_obj.run(), base["lang"], base["criteria"], prov)

    def keys(v, path=()):
        if isinstance(v, dict):
            for k, x in v.items():
                yield (*path, k)
                yield from keys(x, (*path, k))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                yield from keys(x, (*path, i))

    def skip(p):
        return p[0] in REPORTED or ".".join(map(str, p[:2])) in REPORTED or p[0] == "files" or tuple(p[:2]) == ("study", "sha256")

    perturbed = [p for p, _ in _leaves(base) if not skip(p)]
    removed = [p for p in keys(base) if not skip(p)]
    assert len(perturbed) > 800 and len(removed) > 400
    missed = []
    for path, how in [(p, "perturbed") for p in perturbed] + [(p, "removed") for p in removed]:
        s = copy.deepcopy(base)
        cur = s
        for k in path[:-1]:
            cur = cur[k]
        if how == "removed":
            del cur[path[-1]]
        else:
            cur[path[-1]] = _perturb(cur[path[-1]])
        if not _named(list(path), qv.compare_summary(s, rec)):
            missed.append((how, path))
    assert missed == []


def test_study_hash_changed(submission, tmp_path):
    study, sub = submission
    v = _verify(study, _copy(sub, tmp_path / "h", lambda s: s["study"].update(sha256="0" * 64)), tmp_path / "v")
    assert v["verdict"] == "STUDY CHANGED" and ("summary.json", "study.sha256") in _diff_fields(v)


@pytest.mark.parametrize("name", [n for n in OUTPUT_FILES if n != "summary.json"])
def test_tamper_every_file(submission, tmp_path, name):
    """Each output file: edited (content changed, manifest resealed), removed, replaced by a
    symbolic link to the honest file — each FAILs naming the file."""
    study, sub = submission
    data = (sub / name).read_bytes()
    # edited content, resealed manifest
    bad = _copy(sub, tmp_path / "e")
    if name.endswith(".npy"):
        a = np.load(io.BytesIO(data))
        a = a * 2.0 + 1.0
        np.save(bad / name, a)
    elif name.endswith(".csv"):
        rows = data.decode().splitlines()
        cells = rows[1].split(",")
        cells[-1] = str(float(cells[-1]) * 2.0 + 1.0)
        rows[1] = ",".join(cells)
        (bad / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    elif name.endswith(".geojson"):
        g = json.loads(data)
        feats = [f for f in g["features"] if f["geometry"]["coordinates"]]
        ring = feats[0]["geometry"]["coordinates"][0][0] if feats[0]["geometry"]["type"] == "MultiPolygon" else \
            feats[0]["geometry"]["coordinates"][0]
        ring[0][0] += 500.0
        (bad / name).write_text(json.dumps(g), encoding="utf-8")
    elif name.endswith(".svg"):
        (bad / name).write_bytes(data.replace(b"</svg>", b"<text>approved</text></svg>"))
    elif name == "study.toml":
        (bad / name).write_bytes(data.replace(b"inventory_kg = 20000.0", b"inventory_kg = 2000.0"))
    else:
        (bad / name).write_bytes(data.replace(b"</h1>", b" (approved)</h1>", 1))
    assert (bad / name).read_bytes() != data
    _reseal(bad, name)
    v = _verify(study, bad, tmp_path / "v1")
    assert v["verdict"] == "DIFFERENCES" and any(i["file"] == name for i in v["differences"]), v["differences"][:3]
    # removed
    gone = _copy(sub, tmp_path / "g")
    (gone / name).unlink()
    v = _verify(study, gone, tmp_path / "v2")
    assert any(i["file"] == name and i["submitted"] == "missing from the submission" for i in v["differences"])
    # a symbolic link (to the honest file) is not followed
    link = _copy(sub, tmp_path / "l")
    (link / name).unlink()
    (link / name).symlink_to(sub / name)
    v = _verify(study, link, tmp_path / "v3")
    assert any(i["file"] == name and "symbolic link" in str(i["submitted"]) for i in v["differences"])


def test_stale_or_foreign_file_fails(submission, tmp_path):
    study, sub = submission
    bad = _copy(sub, tmp_path / "s")
    (bad / "individual_risk_old.npy").write_bytes(b"stale")
    v = _verify(study, bad, tmp_path / "v")
    assert ("individual_risk_old.npy", "") in _diff_fields(v)


def test_verification_output_inside_the_submission_is_not_a_foreign_file(submission, tmp_path):
    study, sub = submission
    mine = _copy(sub, tmp_path / "m")
    assert _verify(study, mine, mine / "check")["verdict"] == "PASS"
    assert _verify(study, mine, mine / "check")["verdict"] == "PASS"  # again, over its own output


# ---------------------------------------------------------------- atomic, contained outputs


def test_symlink_planted_in_the_output_folder_is_replaced_not_followed(tmp_path):
    study = tmp_path / "study.toml"
    shutil.copy(DEMO, study)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("summary.json", "report.html", "map.svg"):
        (out / name).symlink_to(victim)
    run_study(study, out)
    assert victim.read_text(encoding="utf-8") == "precious"
    for name in OUTPUT_FILES:
        assert (out / name).is_file() and not (out / name).is_symlink()
    assert qv.verify(study, out, tmp_path / "v")["verdict"] == "PASS"


def test_symlinked_output_folder_is_refused(tmp_path):
    study = tmp_path / "study.toml"
    shutil.copy(DEMO, study)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "elsewhere")
    assert main(["run", str(study), "-o", str(tmp_path / "out")]) == 2
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_failed_run_leaves_the_folder_as_it_was(tmp_path):
    study = tmp_path / "study.toml"
    shutil.copy(DEMO, study)
    out = tmp_path / "out"
    run_study(study, out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(qra.UnknownNameError):
        run_study(study, out, criteria="no-such-criteria")  # fails after the engine ran
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "study.toml"]  # no temporary folder left
    fresh = tmp_path / "fresh"
    with pytest.raises(qra.UnknownNameError):
        run_study(study, fresh, criteria="no-such-criteria")
    assert not fresh.exists()


# ---------------------------------------------------------------- inert user text


def test_mathtext_in_an_id_does_not_crash_run(tmp_path):
    """``qra check`` accepted a target id ``school $x^{$`` and ``qra run`` crashed in matplotlib's
    mathtext parser, leaving a half-written folder."""
    evil = "school $x^{$"
    study = tmp_path / "s.toml"
    study.write_text(DEMO.read_text(encoding="utf-8").replace('id = "school"', f'id = "{evil}"'), encoding="utf-8")
    assert main(["check", str(study)]) == 0
    assert main(["run", str(study), "-o", str(tmp_path / "out")]) == 0
    s = _summary(tmp_path / "out")
    assert evil in {t["id"] for t in s["targets"]}


def test_csv_cells_are_neutralised():
    """OWASP "CSV Injection": a cell starting with = + - @ tab or CR is prefixed with '."""
    for lead in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(lead + "HYPERLINK(\"http://x\")") == "'" + lead + 'HYPERLINK("http://x")'
    assert csv_cell("school") == "school" and csv_cell(-1.5) == -1.5


def test_formula_ids_are_inert_in_contributions_csv(tmp_path):
    text = DEMO.read_text(encoding="utf-8").replace('id = "CL2-T1"', 'id = "=cmd|calc!A1"').replace(
        'installation = "CL2-T1"', 'installation = "=cmd|calc!A1"')
    study = tmp_path / "s.toml"
    study.write_text(text, encoding="utf-8")
    run_study(study, tmp_path / "out")
    cells = [c for row in (tmp_path / "out" / "contributions.csv").read_text(encoding="utf-8").splitlines() for c in row.split(",")]
    assert "'=cmd|calc!A1" in cells and not any(c.startswith(("=", "@", "+")) for c in cells)
    assert qv.verify(study, tmp_path / "out", tmp_path / "v")["verdict"] == "PASS"


def test_terminal_text_is_inert():
    assert tty_safe("PASS\x1b[2K\r\u202eok\n") == "PASS\\u001b[2K\\u000d\\u202eok\n"
    assert tty_safe("\ud800") == "\\ud800"  # a lone surrogate cannot raise UnicodeEncodeError


def test_control_characters_in_ids_are_refused_naming_the_field(tmp_path, capsys):
    study = tmp_path / "s.toml"
    study.write_text(DEMO.read_text(encoding="utf-8").replace('id = "school"', 'id = "school\\u001b[2K\\rPASS"'), encoding="utf-8")
    assert main(["check", str(study)]) == 2
    err = capsys.readouterr().err
    assert "targets[" in err and ".id" in err and "U+001B" in err and "\x1b" not in err


# ---------------------------------------------------------------- bounded resources


def test_threads_are_capped(tmp_path, capsys):
    s = qra.Study.from_file(DEMO)
    r1, r2 = s.run(threads=1), s.run(threads=2**40)
    assert r1.pll == r2.pll
    # run_partial and Park (its preparation run) took the same unbounded thread count (issue 21)
    every = list(range(len(s.to_dict()["installations"])))
    assert s.combine([s.run_partial(every, threads=2**63)]).pll == r1.pll
    assert qra.Park(s, threads=2**63).base.result.pll == r1.pll
    out = tmp_path / "huge"
    assert main(["run", str(DEMO), "-o", str(out), "--threads", str(2**62)]) == 0  # capped, not refused
    assert json.loads((out / "summary.json").read_text())["pll_per_year"] == r1.pll
    for bad in ("0", "-3", "x", str(2**64)):
        with pytest.raises(SystemExit) as e:
            main(["run", str(DEMO), "-o", str(tmp_path / "o"), "--threads", bad])
        err = capsys.readouterr().err
        assert e.value.code == 2 and "Traceback" not in err and (bad == "x" or "from 1 to 9223372036854775807" in err)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_check_refuses_devices_and_fifos(tmp_path):
    fifo = tmp_path / "study.toml"
    os.mkfifo(fifo)
    for p in ("/dev/zero", str(fifo)):
        r = subprocess.run([sys.executable, "-m", "qra.cli", "check", p], capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and "not a regular file" in r.stderr, r.stderr


def test_siting_map_and_fn_per_km_tiny_steps_are_resource_limits():
    d = tomllib.loads(qra.park.sample_park_toml())
    d["events"] = [e for e in d["events"] if e["id"] in ("CL2-T1-G3", "PHG-V1-G3")]
    d.pop("pipelines", None)
    d["installations"] = [i for i in d["installations"] if i["id"] in {"CL2-T1", "PHG-V1"}]
    p = qra.Park(qra.Study.from_dict(d))
    with pytest.raises(qra.ResourceLimitError, match="candidates"):
        p.siting_map("phosgene", spacing_m=1e-300)
    s = qra.Study.from_file(PIPE)
    r = s.run()
    with pytest.raises(qra.ResourceLimitError, match="windows"):
        qra.linear.fn_per_km(s, r, "NG-1", step_m=1e-300)


def test_report_domino_analysis_is_bounded():
    """Issue 21: the report's domino analysis ran super-linearly (20 000 events 36 s; 200 000
    killed at 600 s). It now evaluates only the installations within each primary outcome's
    escalation reach (the work counter is tested in ``qra_core::park::domino``), and a study with
    more such pairs than ``MAX_DOMINO_PAIRS`` (10⁶) is refused before any is evaluated: here 100
    gasoline tanks with a 40 m bund pool fire and 10 000 tanks without events, all at one point —
    100 × 10 099 = 1 009 900 pairs. The report says so instead of computing for ever."""
    from qra.runner import _domino_sections

    d = tomllib.loads((ROOT / "models" / "studies" / "sample_park.toml").read_text(encoding="utf-8"))
    tank = next(i for i in d["installations"] if i["id"] == "GAS-T1")
    fire = next(e for e in d["events"] if e["installation"] == "GAS-T1")
    for k in ("pipelines", "units", "facilities", "park_boundary"):
        d.pop(k, None)
    tank = {k: v for k, v in tank.items() if k not in ("facility", "unit")}
    d["installations"] = [{**tank, "id": f"T{k}", "x_m": 0.0, "y_m": 0.0} for k in range(10_100)]
    d["events"] = [{**fire, "id": f"T{k}-G1", "installation": f"T{k}"} for k in range(100)]
    with pytest.raises(qra.ResourceLimitError, match="exceeds the limit of 1000000"):
        qra.park.domino(qra.Study.from_dict(d))
    [sec] = _domino_sections(d, "en")
    assert sec.paragraphs[0].startswith("Domino analysis not performed: ") and not sec.tables
    # below the limit the chains are computed: 100 tanks at one point, 100 × 99 pairs
    d["installations"] = d["installations"][:100]
    chains, _ = qra.park.domino(qra.Study.from_dict(d))
    assert len(chains) == 100 * 99


def _consequence_rows_reference(scenarios, lines, zh):
    """The per-group loop ``report_content.consequence_rows`` used before issue 21 (about 0.9 ms
    per (event, outcome): 17.6 s of a 20 000-event report), kept as the reference."""
    from qra.report_content import KIND_ZH, PHASE_ZH, RELEASE_ZH, _f
    from qra.runner import _source_id

    df = scenarios.assign(event=[_source_id(e, lines, event=True) for e in scenarios["event"]],
                          installation=[_source_id(i, lines) for i in scenarios["installation"]])
    rows = []
    for (ev, oc), g in df.groupby(["event", "outcome"], sort=False):
        first = g.iloc[0]
        d1, d50 = g["distance_1pct_m"].astype(float), g["distance_50pct_m"].astype(float)
        i1 = int(d1.fillna(-1.0).to_numpy().argmax())
        kind, rel = str(first["kind"]), first["release"]
        rows.append([ev, oc, KIND_ZH.get(kind, kind) if zh else kind,
                     (RELEASE_ZH.get(str(rel), rel) if zh else rel) if rel is not None else "–",
                     (PHASE_ZH.get(str(first["phase"]), first["phase"]) if zh else first["phase"]),
                     _f(first["release_rate_kg_s"]), _f(first["duration_s"]), _f(first["airborne_mass_kg"]),
                     _f(first["event_frequency_per_year"]), _f(first["outcome_probability"]),
                     _f(d1.max()), _f(d50.max()), str(g.iloc[i1]["weather"])])
    return rows


def test_consequence_table_is_one_row_per_event_and_outcome():
    """Issue 21, report tables: the consequence table is built in one groupby pass (linear in
    scenarios) and gives the rows of the per-group loop, for a study with a linear source (its
    release points summed per release class) and for a frame with ties, NaN distances and
    interleaved groups."""
    from qra.report_content import consequence_rows

    d = tomllib.loads(PIPE.read_text(encoding="utf-8"))
    sc = qra.Study.from_file(PIPE).run().scenarios()
    lines = {p["id"] for p in d.get("pipelines", [])}
    for zh in (False, True):
        assert consequence_rows(sc, lines, zh) == _consequence_rows_reference(sc, lines, zh)
    t = sc.iloc[[0] * 6].reset_index(drop=True).assign(
        event=["a", "b", "a", "b", "a", "c"], outcome=["x", "x", "x", "x", "y", "x"],
        weather=["W0", "W1", "W2", "W3", "W4", "W5"],
        distance_1pct_m=[5.0, np.nan, 7.0, np.nan, 1.0, 7.0], distance_50pct_m=[1.0, np.nan, 2.0, 3.0, 0.0, 2.0])
    t.loc[4, "distance_1pct_m"] = 7.0
    rows = consequence_rows(t, set(), False)
    assert rows == _consequence_rows_reference(t, set(), False)
    assert [r[:2] for r in rows] == [["a", "x"], ["b", "x"], ["a", "y"], ["c", "x"]]
    assert rows[0][10:] == [7.0, 2.0, "W2"] and rows[1][10:] == [None, 3.0, "W1"]


def test_huge_hole_is_refused_by_check_naming_the_field():
    d = qra.Study.from_file(DEMO).to_dict()
    d["events"][0]["hole_diameter_mm"] = 1e300
    with pytest.raises(qra.InvalidDocumentError, match=r"events\[0\]\.hole_diameter_mm"):
        qra.Study.from_dict(d)


def test_write_outputs_and_read_limited_contracts(tmp_path):
    """The building blocks: plain names only, links replaced, size limits, CSV cells inert."""
    import pandas as pd

    from qra.cli import EXIT_INTERNAL_ERROR, EXIT_USER_ERROR
    from qra.runner import CSV_FORMULA_LEADS, csv_bytes, read_limited, write_outputs

    out = tmp_path / "o"
    for bad in ("../x", "a/b", ".."):
        with pytest.raises(qra.InvalidInputError):
            write_outputs(out, {bad: b"x"})
    assert not out.exists()
    write_outputs(out, {"a.txt": b"1"})
    assert (out / "a.txt").read_bytes() == b"1"
    (tmp_path / "big").write_bytes(b"x" * 11)
    with pytest.raises(qra.ResourceLimitError):
        read_limited(tmp_path / "big", 10, "big")
    assert read_limited(tmp_path / "big", 11, "big") == b"x" * 11
    df = pd.DataFrame({"=id": ["@x", "ok", "-1"], "v": [1.0, -2.0, 3.0]})
    text = csv_bytes(df).decode()
    assert text.splitlines() == ["'=id,v", "'@x,1.0", "ok,-2.0", "'-1,3.0"]
    assert set(CSV_FORMULA_LEADS) == {"=", "+", "-", "@", "\t", "\r"}
    assert (EXIT_USER_ERROR, EXIT_INTERNAL_ERROR) == (qv.EXIT_COULD_NOT_VERIFY, 3)


def test_verify_rules_are_documented_constants():
    """The comparison rules: tolerances from the recomputed cell, keys of list entries."""
    r = qv.Rule("d", rel=qv.DISTANCE_REL_TOL, abs_cells=1.0)
    assert r.holds(105.0, 100.0, cell_m=10.0) and not r.holds(0.0, 100.0, cell_m=10.0) and r.abs_cells == 1.0
    assert r.tolerance(10.0) == "max(0.02 rel, 1 cell = 10 m)"
    assert qv.SUMMARY_RULES["grid.dx_m"].abs == qv.COORD_ABS_TOL_M and qv.SUMMARY_RULES["grid.dx_m"].rel == qv.DEFAULT_REL_TOL
    assert qv.KEY_FIELDS[0] == "id" and "features[].geometry.coordinates" in qv.GEOJSON_RULES


# ---------------------------------------------------------------- no silent NaN/inf/negative


def test_public_functions_refuse_values_outside_their_domain():
    """Each used to return inf, NaN or a negative value without an error (issue 21 attack);
    each now raises ``InvalidInputError`` naming the argument."""
    f = qra.fire.PoolFire.from_substance("lng", 20.0)
    for flux in (math.nan, -1.0, 0.0):
        with pytest.raises(qra.InvalidInputError, match="flux_w_m2"):
            f.reach_m(flux)
    assert 20.0 < f.reach_m(5000.0) < 1000.0
    for p in (0.0, 1.0, math.nan, -0.5):
        with pytest.raises(qra.InvalidInputError, match="p_min"):
            f.lethality_reach_m(p_min=p)
    for x in (2.0**64, 1e300):
        with pytest.raises(qra.InvalidInputError, match=r"x_m\[0\]"):
            qra.dispersion.sigmas(x, "A", scheme="pasquill-gifford")
        with pytest.raises(qra.InvalidInputError, match=r"x_m\[0\]"):
            qra.dispersion.GaussianPlume(rate_kg_s=1.0, wind_speed_m_s=2.0, stability="A", scheme="pasquill-gifford").concentration(x)
    sy, sz = qra.dispersion.sigmas(np.array([1e-300, 1e-9, 1.0, 1e6]), "A", scheme="pasquill-gifford")
    assert (sy > 0).all() and (sz > 0).all()
    with pytest.raises(qra.InvalidInputError, match=r"times_s\[1\]"):
        qra.source.tank_drain(0.05, 10.0, 5.0, [0.0, -1.0], "water")


def test_overflowing_inputs_raise_instead_of_inf():
    """Found by the long fuzz run: inputs near the float range overflowed to inf or NaN."""
    with pytest.raises(qra.InvalidInputError, match="radius_m"):
        qra.linear.analytic_transect(0.0, 1.9e193, 0.0, [0.0])
    with pytest.raises(qra.InvalidInputError, match="heat_of_combustion_j_kg"):
        qra.fire.burgess_zabetakis_kg_m2_s(1e300, 1.8e-180, 0.0, 300.0, 300.0)
    with pytest.raises(qra.InvalidInputError, match=r"distance_m\[0\]"):
        qra.explosion.tnt_blast(1.7976931348623157e308, 1.7976931348623157e308)
    with pytest.raises(qra.InvalidInputError, match=r"distance_m\[0\]"):
        qra.explosion.MultiEnergy(energy_j=1.0, strength=7).scaled_distance(1.7e308)
    assert np.isfinite(qra.explosion.tnt_blast(100.0, [10.0, 100.0])["arrival_time_s"]).all()
    with pytest.raises(qra.InvalidInputError, match="initial rate"):
        qra.source.tank_drain(0.5, 2e12, 1e300, [2e12], density_kg_m3=1e300)
    # third long run (this session): yield · mass · heat of combustion overflowed to an infinite TNT mass
    with pytest.raises(qra.InvalidInputError, match="heat_of_combustion_j_kg"):
        qra.explosion.tnt_mass_vce_kg(1.0, 10.0, 1.7976931348623157e308)
    # third long run: √(4A/π) overflowed for A near the float range; 2·√(A/π) does not:
    # 2·√(1.7977e308/π) = 2 · 7.5646e153 = 1.5129e154 m; A = 100 m² gives √(400/π) = 11.284 m
    assert qra.fire.bunded_pool_diameter_m(1.7976931348623157e308) == pytest.approx(1.5129e154, rel=1e-4)
    assert qra.fire.bunded_pool_diameter_m(100.0) == pytest.approx(11.284, rel=1e-4)
    # third long run: an overflowing concentration (1e300 kg/m³ → ∞ mg/m³) over an underflowing
    # time (5e-324 s → 0 min) gave ln ∞ + ln 0 = NaN; the probit is now finite
    assert np.isfinite(qra.vulnerability.toxic_probit("toluene", 1e300, 5e-324)).all()
    # 0.1 · 1000 kg · 46.35 MJ/kg / 4.68 MJ/kg = 990.4 kg TNT (the finite case is unchanged)
    assert qra.explosion.tnt_mass_vce_kg(0.1, 1000.0, 46.35e6) == pytest.approx(0.1 * 1000.0 * 46.35e6 / 4.68e6, rel=0.01)


# ---------------------------------------------------------------- argument conversion


SURROGATE = "rur\ud800al"


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: qra.dispersion.sigmas(100.0, "D", terrain=SURROGATE), "terrain"),  # function, text
    (lambda: qra.dispersion.GaussianPlume(rate_kg_s=1.0, wind_speed_m_s=2.0, stability=SURROGATE), "stability"),  # constructor
    (lambda: qra.fire.PoolFire.from_substance("lng", 20.0).lethality_reach_m(rule=SURROGATE), "rule"),  # method
    (lambda: qra.vulnerability.toxic_probit_from_load("chlorine", 1e6, probit_set=SURROGATE), "probit_set"),  # optional text
    (lambda: qra.substance("\udc80"), "name"),
    (lambda: qra.criteria_set("GB\ud800"), "name"),  # found by the long fuzz run
    (lambda: qra.park.major_hazard({"chlorine\ud800": 1000.0}), "inventory_kg"),  # a mapping's key
    (lambda: qra.Study.from_toml("title = '\ud800'"), "text"),
])
def test_lone_surrogates_are_invalid_input_naming_the_argument(call, argument):
    """A ``str`` holding a lone surrogate (U+D800–U+DFFF) has no UTF-8 form; pyo3's conversion
    raised a bare ``UnicodeEncodeError``. Now ``InvalidInputError`` (a ``ValueError``) naming the
    argument, the value (escaped) and the rule."""
    with pytest.raises(qra.InvalidInputError) as e:
        call()
    assert e.value.argument == argument
    assert "\\ud8" in e.value.value or "\\udc" in e.value.value
    assert "lone surrogate" in e.value.rule
    assert str(e.value).startswith(f"{argument} = ")
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("n", [2**64, 2**200, -(2**63) - 1, -1])
def test_integers_out_of_range_are_invalid_input_naming_the_argument(n):
    """An ``int`` beyond the Rust type (64 bits; unsigned for counts) raised ``OverflowError``."""
    s = qra.Study.from_file(DEMO)
    cases = [(lambda: qra.park.major_hazard({"chlorine": 1000.0}, exposed_persons=n), "exposed_persons", "0 to 18446744073709551615"),
             (lambda: s.run(threads=n), "threads", "0 to 18446744073709551615"),
             (lambda: s.run_partial([0, n]), "installations", "0 to 18446744073709551615")]
    if n > 2**63 - 1 or n < -(2**63):
        cases.append((lambda: qra.explosion.MultiEnergy(energy_j=1e9, strength=n), "strength",
                      "-9223372036854775808 to 9223372036854775807"))
    for call, argument, rng in cases:
        with pytest.raises(qra.InvalidInputError) as e:
            call()
        assert e.value.argument == argument
        assert e.value.value in (str(n), str(n)[:60] + "…")  # long values are cut to 60 characters
        assert rng in e.value.rule


BIG = 2**1100  # a Python int beyond the float range (max ≈ 1.797e308 < 2**1024)


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: qra.fire.bunded_pool_diameter_m(area_m2=BIG), "area_m2"),  # function, float
    (lambda: qra.fire.PoolFire.from_substance("lng", BIG), "diameter_m"),  # constructor
    (lambda: qra.fire.PoolFire.from_substance("lng", 20.0).reach_m(-BIG), "flux_w_m2"),  # method
    (lambda: qra.fire.PoolFire.from_substance("lng", 20.0).lethality_reach_m(p_min=BIG), "p_min"),
    (lambda: qra.dispersion.GaussianPuff(mass_kg=1.0, wind_speed_m_s=2.0, stability="D", mixing_height_m=BIG),
     "mixing_height_m"),  # optional float
    (lambda: qra.fire.JetFire(1.0, 46e6, 0.2, release_point_m=(0.0, BIG, 0.0)), "release_point_m"),  # tuple
    (lambda: qra.dispersion.sigmas(BIG, "D"), "x_m"),  # array-like, a scalar
    (lambda: qra.dispersion.sigmas([1.0, 2.0, BIG], "D"), "x_m"),  # array-like, in a list
    (lambda: qra.vulnerability.toxic_probit("chlorine", [1e-3], duration_s=[BIG]), "duration_s"),
    (lambda: qra.fire.PoolFire.from_substance("lng", 20.0).heat_flux([50.0], y_m=[BIG]), "y_m"),  # optional array
    (lambda: qra.park.major_hazard({"chlorine": BIG}), "inventory_kg"),  # a mapping's value
])
def test_ints_beyond_the_float_range_are_invalid_input_naming_the_argument(call, argument):
    """Issue 21, continued: a Python ``int`` too large for a float (``2**1100``) where a float or
    an array of floats is expected raised ``OverflowError`` (pyo3's and NumPy's float conversion;
    NumPy's became a ``TypeError`` in the broadcasting helper). Now ``InvalidInputError`` (a
    ``ValueError``) naming the argument, its value (cut to 60 characters) and the rule."""
    with pytest.raises(qra.InvalidInputError) as e:
        call()
    assert e.value.argument == argument
    assert "float range" in e.value.rule
    assert len(e.value.value) <= 61 and e.value.value.endswith("…")  # 332 digits, cut
    assert str(e.value).startswith(f"{argument} = ")
    assert not isinstance(e.value, OverflowError)


def test_ints_within_the_float_range_still_convert():
    """Integers that have a float value (up to 2**1023·(2 − 2⁻⁵²)) are converted as before, as
    scalars, in lists and in arrays."""
    assert qra.fire.bunded_pool_diameter_m(area_m2=2**1000) > 0
    sy, _ = qra.dispersion.sigmas([100, 2**10], "D")
    assert sy.shape == (2,) and np.all(sy > 0)
    assert qra.fire.PoolFire.from_substance("lng", 20).diameter_m == 20.0
    p = qra.substance("ammonia").vapour_pressure_pa(250)
    assert isinstance(p, float) and p > 0
    assert qra.substance("ammonia").vapour_pressure_pa([250]).shape == (1,)


def test_wrong_shapes_names_and_types_raise_typed_errors():
    """Issue 21: plain ``ValueError``/``AttributeError`` for wrong shapes, names and types. Arrays
    that cannot be broadcast together, a points array of the wrong shape, an unknown installation
    or boundary rule are ``InvalidInputError`` (``UnknownNameError`` for a name) naming the
    argument; a non-numeric value where numbers belong and a non-mapping inventory are
    ``TypeError``."""
    plume = qra.dispersion.GaussianPlume(rate_kg_s=1.0, wind_speed_m_s=2.0, stability="D")
    with pytest.raises(qra.InvalidInputError) as e:
        plume.concentration([100.0, 200.0, 300.0], [0.0, 1.0])  # shapes (3,) and (2,)
    assert e.value.argument == "array shapes" and "(3,)" in e.value.value and "(2,)" in e.value.value
    with pytest.raises(TypeError):
        plume.concentration("far")
    with pytest.raises(TypeError):
        qra.park.major_hazard([("chlorine", 1000.0)])
    with pytest.raises(qra.UnknownNameError):
        qra.vulnerability.threshold_concentration("ammonia", "erpg-9")
    r = qra.Study.from_file(DEMO).run()
    for pts in (np.zeros((3, 3)), [1.0, 2.0, 3.0], np.zeros((2, 2, 2))):
        with pytest.raises(qra.InvalidInputError) as e:
            r.risk_at(pts)
        assert e.value.argument == "points" and "(n, 2)" in e.value.rule
    assert r.risk_at([0.0, 0.0]).shape == (1,)
    with pytest.raises(qra.UnknownNameError) as e:
        r.distance_to_level("no such installation", 1e-6)
    assert e.value.kind == "installation"
    with pytest.raises(qra.InvalidInputError) as e:
        r.check(boundary="on-line-is-fine")
    assert e.value.argument == "boundary"


def test_conversion_keeps_type_errors_and_valid_values():
    """A value of the wrong Python type is still a ``TypeError`` (not a value error), and valid
    texts and integers convert as before."""
    with pytest.raises(TypeError):
        qra.dispersion.sigmas(100.0, 5)
    with pytest.raises(TypeError):
        qra.park.major_hazard({"chlorine": 1000.0}, exposed_persons=1.5)
    with pytest.raises(TypeError):
        qra.park.Park(qra.Study.from_toml(qra.park.sample_park_toml())).what_if(remove="plant-a")
    sy, _ = qra.dispersion.sigmas(100.0, "D", terrain="rural")
    assert sy > 0
    assert qra.park.major_hazard({"chlorine": 1000.0}, exposed_persons=2**64 - 1) is not None


# ---------------------------------------------------------------- every rejection names the field


#: Hostile replacements of one value: (TOML text, forms the value takes in a message). A syntax
#: error, a wrong type, NaN, a negative, an overflowing float and integer, a terminal escape.
HOSTILE_VALUES = [
    ("nan", ("nan",)), ("-1.0", ("-1",)), ("1e300", ("1e300", "1000000000")), ('"x"', ('"x"', "'x'", "`x`", " x")),
    ("[]", ("[]", "sequence", "array", "0 vertices", "0 values")), ("{}", ("{}", "map", "table")), ("true", ("true", "boolean")),
    ("-9223372036854775809", ("-9223372036854775809",)), ("1e", ("`1e`",)),
    ('"\\u001b[2J"', ("U+001B", "\\u{1b}", "\\u001b", "\x1b[2J")),
]
STUDIES = ["analytic_demo.toml", "pipeline_demo.toml", "sample_park.toml"]


def _hostile_studies():
    """Every ``key = value`` line of the example studies with the value replaced by each of
    :data:`HOSTILE_VALUES`, the line removed (a missing field), the key misspelt (an unknown
    field) and the line repeated (a duplicate key): (label, key, forms of the value, text)."""
    import re

    for name in STUDIES:
        lines = (ROOT / "models" / "studies" / name).read_text(encoding="utf-8").splitlines()
        for i, ln in enumerate(lines):
            m = re.match(r"^(\s*)([A-Za-z0-9_]+)\s*=\s*(.*)$", ln)
            if not m or ln.lstrip().startswith("#"):
                continue
            ind, key, val = m.groups()
            at = f"{name}:{i + 1} {key}"
            # a line opening a multi-line value is not mutated: the rest of the value would be a
            # syntax error of its own, at the next line
            if val.count("[") + val.count("{") > val.count("]") + val.count("}"):
                continue
            for v, forms in HOSTILE_VALUES:
                yield f"{at} = {v}", key, forms, "\n".join([*lines[:i], f"{ind}{key} = {v}", *lines[i + 1:]])
            yield f"{at} removed", key, ("missing", "(none)"), "\n".join([*lines[:i], *lines[i + 1:]])
            yield f"{at} misspelt", f"{key}_typo", ("not a field",), "\n".join([*lines[:i], f"{ind}{key}_typo = {val}", *lines[i + 1:]])
            yield f"{at} twice", key, ("duplicate",), "\n".join([*lines[:i + 1], ln, *lines[i + 1:]])


def test_every_study_rejection_names_the_field_the_value_and_the_rule():
    """Issue 21: 12 of 101 hostile study rejections named only a line (TOML syntax errors) or a
    section (a missing, unknown or repeated field, the grid's node count, a unit's facilities).
    Over every one-value mutation of the three example studies (about 6 400 texts, about 6 300
    rejected) each problem of each rejection must
    - name a field: its path ends with a key the text assigns (``[[units]]``, ``grid`` or the file
      name alone do not count), or the key reported missing / unknown;
    - and, for the problem at the mutated key, show the value (as written or as parsed; "missing",
      "not a field", "duplicate" for the three structural mutations) and a rule (text beyond it).
    A mutation that removes a line of a multi-line value is a syntax error at the next line: it is
    named at the key holding that value. Cross-reference problems (an id renamed, so a reference
    to it no longer resolves) are named at the referring field, with the referring value."""
    import re

    bad: list[str] = []
    rejected = 0
    for label, key, forms, text in _hostile_studies():
        try:
            qra.Study.from_toml(text)
            continue
        except qra.InvalidDocumentError as e:
            problems = e.problems
        rejected += 1
        assigned = set(re.findall(r"(?m)^\s*([A-Za-z0-9_]+)\s*=", text)) | set(re.findall(r"([A-Za-z0-9_]+)\s*=", text))
        at_key = []
        for path, _line, message in problems:
            last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
            named = last in assigned or last == key or "missing" in message
            if not named or path in STUDIES or path == "study":
                bad.append(f"{label}: names no field: {path!r}: {message}")
            if last == key:
                at_key.append((path, message))
        for path, message in at_key:
            low = message.lower()
            if not any(f.lower() in low for f in forms):
                bad.append(f"{label}: {path}: the value is not shown: {message}")
            elif len(message) < 12:
                bad.append(f"{label}: {path}: no rule: {message}")
    assert rejected > 5000
    assert not bad, f"{len(bad)} of {rejected} rejections:\n" + "\n".join(bad[:40])
