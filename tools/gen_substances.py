#!/usr/bin/env python3
"""Generate ``models/substances.toml`` — the built-in substance database of qra.

Physical properties are computed once from the ``chemicals``/``thermo`` packages (Bell, C. et al.,
Chemical Engineering Design Library, MIT licence; https://pypi.org/project/thermo/), which in turn
cite DIPPR, Yaws, Poling et al. (2001) and the CRC Handbook. Toxic, regulatory and fire values come
from the literature table below, each with its source and a verification tag:

  [V] read in the primary text, [S] read in a secondary source that cites it,
  [M] recalled domain value, NOT re-verified against the original — treat as provisional.

Run (validation/tooling environment only, never a runtime dependency of qra):
    python -m venv /tmp/genv && /tmp/genv/bin/pip install chemicals thermo
    /tmp/genv/bin/python tools/gen_substances.py > models/substances.toml
"""
from __future__ import annotations

import math
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
from thermo import Chemical  # noqa: E402

R = 8.314462618

PB = "TNO Purple Book CPR 18E (1999) Table 5.2, probit constants for lethality (table number per a secondary source [S]; values not re-read), C in mg/m3, t in min"
PB_CL = "TNO Purple Book CPR 18E (1999) Table 5.2, chlorine, as transcribed by two secondary sources (issue 16 reviewer; a public QRA test suite that cites PB Table 5.2); C in mg/m3, t in min"
TB = "chlorine probit quoted in issue 16 as ten Berge; primary source not read; LC50(30 min) = 520 mg/m3 against 1116 mg/m3 for the purple-book set; C in mg/m3, t in min"
CL = "CCPS (2000) Guidelines for Chemical Process Quantitative Risk Analysis 2nd ed., section 2.3.1 table of probit constants for lethal toxicity (table number not verified; after Eisenberg et al. 1975, reproduced in Crowl & Louvar 2011 Table 2-5), C in ppm, t in min"
WL = "Withers & Lees (1985) J. Hazard. Mater. 12, 231-282, chlorine probit (regular population), C in ppm, t in min"
NIOSH = "NIOSH IDLH values (CDC, 1994 revision)"
AIHA = "AIHA ERPG values (AIHA Emergency Response Planning Guidelines handbook)"
GB = "GB 18218-2018 Tables 1-4 (via shared/reference/standards.md section 6)"
SFPE = "Babrauskas, SFPE Handbook of Fire Protection Engineering, large-pool burning rates m''_inf"

