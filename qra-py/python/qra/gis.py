"""GIS and data-science interoperability: population in, GIS layers out, xarray and GeoPandas.

Needs the optional ``[gis]`` extra (``pip install qra[gis]``: pyproj, rasterio, geopandas with
pyogrio and shapely, xarray); each function imports what it needs when called.

The local frame
---------------
The engine works in local metres (x east, y north). With an ``[origin]`` in the study that plane
is the transverse Mercator projection on WGS84 centred on the origin::

    +proj=tmerc +lat_0=<origin latitude> +lon_0=<origin longitude> +k=1 +x_0=0 +y_0=0
    +ellps=WGS84 +units=m

(``RiskResult.crs``; the core's ``qra_core::risk::study::crs`` documents it and its source). Every
layer written here carries that CRS, so a GIS places it exactly; a study without an origin has no
CRS and the exports that need one raise :class:`qra.InvalidInputError` naming ``origin``.

Exports
-------
:func:`write_geotiff` (IR grid, float64, north-up, CRS of the local frame), :func:`contours_gdf`
/ :func:`write_contours` (polygons with holes; GeoJSON in EPSG:4326 or GeoPackage in the local
frame; attributes ``level``, ``unit``, ``criterion``, ``classes``, ``statuses``, ``area_m2``),
:func:`targets_gdf` (protected targets with IR and verdict), :func:`distances_gdf`
(external-safety-distance polygons per enterprise and limit), :func:`to_xarray`.

Population import
-----------------
:func:`population_from_raster` (GeoTIFF counts, e.g. WorldPop/LandScan people per pixel, in any
CRS), :func:`population_from_polygons` (GeoJSON, GeoPackage, shapefile with a count column),
:func:`population_from_csv` (points with counts). Rasters and points are resampled onto a raster
of the local frame aligned with the study grid **conserving people**: each source pixel is split
into ``subdivisions``² equal parts whose centres are projected and binned (the sum of the
resampled counts equals the sum of the source counts to round-off). Polygons keep their shape
(vertices projected); the core spreads their count uniformly over their area. Day/night counts
and indoor fractions are given per layer. :func:`with_population` adds the layers to a study;
:func:`population_on_grid` gives the people per grid cell (for checks and maps).

Coverage warnings
-----------------
:func:`coverage_messages` lists the IR limits of a criteria set whose contour reaches the grid
edge (the contour, and any distance at that level, is cut by the grid) and the protected targets
outside the grid; ``RiskResult.check`` issues them as :class:`qra.GridCoverageWarning`.
"""

from __future__ import annotations

import warnings as _warnings
from pathlib import Path as _Path
from typing import Any as _Any

import numpy as _np

from qra.exceptions import GridCoverageWarning, InvalidInputError, NotImplementedYetError

__all__ = [
    "GridCoverageWarning",
    "local_crs",
    "to_xarray",
    "write_geotiff",
    "contours_gdf",
    "write_contours",
    "targets_gdf",
    "distances_gdf",
    "population_from_raster",
    "population_from_polygons",
    "population_from_csv",
    "with_population",
    "population_on_grid",
    "coverage_messages",
    "warn_coverage",
]

#: Default indoor fractions, day and night (Purple Book [M], the study defaults).
INDOOR_DAY = 0.93
INDOOR_NIGHT = 0.99


def _invalid(argument: str, value: object, rule: str) -> InvalidInputError:
    e = InvalidInputError(f"{argument} = {value}: {rule}")
    e.argument, e.value, e.rule = argument, str(value), rule
    return e


def _study_dict(study: _Any) -> dict:
    if isinstance(study, dict):
        return study
    if hasattr(study, "to_dict"):
        return study.to_dict()
    if hasattr(study, "study"):
        return study.study.to_dict()
    raise TypeError(f"study: expected qra.Study, qra.RiskResult or dict, got {type(study).__name__}")


