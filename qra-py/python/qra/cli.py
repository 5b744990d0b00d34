"""The ``qra`` command line.

User errors (bad input, unknown names, bad files) print one clear message and exit with status 2;
no Python traceback is shown for them. An unexpected error exits with status 3 (the traceback
only with ``QRA_DEBUG=1``), so it can never be mistaken for ``qra verify``'s 1 = DIFFERENCES.
Everything printed passes through :func:`tty_safe`: a control character in an id or title cannot
move the cursor or repaint a line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import qra
from qra.exceptions import QraError

EXIT_USER_ERROR = 2
#: A bug: an exception that is not a :class:`qra.QraError`.
EXIT_INTERNAL_ERROR = 3


def tty_safe(text: object) -> str:
    """``text`` with every control, format or line/paragraph-separator character (Unicode
    categories Cc, Cf, Zl, Zp — escape sequences, carriage return, bidirectional overrides)
    except the line feed shown as a ``\\uXXXX`` escape, so it cannot act on a terminal.

    Parameters
    ----------
    text : object
        Converted with ``str``.

    Returns
    -------
    str
    """
    import unicodedata

    return "".join(c if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp", "Cs") else f"\\u{ord(c):04x}"
                   for c in str(text))


def _threads(text: str) -> int:
    """``--threads``: a positive integer (capped to the cores by the engine)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: not an integer") from None
    if not 1 <= n <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"{n}: must be an integer from 1 to {2**63 - 1} (capped to the cores)")
    return n


def _say(text: object = "", err: bool = False) -> None:
    print(tty_safe(text), file=sys.stderr if err else sys.stdout)


def _cmd_substances(args: argparse.Namespace) -> int:
    for name in qra.substances():
        s = qra.substance(name)
        _say(f"{name:<20} {s.name_zh or '':<10} {s.state:<10} {'flammable' if s.flammable else '':<9} {'toxic' if s.toxic else ''}")
    return 0


def _cmd_substance(args: argparse.Namespace) -> int:
    _say(qra.substance(args.name))
    return 0


def _safe_output_dir(path: str) -> Path:
    out = Path(path).expanduser().resolve()
    out.mkdir(parents=True, exist_ok=True)
    return out


def _output_path(path: str) -> Path:
    """The output folder as given (its parents resolved, the folder itself not: a symbolic link
    there is refused by :func:`qra.runner.write_outputs`), not created yet."""
    p = Path(path).expanduser()
    return p.parent.resolve() / p.name if p.name else p.resolve()


def _cmd_demo(args: argparse.Namespace) -> int:
    from qra import demo

    out = _safe_output_dir(args.output)
    _say(demo.run(out, lang=args.lang))
    return 0


def _pdf_path(pdf: str, out: Path) -> Path:
    """``--pdf``: a file outside the submission folder (a file inside would be a foreign file for
    ``qra verify``)."""
    p = _output_path(pdf)
    if p == out or out in p.parents:
        raise qra.InvalidInputError(f"pdf = {pdf!r}: must be outside the output folder {str(out)!r} (the PDF is a printout, "
                                    "not part of the submission)")
    return p


#: Fixed-wording zone names for the console (GB 36894-2018 terms in Chinese).
_ZONE_ZH = {"intolerable": "不可接受区", "alarp": "尽可能降低区", "acceptable": "可接受区", "above-orientation-value": "指导值以上区"}


