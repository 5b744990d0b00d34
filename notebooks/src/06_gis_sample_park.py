# %% [markdown]
# # 06 — The sample park with GIS inputs and outputs
#
# Consultants bring site data from GIS and hand maps back to GIS. This notebook takes the sample
# park (`models/studies/sample_park.toml`) through that loop with `qra.gis` (the optional `[gis]`
# extra: pyproj, rasterio, geopandas, xarray):
#
# 1. positions written in the Chinese **CGCS2000 3-degree Gauss–Krüger** zone CM 120°E (EPSG:4549)
#    instead of local metres;
# 2. population from a **WorldPop-style GeoTIFF** (people per 3″ pixel, EPSG:4326) and a
#    **GeoPackage polygon layer**, resampled onto the local frame conserving people;
# 3. results out as a **GeoTIFF** of the IR grid, **contour polygons** (GeoPackage and GeoJSON),
#    protected targets with their verdict, and an **xarray** DataArray.
#
# The local frame (x east, y north, metres) is the transverse Mercator projection on WGS84
# centred on the study's `[origin]`; every layer written carries that CRS.
# %%
import json
import tempfile
import warnings
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import rasterio
from IPython.display import display
from rasterio.transform import Affine
from shapely.geometry import box

import qra
from qra import gis

root = Path.cwd().parent
out = Path(tempfile.mkdtemp(prefix="qra-gis-"))
# %% [markdown]
# ## 1. Positions in a Gauss–Krüger zone
# `qra-core/tests/data/sample_park_epsg4549.json` is the sample park with every position
# (installations, population polygons, targets, boundaries) converted by pyproj to EPSG:4549,
# `[easting, northing]` in metres, and `crs = "EPSG:4549"`. qra converts them to the local frame
# when it reads the study (to the millimetre), so it is the same study.
# %%
gk = json.loads((root / "qra-core/tests/data/sample_park_epsg4549.json").read_text(encoding="utf-8"))
print(gk["crs"], "first installation at E, N =", gk["installations"][0]["x_m"], gk["installations"][0]["y_m"])
study = qra.Study.from_dict(gk)
local = qra.Study.from_file(root / "models/studies/sample_park.toml")
assert study.to_dict() == local.to_dict()
display(study)
# %% [markdown]
# ## 2. Population from GIS layers
# A synthetic WorldPop-style raster (people per 3″ pixel, about 79 m × 93 m here) around the
# town east of the park, and a polygon layer of two residential blocks with day and night counts.
# In a real study these files come from WorldPop/LandScan and the planning bureau.
# %%
o = gk["origin"]
res = 3 / 3600
west, north = o["longitude_deg"] + 0.012, o["latitude_deg"] + 0.006
rng = np.random.default_rng(6)
pixels = rng.gamma(2.0, 15.0, (20, 16)).round()
with rasterio.open(out / "worldpop_like.tif", "w", driver="GTiff", height=20, width=16, count=1, dtype="float64",
                   crs="EPSG:4326", transform=Affine(res, 0.0, west, 0.0, -res, north)) as ds:
    ds.write(pixels, 1)
blocks = gpd.GeoDataFrame(
    {"name": ["north estate", "riverside"], "day": [1200.0, 300.0], "night": [2500.0, 700.0]},
    geometry=[box(o["longitude_deg"] - 0.016, o["latitude_deg"] + 0.010, o["longitude_deg"] - 0.010, o["latitude_deg"] + 0.014),
              box(o["longitude_deg"] - 0.006, o["latitude_deg"] - 0.020, o["longitude_deg"] + 0.004, o["latitude_deg"] - 0.016)],
    crs="EPSG:4326")
blocks.to_file(out / "blocks.gpkg", layer="blocks")

raster = gis.population_from_raster(out / "worldpop_like.tif", study, indoor_fraction_day=0.9)
polys = gis.population_from_polygons(out / "blocks.gpkg", study, count_day="day", count_night="night",
                                     id_column="name")
print(f"GeoTIFF: {pixels.sum():.0f} people in, {sum(raster['counts']):.0f} on the resampled raster "
      f"({raster['nx']} x {raster['ny']} cells of {raster['cell_size_m']:.0f} m)")
print(f"GeoPackage: {blocks['day'].sum():.0f} people by day, {blocks['night'].sum():.0f} at night")
study = gis.with_population(study, rasters=[raster], polygons=polys)
x, y, people = gis.population_on_grid(study)
print(f"people on the grid (day): {people.sum():.0f}")
# %% [markdown]
# ## 3. Run and export
# %%
result = study.run()
display(result)
# %% [markdown]
# `check` warns (`qra.GridCoverageWarning`) when a contour at one of the criteria set's limits
# reaches the grid edge: here the 3e-6 and 3e-7 /year contours leave the sample park's 5 km grid
# along the east–west wind directions, so the distances at those levels are cut by the grid.
# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    compliance = result.check("GB36894-2018")
for w in caught:
    print("warning:", w.message)
display(compliance)
# %%
tif = gis.write_geotiff(result, out / "individual_risk.tif")
gpkg = gis.write_contours(result, out / "contours.gpkg")
geojson = gis.write_contours(result, out / "contours.geojson")
targets = result.targets_gdf()
targets.to_file(out / "targets.gpkg", layer="targets")
with rasterio.open(tif) as ds:
    print(f"{tif.name}: {ds.width} x {ds.height} pixels, {ds.dtypes[0]}, transform {tuple(ds.transform)[:6]}")
    print("CRS:", result.crs)
contours = gpd.read_file(gpkg, layer="contours")
contours[["level", "criterion", "classes", "statuses", "area_m2"]]
# %%
targets[["id", "class", "individual_risk", "limit", "pass", "inside_grid"]]
# %% [markdown]
# The GeoPackage layers open in QGIS/ArcGIS at their place; the GeoJSON is RFC 7946 (longitude,
# latitude). A map of the contours at the GB 36894 limits with the targets:
# %%
fig, ax = plt.subplots(figsize=(6.5, 6))
limits = contours[contours["criterion"].notna()].sort_values("level")
limits.plot(ax=ax, column="level", cmap="autumn_r", alpha=0.5, edgecolor="k", linewidth=0.5, legend=False)
targets.plot(ax=ax, color=["tab:green" if p else "tab:red" for p in targets["pass"]], markersize=30)
for _, t in targets.iterrows():
    ax.annotate(t["id"], (t.geometry.x, t.geometry.y), fontsize=7, xytext=(4, 4), textcoords="offset points")
ax.set_title("IR contours at the GB 36894-2018 limits (local frame, m)")
ax.set_aspect("equal")
# %% [markdown]
# ## 4. xarray
# The IR grid as a DataArray with local x/y and WGS84 lon/lat coordinates and the CRS in `attrs`.
# %%
da = result.to_xarray()
print(da.attrs["proj4"])
da.sel(x=slice(-500, 500), y=slice(-500, 500)).max().item()
