"""The ``qra`` command line: commands, outputs, exit codes, no traceback for user errors."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import qra
from qra.cli import main


def test_demo_writes_outputs(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "PLL" in out and "GB36894-2018" in out
    for name in ["report.html", "map.svg", "fn.svg", "study.toml", "contours.geojson", "distances.geojson", "fn_curve.csv", "individual_risk.npy",
                 "grid_x.npy", "grid_y.npy", "summary.json", "contributions.csv", "sample_park.toml", "summary.txt"]:
        assert (tmp_path / name).stat().st_size > 0, name
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "个人风险等值线" in html and "<svg" in html and "<text" in html
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["format"] == "qra-submission/2" and len(summary["study"]["sha256"]) == 64
    ir = np.load(tmp_path / "individual_risk.npy")
    assert ir.shape == (summary["grid"]["ny"], summary["grid"]["nx"]) and np.isfinite(ir).all()


def test_run_and_check_commands(tmp_path, capsys):
    study = tmp_path / "s.toml"
    study.write_text(qra.park.sample_park_toml(), encoding="utf-8")
    assert main(["check", str(study)]) == 0
    assert "valid qra-study/1" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(qra.park.sample_park_toml().replace("inventory_kg = 30000.0", "inventory_kg = -1.0"), encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert "inventory_kg" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "missing.toml"), "-o", str(tmp_path / "o")]) == 2


def test_substance_command(capsys):
    assert main(["substance", "ammonia"]) == 0
    assert "kg/mol" in capsys.readouterr().out
    assert main(["substances"]) == 0
    assert "chlorine" in capsys.readouterr().out


def test_user_error_exit_code_and_no_traceback():
    r = subprocess.run([sys.executable, "-m", "qra.cli", "substance", "chlorin"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "did you mean: chlorine" in r.stderr
    assert "Traceback" not in r.stderr


def test_verify_missing_files_is_a_user_error(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "study.toml"), str(tmp_path / "submitted"), "-o", str(tmp_path / "v")]) == 2
    assert "cannot read (No such file or directory)" in capsys.readouterr().err


def _fake_validator(tmp_path, code):
    script = tmp_path / "qra-validate"
    script.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path / 'args.txt'}\necho 'risk-analytic pass'\nexit {code}\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(("code", "expected"), [(0, 0), (1, 1), (2, 2)])
def test_validate_passes_the_suite_exit_code_on(tmp_path, monkeypatch, capsys, code, expected):
    monkeypatch.setenv("QRA_VALIDATE", str(_fake_validator(tmp_path, code)))
    assert main(["validate", "--fast"]) == expected
    assert "--fast" in (tmp_path / "args.txt").read_text()
    captured = capsys.readouterr()
    assert ("no regression" in captured.out) == (code == 0)
    if code:
        assert "validation: FAILED" in captured.err


def test_validate_without_suite_says_how_to_run_it(tmp_path, monkeypatch, capsys):
    import qra.cli as cli

    monkeypatch.delenv("QRA_VALIDATE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # neither qra-validate nor cargo
    monkeypatch.setattr(cli, "_source_checkout", lambda: None)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "cargo run -p qra-validation --bin qra-validate" in err and "Traceback" not in err


def test_validate_command_in_a_source_checkout(monkeypatch):
    import shutil

    import qra.cli as cli

    monkeypatch.delenv("QRA_VALIDATE", raising=False)
    if shutil.which("qra-validate") or not shutil.which("cargo") or cli._source_checkout() is None:
        pytest.skip("needs a source checkout with cargo and no installed qra-validate")
    cmd, cwd = cli.validate_command(fast=True)
    assert cmd[1:7] == ["run", "-q", "-p", "qra-validation", "--bin", "qra-validate"] and cmd[-1] == "--fast"
    assert (cwd / "validation" / "cases").is_dir()


def test_parser_lists_every_command_and_rejects_bad_usage(capsys):
    from qra.cli import build_parser

    p = build_parser()
    for cmd in ["run", "check", "demo", "verify", "validate", "substances", "substance"]:
        assert cmd in p.format_help()
    with pytest.raises(SystemExit) as e:
        main(["no-such-command"])
    assert e.value.code == 2
    with pytest.raises(SystemExit) as e:
        main(["run", "study.toml"])  # -o is required
    assert e.value.code == 2
    assert "required" in capsys.readouterr().err


def test_report_command_writes_the_pdf_outside_the_folder_only(tmp_path, capsys):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "report.html").write_text("<p>x</p>", encoding="utf-8")
    assert main(["report", str(tmp_path / "r"), "--pdf", str(tmp_path / "r" / "x.pdf")]) == 2
    assert "outside the output folder" in capsys.readouterr().err


def test_run_pdf_inside_the_output_folder_is_refused_before_running(tmp_path, capsys):
    study = Path(__file__).resolve().parents[2] / "models" / "studies" / "analytic_demo.toml"
    out = tmp_path / "out"
    assert main(["run", str(study), "-o", str(out), "--pdf", str(out / "r.pdf")]) == 2
    assert "outside the output folder" in capsys.readouterr().err and not out.exists()