# name, thermo query, zh, aliases, state class, flammable, extra
# state class: gas (permanent / cryogenic gas), liquefied (liquefied under pressure at 25 C),
# liquid, solid
SUBSTANCES: list[dict] = [
    dict(name="chlorine", q="chlorine", zh="氯", aliases=["Cl2", "液氯"], state="liquefied", flammable=False,
         probits=[("purple-book", -6.35, 0.5, 2.75, "mg/m3", PB_CL, "S"), ("ten-berge", -5.3, 0.5, 2.75, "mg/m3", TB, "M"),
                  ("withers-lees-1985", -8.29, 0.92, 2.0, "ppm", WL, "S"), ("eisenberg", -8.29, 0.92, 2.0, "ppm", CL, "M")],
         idlh=10, erpg2=3, erpg3=20, gb=(5, "named", 4, "S")),
    dict(name="ammonia", q="ammonia", zh="氨", aliases=["NH3", "液氨"], state="liquefied", flammable=True,
         probits=[("purple-book", -15.6, 1.0, 2.0, "mg/m3", PB, "M"), ("eisenberg", -35.9, 1.85, 2.0, "ppm", CL, "M")],
         idlh=300, erpg2=150, erpg3=750, gb=(10, "named", 2, "S")),
    dict(name="phosgene", q="phosgene", zh="光气", aliases=["碳酰氯", "COCl2", "carbonyl chloride"], state="liquefied", flammable=False,
         probits=[("purple-book", -10.6, 2.0, 1.0, "mg/m3", PB, "M"), ("eisenberg", -19.27, 3.686, 1.0, "ppm", CL, "M")],
         idlh=2, erpg2=0.5, erpg3=1.5, gb=(0.3, "named", 20, "S")),
    dict(name="hydrogen sulfide", q="hydrogen sulfide", zh="硫化氢", aliases=["H2S"], state="liquefied", flammable=True,
         probits=[("purple-book", -11.5, 1.0, 1.9, "mg/m3", PB, "M"), ("eisenberg", -31.42, 3.008, 1.43, "ppm", CL, "M")],
         idlh=100, erpg2=30, erpg3=100, gb=(5, "named", 5, "S")),
    dict(name="hydrogen fluoride", q="hydrogen fluoride", zh="氟化氢", aliases=["HF", "无水氟化氢"], state="liquid", flammable=False,
         probits=[("purple-book", -8.4, 1.0, 1.5, "mg/m3", PB, "M"), ("eisenberg", -35.87, 3.354, 1.0, "ppm", CL, "M")],
         idlh=30, erpg2=20, erpg3=50, gb=(1, "named", 5, "S")),
    dict(name="hydrogen cyanide", q="hydrogen cyanide", zh="氰化氢", aliases=["HCN"], state="liquid", flammable=True,
         probits=[("purple-book", -9.8, 1.0, 2.4, "mg/m3", PB, "M"), ("eisenberg", -29.42, 3.008, 1.43, "ppm", CL, "M")],
         idlh=50, erpg2=10, erpg3=25, gb=(1, "named", 10, "S")),
    dict(name="sulfur dioxide", q="sulfur dioxide", zh="二氧化硫", aliases=["SO2"], state="liquefied", flammable=False,
         probits=[("purple-book", -19.2, 1.0, 2.4, "mg/m3", PB, "M"), ("eisenberg", -15.67, 2.10, 1.0, "ppm", CL, "M")],
         idlh=100, erpg2=3, erpg3=15, gb=(20, "named", 2, "S")),
    dict(name="hydrogen chloride", q="hydrogen chloride", zh="氯化氢", aliases=["HCl", "无水氯化氢"], state="liquefied", flammable=False,
         probits=[("purple-book", -37.3, 3.69, 1.0, "mg/m3", PB, "M"), ("eisenberg", -16.85, 2.0, 1.0, "ppm", CL, "M")],
         idlh=50, erpg2=20, erpg3=150, gb=(20, "named", 3, "S")),
    dict(name="methyl isocyanate", q="methyl isocyanate", zh="异氰酸甲酯", aliases=["MIC"], state="liquid", flammable=True,
         probits=[("purple-book", -1.2, 1.0, 0.7, "mg/m3", PB, "M"), ("eisenberg", -5.642, 1.637, 0.653, "ppm", CL, "M")],
         idlh=3, erpg2=0.25, erpg3=1.5, gb=(0.75, "named", 20, "S")),
    dict(name="acrylonitrile", q="acrylonitrile", zh="丙烯腈", aliases=["ACN", "vinyl cyanide"], state="liquid", flammable=True,
         probits=[("purple-book", -8.6, 1.0, 1.3, "mg/m3", PB, "M"), ("eisenberg", -29.42, 3.008, 1.43, "ppm", CL, "M")],
         idlh=85, erpg2=35, erpg3=75, gb=(50, "named", 1, "M"), burn=None),
    dict(name="benzene", q="benzene", zh="苯", aliases=["C6H6"], state="liquid", flammable=True,
         probits=[("eisenberg", -109.78, 5.3, 2.0, "ppm", CL, "M")],
         idlh=500, erpg2=150, erpg3=1000, gb=(50, "named", 1, "S"), burn=(0.085, SFPE, "M")),
    dict(name="toluene", q="toluene", zh="甲苯", aliases=["methylbenzene"], state="liquid", flammable=True,
         probits=[("eisenberg", -6.794, 0.408, 2.5, "ppm", CL, "M")],
         idlh=500, erpg2=300, erpg3=1000, gb=(500, "named", 1, "S")),
    dict(name="xylene", q="p-xylene", zh="二甲苯", aliases=["p-xylene", "mixed xylenes"], state="liquid", flammable=True,
         idlh=900, gb=(5000, "W5.4", 1, "M"), burn=(0.090, SFPE, "M"), note="represented by p-xylene"),
    dict(name="styrene", q="styrene", zh="苯乙烯", aliases=["vinylbenzene"], state="liquid", flammable=True,
         idlh=700, erpg2=250, erpg3=1000, gb=(500, "named", 1, "S")),
    dict(name="methanol", q="methanol", zh="甲醇", aliases=["MeOH", "methyl alcohol"], state="liquid", flammable=True,
         idlh=6000, erpg2=1000, erpg3=5000, gb=(500, "named", 1, "S"), burn=(0.017, SFPE, "M")),
    dict(name="ethanol", q="ethanol", zh="乙醇", aliases=["EtOH", "ethyl alcohol"], state="liquid", flammable=True,
         idlh=3300, gb=(500, "named", 1, "S"), burn=(0.015, SFPE, "M")),
    dict(name="acetone", q="acetone", zh="丙酮", aliases=["propanone"], state="liquid", flammable=True,
         idlh=2500, gb=(500, "named", 1, "S"), burn=(0.041, SFPE, "M")),
    dict(name="gasoline", q="n-heptane", zh="汽油", aliases=["petrol"], state="liquid", flammable=True,
         idlh=None, gb=(200, "named", 1.5, "S"), burn=(0.055, SFPE, "M"),
         note="pseudo-component: thermodynamic properties of n-heptane (a common gasoline surrogate); real gasoline is more volatile (RVP 45-90 kPa)"),
    dict(name="diesel", q="n-dodecane", zh="柴油", aliases=["diesel fuel", "gas oil"], state="liquid", flammable=True,
         gb=(5000, "named", 1, "M"), burn=(0.045, SFPE, "M"),
         note="pseudo-component: thermodynamic properties of n-dodecane"),
    dict(name="crude oil", q="n-decane", zh="原油", aliases=["crude", "petroleum"], state="liquid", flammable=True,
         gb=(5000, "named", 1, "M"), burn=(0.035, SFPE, "M"),
         note="pseudo-component: thermodynamic properties of n-decane; burning rate mid-range of 0.022-0.045 kg/m2/s"),
    dict(name="propane", q="propane", zh="丙烷", aliases=["C3H8"], state="liquefied", flammable=True,
         idlh=2100, gb=(50, "named", 1.5, "S"), burn=(0.099, SFPE, "M")),
    dict(name="lpg", q="propane", zh="液化石油气", aliases=["LPG", "liquefied petroleum gas"], state="liquefied", flammable=True,
         gb=(50, "named", 1.5, "S"), burn=(0.099, SFPE, "M"),
         note="pseudo-component: properties of propane (commercial propane grade LPG)"),
    dict(name="n-butane", q="butane", zh="正丁烷", aliases=["butane"], state="liquefied", flammable=True,
         idlh=1600, gb=(50, "named", 1.5, "S"), burn=(0.078, SFPE, "M")),
    dict(name="isobutane", q="isobutane", zh="异丁烷", aliases=["2-methylpropane"], state="liquefied", flammable=True,
         gb=(50, "named", 1.5, "S"), burn=(0.078, SFPE, "M")),
    dict(name="methane", q="methane", zh="甲烷", aliases=["CH4", "natural gas", "天然气"], state="gas", flammable=True,
         gb=(50, "named", 1.5, "S"), burn=(0.078, SFPE, "M")),
    dict(name="lng", q="methane", zh="液化天然气", aliases=["LNG", "liquefied natural gas"], state="gas", flammable=True,
         gb=(50, "named", 1.5, "S"), burn=(0.078, SFPE, "M"),
         note="pseudo-component: properties of methane"),
    dict(name="ethane", q="ethane", zh="乙烷", aliases=["C2H6"], state="liquefied", flammable=True,
         gb=(10, "W2", 1.5, "M")),
    dict(name="ethylene", q="ethylene", zh="乙烯", aliases=["ethene", "C2H4"], state="liquefied", flammable=True,
         gb=(50, "named", 1.5, "S")),
    dict(name="propylene", q="propylene", zh="丙烯", aliases=["propene", "C3H6"], state="liquefied", flammable=True,
         gb=(10, "W2", 1.5, "M")),
    dict(name="1,3-butadiene", q="1,3-butadiene", zh="1,3-丁二烯", aliases=["butadiene"], state="liquefied", flammable=True,
         idlh=2000, gb=(5, "named", 1.5, "S")),
    dict(name="hydrogen", q="hydrogen", zh="氢", aliases=["H2", "氢气"], state="gas", flammable=True,
         gb=(5, "named", 1.5, "S"), burn=(0.017, SFPE, "M")),
    dict(name="ethylene oxide", q="ethylene oxide", zh="环氧乙烷", aliases=["EO", "oxirane"], state="liquefied", flammable=True,
         probits=[("purple-book", -6.8, 1.0, 1.0, "mg/m3", PB, "M"), ("eisenberg", -6.19, 1.0, 1.0, "ppm", CL, "M")],
         idlh=800, erpg2=50, erpg3=500, gb=(10, "named", 2, "S")),
    dict(name="propylene oxide", q="propylene oxide", zh="环氧丙烷", aliases=["PO", "1,2-epoxypropane"], state="liquid", flammable=True,
         probits=[("eisenberg", -7.415, 0.509, 2.0, "ppm", CL, "M")],
         idlh=400, erpg2=250, erpg3=750, gb=(10, "named", 1.5, "S")),
    dict(name="vinyl chloride", q="vinyl chloride", zh="氯乙烯", aliases=["VCM", "chloroethene"], state="liquefied", flammable=True,
         erpg2=5000, erpg3=20000, gb=(50, "named", 1.5, "S")),
    dict(name="formaldehyde", q="formaldehyde", zh="甲醛", aliases=["HCHO", "methanal"], state="liquefied", flammable=True,
         probits=[("eisenberg", -12.24, 1.3, 2.0, "ppm", CL, "M")],
         idlh=20, erpg2=10, erpg3=25, gb=(5, "named", 1.5, "S")),
    dict(name="carbon monoxide", q="carbon monoxide", zh="一氧化碳", aliases=["CO", "煤气"], state="gas", flammable=True,
         probits=[("purple-book", -7.4, 1.0, 1.0, "mg/m3", PB, "M"), ("eisenberg", -37.98, 3.7, 1.0, "ppm", CL, "M")],
         idlh=1200, erpg2=350, erpg3=500, gb=(20, "named", 2, "S")),
    dict(name="acetylene", q="acetylene", zh="乙炔", aliases=["ethyne", "C2H2"], state="gas", flammable=True,
         gb=(1, "named", 1.5, "S")),
    dict(name="cyclohexane", q="cyclohexane", zh="环己烷", aliases=["C6H12"], state="liquid", flammable=True,
         idlh=1300, gb=(500, "named", 1, "S")),
    dict(name="n-hexane", q="hexane", zh="正己烷", aliases=["hexane"], state="liquid", flammable=True,
         idlh=1100, gb=(500, "named", 1, "S"), burn=(0.074, SFPE, "M")),
    dict(name="n-heptane", q="n-heptane", zh="正庚烷", aliases=["heptane"], state="liquid", flammable=True,
         idlh=750, gb=(1000, "W5.3", 1, "M"), burn=(0.101, SFPE, "M")),
    dict(name="ethyl acetate", q="ethyl acetate", zh="乙酸乙酯", aliases=["EtOAc"], state="liquid", flammable=True,
         idlh=2000, gb=(500, "named", 1, "S")),
    dict(name="nitrogen dioxide", q="nitrogen dioxide", zh="二氧化氮", aliases=["NO2"], state="liquefied", flammable=False,
         probits=[("purple-book", -18.6, 1.0, 3.7, "mg/m3", PB, "M"), ("eisenberg", -13.79, 1.4, 2.0, "ppm", CL, "M")],
         idlh=20, erpg2=15, erpg3=30, gb=(1, "named", 10, "S")),
    dict(name="bromine", q="bromine", zh="溴", aliases=["Br2"], state="liquid", flammable=False,
         probits=[("purple-book", -12.4, 1.0, 2.0, "mg/m3", PB, "M"), ("eisenberg", -9.04, 0.92, 2.0, "ppm", CL, "M")],
         idlh=3, erpg2=0.5, erpg3=5, gb=(20, "named", 1, "S")),
    dict(name="carbon disulfide", q="carbon disulfide", zh="二硫化碳", aliases=["CS2"], state="liquid", flammable=True,
         probits=[("eisenberg", -46.56, 4.2, 1.0, "ppm", CL, "M")],
         idlh=500, erpg2=50, erpg3=500, gb=(50, "named", 1, "S")),
    dict(name="methyl bromide", q="methyl bromide", zh="溴甲烷", aliases=["bromomethane"], state="liquefied", flammable=False,
         probits=[("eisenberg", -56.81, 5.27, 1.0, "ppm", CL, "M")],
         idlh=250, gb=(10, "named", 3, "S")),
    dict(name="dimethyl ether", q="dimethyl ether", zh="二甲醚", aliases=["DME"], state="liquefied", flammable=True,
         gb=(50, "named", 1.5, "S")),
    dict(name="methylamine", q="methylamine", zh="一甲胺", aliases=["monomethylamine"], state="liquefied", flammable=True,
         idlh=100, erpg2=100, erpg3=500, gb=(5, "named", 1.5, "S")),
    dict(name="diethyl ether", q="diethyl ether", zh="乙醚", aliases=["ether"], state="liquid", flammable=True,
         idlh=1900, gb=(10, "named", 1.5, "S")),
    dict(name="acrolein", q="acrolein", zh="丙烯醛", aliases=["propenal"], state="liquid", flammable=True,
         probits=[("purple-book", -4.1, 1.0, 1.0, "mg/m3", PB, "M"), ("eisenberg", -9.931, 2.049, 1.0, "ppm", CL, "M")],
         idlh=2, erpg2=0.15, erpg3=1.5, gb=(20, "named", 1.5, "M"),
         hc=(2.756e7, "lower heat of combustion from NIST WebBook standard enthalpy of combustion -1633 kJ/mol less 2 mol H2O condensation (2 x 44.0 kJ/mol)", "M")),
    dict(name="ammonium nitrate", q="ammonium nitrate", zh="硝酸铵", aliases=["AN"], state="solid", flammable=False,
         gb=(5, "named", 2, "S"), tnt=(0.32, "CCPS (1994) Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and BLEVEs; AN TNT equivalence range 0.3-0.55", "M"),
         note="condensed explosive: GB 18218 Q = 5 t with > 0.2 % combustibles (50 t if <= 0.2 %)"),
    dict(name="nitrocellulose", q=None, zh="硝化纤维素", aliases=["NC", "cellulose nitrate", "硝化棉"], state="solid", flammable=True,
         mw=None, gb=(1, "named", 2, "M"), tnt=(1.1, "TNT equivalence of nitrocellulose (N > 12.6 %), e.g. US DoD explosives data", "M"),
         note="condensed explosive (N content > 12.6 %); no vapour-phase properties"),
    dict(name="sodium cyanide", q="sodium cyanide", zh="氰化钠", aliases=["NaCN"], state="solid", flammable=False,
         gb=(50, "J2", 4, "M"), note="toxic solid; airborne hazard arises as HCN on contact with acids or water — model the HCN"),
]