def _proj_string(origin: dict) -> str:
    # The core's GeoOrigin::proj_string, formatted the same way.
    return (f"+proj=tmerc +lat_0={origin['latitude_deg']!r} +lon_0={origin['longitude_deg']!r} +k=1 +x_0=0 "
            "+y_0=0 +ellps=WGS84 +units=m +no_defs")


def local_crs(obj: _Any, *, required: bool = False):
    """The CRS of the local frame of a study or result as a ``pyproj.CRS`` (``None`` without origin).

    Parameters
    ----------
    obj : qra.Study, qra.RiskResult or dict
        The study (its ``origin``) or a result of it.
    required : bool
        Raise instead of returning ``None`` when there is no origin.

    Raises
    ------
    qra.InvalidInputError
        ``required`` and the study has no origin.
    """
    from pyproj import CRS

    if not isinstance(obj, dict) and hasattr(obj, "crs"):
        text = obj.crs  # a RiskResult: its local frame, or None
    else:
        origin = _study_dict(obj).get("origin")
        text = _proj_string(origin) if origin else None
    if text is None:
        if required:
            raise _invalid("origin", None, "the study needs an [origin] (latitude_deg, longitude_deg) to place its "
                           "local frame on the Earth")
        return None
    return CRS.from_proj4(text)


def _uniform_step(v: _np.ndarray, name: str) -> float:
    if len(v) < 2:
        raise _invalid(name, len(v), "the grid needs at least 2 nodes per axis for a raster")
    d = _np.diff(v)
    if not _np.allclose(d, d[0], rtol=1e-9, atol=0.0):
        raise _invalid(name, "non-uniform", "a GeoTIFF needs uniform node spacing")
    return float(d[0])


def to_xarray(result):
    """The IR grid as an ``xarray.DataArray`` named ``individual_risk`` (per year).

    Dims ``("y", "x")`` with 1-D coordinates in local metres; with an origin also 2-D ``lon`` and
    ``lat`` coordinates (WGS84 degrees, through the local frame's projection) and ``attrs``
    ``crs_wkt`` and ``proj4`` (the CF/rioxarray convention for the CRS of the x/y coordinates).
    """
    import xarray as xr

    x, y = _np.asarray(result.x), _np.asarray(result.y)
    da = xr.DataArray(
        _np.asarray(result.individual_risk),
        dims=("y", "x"),
        coords={
            "x": ("x", x, {"units": "m", "long_name": "easting in the local frame", "axis": "X"}),
            "y": ("y", y, {"units": "m", "long_name": "northing in the local frame", "axis": "Y"}),
        },
        name="individual_risk",
        attrs={"units": "per year", "long_name": "individual risk (location-specific, outdoor)"},
    )
    crs = local_crs(result)
    if crs is not None:
        from pyproj import Transformer

        t = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        xx, yy = _np.meshgrid(x, y)
        lon, lat = t.transform(xx, yy)
        da = da.assign_coords(lon=(("y", "x"), lon, {"units": "degrees_east"}),
                              lat=(("y", "x"), lat, {"units": "degrees_north"}))
        da.attrs["crs_wkt"] = crs.to_wkt()
        da.attrs["proj4"] = result.crs
    return da


def write_geotiff(result, path) -> _Path:
    """Writes the IR grid as a single-band float64 GeoTIFF in the CRS of the local frame.

    Pixel centres are the grid nodes (pixel size = grid resolution), rows from north to south
    (north-up): the affine transform is ``(dx, 0, x₀ − dx/2, 0, −dy, y_max + dy/2)``. The band
    holds IR per year (tag ``units``).

    Raises
    ------
    qra.InvalidInputError
        The study has no origin (no CRS to write), or the grid is not uniform.
    """
    import rasterio  # type: ignore[import-untyped]
    from rasterio.transform import Affine  # type: ignore[import-untyped]

    crs = local_crs(result, required=True)
    x, y = _np.asarray(result.x), _np.asarray(result.y)
    dx, dy = _uniform_step(x, "grid x"), _uniform_step(y, "grid y")
    z = _np.asarray(result.individual_risk, dtype="float64")[::-1]
    transform = Affine(dx, 0.0, x[0] - dx / 2, 0.0, -dy, y[-1] + dy / 2)
    path = _Path(path)
    with rasterio.open(path, "w", driver="GTiff", height=z.shape[0], width=z.shape[1], count=1, dtype="float64",
                       crs=rasterio.crs.CRS.from_wkt(crs.to_wkt()), transform=transform) as dst:
        dst.write(z, 1)
        dst.update_tags(units="per year", quantity="individual risk")
    return path


