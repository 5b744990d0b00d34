"""Issue 18: the report a regulator signs off — its chapters, the study's numbers in them, the
terms of the standards in Chinese, CJK text that renders without a system CJK font, and the PDF.

References: the numbers expected in the report are read from the study file and from
``summary.json`` (the engine's own results are what the report must show; the report is checked to
*show* them, not to compute them); the Chinese terms are those of GB 36894-2018 (不可接受区,
尽可能降低区, 可接受区, 个人风险, 社会风险, 防护目标), GB/T 37243-2019 (外部安全防护距离), GB 18218-2018
(重大危险源) and AQ/T 3046-2013 (定量风险评价), as listed in docs/glossary.md. The built-in table
hashes are checked against SHA-256 of the files in ``models/`` computed here with hashlib.
"""

import hashlib
import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import tomllib

import qra
from qra import report, report_content
from qra.runner import run_study

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "models" / "studies" / "analytic_demo.toml"
PARK = ROOT / "models" / "studies" / "sample_park.toml"
PIPE = ROOT / "models" / "studies" / "pipeline_demo.toml"


@pytest.fixture(scope="module")
def zh_demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh") / "run"
    s = run_study(DEMO, out, lang="zh")
    return out, s


@pytest.fixture(scope="module")
def en_pipe(tmp_path_factory):
    out = tmp_path_factory.mktemp("en") / "run"
    s = run_study(PIPE, out, lang="en")
    return out, s


