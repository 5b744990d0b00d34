"""qra.report: escaping of untrusted text, self-contained output, and a real-browser check."""

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from qra.report import Figure, Report, Section, Table, label, render_html


def _png(w: int = 4, h: int = 3) -> bytes:
    """A valid w×h grey PNG, built by hand (no plotting dependency)."""

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * w for _ in range(h))
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


EVIL = "<script>alert(\"x\")</script>' onload='x"


def _report() -> Report:
    return Report(
        title=f"Study {EVIL}",
        lang="zh",
        sections=[
            Section(
                title=EVIL,
                paragraphs=[EVIL],
                tables=[Table(columns=["name", "IR"], rows=[[EVIL, 3.2e-7], ["ok", float("nan")]], caption=EVIL)],
                figures=[Figure(png=_png(), caption=EVIL, alt=EVIL)],
            )
        ],
    )


def test_untrusted_text_is_escaped():
    doc = render_html(_report())
    assert "<script" not in doc.lower()
    assert "&lt;script&gt;" in doc
    assert "onload='x" not in doc
    assert 'lang="zh-CN"' in doc
    assert "data:image/png;base64," in doc
    assert Figure(png=b"\x89PNG").png == b"\x89PNG" and Figure().svg == ""  # PNG as data URI unless SVG is given
    assert label("compliance", "zh") == "风险基准符合性"
    assert label("compliance", "xx") == "Compliance with acceptable-risk criteria"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("QRA_REQUIRE_BROWSER") != "1",
    reason="headless Chromium not installed (make test installs it when run as root)",
)
def test_report_in_headless_chromium(tmp_path):
    # Test-only probe appended after rendering: after load, record how many images decoded and how
    # many tables exist in data attributes, then let Chromium dump the DOM.
    probe = (
        "<script>window.addEventListener('load',()=>{const i=[...document.images];"
        "document.body.dataset.imgs=i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length;"
        "document.body.dataset.tables=document.querySelectorAll('table tbody tr').length;});</script>"
    )
    page = tmp_path / "report.html"
    page.write_text(render_html(_report()).replace("</body>", probe + "</body>"), encoding="utf-8")
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert 'data-imgs="1/1"' in r.stdout
    assert 'data-tables="2"' in r.stdout
    assert "alert(" not in r.stdout.replace("&lt;script&gt;alert(", "")


def test_chinese_report_uses_gb36894_terms(tmp_path):
    from qra.runner import run_study

    root = Path(__file__).resolve().parents[2]
    run_study(root / "models" / "studies" / "sample_park.toml", tmp_path, lang="zh")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    # GB 36894-2018 protected-target classes and statuses in Chinese
    assert "高敏感防护目标" in html and "在役" in html and "high-sensitive" not in html


def test_linear_source_release_points_are_grouped_in_the_report_tables():
    """A pipeline's release points ("NG-1#12", events "NG-1/rupture#12") make one row per release
    class among the top contributors (in the safety-distance table the line is one enterprise)."""
    from qra.runner import _source_id

    lines = {"NG-1"}
    assert _source_id("NG-1#12", lines) == "NG-1"
    assert _source_id("NG-1/rupture#12", lines, event=True) == "NG-1/rupture"
    assert _source_id("LPG-S1", lines) == "LPG-S1"
    assert _source_id("X#3", lines) == "X#3"  # not a line: unchanged
    assert _source_id("LPG-S1-G1", lines, event=True) == "LPG-S1-G1"