def r(x, sig=6):
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return None
    return float(f"{x:.{sig}g}")


def antoine_fit(chem, tmin, tmax):
    """Least-squares fit of log10(P/Pa) = A - B/(T + C) to thermo's vapour-pressure model."""
    from scipy.optimize import curve_fit

    ts = np.linspace(tmin, tmax, 60)
    ps = np.array([chem.VaporPressure(t) for t in ts], dtype=float)
    ok = np.isfinite(ps) & (ps > 0)
    ts, ps = ts[ok], ps[ok]
    y = np.log10(ps)
    f = lambda t, a, b, c: a - b / (t + c)  # noqa: E731
    # start from the Clausius-Clapeyron line (C = 0), then free C
    b0, a0 = np.polyfit(-1.0 / ts, y, 1)
    p, _ = curve_fit(f, ts, y, p0=(a0, b0, 0.0), maxfev=20000)
    err = float(np.max(np.abs(10 ** (f(ts, *p) - y) - 1.0)))
    return p, ts.min(), ts.max(), err


def tq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit(k, v):
    if v is None:
        return
    if isinstance(v, bool):
        print(f"{k} = {'true' if v else 'false'}")
    elif isinstance(v, (int, float)):
        print(f"{k} = {r(v)!r}")
    elif isinstance(v, str):
        print(f"{k} = {tq(v)}")
    elif isinstance(v, list):
        print(f"{k} = [" + ", ".join(tq(x) for x in v) + "]")


