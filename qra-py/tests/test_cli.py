"""The ``qra`` command line: commands, outputs, exit codes, no traceback for user errors."""

import subprocess
import sys

from qra.cli import main


def test_demo_writes_outputs(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "S = " in out and "R = " in out
    assert (tmp_path / "substances.csv").read_text(encoding="utf-8").startswith("name,")
    assert (tmp_path / "summary.txt").exists()


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


def test_not_yet_commands_say_so(capsys):
    assert main(["run", "study.toml"]) == 2
    assert "not yet implemented" in capsys.readouterr().err
