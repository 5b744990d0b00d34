"""qra.gis and the GIS/data-science surface (issue 20): GeoTIFF, contour polygons (GeoJSON, GeoPackage),
targets, xarray, population import, positions in other CRSs, coverage warnings, notebook views."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import qra

pytest.importorskip("rasterio")
pytest.importorskip("geopandas")
pytest.importorskip("xarray")
pytest.importorskip("pyproj")

import geopandas as gpd  # noqa: E402
import rasterio  # noqa: E402
from pyproj import CRS, Transformer  # noqa: E402
from shapely.geometry import box  # noqa: E402

from qra import gis  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "models" / "studies" / "analytic_demo.toml"
PARK = ROOT / "models" / "studies" / "sample_park.toml"
DATA = ROOT / "qra-core" / "tests" / "data"


@pytest.fixture(scope="module")
def demo():
    return qra.Study.from_file(DEMO).run()


def _local_proj(d: dict) -> str:
    # Written out here from the documented definition of the local frame (not taken from qra).
    o = d["origin"]
    return (f"+proj=tmerc +lat_0={o['latitude_deg']} +lon_0={o['longitude_deg']} +k=1 +x_0=0 +y_0=0 "
            "+ellps=WGS84 +units=m +no_defs")


def test_geotiff_reads_back_as_the_grid_with_its_transform_and_crs(demo, tmp_path):
    d = demo.study.to_dict()
    g = d["grid"]
    p = gis.write_geotiff(demo, tmp_path / "ir.tif")
    with rasterio.open(p) as ds:
        z = ds.read(1)
        tr, crs = ds.transform, ds.crs
        assert ds.dtypes == ("float64",) and ds.tags()["units"] == "per year"
    # North-up: the first row is the northernmost grid row; exact values.
    assert np.array_equal(z[::-1], demo.individual_risk)
    # Pixel centres on the nodes: origin half a cell west/north of the first/last node.
    h = g["resolution_m"]
    ny = len(demo.y)
    assert (tr.a, tr.b, tr.d, tr.e) == (h, 0.0, 0.0, -h)
    assert tr.c == g["x_min_m"] - h / 2
    assert tr.f == pytest.approx(g["y_min_m"] + (ny - 1) * h + h / 2, abs=1e-9)
    assert CRS.from_wkt(crs.to_wkt()).equals(CRS.from_proj4(_local_proj(d)))
    # The pixel of the origin node holds the IR at (0, 0), read through the raster's own transform.
    row, col = rasterio.transform.rowcol(tr, 0.0, 0.0)
    j, i = int(np.argmin(abs(demo.y))), int(np.argmin(abs(demo.x)))
    assert z[row, col] == demo.individual_risk[j, i]


def test_contour_polygons_have_the_grid_area_above_each_level(demo, tmp_path):
    levels = [1e-5, 3e-6, 1e-6, 3e-7, 1e-7]
    gdf = demo.contours_gdf(levels)
    h = float(demo.x[1] - demo.x[0])
    z = demo.individual_risk
    assert list(gdf.columns) == ["level", "unit", "criterion", "classes", "statuses", "area_m2", "geometry"]
    assert len(gdf) >= 3
    checked = 0
    for _, row in gdf.iterrows():
        assert row["unit"] == "per year" and row["geometry"].is_valid
        cells = int((z >= row["level"]).sum())
        # Nodes above the level, each standing for one cell of h x h, against the polygon area
        # within 2 % — for regions of at least 400 nodes: the node count and the interpolated
        # boundary differ by up to about half a cell along the perimeter, ~2/sqrt(cells) relative.
        if cells >= 400:
            assert row["geometry"].area == pytest.approx(cells * h * h, rel=0.02), row["level"]
            checked += 1
    assert checked >= 2
    gb = gdf.set_index("level")
    assert gb.loc[3e-7, "criterion"] == "GB36894-2018"
    assert gb.loc[3e-7, "classes"] == "high-sensitive,important,general-1"
    assert gb.loc[1e-7, "criterion"] is None
    # GeoPackage round trip: same rows, attributes and areas, CRS of the local frame.
    p = gis.write_contours(demo, tmp_path / "c.gpkg", levels)
    back = gpd.read_file(p, layer="contours")
    assert len(back) == len(gdf)
    assert_allclose(back.geometry.area, gdf.geometry.area, rtol=1e-9)
    assert list(back["classes"]) == list(gdf["classes"])
    assert back.crs.equals(CRS.from_proj4(_local_proj(demo.study.to_dict())))
    # GeoJSON in lon/lat: projected back to the local frame, the same areas.
    p = gis.write_contours(demo, tmp_path / "c.geojson", levels)
    gj = gpd.read_file(p)
    assert gj.crs.to_epsg() == 4326
    assert_allclose(gj.to_crs(gdf.crs).geometry.area, gdf.geometry.area, rtol=1e-6)


def test_polygons_keep_their_holes():
    # An annulus of risk: a study whose IR is high on a ring only is hard to make, so the ring is
    # drawn from the native contours of a synthetic field through the same code path (contours()).
    class Ring:
        x = np.linspace(-100, 100, 81)
        y = np.linspace(-100, 100, 81)
        crs = None

        def contours(self, levels):
            xx, yy = np.meshgrid(self.x, self.y)
            r = np.hypot(xx, yy)
            inside = (r >= 30) & (r <= 70)
            ring = [np.c_[70 * np.cos(t), 70 * np.sin(t)] for t in [np.linspace(0, 2 * np.pi, 200)]][0]
            hole = ring[::-1] * 30 / 70
            assert inside.any()
            return [{"level": 1e-6, "polygons": [[ring, hole]], "rings": [ring, hole]}]

    gdf = gis.contours_gdf(Ring(), [1e-6], None)
    geom = gdf.geometry.iloc[0]
    assert len(geom.interiors) == 1
    assert geom.area == pytest.approx(np.pi * (70**2 - 30**2), rel=1e-3)


def test_geojson_has_no_empty_features_and_needs_an_origin(demo):
    g = demo.to_geojson([1e-5, 1e-2])
    assert [f["properties"]["level"] for f in g["features"]] == [1e-5]
    assert g["features"][0]["properties"]["criterion"] == "GB36894-2018"
    d = demo.study.to_dict()
    del d["origin"]
    r = qra.Study.from_dict(d).run()
    with pytest.raises(qra.InvalidInputError, match="origin"):
        r.to_geojson()
    with pytest.raises(qra.InvalidInputError, match="origin"):
        r.distance_geojson()
    assert r.to_geojson(local_metres=True)["crs_note"].startswith("local metres")
    assert r.crs is None
    with pytest.raises(qra.InvalidInputError, match="origin"):
        gis.write_geotiff(r, "never.tif")


def test_targets_gdf_has_ir_and_verdict(demo):
    t = demo.targets_gdf()
    comp = demo.check().targets()
    assert list(t["id"]) == list(comp["id"])
    assert_allclose(t["individual_risk"], comp["individual_risk"], rtol=0, atol=0)
    assert list(t["pass"]) == list(comp["pass"])
    assert t.crs is not None and t["inside_grid"].all()


def test_to_xarray_has_local_and_lon_lat_coordinates(demo):
    da = demo.to_xarray()
    assert da.dims == ("y", "x") and da.attrs["units"] == "per year"
    assert np.array_equal(da.values, demo.individual_risk)
    assert np.array_equal(da["x"].values, demo.x)
    d = demo.study.to_dict()
    o = d["origin"]
    j, i = int(np.argmin(abs(demo.y))), int(np.argmin(abs(demo.x)))
    assert da["lon"].values[j, i] == pytest.approx(o["longitude_deg"], abs=1e-9)
    assert da["lat"].values[j, i] == pytest.approx(o["latitude_deg"], abs=1e-9)
    assert CRS.from_wkt(da.attrs["crs_wkt"]).equals(CRS.from_proj4(_local_proj(d)))


# --- population import ------------------------------------------------------------------------


def _worldpop_like(tmp_path, d):
    """A 3-arc-second (~90 m) count raster in EPSG:4326 over part of the demo grid, and the same
    pixels as a polygon layer (GeoPackage) with the same counts."""
    o = d["origin"]
    rng = np.random.default_rng(20)
    nrow, ncol = 12, 15
    res = 3 / 3600
    west, north = o["longitude_deg"] - 0.004, o["latitude_deg"] + 0.006
    counts = rng.uniform(0, 40, (nrow, ncol)).round(1)
    counts[0, 0] = -9999.0  # nodata
    # (rasterio.transform.from_origin warns under affine 3: the transform written out.)
    tr = rasterio.transform.Affine(res, 0.0, west, 0.0, -res, north)
    tif = tmp_path / "pop.tif"
    with rasterio.open(tif, "w", driver="GTiff", height=nrow, width=ncol, count=1, dtype="float64",
                       crs="EPSG:4326", transform=tr, nodata=-9999.0) as ds:
        ds.write(counts, 1)
    cells = [box(west + c * res, north - (r + 1) * res, west + (c + 1) * res, north - r * res)
             for r in range(nrow) for c in range(ncol)]
    people = np.where(counts < 0, 0.0, counts).ravel()
    gpkg = tmp_path / "pop.gpkg"
    gpd.GeoDataFrame({"population": people}, geometry=cells, crs="EPSG:4326").to_file(gpkg, layer="pop")
    return tif, gpkg, float(people.sum())


def test_population_raster_and_polygons_give_the_same_people_on_the_grid(tmp_path):
    study = qra.Study.from_file(DEMO)
    d = study.to_dict()
    tif, gpkg, total = _worldpop_like(tmp_path, d)
    r = gis.population_from_raster(tif, study, indoor_fraction_day=0.9)
    # People conserved by the resampling (to round-off).
    assert sum(r["counts"]) == pytest.approx(total, rel=1e-12)
    assert r["indoor_fraction_day"] == 0.9
    polys = gis.population_from_polygons(gpkg, study)
    assert sum(p["count_day"] for p in polys) == pytest.approx(total, rel=1e-12)
    a = gis.with_population(study, rasters=[r], replace=True)
    b = gis.with_population(study, polygons=polys, replace=True)
    _, _, ca = gis.population_on_grid(a)
    _, _, cb = gis.population_on_grid(b)
    # The layer lies inside the grid: every person is on it, in both imports, within 0.5 %.
    assert ca.sum() == pytest.approx(total, rel=5e-3)
    assert cb.sum() == pytest.approx(total, rel=5e-3)
    assert ca.sum() == pytest.approx(cb.sum(), rel=5e-3)
    # And where they are agrees: the people-weighted centres within one cell (10 m).
    x, y, _ = gis.population_on_grid(a)
    for c in (ca, cb):
        assert np.isfinite(c).all() and (c >= 0).all()
    cxa, cxb = (ca.sum(0) @ x) / ca.sum(), (cb.sum(0) @ x) / cb.sum()
    cya, cyb = (ca.sum(1) @ y) / ca.sum(), (cb.sum(1) @ y) / cb.sum()
    h = d["grid"]["resolution_m"]
    assert abs(cxa - cxb) < h and abs(cya - cyb) < h
    # Both studies run.
    assert a.run().pll > 0 and b.run().pll > 0


def test_population_from_csv_points_conserves_people(tmp_path):
    study = qra.Study.from_file(DEMO)
    o = study.to_dict()["origin"]
    p = tmp_path / "pts.csv"
    p.write_text("lon,lat,day,night\n"
                 f"{o['longitude_deg'] + 0.001},{o['latitude_deg'] + 0.001},120,30\n"
                 f"{o['longitude_deg'] - 0.002},{o['latitude_deg']},80.5,200\n", encoding="utf-8")
    r = gis.population_from_csv(p, study, count_day="day", count_night="night")
    assert sum(r["counts"]) == pytest.approx(200.5, rel=1e-12)
    assert sum(r["counts_night"]) == pytest.approx(230.0, rel=1e-12)
    # The first point: 0.001° east of the origin at 32.2° N is ~94.3 m east (pyproj, independent).
    t = Transformer.from_crs("EPSG:4326", _local_proj(study.to_dict()), always_xy=True)
    x, y = t.transform(o["longitude_deg"] + 0.001, o["latitude_deg"] + 0.001)
    c = np.asarray(r["counts"]).reshape(r["ny"], r["nx"])
    j, i = np.argwhere(c == 120.0)[0]
    assert abs(r["x0_m"] + (i + 0.5) * r["cell_size_m"] - x) <= r["cell_size_m"] / 2
    assert abs(r["y0_m"] + (j + 0.5) * r["cell_size_m"] - y) <= r["cell_size_m"] / 2
    with pytest.raises(qra.InvalidInputError, match="nope"):
        gis.population_from_csv(p, study, count_day="nope")


def test_polygon_with_a_hole_is_not_silently_filled(tmp_path):
    study = qra.Study.from_file(DEMO)
    o = study.to_dict()["origin"]
    lo, la = o["longitude_deg"], o["latitude_deg"]
    ring = box(lo, la, lo + 0.01, la + 0.01).difference(box(lo + 0.004, la + 0.004, lo + 0.006, la + 0.006))
    g = gpd.GeoDataFrame({"population": [100.0]}, geometry=[ring], crs="EPSG:4326")
    with pytest.raises(qra.NotImplementedYetError, match="holes"):
        gis.population_from_polygons(g, study)


# --- positions in other CRSs ----------------------------------------------------------------


def test_positions_in_wgs84_and_gauss_krueger_read_as_the_local_study():
    local = qra.Study.from_file(PARK).to_dict()
    for name in ("sample_park_epsg4326.json", "sample_park_epsg4549.json"):
        d = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert d["crs"].startswith("EPSG:")
        assert qra.Study.from_dict(d).to_dict() == local, name


# --- coverage warnings ------------------------------------------------------------------------


def test_contour_at_a_limit_cut_by_the_grid_edge_warns(demo):
    d = demo.study.to_dict()
    d["grid"].update(x_min_m=-200.0, x_max_m=200.0, y_min_m=-200.0, y_max_m=200.0)
    r = qra.Study.from_dict(d).run()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r.check()
    got = [str(w.message) for w in caught if issubclass(w.category, qra.GridCoverageWarning)]
    assert any("reaches the grid edge" in m for m in got) and any("outside the grid" in m for m in got)
    msgs = gis.coverage_messages(r)
    assert msgs == got
    assert any("3e-07/year" in m for m in msgs)
    assert any("outside the grid" in m for m in msgs)  # the target at (700, 0)


def test_covered_result_does_not_warn(demo):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        demo.check()
    assert gis.coverage_messages(demo) == []


# --- notebook views and array-likes ------------------------------------------------------------


def test_html_views(demo):
    for obj, word in [(demo.study, "qra.Study"), (demo, "qra.RiskResult"), (demo.check(), "qra.Compliance"),
                      (qra.substance("chlorine"), "qra.Substance")]:
        h = obj._repr_html_()
        assert h.startswith("<div>") and word in h


def test_array_likes_accepted(demo):
    a = demo.risk_at(np.array([[0.0, 0.0], [700.0, 0.0]]))
    assert_allclose(demo.risk_at([[0.0, 0.0], [700.0, 0.0]]), a, rtol=0)
    assert_allclose(demo.risk_at((700.0, 0.0)), a[1:], rtol=0)
    with pytest.raises(ValueError, match="points"):
        demo.risk_at([1.0, 2.0, 3.0])
    s = qra.substance("chlorine")
    t = np.array([[230.0, 250.0], [270.0, 290.0]])
    p = s.vapour_pressure_pa(t)
    assert p.shape == (2, 2)
    assert p[1, 0] == s.vapour_pressure_pa(270.0)
    assert isinstance(s.vapour_pressure_pa(270.0), float)


def test_capacity_binding_names_the_target():
    s = qra.Study.from_file(DEMO)
    c = qra.park.capacity(s.run())
    b = c["binding"]
    assert b["kind"] in ("individual-risk", "societal-risk", "none")
    if b["kind"] == "individual-risk":
        assert b["target"] in {t["id"] for t in s.to_dict()["targets"]}


def test_module_namespaces_are_clean():
    import qra.gis
    import qra.linear
    import qra.park

    for m in (qra.linear, qra.park, qra.gis):
        public = {n for n in dir(m) if not n.startswith("_")}
        assert not public & {"np", "math", "Any", "ArrayLike", "NDArray", "Mapping", "dataclass"}, m.__name__


def test_substance_objects_are_accepted_where_a_name_is():
    cl2 = qra.substance("chlorine")
    by_name = qra.source.gas_discharge(0.01, 8e5, 293.15, "chlorine")
    assert qra.source.gas_discharge(0.01, 8e5, 293.15, cl2) == by_name
    assert qra.vulnerability.toxic_probit(cl2, 0.01, 600.0) == qra.vulnerability.toxic_probit("chlorine", 0.01, 600.0)
    with pytest.raises(TypeError):
        qra.vulnerability.toxic_probit(3.0, 0.01, 600.0)


def test_coverage_messages_in_chinese_use_gb36894_terms(demo):
    d = demo.study.to_dict()
    d["grid"].update(x_min_m=-200.0, x_max_m=200.0, y_min_m=-200.0, y_max_m=200.0)
    r = qra.Study.from_dict(d).run()
    zh = gis.coverage_messages(r, lang="zh")
    assert zh and all("high-sensitive" not in m for m in zh)
    assert any("高敏感防护目标（新建、改建、扩建）" in m and "网格边界" in m for m in zh)
    assert any("位于计算网格" in m for m in zh)


def test_compliance_text_uses_the_api_names(demo):
    text = str(demo.check())
    assert "(on-line-is-better)" in text and "OnLine" not in text


def test_safety_distance_polygons_as_a_layer(demo):
    g = gis.distances_gdf(demo)
    gj = demo.distance_geojson()
    assert len(g) == len(gj["features"]) > 0
    assert g.crs.equals(CRS.from_proj4(_local_proj(demo.study.to_dict())))
    assert (g.geometry.area > 0).all() and g["level"].isin([3e-7, 3e-6, 1e-5, 3e-5]).all()