def _limit_labels(criteria: str | None) -> list[tuple[str, str, float]]:
    if criteria is None:
        return []
    from qra import criteria_set

    out = []
    for cls, lim in criteria_set(criteria)["individual"].items():
        for status in ("new", "in-service"):
            out.append((cls, status, float(lim[status])))
    return out


def contours_gdf(result, levels=None, criteria: str | None = "GB36894-2018"):
    """Contours as a ``geopandas.GeoDataFrame``: one row per level **reached**, a (Multi)Polygon
    with holes of the region IR ≥ level in the local frame's CRS (``None`` without origin).

    Columns: ``level`` (per year), ``unit``, ``criterion`` (the criteria set when one of its IR
    limits is the level, else ``None``), ``classes`` and ``statuses`` (comma-separated target
    classes and installation statuses whose limit is the level), ``area_m2`` (area in the local
    frame), ``geometry``.
    """
    import geopandas as gpd  # type: ignore[import-untyped]
    from shapely.geometry import MultiPolygon, Polygon  # type: ignore[import-untyped]

    labels = _limit_labels(criteria)
    rows = []
    for c in result.contours(levels):
        if not c["polygons"]:
            continue
        polys = [Polygon(p[0], [h for h in p[1:]]) for p in c["polygons"]]
        geom = polys[0] if len(polys) == 1 else MultiPolygon(polys)
        hits = [(cl, st) for cl, st, lim in labels if abs(lim - c["level"]) <= 1e-9 * c["level"]]
        rows.append({
            "level": c["level"],
            "unit": "per year",
            "criterion": criteria if hits else None,
            "classes": ",".join(h[0] for h in hits),
            "statuses": ",".join(h[1] for h in hits),
            "area_m2": float(geom.area),
            "geometry": geom,
        })
    cols = ["level", "unit", "criterion", "classes", "statuses", "area_m2", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=local_crs(result))


def write_contours(result, path, levels=None, criteria: str | None = "GB36894-2018") -> _Path:
    """Writes :func:`contours_gdf`: ``.gpkg`` as a GeoPackage layer ``contours`` in the local
    frame's CRS, ``.geojson``/``.json`` as RFC 7946 GeoJSON (EPSG:4326).

    Raises
    ------
    qra.InvalidInputError
        The study has no origin, or the suffix is neither.
    """
    path = _Path(path)
    local_crs(result, required=True)
    gdf = contours_gdf(result, levels, criteria)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        gdf.to_file(path, layer="contours", driver="GPKG")
    elif suffix in (".geojson", ".json"):
        gdf.to_crs("EPSG:4326").to_file(path, driver="GeoJSON")
    else:
        raise _invalid("path", path.name, "suffix must be .gpkg, .geojson or .json")
    return path