def _cmd_run(args: argparse.Namespace) -> int:
    from qra.runner import run_study

    out = _output_path(args.output)
    pdf = _pdf_path(args.pdf, out) if args.pdf else None
    s = run_study(Path(args.study), out, lang=args.lang, criteria=args.criteria, threads=args.threads)
    c = s["compliance"]
    over = sum(not t["pass"] for t in c["targets"])
    if args.lang == "zh":
        _say(f"{s['study']['title']}：PLL {s['pll_per_year']:.3e} /年，最大个人风险 {s['max_individual_risk']:.3e} /年，"
             f"F-N 曲线位于{_ZONE_ZH.get(str(c['fn_zone']), c['fn_zone'])}，{over} 个防护目标超出基准")
        _say(f"结果已写入 {out}")
    else:
        _say(f"{s['study']['title']}: PLL {s['pll_per_year']:.3e} /y, max IR {s['max_individual_risk']:.3e} /y, "
             f"F-N zone {c['fn_zone']}, {over} target(s) over the limit")
        _say(f"outputs written to {out}")
    if pdf is not None:
        from qra.report import print_pdf

        _say(("PDF 已写入 " if args.lang == "zh" else "PDF written to ") + str(print_pdf(out / "report.html", pdf)))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from qra.report import print_pdf

    folder = Path(args.submitted)
    page = folder / "report.html" if folder.is_dir() else folder
    if not page.is_file():
        raise qra.InvalidInputError(f"submitted = {args.submitted!r}: no report.html (give a `qra run` folder or a report)")
    out = _pdf_path(args.pdf, folder.resolve() if folder.is_dir() else folder.resolve().parent)
    _say(f"PDF written to {print_pdf(page, out)}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from qra.runner import read_study

    study, digest = read_study(Path(args.study))
    d = study.to_dict()
    _say(f"{args.study}: valid qra-study/1 (sha256 {digest[:12]}…): {len(d.get('installations', []))} installations, "
          f"{len(d.get('events', []))} events, {len(d.get('targets', []))} protected targets")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from qra.verify import verify

    out = _output_path(args.output)
    v = verify(Path(args.study), Path(args.submitted), out, lang=args.lang, threads=args.threads)
    if args.lang == "zh":
        from qra.verify import VERDICT_ZH

        _say(f"{v['verdict']}：{VERDICT_ZH.get(v['verdict'], v['verdict'])}，差异 {len(v['differences'])} 项，提示 {len(v['plausibility'])} 项")
    else:
        _say(f"{v['verdict']}: {len(v['differences'])} difference(s), {len(v['plausibility'])} finding(s)")
    for i in v["differences"][:20]:
        _say(f"  {i['file']}: {i['field']} ({i['check']}): submitted {i['submitted']!r}, recomputed {i['recomputed']!r} "
             f"({i['tolerance']})")
    for f in v["plausibility"][:20]:
        _say(f"  [plausibility] {f['check']}: {f['item']}: {f['message']}")
    _say(("verification.json 和 verification.html 已写入 " if args.lang == "zh" else
          "verification.json and verification.html written to ") + str(out))
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
    print("running: " + tty_safe(" ".join(cmd)), flush=True)
    r = subprocess.run(cmd, cwd=cwd, check=False)
    if r.returncode == 0:
        print("validation: no regression")
    else:
        print(f"validation: FAILED (exit {r.returncode}; 1 = a case listed as passing in "
              "validation/baseline.toml now fails, 2 = the cases could not be read)", file=sys.stderr)
    return 1 if r.returncode == 1 else (0 if r.returncode == 0 else EXIT_USER_ERROR)


def build_parser() -> argparse.ArgumentParser:
    """The ``qra`` argument parser (commands ``substances``, ``substance``, ``demo``, ``run``,
    ``report``, ``check``, ``verify``, ``validate``).

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
    s.add_argument("--threads", type=_threads, default=None, help="worker threads (default and at most: all cores)")
    s.add_argument("--pdf", default=None, metavar="FILE", help="also print the report to this PDF (headless Chromium; "
                   "outside the output folder)")
    s.set_defaults(func=_cmd_run)
    s = sub.add_parser("report", help="print the report of a `qra run` folder to PDF (headless Chromium)")
    s.add_argument("submitted", help="the `qra run` folder (or its report.html)")
    s.add_argument("--pdf", required=True, metavar="FILE", help="the PDF to write (outside the folder)")
    s.set_defaults(func=_cmd_report)
    s = sub.add_parser("check", help="validate a study file (schema and values) without running it")
    s.add_argument("study")
    s.set_defaults(func=_cmd_check)
    s = sub.add_parser("verify", help="recompute a submitted study (a `qra run` folder) and compare every field and file; "
                       "exit 0 = PASS, 1 = differences, 2 = could not verify (malformed input)")
    s.add_argument("study", help="the study file (TOML/JSON) as submitted")
    s.add_argument("submitted", help="the submission folder written by `qra run`")
    s.add_argument("-o", "--output", required=True, help="output folder for verification.json/.html (created if needed)")
    s.add_argument("--lang", choices=["en", "zh"], default="en", help="report language")
    s.add_argument("--threads", type=_threads, default=None, help="worker threads (default and at most: all cores)")
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
        (``validate``), 2 user error — for ``verify``: could not verify (message on stderr, no
        traceback), 3 internal error.
    """
    import os

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (QraError, OSError) as e:
        _say(f"qra: error: {e}", err=True)
        return EXIT_USER_ERROR
    except Exception as e:  # noqa: BLE001 — never a traceback (nor exit 1) from untrusted input
        if os.environ.get("QRA_DEBUG") == "1":
            raise
        _say(f"qra: internal error (please report; QRA_DEBUG=1 shows the traceback): {type(e).__name__}: {e}", err=True)
        return EXIT_INTERNAL_ERROR


__all__ = ["EXIT_INTERNAL_ERROR", "EXIT_USER_ERROR", "build_parser", "main", "tty_safe", "validate_command"]

if __name__ == "__main__":
    sys.exit(main())
