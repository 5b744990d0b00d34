"""Sections of the QRA report a regulator checks (issue 18), in the order of the chapters of
AQ/T 3046-2013 and GB/T 37243-2019 as far as they are known here (chapter numbers of those
standards are not reproduced: they were not verified against the texts [M]).

Every section is built from the study (its dict form) and the computed result — nothing is typed by
hand — so ``qra verify`` regenerates the same report from its recomputation and compares it word by
word (numbers within the IR tolerance). Texts from the study are escaped by :mod:`qra.report`.

Chinese terms follow GB 36894-2018, GB/T 37243-2019, GB 18218-2018 and AQ/T 3046-2013 as listed in
:data:`GLOSSARY` (e.g. 不可接受区, 尽可能降低区, 可接受区, 外部安全防护距离, 重大危险源, 防护目标).
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

#: Terms of the standards used by the reports (English → Chinese). Source: the glossary of the
#: project (docs/glossary.md): GB 36894-2018 (个人风险, 社会风险,
#: 不可接受区 / 尽可能降低区 / 可接受区, 防护目标), GB/T 37243-2019 (外部安全防护距离, 事故后果法 /
#: 定量风险评价法), GB 18218-2018 (重大危险源, 临界量), AQ/T 3046-2013 (定量风险评价).
GLOSSARY: dict[str, str] = {
    "quantitative risk assessment": "定量风险评价",
    "individual risk": "个人风险",
    "societal risk": "社会风险",
    "intolerable": "不可接受区",
    "alarp": "尽可能降低区",
    "acceptable": "可接受区",
    "protected target": "防护目标",
    "external safety distance": "外部安全防护距离",
    "major hazard installation": "重大危险源",
    "threshold quantity": "临界量",
    "loss of containment frequency": "泄漏频率",
    "ignition probability": "点火概率",
    "event tree": "事件树",
    "wind rose": "风玫瑰",
    "atmospheric stability": "大气稳定度",
    "population distribution": "人口分布",
    "risk contour": "风险等值线",
    "probit": "概率函数",
    "domino effect": "多米诺效应",
}

#: Chinese titles of the standards named by id in the reports (titles recalled, not re-read [M]).
STANDARD_TITLES_ZH = {
    "GB36894-2018": "GB 36894-2018《危险化学品生产装置和储存设施风险基准》",
    "GB/T 37243-2019": "GB/T 37243-2019《危险化学品生产装置和储存设施外部安全防护距离确定方法》",
    "GB 18218-2018": "GB 18218-2018《危险化学品重大危险源辨识》",
}

#: Outcome kinds of the study file in Chinese (glossary: 池火, 喷射火, 火球, 闪火, 蒸气云爆炸, 毒性扩散).
KIND_ZH = {"toxic": "毒性扩散", "jet-fire": "喷射火", "pool-fire": "池火", "fireball": "火球", "flash-fire": "闪火",
           "vce": "蒸气云爆炸 (VCE)", "analytic": "给定致死率范围 (analytic)"}
#: Release types of the study file in Chinese.
RELEASE_ZH = {"hole": "孔泄漏", "rupture": "完全破裂", "instantaneous": "瞬时全部泄漏",
              "continuous-10min": "10 min 内连续全部泄漏", "full-bore": "全管径断裂"}
PHASE_ZH = {"gas": "气相", "liquid": "液相", "two-phase": "气液两相"}
BRANCH_ZH = {"always": "必然", "immediate": "立即点火", "delayed": "延迟点火", "delayed-flash": "延迟点火—闪火",
             "delayed-explosion": "延迟点火—爆炸", "no-ignition": "未点火"}
TARGET_ZH = {"high-sensitive": "高敏感防护目标", "important": "重要防护目标", "general-1": "一般防护目标（一类）",
             "general-2": "一般防护目标（二类）", "general-3": "一般防护目标（三类）",
             "new": "新建、改建、扩建", "in-service": "在役"}

#: Models behind each model key: (English, Chinese, reference, validation case ids). References
#: as in the code's doc comments; "[M]": recalled, not re-read.
MODELS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "source": ("discharge and flash (orifice, two-phase HEM/omega, pool evaporation)", "泄漏源强（孔口流出、两相流、液池蒸发）",
               "CCPS (2000) Guidelines for Chemical Process QRA §2.1.1; Leung (1986) omega method [M]",
               ("crosstool-fluids-gas-discharge", "crosstool-fluids-liquid-discharge", "crosstool-two-phase-omega",
                "crosstool-coolprop-two-phase-hem", "crosstool-coolprop-flash-fraction", "pool-evaporation-analytic")),
    "gaussian": ("Gaussian plume/puff, Pasquill-Gifford/Briggs rural sigmas", "高斯烟羽/烟团模型（Briggs 乡村扩散参数）",
                 "Briggs (1973) via CCPS (2000) §2.1.2 [M]", ("prairie-grass", "crosstool-gaussian-puff", "crosstool-gaussian-puff-dose")),
    "britter-mcquaid": ("Britter-McQuaid dense-gas workbook", "Britter-McQuaid 重气扩散模型",
                        "Britter & McQuaid (1988), Workbook on the dispersion of dense gases, HSE CRR 17/1988 [M]",
                        ("dense-gas-desert-tortoise", "dense-gas-field-trials", "dense-gas-screening", "crosstool-degadis-dense-gas")),
    "slab": ("SLAB-class integral dense-gas model", "SLAB 类积分重气扩散模型", "Ermak (1990) SLAB user's manual, UCRL-MA-105607 [M]",
             ("slab-burro", "slab-coyote", "slab-dense-gas-pooled", "slab-desert-tortoise", "slab-kit-fox", "slab-maplin-sands")),
    "toxic-probit": ("toxic probit Y = a + b ln(C^n t)", "毒性概率函数 Y = a + b ln(C^n t)", "CPR 18E Purple Book (1999) §5 [M]",
                     ("toxic-probit-reference",)),
    "jet-fire": ("jet fire (API 521 point source / Chamberlain frustum)", "喷射火（API 521 点源 / Chamberlain 锥台模型）",
                 "API 521 (2014) §4.4.2.3; Chamberlain (1987) Trans IChemE 65 [M]",
                 ("jet-fire-api521-reference", "jet-fire-api521-reach", "jet-fire-chamberlain-reference", "jet-fire-chamberlain-flux")),
    "pool-fire": ("pool fire (Thomas flame length, solid flame)", "池火（Thomas 火焰长度，固体火焰模型）", "Thomas (1963) [M]",
                  ("pool-fire-sep",)),
    "fireball": ("fireball / BLEVE", "火球 / BLEVE", "CCPS (2010) Guidelines for vapor cloud explosion, pressure vessel burst, BLEVE "
                 "and flash fire hazards [M]", ("fireball-ccps-reference",)),
    "flash-fire": ("flash fire (LFL envelope, lethality 1 inside)", "闪火（爆炸下限包络内致死率 1）", "CPR 18E Purple Book (1999) §5 [M]",
                   ("crosstool-flash-fire-lfl-envelope", "crosstool-flash-fire-lethality")),
    "thermal-probit": ("heat-radiation probit", "热辐射概率函数", "Eisenberg et al. (1975) / TNO Green Book (1992) [M]",
                       ("crosstool-hyram-thermal-probit",)),
    "vce-tnt": ("VCE, TNT equivalence with Kingery-Bulmash", "蒸气云爆炸 TNT 当量法（Kingery-Bulmash）",
                "Kingery & Bulmash (1984) ARBRL-TR-02555 [M]", ("tnt-kingery-bulmash", "crosstool-kingery-bulmash")),
    "vce-multi-energy": ("VCE, TNO multi-energy", "蒸气云爆炸 TNO 多能法", "van den Berg (1985) J. Hazard. Mater. 12 [M]",
                         ("multi-energy-msb",)),
    "vce-bst": ("VCE, Baker-Strehlow-Tang", "蒸气云爆炸 BST 法", "Pierorazio et al. (2005) Process Saf. Prog. 24 [M]",
                ("bst-curves", "crosstool-hyram-bst")),
    "blast-probit": ("overpressure probit", "超压概率函数", "TNO Green Book (1992) [M]", ("crosstool-hyram-blast-probit",)),
    "risk": ("risk integration (event tree, wind rose, societal risk)", "风险叠加（事件树、风玫瑰、社会风险）",
             "CPR 18E Purple Book (1999) ch. 6 [M]",
             ("risk-analytic", "risk-benchmark-event-tree", "risk-benchmark-wind-rose", "risk-benchmark-societal")),
    "analytic": ("lethality footprint given in the study (no consequence model)", "研究文件给定的致死率范围（未采用后果模型）",
                 "study file", ()),
}


def validation_doc() -> dict[str, Any]:
    """The whole ``qra/data/validation_status.json`` (``source``, ``summary``, ``cases``).

    Returns
    -------
    dict
    """
    return dict(json.loads(resources.files("qra").joinpath("data/validation_status.json").read_text(encoding="utf-8")))


def validation_status() -> dict[str, dict[str, Any]]:
    """The status of every validation case at the time of the build: ``qra/data/validation_status.json``,
    generated from ``validation/REPORT.md`` by ``tools/validation_status.py`` (a test checks both agree).

    Returns
    -------
    dict
        Case id → ``{"model", "kind", "n", "result", "baseline"}``.
    """
    return {c["id"]: c for c in validation_doc()["cases"]}


def models_used(d: dict[str, Any], scenarios: Any) -> list[str]:
    """The model keys (:data:`MODELS`) a study uses, in the order of :data:`MODELS`.

    Parameters
    ----------
    d : dict
        The study's dict form.
    scenarios : pandas.DataFrame
        ``RiskResult.scenarios()`` (its ``kind`` and ``dispersion`` columns).

    Returns
    -------
    list of str
    """
    used = {"risk"}
    specs = [o.get("spec", {}) for e in d.get("events", []) for o in e.get("outcomes", [])]
    specs += [o.get("spec", {}) for pl in d.get("pipelines", []) for r in pl.get("releases", []) for o in r.get("outcomes", [])]
    for s in specs:
        k = str(s.get("kind", ""))
        if k == "analytic":
            used.add("analytic")
            continue
        used.add("source")
        if k == "toxic":
            used.update({"toxic-probit", "gaussian"})
            used.add("slab" if s.get("dense_model") == "slab" else "britter-mcquaid")
        elif k == "flash-fire":
            used.add("gaussian")
            used.add("britter-mcquaid" if s.get("dense_model") == "britter-mcquaid" else "slab")
            used.add("flash-fire")
        elif k in ("jet-fire", "pool-fire", "fireball"):
            used.update({k, "thermal-probit"})
        elif k == "vce":
            used.update({"vce-" + str(s.get("model") or "tnt"), "blast-probit"})
    if scenarios is not None and "dispersion" in getattr(scenarios, "columns", ()):
        disp = {str(v) for v in scenarios["dispersion"].dropna().unique()}
        if disp and "passive" not in disp and not any("gauss" in v for v in disp):
            used.discard("gaussian")  # every dispersion was dense
    return [k for k in MODELS if k in used]


def _f(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def consequence_rows(scenarios: Any, lines: set[str], zh: bool) -> list[list[object]]:
    """One row per (event, outcome) of ``RiskResult.scenarios()``: release, phase, rate, duration,
    airborne mass, event frequency, branch probability and the largest 1 % and 50 % lethality
    distances over the weather classes (with the class). A linear source's release points are one
    row per release class (values of its first point; the distances are the largest).

    Parameters
    ----------
    scenarios : pandas.DataFrame
        ``RiskResult.scenarios()``.
    lines : set of str
        Ids of the study's linear sources.
    zh : bool
        Chinese terms.

    Returns
    -------
    list of list
    """
    from qra.runner import _source_id

    if scenarios is None or len(scenarios) == 0:
        return []
    df = scenarios.assign(event=[_source_id(e, lines, event=True) for e in scenarios["event"]],
                          installation=[_source_id(i, lines) for i in scenarios["installation"]]).reset_index(drop=True)
    # One groupby pass (a Python loop over the groups took ~0.9 ms per group: 17.6 s for 20 000
    # events; issue 21): the first row of each (event, outcome), in order of appearance, the
    # largest distances and the weather class of the first largest 1 % distance.
    d1 = df["distance_1pct_m"].astype(float)
    df = df.assign(_d1=d1, _d50=df["distance_50pct_m"].astype(float), _d1key=d1.fillna(-1.0))
    gb = df.groupby(["event", "outcome"], sort=False)
    first = gb.head(1)
    d1max, d50max, at = gb["_d1"].max(), gb["_d50"].max(), gb["_d1key"].idxmax()
    weather = df["weather"].to_numpy()
    # head(1) keeps the order of first appearance, the order of the groups with sort=False
    extra = zip(d1max.to_numpy(), d50max.to_numpy(), weather[df.index.get_indexer(at.to_numpy())], strict=True)
    rows = []
    for r, (dm1, dm50, w) in zip(first.to_dict("records"), extra, strict=True):
        kind = str(r["kind"])
        rel = r["release"]
        rows.append([r["event"], r["outcome"], KIND_ZH.get(kind, kind) if zh else kind,
                     (RELEASE_ZH.get(str(rel), rel) if zh else rel) if rel is not None else "–",
                     (PHASE_ZH.get(str(r["phase"]), r["phase"]) if zh else r["phase"]),
                     _f(r["release_rate_kg_s"]), _f(r["duration_s"]), _f(r["airborne_mass_kg"]),
                     _f(r["event_frequency_per_year"]), _f(r["outcome_probability"]),
                     _f(dm1), _f(dm50), str(w)])
    return rows


def loc_rows(d: dict[str, Any], scenarios: Any, zh: bool) -> list[list[object]]:
    """One row per event (and per release class of a linear source): the frequency used (per year;
    per km and year for a line) and where it comes from.

    Parameters
    ----------
    d : dict
        The study's dict form.
    scenarios : pandas.DataFrame
        ``RiskResult.scenarios()`` (the resolved ``event_frequency_per_year``).
    zh : bool

    Returns
    -------
    list of list
    """
    import tomllib

    import qra

    loc = tomllib.loads(qra._qra.loc_table_toml())
    table_src = str(loc.get("source", "models/loc_frequencies.toml"))
    eq = {e["id"]: e for e in loc.get("equipment", [])}
    freq: dict[str, float] = {}
    if scenarios is not None and len(scenarios):
        for ev, f in zip(scenarios["event"], scenarios["event_frequency_per_year"]):
            freq.setdefault(str(ev), float(f))
    rows: list[list[object]] = []
    for e in d.get("events", []):
        lc = e.get("loc")
        if lc:
            item: dict[str, Any] = next((s for s in eq.get(lc["equipment"], {}).get("loc", []) if s.get("id") == lc["scenario"]), {})
            src = (f"{'通用泄漏频率表' if zh else 'generic LOC table'} {lc['equipment']} {lc['scenario']}"
                   f" ({item.get('description', '')}) × {float(lc.get('multiplier', 1.0)):g}; {table_src}")
            per = eq.get(lc["equipment"], {}).get("per", "year")
        else:
            src, per = ("研究文件给定值 (用户频率)" if zh else "value given in the study (user frequency)"), "year"
        rel = e.get("release")
        hole = e.get("hole_diameter_mm")
        rtxt = (RELEASE_ZH.get(str(rel), rel) if zh else rel) if rel else "–"
        if hole is not None:
            rtxt = f"{rtxt} {float(hole):g} mm"
        f = freq.get(str(e["id"]), e.get("frequency_per_year"))
        rows.append([e["id"], e["installation"], rtxt, _f(f), src + ("" if per == "year" else f" (per {per})")])
    for pl in d.get("pipelines", []):
        for r in pl.get("releases", []):
            f = r.get("frequency_per_km_year")
            src = "研究文件给定值 (/km·年)" if zh else "value given in the study (per km and year)"
            if f is None and r.get("accident_frequency_per_km_year") is not None:
                f = float(r["accident_frequency_per_km_year"]) * float(r.get("release_probability", 1.0))
                src = ("事故频率 × 泄漏概率 (/km·年)" if zh else "accident frequency × release probability (per km and year)")
            rows.append([f"{pl['id']}/{r.get('id')}", pl["id"], r.get("id"), _f(f), src])
    return rows


def event_tree_rows(d: dict[str, Any], scenarios: Any, zh: bool) -> list[list[object]]:
    """One row per (event, outcome): branch, conditional probability of the outcome (from the
    resolved event tree), and the ignition values the study gives (else the table).

    Parameters
    ----------
    d : dict
    scenarios : pandas.DataFrame
    zh : bool

    Returns
    -------
    list of list
    """
    prob: dict[tuple[str, str], float] = {}
    if scenarios is not None and len(scenarios):
        for ev, oc, p in zip(scenarios["event"], scenarios["outcome"], scenarios["outcome_probability"]):
            prob.setdefault((str(ev), str(oc)), float(p))
    table = "点火概率表 (models/ignition.toml)" if zh else "ignition table (models/ignition.toml)"
    rows: list[list[object]] = []
    for e in d.get("events", []):
        et = e.get("event_tree") or {}
        given = []
        for k, zk in (("immediate_ignition", "立即点火"), ("delayed_ignition", "延迟点火"), ("explosion_fraction", "爆炸分数")):
            if et.get(k) is not None:
                given.append(f"{zk if zh else k} = {float(et[k]):g}")
        if et.get("ignition_category"):
            given.append(f"{'类别' if zh else 'category'} {et['ignition_category']}")
        src = "; ".join(given) if given else table
        for o in e.get("outcomes", []):
            br = str(o.get("branch") or "always")
            rows.append([e["id"], o.get("id"), BRANCH_ZH.get(br, br) if zh else br, prob.get((str(e["id"]), str(o.get("id")))),
                         _f(o.get("fraction")), src])
    return rows


def weather_rows(d: dict[str, Any], zh: bool) -> list[list[object]]:
    """One row per weather class: stability, wind speed, day/night probabilities, sectors.

    Parameters
    ----------
    d : dict
    zh : bool

    Returns
    -------
    list of list
    """
    met = d.get("meteorology", {})
    rows: list[list[object]] = []
    for w in met.get("weather", []):
        wid = w.get("id") or f"{w['stability']}{float(w['wind_speed_m_s']):g}"
        rose = w.get("wind_rose") or []
        rows.append([wid, w["stability"], float(w["wind_speed_m_s"]), _f(w.get("probability")), _f(w.get("probability_day")),
                     _f(w.get("probability_night")), len(rose) or ("均匀" if zh else "uniform")])
    return rows


def wind_rose(d: dict[str, Any]) -> tuple[list[float], float]:
    """The wind rose of the study, weighted over the weather classes: the probability of each
    direction sector (sector k centred on offset + k·360°/n, direction the wind blows FROM, as in
    the study file) and the offset, degrees. Classes without a rose count as uniform.

    A class's weight is its ``probability``, else ``day_fraction``·``probability_day`` +
    (1 − ``day_fraction``)·``probability_night``.

    Parameters
    ----------
    d : dict
        The study's dict form.

    Returns
    -------
    (list of float, float)
        Sector probabilities (sum 1) and the offset of sector 0, degrees.
    """
    met = d.get("meteorology", {})
    day = float(met.get("day_fraction", 0.5) or 0.5)
    ws = met.get("weather", [])
    n = max((len(w.get("wind_rose") or []) for w in ws), default=0) or 12
    acc = [0.0] * n
    offset = 0.0
    for w in ws:
        p = w.get("probability")
        if p is None:
            p = day * float(w.get("probability_day") or 0.0) + (1.0 - day) * float(w.get("probability_night") or 0.0)
        rose = [float(v) for v in (w.get("wind_rose") or [])]
        if len(rose) != n:
            rose = [1.0 / n] * n
        else:
            offset = float(w.get("wind_rose_offset_deg") or 0.0)
        s = sum(rose) or 1.0
        for k in range(n):
            acc[k] += float(p) * rose[k] / s
    tot = sum(acc) or 1.0
    return [v / tot for v in acc], offset


def population_rows(d: dict[str, Any], zh: bool) -> list[list[object]]:
    """The population layers: rasters (people, cells) and polygons (people by day and night, indoor
    fractions) as the study gives them.

    Parameters
    ----------
    d : dict
    zh : bool

    Returns
    -------
    list of list
    """
    pop = d.get("population", {}) or {}
    rows: list[list[object]] = []
    for k, r in enumerate(pop.get("rasters", []) or []):
        people = float(sum(float(c) for c in r.get("counts", [])))
        rows.append([f"{'栅格' if zh else 'raster'} {k + 1}", people, people, None, None,
                     f"{r['nx']} × {r['ny']} × {float(r['cell_size_m']):g} m, ({float(r['x0_m']):g}, {float(r['y0_m']):g})"])
    for a in pop.get("polygons", []) or []:
        rows.append([str(a.get("id")), _f(a.get("count_day")), _f(a.get("count_night")), _f(a.get("indoor_fraction_day")),
                     _f(a.get("indoor_fraction_night")), f"{'多边形' if zh else 'polygon'}, {len(a.get('vertices') or [])} "
                     f"{'个顶点' if zh else 'vertices'}"])
    return rows


def validation_rows(keys: list[str], zh: bool) -> list[list[object]]:
    """One row per model used: its reference and the result of each of its validation cases.

    Parameters
    ----------
    keys : list of str
        Model keys (:func:`models_used`).
    zh : bool

    Returns
    -------
    list of list
    """
    status = validation_status()
    rows: list[list[object]] = []
    for k in keys:
        en, zhn, ref, cases = MODELS[k]
        if not cases:
            rows.append([zhn if zh else en, ref, "–", "无验证：足迹由研究文件给定" if zh else "not validated: footprint given by the study"])
            continue
        for c in cases:
            s = status.get(c)
            res = "–" if s is None else str(s["result"])
            if zh:
                res = {"pass": "通过", "FAIL": "未通过"}.get(res, res)
            rows.append([zhn if zh else en, ref, c, res])
    return rows


def assumptions(d: dict[str, Any], keys: list[str], zh: bool) -> list[str]:
    """Assumptions and limitations of this assessment (study-dependent ones first).

    Parameters
    ----------
    d : dict
    keys : list of str
        Model keys used.
    zh : bool

    Returns
    -------
    list of str
    """
    out: list[str] = []
    analytic = sorted({str(e["id"]) for e in d.get("events", []) for o in e.get("outcomes", [])
                       if (o.get("spec") or {}).get("kind") == "analytic"})
    if analytic:
        out.append(("以下事件的致死率范围由研究文件直接给定 (analytic)，未经后果模型计算，须另行核实："
                    if zh else "The lethality footprints of these events are given in the study (analytic), not computed by a "
                    "consequence model, and must be justified separately: ") + ", ".join(analytic))
    user = sorted(str(e["id"]) for e in d.get("events", []) if e.get("frequency_per_year") is not None and not e.get("loc"))
    if user:
        out.append(("以下事件采用研究文件给定的泄漏频率 (未采用通用泄漏频率表)：" if zh else
                    "These events use a frequency given in the study instead of the generic LOC table: ") + ", ".join(user))
    if "slab" in keys:
        out.append("SLAB 类重气模型尚未通过全部现场试验验证 (见模型验证状态)。" if zh else
                   "The SLAB-class dense-gas model has not passed every field-trial gate (see validation status).")
    out += ([
        "通用泄漏频率、点火概率和概率函数参数取自紫皮书 (CPR 18E, 1999)，数值凭记忆录入，未与原文逐一核对 [M]。",
        "GB 36894-2018 和 GB/T 37243-2019 的条款号凭记忆引用 [M]；外部安全防护距离的确定规则见第 6.8 条 (未核对)。",
        "人员暴露按研究文件的人口分布；室内外比例及昼夜比例为研究文件或默认值。",
        "未考虑多米诺效应对个人风险的贡献 (事故链仅列出，不计入风险)。",
        "风险在计算网格节点上求值；等值线和距离的精度为一个网格间距。",
    ] if zh else [
        "Generic LOC frequencies, ignition probabilities and probit constants are the Purple Book's (CPR 18E, 1999), "
        "entered from memory and not re-verified against the book [M].",
        "Clause numbers of GB 36894-2018 and GB/T 37243-2019 are recalled [M]; the external-safety-distance rule is that "
        "of §6.8 (not re-read).",
        "People are exposed as the study's population layers say; indoor/outdoor and day/night fractions are the study's "
        "or the defaults.",
        "Domino escalation is listed, not added to the individual or societal risk.",
        "Risk is evaluated at the grid nodes; contours and distances are accurate to one grid cell.",
    ])
    return out


__all__ = ["BRANCH_ZH", "GLOSSARY", "KIND_ZH", "MODELS", "PHASE_ZH", "RELEASE_ZH", "STANDARD_TITLES_ZH", "TARGET_ZH", "assumptions",
           "consequence_rows", "event_tree_rows", "loc_rows", "models_used", "population_rows", "validation_rows",
           "validation_doc", "validation_status", "weather_rows", "wind_rose"]