def targets_gdf(result, criteria: str = "GB36894-2018"):
    """Protected targets as a ``geopandas.GeoDataFrame`` (points in the local frame's CRS):
    ``id``, ``class``, ``individual_risk`` (per year), the binding ``status`` and ``limit``,
    ``pass`` (verdict under ``criteria``), ``inside_grid``, ``geometry``."""
    import geopandas as gpd  # type: ignore[import-untyped]
    from shapely.geometry import Point  # type: ignore[import-untyped]

    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", GridCoverageWarning)
        comp = result.check(criteria).targets()
    pos = result.targets()
    x, y = _np.asarray(result.x), _np.asarray(result.y)
    rows = []
    for k in range(len(pos)):
        px, py = float(pos["x_m"].iloc[k]), float(pos["y_m"].iloc[k])
        c = comp[comp["id"] == pos["id"].iloc[k]].iloc[0]
        rows.append({
            "id": str(pos["id"].iloc[k]),
            "class": str(pos["class"].iloc[k]),
            "individual_risk": float(pos["individual_risk"].iloc[k]),
            "status": c["status"],
            "limit": float(c["limit"]),
            "pass": bool(c["pass"]),
            "inside_grid": bool(x[0] <= px <= x[-1] and y[0] <= py <= y[-1]),
            "geometry": Point(px, py),
        })
    cols = ["id", "class", "individual_risk", "status", "limit", "pass", "inside_grid", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=local_crs(result))


def distances_gdf(result, criteria: str = "GB36894-2018"):
    """External-safety-distance polygons (``RiskResult.distance_geojson``) as a
    ``geopandas.GeoDataFrame`` in the local frame's CRS: one row per (enterprise, status, limit)
    that owns a region, columns ``level``, ``unit``, ``enterprise``, ``status``, ``classes``,
    ``statuses`` (comma-separated), ``geometry``.

    Raises
    ------
    qra.InvalidInputError
        The study has no origin.
    """
    import geopandas as gpd  # type: ignore[import-untyped]

    crs = local_crs(result, required=True)
    feats = result.distance_geojson(criteria)["features"]
    for f in feats:
        p = f["properties"]
        p["classes"], p["statuses"] = ",".join(p["classes"]), ",".join(p["statuses"])
    cols = ["level", "unit", "enterprise", "status", "classes", "statuses", "geometry"]
    gdf = gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326", columns=cols)
    return gdf.to_crs(crs)


# --- population import -----------------------------------------------------------------------


def _grid(d: dict) -> tuple[float, float, float, float, float]:
    g = d["grid"]
    return g["x_min_m"], g["x_max_m"], g["y_min_m"], g["y_max_m"], g["resolution_m"]


def _bin(d: dict, x: _np.ndarray, y: _np.ndarray, w_day: _np.ndarray, w_night: _np.ndarray | None,
         cell_size_m: float | None, indoor_fraction_day: float, indoor_fraction_night: float) -> dict:
    """Bins weighted local points into a raster aligned with the study grid (cell centres on grid
    nodes), just large enough to hold every point: the sum of the cells is the sum of the weights."""
    gx0, _, gy0, _, res = _grid(d)
    cell = float(cell_size_m or res)
    if not (cell > 0 and _np.isfinite(cell)):
        raise _invalid("cell_size_m", cell, "must be > 0")
    if len(x) == 0:
        raise _invalid("population", "empty", "no people to import (all counts 0 or no features)")
    # Cell k spans [ax + k·cell, ax + (k+1)·cell) with ax ≡ gx0 − cell/2 (mod cell).
    ax = gx0 - cell / 2 + _np.floor((x.min() - (gx0 - cell / 2)) / cell) * cell
    ay = gy0 - cell / 2 + _np.floor((y.min() - (gy0 - cell / 2)) / cell) * cell
    i = _np.floor((x - ax) / cell).astype(_np.int64)
    j = _np.floor((y - ay) / cell).astype(_np.int64)
    nx, ny = int(i.max()) + 1, int(j.max()) + 1
    if nx * ny > 50_000_000:
        raise _invalid("cell_size_m", cell, f"{nx} x {ny} cells exceed the limit of 50 000 000 population cells")
    flat = j * nx + i
    out = {
        "x0_m": float(ax), "y0_m": float(ay), "cell_size_m": cell, "nx": nx, "ny": ny,
        "counts": _np.bincount(flat, weights=w_day, minlength=nx * ny).tolist(),
        "indoor_fraction_day": float(indoor_fraction_day),
        "indoor_fraction_night": float(indoor_fraction_night),
    }
    if w_night is not None:
        out["counts_night"] = _np.bincount(flat, weights=w_night, minlength=nx * ny).tolist()
    return out


