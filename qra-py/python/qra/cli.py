"""The ``qra`` command line.

User errors (bad input, unknown names, bad files) print one clear message and exit with status 2;
no Python traceback is shown for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import qra
from qra.exceptions import QraError

EXIT_USER_ERROR = 2


def _cmd_substances(args: argparse.Namespace) -> int:
    for name in qra.substances():
        s = qra.substance(name)
        print(f"{name:<20} {s.name_zh or '':<10} {s.state:<10} {'flammable' if s.flammable else '':<9} {'toxic' if s.toxic else ''}")
    return 0


def _cmd_substance(args: argparse.Namespace) -> int:
    print(qra.substance(args.name))
    return 0


def _safe_output_dir(path: str) -> Path:
    out = Path(path).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    return out


def _cmd_demo(args: argparse.Namespace) -> int:
    from qra import demo

    out = _safe_output_dir(args.output)
    print(demo.run(out, lang=args.lang))
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from qra.runner import run_study

    out = _safe_output_dir(args.output)
    s = run_study(Path(args.study), out, lang=args.lang, criteria=args.criteria, threads=args.threads)
    c = s["compliance"]
    print(f"{s['study']['title']}: PLL {s['pll_per_year']:.3e} /y, max IR {s['max_individual_risk']:.3e} /y, "
          f"F-N zone {c['fn_zone']}, {sum(not t['pass'] for t in c['targets'])} target(s) over the limit")
    print(f"outputs written to {out}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from qra.runner import read_study

    study, digest = read_study(Path(args.study))
    d = study.to_dict()
    print(f"{args.study}: valid qra-study/1 (sha256 {digest[:12]}…): {len(d.get('installations', []))} installations, "
          f"{len(d.get('events', []))} events, {len(d.get('targets', []))} protected targets")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from qra.verify import verify

    out = _safe_output_dir(args.output)
    v = verify(Path(args.study), Path(args.submitted), out, lang=args.lang, threads=args.threads)
    print(f"{v['verdict']}: {len(v['differences'])} difference(s), {len(v['plausibility'])} plausibility finding(s)")
    for i in v["differences"][:20]:
        print(f"  {i['check']}: {i['item']}: submitted {i['submitted']!r}, recomputed {i['recomputed']!r} ({i['tolerance']})")
    for f in v["plausibility"][:20]:
        print(f"  [plausibility] {f['check']}: {f['item']}: {f['message']}")
    print(f"verification.json and verification.html written to {out}")
    return int(v["exit_code"])


def _source_checkout() -> Path | None:
    """The qra source checkout (a folder with ``validation/cases`` and ``Cargo.toml``) above the
    working directory or above the installed package (editable installs), if any."""
    starts = [Path.cwd().resolve(), Path(__file__).resolve().parent]
    for start in starts:
        for d in [start, *start.parents]:
            if (d / "validation" / "cases").is_dir() and (d / "Cargo.toml").is_file():
                return d
    return None


def validate_command(fast: bool = False, cases: str | None = None) -> tuple[list[str], Path | None]:
    """The command that runs the validation suite, and its working directory.

    In order: ``$QRA_VALIDATE`` (path of a ``qra-validate`` binary), ``qra-validate`` on ``PATH``,
    ``cargo run -p qra-validation --bin qra-validate`` in a source checkout.

    Parameters
    ----------
    fast : bool
        Only the fast cases (``--fast``).
    cases : str, optional
        Folder of validation cases (default: ``validation/cases`` of the checkout).

    Returns
    -------
    (list of str, Path or None)
        The argument vector and the working directory.

    Raises
    ------
    qra.NotImplementedYetError
        No binary and no source checkout: the message says how to run the suite.
    """
    import os
    import shutil

    from qra.exceptions import NotImplementedYetError

    extra = (["--fast"] if fast else []) + ([str(Path(cases).resolve())] if cases else [])
    root = _source_checkout()
    binary = os.environ.get("QRA_VALIDATE") or shutil.which("qra-validate")
    if binary:
        if not cases and root is not None:
            extra.append(str(root / "validation" / "cases"))
        return [binary, *extra], root
    cargo = shutil.which("cargo")
    if root is not None and cargo:
        return [cargo, "run", "-q", "-p", "qra-validation", "--bin", "qra-validate", "--", *extra], root
    raise NotImplementedYetError(
        "the validation suite needs the qra source checkout and a Rust toolchain: "
        "git clone the qra repository, then run `cargo run -p qra-validation --bin qra-validate -- --fast` "
        "(or `make validate`) in it; or set QRA_VALIDATE to a built qra-validate binary"
    )


def _cmd_validate(args: argparse.Namespace) -> int:
    import subprocess

    cmd, cwd = validate_command(fast=args.fast, cases=args.cases)
    print("running: " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=cwd, check=False)
    if r.returncode == 0:
        print("validation: no regression")
    else:
        print(f"validation: FAILED (exit {r.returncode}; 1 = a case listed as passing in "
              "validation/baseline.toml now fails, 2 = the cases could not be read)", file=sys.stderr)
    return 1 if r.returncode == 1 else (0 if r.returncode == 0 else EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    """The ``qra`` argument parser (commands ``substances``, ``substance``, ``demo``, ``run``,
    ``check``, ``verify``, ``validate``).

    Returns
    -------
    argparse.ArgumentParser
    """
    p = argparse.ArgumentParser(prog="qra", description="Open quantitative risk assessment (QRA).")
    p.add_argument("--version", action="version", version=f"qra {qra.__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("substances", help="list the built-in substances")
    s.set_defaults(func=_cmd_substances)
    s = sub.add_parser("substance", help="show one substance's properties with units and sources")
    s.add_argument("name")
    s.set_defaults(func=_cmd_substance)
    s = sub.add_parser("demo", help="run the built-in demonstration study")
    s.add_argument("-o", "--output", default="qra-demo", help="output folder (created if needed)")
    s.add_argument("--lang", choices=["en", "zh"], default="en", help="report language")
    s.set_defaults(func=_cmd_demo)
    s = sub.add_parser("run", help="run a study (TOML/JSON) and write results and the HTML report")
    s.add_argument("study")
    s.add_argument("-o", "--output", required=True, help="output folder (created if needed)")
    s.add_argument("--lang", choices=["en", "zh"], default="en", help="report language")
    s.add_argument("--criteria", default="GB36894-2018", help="criteria set (GB36894-2018, SAWS-2014-trial, NL-Bevi-2004, UK-HSE-R2P2, HK-RG)")
    s.add_argument("--threads", type=int, default=None, help="worker threads (default: all cores)")
    s.set_defaults(func=_cmd_run)
    s = sub.add_parser("check", help="validate a study file (schema and values) without running it")
    s.add_argument("study")
    s.set_defaults(func=_cmd_check)
    s = sub.add_parser("verify", help="recompute a submitted study (a `qra run` folder) and compare; exit 0 = PASS, 1 = differences")
    s.add_argument("study", help="the study file (TOML/JSON) as submitted")
    s.add_argument("submitted", help="the submission folder written by `qra run` (reads summary.json)")
    s.add_argument("-o", "--output", required=True, help="output folder for verification.json/.html (created if needed)")
    s.add_argument("--lang", choices=["en", "zh"], default="en", help="report language")
    s.add_argument("--threads", type=int, default=None, help="worker threads (default: all cores)")
    s.set_defaults(func=_cmd_verify)
    s = sub.add_parser("validate", help="run the validation suite against field trials and published examples; "
                       "exit 1 on a regression")
    s.add_argument("--fast", action="store_true", help="only the fast cases")
    s.add_argument("--cases", default=None, help="folder of validation cases (default: the checkout's validation/cases)")
    s.set_defaults(func=_cmd_validate)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``qra`` command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 success, 1 differences (``verify``) or a validation regression
        (``validate``), 2 user error (message on stderr, no traceback).
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except QraError as e:
        print(f"qra: error: {e}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as e:
        print(f"qra: error: {e}", file=sys.stderr)
        return EXIT_USER_ERROR


__all__ = ["main", "build_parser", "validate_command"]

if __name__ == "__main__":
    sys.exit(main())