def _text(page: str) -> str:
    """The visible text of a report (tags and the style block removed, entities decoded)."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


SECTIONS_EN = ["scope", "installations", "major_hazard", "loc", "event_tree", "weather", "population", "models", "consequences",
               "ir_map", "fn", "compliance", "distances", "contributors", "assumptions", "validation", "provenance"]


def test_english_report_has_every_chapter_with_the_study_numbers(en_pipe):
    out, s = en_pipe
    page = (out / "report.html").read_text(encoding="utf-8")
    heads = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", page)]
    assert heads == [report.label(k, "en") for k in SECTIONS_EN]
    text = _text(page)
    study = tomllib.loads(PIPE.read_text(encoding="utf-8"))
    # installations: every id, inventory in tonnes (study kg / 1000)
    for i in study["installations"]:
        assert i["id"] in text
        assert f"{i['inventory_kg'] / 1000:.4g}" in text
    # numeric frequencies, not "G1": the pressure-vessel G1 value of the LOC table (5e-07 /y) and the
    # line's per-km frequencies as the study gives them
    loc = tomllib.loads(qra._qra.loc_table_toml())
    g1 = next(x["frequency"] for e in loc["equipment"] if e["id"] == "pressure-vessel" for x in e["loc"] if x["id"] == "G1")
    assert report._cell(float(g1)) in text
    for r in study["pipelines"][0]["releases"]:
        f = r.get("frequency_per_km_year")
        if f is not None:
            assert report._cell(float(f)) in text
    # weather classes: every wind speed; the wind rose is drawn
    for w in study["meteorology"]["weather"]:
        assert f"{float(w['wind_speed_m_s']):.4g}" in text
    assert page.count("<svg") == 3  # map, F-N, wind rose — text kept as text
    # geography on the map: graticule labels (the study has a WGS84 origin), scale bar, north arrow
    assert "longitude (°E, WGS84)" in text and "latitude (°N, WGS84)" in text and re.search(r"\b\d+ m\b", text)
    assert "<text" in page and "svg.fonttype" not in page
    # consequence results per scenario from result.scenarios(): the line's jet fire rate
    assert "1500" in text and "jet-fire" in text
    # compliance with its clause, the summary numbers, the date line and provenance
    for t in s["compliance"]["targets"]:
        assert t["id"] in text and str(t["clause"]) in text
    assert report._cell(s["pll_per_year"]) in text
    assert "study date" in text and s["build_id"] in text and s["study"]["sha256"] in text
    for k, v in s["data_tables"].items():
        assert k in text and v in text
    # validation status of the models used, read from validation/REPORT.md
    assert "jet-fire-api521-reference" in text and "risk-benchmark-event-tree" in text
    # assumptions name the hand-entered (analytic) footprints
    assert "analytic" in text
    # plot wording agrees with the summary: "acceptable", not "negligible"
    assert "negligible" not in page


def test_chinese_report_uses_the_terms_of_the_standards(zh_demo):
    """Glossary test: GB 36894-2018 / GB/T 37243-2019 / GB 18218-2018 / AQ/T 3046-2013 terms."""
    out, _ = zh_demo
    page = (out / "report.html").read_text(encoding="utf-8")
    for term in ["定量风险评价", "个人风险", "社会风险", "不可接受区", "尽可能降低区", "可接受区", "防护目标", "外部安全防护距离",
                 "重大危险源", "泄漏频率", "事件树", "点火概率", "风玫瑰", "大气稳定度",
                 "高敏感防护目标", "在役"]:
        assert term in page, term
    assert "不可容许" not in page  # GB 36894 says 不可接受区
    # substance and outcome names in Chinese (substance names from the substance table)
    assert qra.substance("chlorine").name_zh in page and qra.substance("propane").name_zh in page
    assert "给定致死率范围" in page and "两相" in page
    # the criteria source line is introduced in Chinese
    assert "风险基准：" in page and "来源：" in page
    assert report_content.STANDARD_TITLES_ZH["GB36894-2018"] in page and "外部安全防护距离确定方法" in page
    for en, zh in report_content.GLOSSARY.items():
        assert zh and en  # the glossary has both sides
    assert report_content.GLOSSARY["intolerable"] == "不可接受区"
    assert report_content.GLOSSARY["external safety distance"] == "外部安全防护距离"


def test_font_subset_is_embedded_with_its_licence(zh_demo):
    out, _ = zh_demo
    page = (out / "report.html").read_text(encoding="utf-8")
    if report.cjk_font() is None:
        pytest.skip("no CJK font on this machine (make browser installs fonts-noto-cjk)")
    assert f'font-family:"{report.CJK_FAMILY}";src:url(data:font/woff' in page
    assert "SIL Open Font License" in page
    # the subset holds exactly the non-ASCII characters the report uses (found in the font)
    import base64
    import io

    from fontTools.ttLib import TTFont

    data = re.search(r"data:font/(woff2?);base64,([A-Za-z0-9+/=]+)", page)
    font = TTFont(io.BytesIO(base64.b64decode(data.group(2))))
    cmap = font.getBestCmap()
    for ch in "不可接受区外部安全防护距离":
        assert ord(ch) in cmap
    assert len(cmap) < 2000  # a subset, not the whole font (tens of thousands of glyphs)
    # reproducible: subsetting again (cache emptied) gives the same bytes
    report._SUBSETS.clear()
    again = report.font_subset("".join(chr(c) for c in cmap if c > 0x7F))
    assert again is not None and again[0] == data.group(2)


def test_provenance_has_build_id_and_table_hashes(en_pipe):
    from qra.runner import provenance_of

    out, s = en_pipe
    assert provenance_of("x.toml", 1.0)["data_tables"] == s["data_tables"]
    assert s["build_id"] and s["platform"] and s["qra_version"] == qra.__version__
    expected = {p: hashlib.sha256((ROOT / p).read_bytes()).hexdigest() for p in [
        "models/loc_frequencies.toml", "models/ignition.toml", "models/criteria.toml", "models/substances.toml",
        "models/gb18218.toml", "models/bst_curves/bst_scaled_overpressure.csv", "models/bst_curves/bst_scaled_impulse.csv"]}
    assert s["data_tables"] == expected
    assert qra._qra.build_info()["tables"]["models/loc_frequencies.toml"] == qra._qra.loc_table_toml()


def test_run_copies_the_study_into_the_submission(en_pipe):
    out, s = en_pipe
    assert (out / "study.toml").read_bytes() == PIPE.read_bytes()
    assert "study.toml" in s["files"]


def test_validation_status_file_matches_the_validation_report():
    r = subprocess.run(["python3", str(ROOT / "tools" / "validation_status.py"), "--check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    status = report_content.validation_status()
    for _, _, _, cases in report_content.MODELS.values():
        for c in cases:
            assert c in status, c  # every case a model cites exists


def test_missing_glyph_warning_is_not_hidden():
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    from qra import plot

    plot._use_cjk_fallback()
    assert not any("missing from font" in str(f[1].pattern if f[1] else "") for f in warnings.filters)


def test_wind_rose_weights_the_classes_by_hand():
    """Two classes, 4 sectors: A (p = 0.25) blows from sector 0 only, B (day 0.5, night 0.9 with
    day_fraction 0.5 → 0.7) is uniform. Sector k: (0.25·[1,0,0,0] + 0.7·0.25) / 0.95."""
    d = {"meteorology": {"day_fraction": 0.5, "weather": [
        {"stability": "D", "wind_speed_m_s": 5.0, "probability": 0.25, "wind_rose": [2.0, 0.0, 0.0, 0.0], "wind_rose_offset_deg": 15.0},
        {"stability": "F", "wind_speed_m_s": 1.5, "probability_day": 0.5, "probability_night": 0.9}]}}
    p, off = report_content.wind_rose(d)
    assert off == 15.0
    assert p == pytest.approx([(0.25 + 0.175) / 0.95, 0.175 / 0.95, 0.175 / 0.95, 0.175 / 0.95], rel=1e-12)
    rows = report_content.weather_rows(d, zh=True)
    assert rows[0][:3] == ["D5", "D", 5.0] and rows[1][6] == "均匀"


def test_report_tables_from_the_study(en_pipe):
    """The table builders on the pipeline demo: numbers as the study file gives them."""
    study = qra.Study.from_file(PIPE)
    d = study.to_dict()
    scen = study.run().scenarios()
    raw = tomllib.loads(PIPE.read_text(encoding="utf-8"))
    keys = report_content.models_used(d, scen)
    assert "jet-fire" in keys and "analytic" in keys and keys[0] == "source"
    lines = {pl["id"] for pl in raw["pipelines"]}
    rows = report_content.consequence_rows(scen, lines, zh=False)
    jet = next(r for r in rows if r[0] == "NG-1/rupture" and r[1] == "jet fire")
    assert jet[5] == 1500.0 and jet[6] == 100.0  # rate and duration of the rupture in the study
    assert len({(r[0], r[1]) for r in rows}) == len(rows)  # release points grouped per release class
    loc = report_content.loc_rows(d, scen, zh=True)
    assert any(r[0] == "NG-1/rupture" for r in loc)
    et = report_content.event_tree_rows(d, scen, zh=True)
    assert all(r[2] in report_content.BRANCH_ZH.values() for r in et)
    pop = report_content.population_rows(d, zh=False)
    village = next(r for r in pop if r[0] == "village")
    assert village[1] == next(p["count_day"] for p in raw["population"]["polygons"] if p["id"] == "village")
    val = report_content.validation_rows(keys, zh=False)
    assert any(r[2] == "jet-fire-api521-reference" and r[3] == "pass" for r in val)
    text = " ".join(report_content.assumptions(d, keys, zh=False))
    assert "analytic" in text
    assert report_content.KIND_ZH["vce"].startswith("蒸气云爆炸") and report_content.RELEASE_ZH["hole"] == "孔泄漏"
    assert report_content.PHASE_ZH["two-phase"] == "气液两相" and report_content.TARGET_ZH["in-service"] == "在役"
    assert report_content.validation_doc()["summary"].endswith("cases pass.")


def test_metres_per_degree_against_published_values():
    """WGS84 metres per degree (NGA/NIMA TR8350.2 ellipsoid; the commonly tabulated values):
    equator 111 319.5 m/° of longitude and 110 574.3 m/° of latitude; 45°: 78 846.8 and 111 132.0."""
    from qra.runner import metres_per_degree

    assert metres_per_degree(0.0) == pytest.approx((111319.49, 110574.27), abs=0.5)
    assert metres_per_degree(45.0) == pytest.approx((78846.81, 111131.75), abs=0.5)


def test_study_digest_reads_crlf_as_lf(tmp_path):
    from qra.runner import STUDY_COPY, read_study_file, study_digest

    text = PIPE.read_bytes()
    assert study_digest(text) == hashlib.sha256(text).hexdigest()  # LF files: the plain SHA-256
    assert study_digest(text.replace(b"\n", b"\r\n")) == hashlib.sha256(text).hexdigest()
    crlf = tmp_path / "s.toml"
    crlf.write_bytes(text.replace(b"\n", b"\r\n"))
    _, digest, data = read_study_file(crlf)
    assert digest == hashlib.sha256(text).hexdigest() and data == crlf.read_bytes()
    assert STUDY_COPY == {"toml": "study.toml", "json": "study.json"}


def test_svg_inline_strips_the_prolog():
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n<svg xmlns="http://www.w3.org/2000/svg"><text>a</text></svg>\n'
    assert report.svg_inline(svg) == '<svg xmlns="http://www.w3.org/2000/svg"><text>a</text></svg>'
    assert report.svg_inline("no svg") == ""
    assert report.CJK_FONT_NAMES[0] == "Noto Sans CJK SC"


# ------------------------------------------------------------- in a real browser, no CJK system font

CHROMIUM = report.find_browser()
needs_browser = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("QRA_REQUIRE_BROWSER") != "1",
    reason="headless Chromium not installed (make test installs it when run as root)",
)

PROBE = (
    "<script>window.addEventListener('load',async()=>{await document.fonts.ready;const b=document.body.dataset;"
    "b.sections=document.querySelectorAll('section h2').length;"
    "b.svgs=document.querySelectorAll('figure svg text').length;"
    "b.wide=[...document.querySelectorAll('table')].filter(t=>t.getBoundingClientRect().right>"
    "document.body.getBoundingClientRect().right+1).length;"
    "b.cjkloaded=[...document.fonts].filter(f=>f.family.replace(/\"/g,'')==='qra-cjk'&&f.status==='loaded').length;"
    "b.cjkcheck=document.fonts.check('16px \"qra-cjk\"','不可接受区外部安全防护距离');"
    "const c=document.createElement('canvas').getContext('2d');"
    # the width of CJK text with the page's font stack against the same text drawn in a font that has
    # no CJK glyph: equal widths mean tofu boxes (.notdef) or no rendering
    "c.font='32px \"qra-cjk\"';const w1=c.measureText('外部安全防护距离').width;"
    "c.font='32px \"DejaVu Sans\"';const w2=c.measureText('外部安全防护距离').width;"
    "b.glyphs=(Math.abs(w1-w2)>1&&w1>200)?'cjk':'none';b.done='1';});</script>"
)


def _latin_only_fontconfig(tmp_path: Path) -> dict[str, str]:
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    "<dir>/usr/share/fonts/truetype/dejavu</dir>"
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp_path))
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, env=env, timeout=60).stdout
        assert fonts.strip() == "", "the test fontconfig must list no CJK font"
    return env


@needs_browser
def test_report_in_chromium_without_cjk_fonts_renders_cjk_and_prints(zh_demo, tmp_path):
    """One page load (DOM and font checks) and one print, with a fontconfig listing only DejaVu."""
    out, s = zh_demo
    env = _latin_only_fontconfig(tmp_path)
    page = tmp_path / "probe.html"
    page.write_text((out / "report.html").read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p1'}",
                        "--virtual-time-budget=10000", "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout
    assert 'data-done="1"' in dom, dom[-500:]
    assert f'data-sections="{len(SECTIONS_EN)}"' in dom
    assert 'data-wide="0"' in dom  # no table runs past the page body
    assert 'data-cjkloaded="1"' in dom and 'data-cjkcheck="true"' in dom and 'data-glyphs="cjk"' in dom
    assert int(re.search(r'data-svgs="(\d+)"', dom).group(1)) > 20  # SVG text elements, rendered by the browser
    text = _text(dom)
    assert report._cell(s["pll_per_year"]) in text and "外部安全防护距离" in text
    # the PDF, printed by the same browser under the same fontconfig
    from pypdf import PdfReader

    from qra.cli import main

    old = os.environ.copy()
    os.environ.update(dict(env, QRA_BROWSER=CHROMIUM))
    try:  # the command a firm runs: `qra report DIR --pdf FILE`
        assert main(["report", str(out), "--pdf", str(tmp_path / "report.pdf")]) == 0
    finally:
        os.environ.clear()
        os.environ.update(old)
    reader = PdfReader(str(tmp_path / "report.pdf"))
    assert 6 <= len(reader.pages) <= 30, len(reader.pages)
    # the glyphs are in the PDF as text (tofu boxes extract as nothing): the first chapter's title,
    # the first CJK run of the page, is the one a late-loading font used to miss
    first = reader.pages[0].extract_text()
    for words in ("定量风险评价报告", report.label("scope", "zh"), "编制", "研究日期", "场址原点"):
        assert words in first, words
    for p in reader.pages:  # A4 portrait (the report's @page rule)
        assert abs(float(p.mediabox.width) - 595.3) < 2 and abs(float(p.mediabox.height) - 841.9) < 2


def test_print_pdf_without_a_browser_is_a_typed_error(tmp_path, monkeypatch):
    monkeypatch.setenv("QRA_BROWSER", str(tmp_path / "no-such-browser"))
    assert report.find_browser() is None
    (tmp_path / "r.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(qra.NotImplementedYetError, match="chromium"):
        report.print_pdf(tmp_path / "r.html", tmp_path / "r.pdf")
