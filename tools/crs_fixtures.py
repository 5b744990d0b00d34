"""Writes a study's positions in other CRSs with pyproj, for the Rust test ``qra-core/tests/crs.rs``.

pyproj (PROJ) is an implementation independent of the core's (proj4rs): the test checks that the
same study read with positions in EPSG:4326 and in a CGCS2000 Gauss-Krueger zone gives the result
of the study in local metres. The local frame is the transverse Mercator projection of
``qra_core::risk::study::crs`` (centred on the study's origin, WGS84). Positions = installations,
population polygons, targets, facility/unit/park boundaries, pipelines, ignition sources and
congested regions; the grid and population rasters stay in local metres.

Usage: python tools/crs_fixtures.py models/studies/sample_park.toml qra-core/tests/data
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import tomllib
from pyproj import Transformer


def convert(study: dict, code: int) -> dict:
    o = study["origin"]
    local = (f"+proj=tmerc +lat_0={o['latitude_deg']} +lon_0={o['longitude_deg']} +k=1 +x_0=0 +y_0=0 "
             "+ellps=WGS84 +units=m +no_defs")
    to = Transformer.from_crs(local, f"EPSG:{code}", always_xy=True)

    def pt(p):
        x, y = to.transform(p[0], p[1])
        return [x, y]

    def ring(v):
        return [pt(p) for p in v]

    s = json.loads(json.dumps(study))
    s["crs"] = f"EPSG:{code}"
    for inst in s.get("installations", []):
        inst["x_m"], inst["y_m"] = pt([inst["x_m"], inst["y_m"]])
    for pp in s.get("population", {}).get("polygons", []):
        pp["vertices"] = ring(pp["vertices"])
    for t in s.get("targets", []):
        if "point" in t:
            t["point"] = pt(t["point"])
        if "polygon" in t:
            t["polygon"] = ring(t["polygon"])
    for key in ("facilities", "units"):
        for f in s.get(key, []):
            if "boundary" in f:
                f["boundary"] = ring(f["boundary"])
    if "park_boundary" in s:
        s["park_boundary"] = ring(s["park_boundary"])
    for pl in s.get("pipelines", []):
        pl["vertices"] = ring(pl["vertices"])
    ign = s.get("ignition", {})
    for src in ign.get("sources", []):
        if "x_m" in src:
            src["x_m"], src["y_m"] = pt([src["x_m"], src["y_m"]])
        for k in ("points", "polygon"):
            if k in src:
                src[k] = ring(src[k])
    for r in ign.get("congested_regions", []):
        r["polygon"] = ring(r["polygon"])
    return s


def main(argv: list[str]) -> None:
    src, out = Path(argv[1]), Path(argv[2])
    study = tomllib.loads(src.read_text(encoding="utf-8"))
    for code in (4326, 4549):
        path = out / f"{src.stem}_epsg{code}.json"
        path.write_text(json.dumps(convert(study, code), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print("wrote", path)


if __name__ == "__main__":
    main(sys.argv)
