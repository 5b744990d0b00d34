"""qra.plot draws without error on result-like objects (Agg backend)."""

from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from qra import plot


def _circle(r):
    t = np.linspace(0.0, 2.0 * np.pi, 65)
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def _fake_result():
    """IR = 1e-4·exp(-r/80 m): the contour of level L is the circle r = 80·ln(1e-4/L) (analytic)."""
    x = np.linspace(-500, 500, 51)
    y = np.linspace(-400, 400, 41)
    xx, yy = np.meshgrid(x, y)
    ir = 1e-4 * np.exp(-np.hypot(xx, yy) / 80.0)
    fn = pd.DataFrame({"N": [1.0, 3.0, 10.0], "F": [1e-5, 3e-6, 1e-7]})

    def contours(levels):
        return [{"level": v, "polygons": [[_circle(80.0 * np.log(1e-4 / v))]] if v < 1e-4 else []} for v in levels]

    return SimpleNamespace(x=x, y=y, individual_risk=ir, fn_curve=lambda: fn, contours=contours)


def test_risk_contours_and_fn_curve():
    r = _fake_result()
    ax = plot.risk_contours(r, population=np.ones((4, 5)), population_extent=(-500, 500, -400, 400),
                            targets=[("school", 300.0, 0.0)], installations=[("tank", 0.0, 0.0)])
    assert len(ax.collections) > 0
    # the drawn lines are the rings of result.contours(...), one collection per level
    radii = sorted(float(np.hypot(*seg[0].T).mean()) for c in ax.collections for seg in [c.get_segments()])
    expected = sorted(80.0 * np.log(1e-4 / v) for v in plot.DEFAULT_LEVELS if v < 1e-4)
    assert np.allclose(radii, expected)
    ax = plot.fn_curve(r)
    assert ax.get_xscale() == "log" and len(ax.lines) >= 3
    plt.close("all")


def test_effect_vs_distance():
    ax = plot.effect_vs_distance(lambda d: 1.0 / d**2, np.linspace(10, 100, 5), label="1/r²", observed=([20.0], [0.0025]))
    assert len(ax.lines) == 2
    plt.close("all")


def test_fn_curve_with_criteria_zones_and_chinese_labels():
    r = _fake_result()
    ax = plot.fn_curve(r, criteria="GB36894-2018", lang="zh")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["不可接受区", "尽可能降低区 (ALARP)", "可接受区"]
    assert "GB36894-2018" in ax.get_title()
    # the intolerable line of GB 36894-2018 is F = 1e-3/N (standards.md §1.1)
    red = next(ln for ln in ax.lines if ln.get_color() == "tab:red")
    n, f = red.get_data()
    assert np.allclose(f, 1e-3 / n, rtol=1e-12)
    ax = plot.risk_contours(r, lang="zh", targets=[("学校", 0.0, 0.0)], installations=())
    assert ax.get_title() == "个人风险（/年）"
    plt.close("all")