def main():
    import thermo

    prov = f"thermo {thermo.__version__} (Caleb Bell, Chemical Engineering Design Library; DIPPR/Yaws/Poling-based correlations)"
    print("# qra built-in substance database — GENERATED by tools/gen_substances.py; do not edit by hand.")
    print("# SI units throughout; every value's source is in the entry's `sources` table or next to it.")
    print("# verification tags: V = read in primary text, S = secondary source citing it, M = recalled, not re-verified.")
    print('schema = "qra-substances/1"')
    print()
    for s in SUBSTANCES:
        print("[[substance]]")
        emit("name", s["name"])
        emit("name_zh", s["zh"])
        emit("aliases", s["aliases"])
        emit("state", s["state"])
        emit("flammable", s["flammable"])
        emit("toxic", bool(s.get("probits")) or s.get("idlh") is not None and s["idlh"] <= 100)
        emit("note", s.get("note"))
        c = None
        if s["q"]:
            c = Chemical(s["q"], T=298.15)
            emit("cas", c.CAS)
            emit("formula", c.formula)
            emit("molar_mass_kg_mol", c.MW / 1000.0)
            if s["state"] != "solid":
                emit("normal_boiling_point_k", c.Tb)
                emit("melting_point_k", c.Tm)
                emit("critical_temperature_k", c.Tc)
                emit("critical_pressure_pa", c.Pc)
                emit("acentric_factor", c.omega)
                tref = min(298.15, c.Tb)
                cl = Chemical(s["q"], T=tref)
                emit("liquid_density_kg_m3", cl.VolumeLiquid(tref, 101325.0) and c.MW / 1000.0 / cl.VolumeLiquid(tref, 101325.0))
                emit("liquid_density_temperature_k", tref)
                hv = c.EnthalpyVaporization(c.Tb)
                emit("heat_of_vaporisation_j_kg", hv / (c.MW / 1000.0) if hv else None)
                cpl = c.HeatCapacityLiquid(tref)
                emit("cp_liquid_j_kg_k", cpl / (c.MW / 1000.0) if cpl else None)
                cpg = c.HeatCapacityGas(298.15) / (c.MW / 1000.0)
                emit("cp_gas_j_kg_k", cpg)
                emit("heat_capacity_ratio", cpg / (cpg - R / (c.MW / 1000.0)))
                tmin = max((c.Tm or 0.0) + 1.0, min(c.Tb - 80.0, 250.0), 0.4 * c.Tc)
                tmax = min(0.97 * c.Tc, c.Tb + 150.0)
                (a, b, cc), t0, t1, err = antoine_fit(c, tmin, tmax)
                print(f"vapour_pressure = {{ a = {r(a, 8)!r}, b = {r(b, 8)!r}, c = {r(cc, 8)!r}, t_min_k = {r(t0)!r}, t_max_k = {r(t1)!r}, max_rel_error = {r(err, 3)!r} }}")
            if s["flammable"] and s.get("hc"):
                emit("heat_of_combustion_j_kg", s["hc"][0])
            elif s["flammable"] and c.Hc_lower:
                emit("heat_of_combustion_j_kg", -c.Hc_lower)
            if s["flammable"] and c.LFL and 0 < c.LFL < 1:
                emit("lfl_vol_frac", c.LFL)
            if s["flammable"] and c.UFL and 0 < c.UFL <= 1:
                emit("ufl_vol_frac", c.UFL)
        burn = s.get("burn")
        if burn:
            emit("burning_rate_kg_m2_s", burn[0])
        tnt = s.get("tnt")
        if tnt:
            emit("tnt_equivalence", tnt[0])
        th = {k: s.get(k) for k in ("idlh", "erpg2", "erpg3")}
        if any(v is not None for v in th.values()):
            print("[substance.thresholds]")
            emit("idlh_ppm", th["idlh"])
            emit("erpg2_ppm", th["erpg2"])
            emit("erpg3_ppm", th["erpg3"])
            src = []
            if th["idlh"] is not None:
                src.append(NIOSH)
            if th["erpg2"] is not None or th["erpg3"] is not None:
                src.append(AIHA)
            emit("source", "; ".join(src))
            emit("verification", "M")
        q, cat, beta, ver = s["gb"]
        print("[substance.gb18218]")
        emit("critical_quantity_t", q)
        emit("category", cat)
        emit("beta", beta)
        emit("source", GB + ("" if cat == "named" else f"; category {cat} assigned by qra from GHS class"))
        emit("verification", ver)
        print("[substance.sources]")
        if c is not None:
            emit("properties", prov + (f"; query '{s['q']}'" if s["q"] != s["name"] else ""))
        if burn:
            emit("burning_rate", f"{burn[1]} [{burn[2]}]")
        if tnt:
            emit("tnt_equivalence", f"{tnt[1]} [{tnt[2]}]")
        if s.get("hc"):
            emit("heat_of_combustion", f"{s['hc'][1]} [{s['hc'][2]}]")
        for (set_, a, b, n, unit, src, ver) in s.get("probits", []):
            print("[[substance.toxic_probit]]")
            emit("set", set_)
            emit("a", a)
            emit("b", b)
            emit("n", n)
            emit("concentration_unit", unit)
            emit("time_unit", "min")
            emit("source", src)
            emit("verification", ver)
        print()


if __name__ == "__main__":
    sys.exit(main())