def _counts(a: _np.ndarray, name: str, nodata) -> _np.ndarray:
    a = _np.asarray(a, dtype="float64")
    if nodata is not None:
        a = _np.where(a == nodata, 0.0, a)
    bad = ~_np.isfinite(a) | (a < 0)
    if bad.any():
        raise _invalid(name, float(a[bad][0]), "population counts must be finite and >= 0 (nodata excepted)")
    return a


def population_from_raster(path, study, *, night_path=None, band: int = 1, cell_size_m: float | None = None,
                           subdivisions: int = 4, indoor_fraction_day: float = INDOOR_DAY,
                           indoor_fraction_night: float = INDOOR_NIGHT) -> dict:
    """A population raster of counts per pixel (GeoTIFF, any CRS: WorldPop/LandScan-style people per
    pixel) resampled onto the study's local frame, conserving people.

    Each pixel with people is split into ``subdivisions``² equal sub-pixels; their centres are
    projected to the local frame (pyproj) and their counts (pixel count / subdivisions²) binned into
    cells of ``cell_size_m`` (default: the grid resolution) aligned with the grid nodes. The total is
    conserved to round-off; the spatial error is at most half a cell plus half a sub-pixel.

    Parameters
    ----------
    path : str or os.PathLike
        Raster of day counts (persons per pixel; nodata counts as 0).
    study : qra.Study or dict
        The study (its origin and grid).
    night_path : path, optional
        Raster of night counts on the same pixels (default: the day counts).
    band : int
        Band to read.
    cell_size_m : float, optional
        Cell size of the resampled raster, m.
    subdivisions : int
        Sub-pixels per pixel side (1–32).
    indoor_fraction_day, indoor_fraction_night : float
        Indoor fractions of the layer.

    Returns
    -------
    dict
        One ``[[population.rasters]]`` entry (local metres), for :func:`with_population`.

    Raises
    ------
    qra.InvalidInputError
        No origin, no CRS in the raster, negative or non-finite counts, rasters of different shape.
    """
    import rasterio  # type: ignore[import-untyped]
    from pyproj import Transformer

    d = _study_dict(study)
    crs = local_crs(d, required=True)
    if not (isinstance(subdivisions, int) and 1 <= subdivisions <= 32):
        raise _invalid("subdivisions", subdivisions, "must be an integer in 1..32")
    with rasterio.open(path) as src:
        if src.crs is None:
            raise _invalid("path", _Path(path).name, "the raster has no CRS")
        day = _counts(src.read(band), "counts", src.nodata)
        tr, src_crs = src.transform, src.crs
    night = None
    if night_path is not None:
        with rasterio.open(night_path) as src:
            night = _counts(src.read(band), "counts_night", src.nodata)
        if night.shape != day.shape:
            raise _invalid("night_path", night.shape, f"must have the day raster's shape {day.shape}")
    mask = (day > 0) | ((night > 0) if night is not None else False)
    rows, cols = _np.nonzero(mask)
    k = subdivisions
    off = (_np.arange(k) + 0.5) / k
    sr = (rows[:, None, None] + off[None, :, None]).repeat(k, axis=2).ravel()
    sc = (cols[:, None, None] + off[None, None, :]).repeat(k, axis=1).ravel()
    # Pixel (column, row) → raster CRS by the affine transform (x = a·c + b·r + c₀, y = d·c + e·r + f₀).
    px = tr.a * sc + tr.b * sr + tr.c
    py = tr.d * sc + tr.e * sr + tr.f
    t = Transformer.from_crs(src_crs.to_wkt(), crs, always_xy=True)
    x, y = t.transform(_np.asarray(px), _np.asarray(py))
    x, y = _np.asarray(x), _np.asarray(y)
    if not (_np.isfinite(x).all() and _np.isfinite(y).all()):
        raise _invalid("path", _Path(path).name, "pixels could not be projected to the local frame")
    wd = _np.repeat(day[rows, cols] / (k * k), k * k)
    wn = _np.repeat(night[rows, cols] / (k * k), k * k) if night is not None else None
    return _bin(d, x, y, wd, wn, cell_size_m, indoor_fraction_day, indoor_fraction_night)


def population_from_csv(path, study, *, x: str = "lon", y: str = "lat", crs: str = "EPSG:4326",
                        count_day: str = "count", count_night: str | None = None,
                        cell_size_m: float | None = None, indoor_fraction_day: float = INDOOR_DAY,
                        indoor_fraction_night: float = INDOOR_NIGHT) -> dict:
    """Points with counts (CSV columns ``x``, ``y`` in ``crs``, ``count_day`` [, ``count_night``])
    binned onto a raster of the local frame aligned with the grid (people conserved exactly).

    Returns
    -------
    dict
        One ``[[population.rasters]]`` entry, for :func:`with_population`.
    """
    import pandas as pd  # type: ignore[import-untyped]
    from pyproj import Transformer

    d = _study_dict(study)
    lcrs = local_crs(d, required=True)
    df = pd.read_csv(path)
    for c in (x, y, count_day) + ((count_night,) if count_night else ()):
        if c not in df.columns:
            raise _invalid("column", c, f"not in the CSV (columns: {', '.join(map(str, df.columns))})")
    wd = _counts(df[count_day].to_numpy(), count_day, None)
    wn = _counts(df[count_night].to_numpy(), count_night, None) if count_night else None
    t = Transformer.from_crs(crs, lcrs, always_xy=True)
    lx, ly = t.transform(df[x].to_numpy(dtype="float64"), df[y].to_numpy(dtype="float64"))
    return _bin(d, _np.asarray(lx), _np.asarray(ly), wd, wn, cell_size_m, indoor_fraction_day, indoor_fraction_night)


def population_from_polygons(source, study, *, count_day: str = "population", count_night: str | None = None,
                             layer: str | None = None, indoor_fraction_day: float = INDOOR_DAY,
                             indoor_fraction_night: float = INDOOR_NIGHT, id_column: str | None = None) -> list[dict]:
    """Polygons with counts (GeoJSON, GeoPackage, shapefile or a GeoDataFrame, any CRS) as
    ``[[population.polygons]]`` entries in the local frame.

    The vertices are projected; a MultiPolygon becomes one entry per part with the count split by
    area. The core spreads each count uniformly over its polygon.

    Raises
    ------
    qra.NotImplementedYetError
        A polygon with holes (study polygons have none yet).
    qra.InvalidInputError
        No origin, no CRS in the layer, missing column, negative counts.
    """
    import geopandas as gpd  # type: ignore[import-untyped]

    d = _study_dict(study)
    lcrs = local_crs(d, required=True)
    gdf = source if isinstance(source, gpd.GeoDataFrame) else gpd.read_file(source, layer=layer)
    if gdf.crs is None:
        raise _invalid("crs", None, "the polygon layer has no CRS")
    for c in (count_day,) + ((count_night,) if count_night else ()):
        if c not in gdf.columns:
            raise _invalid("column", c, f"not in the layer (columns: {', '.join(map(str, gdf.columns))})")
    local = gdf.to_crs(lcrs)
    out = []
    for k, row in enumerate(local.itertuples(index=False)):
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        if any(p.geom_type != "Polygon" for p in parts):
            raise _invalid(f"features[{k}].geometry", geom.geom_type, "must be a Polygon or MultiPolygon")
        day = float(_counts(_np.array([getattr(row, count_day)]), count_day, None)[0])
        night = float(_counts(_np.array([getattr(row, count_night)]), count_night, None)[0]) if count_night else None
        total = sum(p.area for p in parts)
        for m, p in enumerate(parts):
            if len(p.interiors):
                raise NotImplementedYetError(
                    f"features[{k}]: population polygons with holes are not supported yet; split the polygon")
            share = p.area / total if total > 0 else 1.0 / len(parts)
            name = str(getattr(row, id_column)) if id_column else f"{k}"
            e = {
                "id": name if len(parts) == 1 else f"{name}.{m}",
                "vertices": [[float(a), float(b)] for a, b in list(p.exterior.coords)[:-1]],
                "count_day": day * share,
                "indoor_fraction_day": float(indoor_fraction_day),
                "indoor_fraction_night": float(indoor_fraction_night),
            }
            if night is not None:
                e["count_night"] = night * share
            out.append(e)
    return out


def with_population(study, rasters=(), polygons=(), *, replace: bool = False):
    """A new ``qra.Study`` with the population layers added (or replacing the study's own)."""
    from qra import Study

    d = _study_dict(study)
    pop = {"rasters": [], "polygons": []} if replace else dict(d.get("population") or {})
    pop["rasters"] = list(pop.get("rasters", [])) + list(rasters)
    pop["polygons"] = list(pop.get("polygons", [])) + list(polygons)
    d["population"] = pop
    return Study.from_dict(d)


def population_on_grid(study, night: bool = False) -> tuple[_np.ndarray, _np.ndarray, _np.ndarray]:
    """People in each grid cell (cells of one resolution centred on the grid nodes): rasters by the
    area overlap of their cells, polygons by the area of the polygon in each cell (uniform density).

    Returns
    -------
    (x, y, counts)
        Node coordinates (m) and counts, shape (len(y), len(x)); people outside the grid's cells are
        not counted.
    """
    import shapely  # type: ignore[import-untyped]

    d = _study_dict(study)
    gx0, gx1, gy0, gy1, res = _grid(d)
    nx = int(_np.floor((gx1 - gx0) / res)) + 1
    ny = int(_np.floor((gy1 - gy0) / res)) + 1
    xe = gx0 - res / 2 + res * _np.arange(nx + 1)
    ye = gy0 - res / 2 + res * _np.arange(ny + 1)
    out = _np.zeros((ny, nx))

    def overlap(edges, a0, cell, n):
        # (len(edges)-1, n) matrix of the fraction of each source cell in each grid cell (1-D).
        s = a0 + cell * _np.arange(n + 1)
        lo = _np.maximum(edges[:-1, None], s[None, :-1])
        hi = _np.minimum(edges[1:, None], s[None, 1:])
        return _np.clip(hi - lo, 0.0, None) / cell

    pop = d.get("population") or {}
    for r in pop.get("rasters", []):
        c = _np.asarray(r["counts_night"] if night and r.get("counts_night") else r["counts"]).reshape(r["ny"], r["nx"])
        ox = overlap(xe, r["x0_m"], r["cell_size_m"], r["nx"])
        oy = overlap(ye, r["y0_m"], r["cell_size_m"], r["ny"])
        out += oy @ c @ ox.T
    for p in pop.get("polygons", []):
        poly = shapely.Polygon(p["vertices"])
        total = p["count_night"] if night and p.get("count_night") is not None else p["count_day"]
        if poly.area <= 0 or total == 0:
            continue
        bx0, by0, bx1, by1 = poly.bounds
        i0, i1 = _np.searchsorted(xe, bx0, "right") - 1, _np.searchsorted(xe, bx1, "left")
        j0, j1 = _np.searchsorted(ye, by0, "right") - 1, _np.searchsorted(ye, by1, "left")
        i0, j0 = max(i0, 0), max(j0, 0)
        i1, j1 = min(i1, nx), min(j1, ny)
        if i0 >= i1 or j0 >= j1:
            continue
        ii, jj = _np.meshgrid(_np.arange(i0, i1), _np.arange(j0, j1))
        boxes = shapely.box(xe[ii], ye[jj], xe[ii + 1], ye[jj + 1])
        out[jj, ii] += shapely.area(shapely.intersection(boxes, poly)) / poly.area * total
    x = gx0 + res * _np.arange(nx)
    y = gy0 + res * _np.arange(ny)
    return x, y, out


# --- coverage warnings -----------------------------------------------------------------------


#: Chinese terms of GB 36894-2018 for the classes and statuses in Chinese messages.
_ZH = {"high-sensitive": "高敏感防护目标", "important": "重要防护目标", "general-1": "一般防护目标中的一类",
       "general-2": "一般防护目标中的二类", "general-3": "一般防护目标中的三类", "new": "新建、改建、扩建", "in-service": "在役"}


def coverage_messages(result, criteria: str = "GB36894-2018", lang: str = "en") -> list[str]:
    """Messages for the IR limits of ``criteria`` whose contour reaches the grid edge (IR ≥ limit at
    a border node: the contour and any distance at that level are cut by the grid) and for the
    protected targets outside the grid (their IR is exact, but the map does not show them).
    ``lang`` ``"en"`` or ``"zh"`` (GB 36894 terms)."""
    zh = lang == "zh"
    z = _np.asarray(result.individual_risk)
    x, y = _np.asarray(result.x), _np.asarray(result.y)
    out = []
    if z.size:
        border = max(float(_np.nanmax(z[0])), float(_np.nanmax(z[-1])), float(_np.nanmax(z[:, 0])),
                     float(_np.nanmax(z[:, -1])))
        by_level: dict[float, list[str]] = {}
        for cls, status, lim in _limit_labels(criteria):
            if border >= lim:
                by_level.setdefault(lim, []).append(f"{_ZH[cls]}（{_ZH[status]}）" if zh else f"{cls} ({status})")
        for lim in sorted(by_level, reverse=True):
            if zh:
                out.append(f"{criteria} 的 {lim:g}/年 等值线（{'、'.join(by_level[lim])}）到达计算网格边界（边界上个人风险最高 "
                           f"{border:.3g}/年）：请扩大 [grid]；该水平的等值线和距离被网格截断")
            else:
                out.append(f"the {lim:g}/year contour of {criteria} ({', '.join(by_level[lim])}) reaches the grid edge "
                           f"(IR up to {border:.3g}/year on the border): enlarge [grid]; contours and distances at this "
                           "level are cut by the grid")
    t = result.targets()
    for k in range(len(t)):
        px, py = float(t["x_m"].iloc[k]), float(t["y_m"].iloc[k])
        if not (x[0] <= px <= x[-1] and y[0] <= py <= y[-1]):
            if zh:
                out.append(f"防护目标 '{t['id'].iloc[k]}'（{px:.0f}, {py:.0f} m）位于计算网格 [{x[0]:.0f}, {x[-1]:.0f}] × "
                           f"[{y[0]:.0f}, {y[-1]:.0f}] m 之外：其个人风险已计算，但风险图和等值线未覆盖")
            else:
                out.append(f"protected target '{t['id'].iloc[k]}' at ({px:.0f}, {py:.0f}) m lies outside the grid "
                           f"[{x[0]:.0f}, {x[-1]:.0f}] x [{y[0]:.0f}, {y[-1]:.0f}] m: its IR is computed, but the map and "
                           "contours do not cover it")
    return out


def warn_coverage(result, criteria: str = "GB36894-2018") -> None:
    """Issues :func:`coverage_messages` as :class:`qra.GridCoverageWarning` (``RiskResult.check``)."""
    for m in coverage_messages(result, criteria):
        _warnings.warn(m, GridCoverageWarning, stacklevel=3)
