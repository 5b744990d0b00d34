#!/usr/bin/env python3
"""Generate the cross-tool validation cases from independent open implementations.

The reference values of the ``crosstool-*`` cases in ``validation/cases/`` are computed here with
other open-source tools and written as committed case files (``case.toml`` + ``PROVENANCE.md``),
so that CI compares qra with them from the stored numbers, without installing the tools. The tools
are **never** dependencies of qra; they live in a validation-only virtual environment::

    python3 -m venv /tmp/xenv
    /tmp/xenv/bin/pip install -r validation/crosstools/requirements.txt   # pinned versions
    /tmp/xenv/bin/pip install --ignore-requires-python kingery-bulmash==1.0.1
    /tmp/xenv/bin/python validation/crosstools/generate.py            # writes validation/cases/
    /tmp/xenv/bin/python validation/crosstools/generate.py --check    # only prints the values
    /tmp/xenv/bin/python validation/crosstools/generate.py --only puff_reference  # one generator

``kingery-bulmash`` 1.0.1 declares a newer ``Requires-Python`` than needed, hence the flag.

Cases written (one function each below):

* ``crosstool-fluids-gas-discharge`` — ``fluids.safety_valve.API520_A_g`` (API 520 Part I gas
  sizing, critical and sub-critical) inverted for the mass flow through a given area, and
  ``fluids.compressible.P_critical_flow``; vs ``qra_core::source::gas_discharge``.
* ``crosstool-fluids-liquid-discharge`` — ``fluids.flow_meter.flow_meter_discharge`` (ISO 5167
  orifice equation with β → 0); vs ``qra_core::source::liquid_discharge``.
* ``crosstool-hyram-bst`` — ``hyram.phys._unconfined_overpressure.BST_method`` scaled
  overpressure and impulse; vs ``qra_core::explosion::BakerStrehlowTang``.
* ``crosstool-kingery-bulmash`` — ``kingery_bulmash.Blast_Parameters`` incident overpressure and
  impulse; vs ``qra_core::explosion::TntBlast``.
* ``crosstool-hyram-thermal-probit`` / ``crosstool-hyram-blast-probit`` —
  ``hyram.qra.probits.compute_thermal_fatality_prob`` / ``compute_overpressure_fatality_prob``;
  vs ``qra_core::vulnerability::{thermal::ThermalProbit, blast::BlastProbit}``.
* ``crosstool-chemicals-properties`` — ``chemicals`` Poling Wagner/Antoine vapour-pressure
  coefficients and CRC heats of vaporisation at T_b; vs the built-in substance database.
* ``crosstool-degadis-dense-gas`` — ``degadisx.run_steady`` (DEGADIS 2.1) centreline ground-level
  concentration of two steady dense-gas releases; vs ``BritterMcQuaidPlume``.

Second round (issue 8), references written here from the published equations or with CoolProp:

* ``crosstool-gaussian-puff`` / ``-dose`` — independent implementation of the CCPS instantaneous
  puff (eq. 2.1.62) and a numerical time integral of it; vs ``GaussianPuff``.
* ``toxic-probit-reference`` — probit equation, ppm conversion, 30 min cap, analytic load of an
  exponential exposure; vs ``ToxicModel``.
* ``crosstool-blowdown-ideal-gas`` — scipy LSODA of the isentropic ideal-gas blowdown ODE;
  ``crosstool-coolprop-blowdown`` (≤ 20 bar) and ``-high-pressure`` — CoolProp real-gas blowdown;
  vs ``GasBlowdown``.
* ``crosstool-coolprop-flash-fraction`` — isenthalpic flash from CoolProp enthalpies;
  ``crosstool-coolprop-two-phase-hem`` — CoolProp HEM critical flux; ``crosstool-two-phase-omega``
  — Leung omega method; vs ``flash_fraction`` / ``two_phase_discharge``.
* ``pool-evaporation-analytic`` — semi-infinite-solid conduction and Mackay & Matsugu (hand).
* ``domino-cozzani-reference`` — Landucci et al. (2009) / Cozzani & Salzano (2004) (hand).
* ``fireball-ccps-reference`` — CCPS fireball correlations and sphere view factor (hand).
* ``crosstool-flash-fire-lfl-envelope`` / ``crosstool-flash-fire-lethality`` — independent Gaussian
  plume LFL distance, half-widths and the Purple Book 1/0 rule; vs ``GaussianPlume``,
  ``FlashFire`` and the risk engine's flash-fire footprint.
* ``jet-fire-api521-reference`` / ``jet-fire-api521-reach`` — API 521 point source (hand); vs
  ``JetFire``. ``jet-fire-chamberlain-reference`` — Chamberlain (1987) frustum geometry and SEP
  (hand); ``jet-fire-chamberlain-flux`` — its received flux by an independent fine-grid view-factor
  integral; vs ``ChamberlainJetFire``.

Each case's ``PROVENANCE.md`` states tool, version, function, licence and why values may differ.
Do not edit generated files by hand: change this script and re-run it.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
from pathlib import Path

CASES = Path(__file__).resolve().parent.parent / "cases"


def version(dist: str) -> str:
    return md.version(dist)


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(float(v))
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_case(
    case_id: str,
    title: str,
    model: str,
    adapter: str,
    criterion: dict[str, object],
    points: list[dict[str, object]],
    provenance: str,
    header_comment: str,
    check: bool,
    kind: str = "cross-tool",
) -> None:
    """Writes ``cases/<case_id>/case.toml`` and ``PROVENANCE.md`` (or prints them with --check)."""
    lines = [
        f"# GENERATED by validation/crosstools/generate.py — do not edit by hand.\n# {header_comment}",
        f'id = "{case_id}"',
        f"title = {toml_value(title)}",
        f'model = "{model}"',
        f'adapter = "{adapter}"',
        f'kind = "{kind}"',
        "fast = true",
        "",
        "[criterion]",
    ]
    lines += [f"{k} = {toml_value(v)}" for k, v in criterion.items()]
    for p in points:
        lines.append("[[point]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in p.items()]
    text = "\n".join(lines) + "\n"
    if check:
        print(text)
        return
    d = CASES / case_id
    d.mkdir(parents=True, exist_ok=True)
    (d / "case.toml").write_text(text, encoding="utf-8")
    (d / "PROVENANCE.md").write_text(provenance.strip() + "\n", encoding="utf-8")
    print(f"wrote {d} ({len(points)} points)")


# --------------------------------------------------------------------------------------------
# fluids: gas discharge


def gas_discharge(check: bool) -> None:
    from fluids.compressible import P_critical_flow
    from fluids.safety_valve import API520_A_g

    # (label, gas, M kg/mol, gamma, p0 Pa, T0 K, pa Pa, hole diameter m, Cd)
    rows = [
        ("methane 10 bar 25 mm", 0.01604, 1.31, 10e5, 288.15, 101325.0, 0.025, 1.0),
        ("methane 50 bar 10 mm", 0.01604, 1.31, 50e5, 288.15, 101325.0, 0.010, 1.0),
        ("hydrogen 100 bar 5 mm", 0.002016, 1.41, 100e5, 293.15, 101325.0, 0.005, 1.0),
        ("chlorine 7 bar 25 mm", 0.070906, 1.33, 7e5, 293.15, 101325.0, 0.025, 1.0),
        ("propane 8 bar 50 mm Cd 0.62", 0.04410, 1.13, 8e5, 293.15, 101325.0, 0.050, 0.62),
        ("ammonia 3 bar 25 mm", 0.017031, 1.31, 3e5, 293.15, 101325.0, 0.025, 1.0),
        ("air 1.5 bar 50 mm (subsonic)", 0.028965, 1.40, 1.5e5, 293.15, 101325.0, 0.050, 1.0),
        ("air 1.2 bar 50 mm (subsonic)", 0.028965, 1.40, 1.2e5, 293.15, 101325.0, 0.050, 1.0),
        ("methane 1.6 bar 25 mm (subsonic)", 0.01604, 1.31, 1.6e5, 288.15, 101325.0, 0.025, 1.0),
        ("propane 1.3 bar 25 mm Cd 0.62 (subsonic)", 0.04410, 1.13, 1.3e5, 293.15, 101325.0, 0.025, 0.62),
    ]
    points: list[dict[str, object]] = []
    for label, m, g, p0, t0, pa, d, cd in rows:
        area = 3.141592653589793 * d * d / 4.0
        # API520_A_g returns the area that passes 1 kg/s; area is linear in the mass flow, so the
        # flow through `area` is area / A(1 kg/s). Z = 1 (ideal gas), Kb = Kc = 1, Kd = Cd.
        a1 = API520_A_g(m=1.0, T=t0, Z=1.0, MW=m * 1000.0, k=g, P1=p0, P2=pa, Kd=cd, Kb=1.0, Kc=1.0)
        points.append(
            {
                "label": label,
                "output": "rate_kg_s",
                "area_m2": area,
                "pressure_pa": p0,
                "temperature_k": t0,
                "molar_mass_kg_mol": m,
                "gamma": g,
                "ambient_pressure_pa": pa,
                "discharge_coefficient": cd,
                "expected": area / a1,
            }
        )
    for g in (1.13, 1.31, 1.40, 1.67):
        points.append(
            {
                "label": f"critical pressure ratio gamma={g}",
                "output": "critical_pressure_ratio",
                "area_m2": 1e-4,
                "pressure_pa": 1e6,
                "temperature_k": 293.15,
                "molar_mass_kg_mol": 0.029,
                "gamma": g,
                "ambient_pressure_pa": 101325.0,
                "discharge_coefficient": 1.0,
                "expected": P_critical_flow(1e6, g) / 1e6,
            }
        )
    v = version("fluids")
    write_case(
        "crosstool-fluids-gas-discharge",
        "Gas discharge (choked and subsonic) vs fluids API 520 gas sizing",
        "source",
        "gas-discharge",
        {
            "max_rel_error": 0.01,
            "source": "qra tolerance policy DATA_TABLE (1 %): API 520 rounds its unit constants (C = 0.03948·√…, 17.9) to 3-4 digits",
        },
        points,
        f"""
# crosstool-fluids-gas-discharge

- **Tool:** `fluids` {v} (Caleb Bell, Chemical Engineering Design Library), MIT licence,
  <https://pypi.org/project/fluids/>. Values generated by `validation/crosstools/generate.py`.
- **Functions used:** `fluids.safety_valve.API520_A_g(m, T, Z, MW, k, P1, P2, Kd, Kb, Kc)` — API
  Standard 520 Part I relief-area equations for gas, critical (A = m/(C·K_d·P₁·K_b·K_c)·√(TZ/M))
  and sub-critical (A = 17.9·m/(F₂·K_d·K_c)·√(TZ/(M·P₁·(P₁−P₂)))), evaluated for 1 kg/s and
  inverted for the flow through the stated hole area (the area is linear in the flow);
  `fluids.compressible.P_critical_flow(P, k)` for the critical pressure ratio.
- **Inputs:** ideal gas (Z = 1), K_b = K_c = 1, K_d = C_d; molar masses and γ typed in the
  generator (rounded textbook values, not the substance database — only the flow equations are
  compared).
- **qra model:** `qra_core::source::gas_discharge` (Crowl & Louvar 2011 eqs. 4-49/4-50).
- **Independence:** different implementation and different equation form (API 520 uses the F₂
  coefficient for sub-critical flow and unit-bearing constants); mathematically both are the
  isentropic nozzle, so agreement is expected to the rounding of API 520's constants.
- **Criterion:** max relative error ≤ 1 % (`qra_core::tolerance::DATA_TABLE`).
- **Confidence:** high (closed-form equations, tool examples reproduce API 520 Examples 1 and 2).
""",
        "Reference: fluids API520_A_g inverted for the flow; P_critical_flow.",
        check,
    )


def liquid_discharge(check: bool) -> None:
    from fluids.flow_meter import flow_meter_discharge

    g = 9.80665
    # (label, density kg/m3, gauge pressure Pa, head m, hole diameter m, Cd)
    rows = [
        ("water 2 bar g 25 mm", 998.0, 2e5, 0.0, 0.025, 0.61),
        ("water 5 m head 50 mm", 998.0, 0.0, 5.0, 0.050, 0.61),
        ("benzene 3 bar g + 4 m head 25 mm", 876.0, 3e5, 4.0, 0.025, 0.61),
        ("ammonia (liquid) 7.6 bar g 10 mm", 610.0, 7.6e5, 1.0, 0.010, 0.61),
        ("chlorine (liquid) 6 bar g 50 mm Cd 1", 1410.0, 6e5, 2.0, 0.050, 1.0),
    ]
    pa = 101325.0
    points: list[dict[str, object]] = []
    for label, rho, pg, h, d, cd in rows:
        # ISO 5167 orifice equation m = C·ε·(π/4)·Do²·√(2ρΔP)/√(1 − β⁴) with a pipe 1000× the
        # orifice (β⁴ = 1e-12, i.e. a hole in a vessel wall); the liquid head enters as ρ·g·h.
        dp = pg + rho * g * h
        m = flow_meter_discharge(D=1000.0 * d, Do=d, P1=pa + dp, P2=pa, rho=rho, C=cd, expansibility=1.0)
        points.append(
            {
                "label": label,
                "area_m2": 3.141592653589793 * d * d / 4.0,
                "density_kg_m3": rho,
                "pressure_pa": pa + pg,
                "ambient_pressure_pa": pa,
                "head_m": h,
                "discharge_coefficient": cd,
                "expected": float(m),
            }
        )
    v = version("fluids")
    write_case(
        "crosstool-fluids-liquid-discharge",
        "Liquid discharge through a hole vs fluids orifice equation",
        "source",
        "liquid-discharge",
        {
            "max_rel_error": 0.005,
            "source": "qra tolerance policy WORKED_EXAMPLE (0.5 %): same Bernoulli equation; g and the β⁴ term differ by < 1e-5",
        },
        points,
        f"""
# crosstool-fluids-liquid-discharge

- **Tool:** `fluids` {v} (Caleb Bell, Chemical Engineering Design Library), MIT licence.
  Values generated by `validation/crosstools/generate.py`.
- **Function used:** `fluids.flow_meter.flow_meter_discharge(D, Do, P1, P2, rho, C,
  expansibility=1)` — ISO 5167 orifice equation ṁ = C·ε·(π/4)·D_o²·√(2ρΔP)/√(1 − β⁴) with
  D = 1000·D_o (β⁴ = 10⁻¹², a hole in a vessel wall) and the liquid head added to the pressure
  difference as ρ·g·h (g = 9.80665 m/s²).
- **qra model:** `qra_core::source::liquid_discharge` (Crowl & Louvar 2011 eq. 4-6/4-17).
- **Independence:** independent implementation of the same Bernoulli orifice equation; it checks
  units (Pa, m, kg/m³), the head term and the discharge coefficient.
- **Criterion:** max relative error ≤ 0.5 % (`qra_core::tolerance::WORKED_EXAMPLE`).
- **Confidence:** high.
""",
        "Reference: fluids.flow_meter.flow_meter_discharge with beta -> 0.",
        check,
    )


# --------------------------------------------------------------------------------------------
# kingery-bulmash: TNT blast


def kingery_bulmash(check: bool) -> None:
    import kingery_bulmash as kb

    # (TNT mass kg, distance m). Chosen to span scaled distances 0.3-30 m/kg^(1/3) and different
    # from the (W, R) pairs of the unit test qra-core/src/explosion/kb_package_values.rs.
    rows = [
        (10.0, 1.0),
        (10.0, 3.0),
        (10.0, 10.0),
        (10.0, 40.0),
        (250.0, 8.0),
        (250.0, 25.0),
        (250.0, 60.0),
        (2000.0, 20.0),
        (2000.0, 50.0),
        (2000.0, 150.0),
        (2000.0, 300.0),
        (20000.0, 100.0),
        (20000.0, 400.0),
    ]
    points: list[dict[str, object]] = []
    for w, r in rows:
        b = kb.Blast_Parameters(kb.Units.METRIC, w, r)
        z = r / w ** (1.0 / 3.0)
        points.append(
            {
                "label": f"W={w:g} kg R={r:g} m Z={z:.2f} overpressure",
                "quantity": "overpressure_pa",
                "tnt_mass_kg": w,
                "distance_m": r,
                "expected": b.incident_pressure * 1e3,  # kPa -> Pa
            }
        )
        points.append(
            {
                "label": f"W={w:g} kg R={r:g} m Z={z:.2f} impulse",
                "quantity": "impulse_pa_s",
                "tnt_mass_kg": w,
                "distance_m": r,
                "expected": b.incident_impulse,  # kPa·ms == Pa·s
            }
        )
    v = version("kingery-bulmash")
    write_case(
        "crosstool-kingery-bulmash",
        "TNT hemispherical surface burst: incident overpressure and impulse vs kingery-bulmash",
        "explosion",
        "tnt-blast",
        {
            "max_rel_error": 0.01,
            "source": "qra tolerance policy DATA_TABLE (1 %): both fit the same Swisdak (1994) polynomial tables",
        },
        points,
        f"""
# crosstool-kingery-bulmash

- **Tool:** `kingery-bulmash` {v} (PyPI, author fcento100), MIT licence,
  <https://pypi.org/project/kingery-bulmash/>; installed with `pip install --ignore-requires-python`.
  Values generated by `validation/crosstools/generate.py`.
- **Function used:** `kingery_bulmash.Blast_Parameters(Units.METRIC, neq=W, distance=R)`,
  attributes `incident_pressure` (kPa → Pa) and `incident_impulse` (kPa·ms = Pa·s).
- **qra model:** `qra_core::explosion::TntBlast::{{overpressure_pa, impulse_pa_s}}` (Kingery &
  Bulmash 1984 as re-fitted by Swisdak 1994, hemispherical surface burst).
- **Relation to the unit test:** `qra-core/src/explosion/kb_package_values.rs` (fire/explosion
  branch) checks ten (W, R) pairs from the same package inside `cargo test`; this case uses
  thirteen *different* pairs (scaled distance 0.46–22 m/kg^⅓) so the suite does not duplicate it.
- **Known differences:** the package and qra implement the same published polynomial fits;
  differences come from segment boundaries and coefficient rounding. Outside the fitted range
  (Z > 40 m/kg^⅓) the package stops and qra applies its documented far-field policy — no points
  are placed there.
- **Why not HyRAM+'s TNT model:** checked while writing this case (hyram 6.1,
  `hyram.phys._unconfined_overpressure.TNT_method.get_scaled_impulse` on
  `hyram.phys._overpressure_data.scaled_impulse_data`): its scaled impulse, labelled Pa·s/kg^⅓,
  is about 10⁵ times smaller than Kingery–Bulmash (0.00220 vs 236 Pa·s/kg^⅓ at Z = 1 m/kg^⅓;
  0.000152 vs 15.9 at Z = 20), i.e. the table is in bar·s, not Pa·s — a unit error. Its scaled
  overpressure agrees with the package within 2–7 % at Z = 1–20, but `np.interp` clamps it to the
  last tabulated value beyond the table (no far-field decay). So it is not used as a reference.
- **Criterion:** max relative error ≤ 1 % (`qra_core::tolerance::DATA_TABLE`).
- **Confidence:** high for overpressure; impulse depends on the same fit.
""",
        "Reference: kingery_bulmash.Blast_Parameters (metric).",
        check,
    )


# --------------------------------------------------------------------------------------------
# hyram: probits


def hyram_probits(check: bool) -> None:
    from hyram.qra import probits

    v = version("hyram")
    thermal_models = [("eisenberg", "eise"), ("tsao-perry", "tsao"), ("tno", "tno"), ("lees", "lees")]
    fluxes = [5e3, 10e3, 20e3, 35e3]
    times = [10.0, 20.0, 60.0]
    points: list[dict[str, object]] = []
    for q_name, h_name in thermal_models:
        for q in fluxes:
            for t in times:
                p = float(probits.compute_thermal_fatality_prob(h_name, q, t))
                # Keep points where the probability is resolvable (relative comparison).
                if 1e-4 <= p <= 0.9999:
                    points.append(
                        {
                            "label": f"{q_name} q={q / 1e3:g} kW/m2 t={t:g} s",
                            "probit": q_name,
                            "flux_w_m2": q,
                            "exposure_s": t,
                            "expected": p,
                        }
                    )
    write_case(
        "crosstool-hyram-thermal-probit",
        "Thermal-dose lethality probits vs HyRAM+ probits.py",
        "vulnerability",
        "thermal-probit",
        {
            "max_rel_error": 1e-9,
            "source": "identical closed-form probit; only the normal-CDF implementation differs (qra tolerance EXACT relaxed to 1e-9)",
        },
        points,
        f"""
# crosstool-hyram-thermal-probit

- **Tool:** HyRAM+ `hyram` {v} (Sandia National Laboratories), GPL-3.0-only,
  <https://pypi.org/project/hyram/>. Only numbers computed by it are stored here; no HyRAM code is
  copied into qra. Values generated by `validation/crosstools/generate.py`.
- **Function used:** `hyram.qra.probits.compute_thermal_fatality_prob(model, heat_flux,
  exposure_time)` with models `eise`, `tsao`, `tno`, `lees` (dose V = t·q^(4/3), q in W/m²;
  P = Φ(Y − 5) via `scipy.stats.norm.cdf`).
- **qra model:** `qra_core::vulnerability::thermal::ThermalProbit::probability`.
- **Independence:** *limited.* qra's probit constants were taken from the same HyRAM+ source
  (shared/reference/models.md §3.6), so this case checks transcription of the constants, the
  dose definition (q^(4/3), units W/m² and s), the Lees clothing factor 0.5 and the probit →
  probability conversion (statrs vs scipy), not the original publications (Eisenberg et al. 1975;
  Tsao & Perry 1979; TNO Green Book 1992; Lees 1994), which were not re-verified [M].
- **Points:** q ∈ {{5, 10, 20, 35}} kW/m², t ∈ {{10, 20, 60}} s; points with P < 10⁻⁴ or > 0.9999
  are left out (relative error meaningless there).
- **Criterion:** max relative error ≤ 10⁻⁹.
- **Confidence:** high for the agreement with HyRAM+; medium for the constants themselves.
""",
        "Reference: hyram.qra.probits.compute_thermal_fatality_prob.",
        check,
    )

    blast_models = [
        ("eisenberg", "leis", False),
        ("hse", "lhse", False),
        ("tno-head-impact", "head", True),
        ("tno-collapse", "coll", True),
    ]
    # (overpressure Pa, impulse Pa·s) pairs typical of VCE/TNT near and mid field.
    pairs = [(2e4, 500.0), (5e4, 1000.0), (1e5, 2000.0), (1.5e5, 3000.0), (2.5e5, 4000.0), (4e5, 8000.0)]
    points = []
    for q_name, h_name, uses_i in blast_models:
        for p_pa, i in pairs:
            prob = float(
                probits.compute_overpressure_fatality_prob(h_name, p_pa, i if uses_i else None)
            )
            if 1e-4 <= prob <= 0.9999:
                points.append(
                    {
                        "label": f"{q_name} P={p_pa / 1e3:g} kPa i={i:g} Pa s",
                        "probit": q_name,
                        "overpressure_pa": p_pa,
                        "impulse_pa_s": i,
                        "expected": prob,
                    }
                )
    write_case(
        "crosstool-hyram-blast-probit",
        "Overpressure lethality probits vs HyRAM+ probits.py",
        "vulnerability",
        "blast-probit",
        {
            "max_rel_error": 1e-9,
            "source": "identical closed-form probit; only the normal-CDF implementation differs (qra tolerance EXACT relaxed to 1e-9)",
        },
        points,
        f"""
# crosstool-hyram-blast-probit

- **Tool:** HyRAM+ `hyram` {v} (Sandia National Laboratories), GPL-3.0-only,
  <https://pypi.org/project/hyram/>. Only numbers computed by it are stored here.
  Values generated by `validation/crosstools/generate.py`.
- **Function used:** `hyram.qra.probits.compute_overpressure_fatality_prob(model, overp,
  impulse)` with models `leis` (Eisenberg lung haemorrhage), `lhse` (HSE), `head` (TNO head
  impact), `coll` (TNO structural collapse); overpressure in Pa, impulse in Pa·s.
- **qra model:** `qra_core::vulnerability::blast::BlastProbit::probability`.
- **Not covered:** TNO whole-body displacement (`tno-whole-body`) is not in HyRAM+; its constants
  are marked [M] in qra and remain unverified by this suite.
- **Independence:** *limited*, as for the thermal case: qra's constants were taken from HyRAM+.
  The check covers transcription, units (Pa, Pa·s; HSE's P·10⁻⁵) and the probability conversion.
- **Points:** six (P, i) pairs from 20 kPa/500 Pa·s to 400 kPa/8000 Pa·s; points with
  P < 10⁻⁴ or > 0.9999 left out.
- **Criterion:** max relative error ≤ 10⁻⁹.
- **Confidence:** high for the agreement with HyRAM+; medium for the constants themselves.
""",
        "Reference: hyram.qra.probits.compute_overpressure_fatality_prob.",
        check,
    )


def hyram_bst(check: bool) -> None:
    from hyram.phys._unconfined_overpressure import BST_method

    v = version("hyram")
    points: list[dict[str, object]] = []
    for mf in (0.2, 0.35, 0.7, 1.0, 2.0, 5.2):
        # HyRAM's BST_method needs a jet object only to find the flammable mass; the scaled
        # curves depend on the flame Mach number alone, so the object is created without it.
        m = object.__new__(BST_method)
        m.set_mach_flame_speed(mf)
        from hyram.phys import _overpressure_data as opdata

        m.scaled_peak_overpressure_data = opdata.scaled_peak_overpressure_data
        m.all_scaled_impulse_data = opdata.all_scaled_impulse_data
        for r in (0.2, 0.5, 1.0, 2.0, 5.0):
            # Documented design difference (see PROVENANCE.md): near field, HyRAM's Mf 5.2 curve
            # lies below Mf 4.0; qra takes the running maximum over Mf, so P*(5.2, 0.2) differs.
            if not (mf == 5.2 and r < 0.5):
                points.append(
                    {
                        "label": f"Mf={mf:g} R*={r:g} P*",
                        "quantity": "scaled_overpressure",
                        "flame_mach": mf,
                        "r_star": r,
                        "expected": float(m.get_scaled_overpressure(r)),
                    }
                )
            points.append(
                {
                    "label": f"Mf={mf:g} R*={r:g} i*",
                    "quantity": "scaled_impulse",
                    "flame_mach": mf,
                    "r_star": r,
                    "expected": float(m.get_scaled_impulse(r)),
                }
            )
    write_case(
        "crosstool-hyram-bst",
        "Baker-Strehlow-Tang scaled overpressure and impulse vs HyRAM+ BST_method",
        "explosion",
        "bst-scaled",
        {
            "max_rel_error": 0.10,
            "source": "qra tolerance policy DIGITISED_CURVE (10 %): both interpolate curves digitised from CCPS (2010) figures",
        },
        points,
        f"""
# crosstool-hyram-bst

- **Tool:** HyRAM+ `hyram` {v} (Sandia National Laboratories), GPL-3.0-only. Only numbers computed
  by it are stored here. Values generated by `validation/crosstools/generate.py`.
- **Function used:** `hyram.phys._unconfined_overpressure.BST_method.get_scaled_overpressure(R*)`
  and `.get_scaled_impulse(R*)` (linear `np.interp` in the digitised CCPS 2010 BST curves of
  `hyram.phys._overpressure_data`), for flame Mach numbers 0.2, 0.35, 0.7, 1.0, 2.0, 5.2 and
  Sachs-scaled distances R* = 0.2, 0.5, 1, 2, 5. The object is created without a jet (the scaled
  curves do not depend on it).
- **qra model:** `qra_core::explosion::BakerStrehlowTang::{{scaled_overpressure, scaled_impulse}}`.
- **Independence:** *limited.* qra's BST tables are the same HyRAM+ digitised points, repaired
  (sorted, duplicates merged, monotone fit) and interpolated log-log; HyRAM+ interpolates the raw
  points linearly. The case checks the repair and interpolation and the scaling conventions, not
  the CCPS figures themselves.
- **Known, documented difference (point left out):** at Mf = 5.2 and R* = 0.2 HyRAM+ gives
  P* = 8.50 and qra 11.42, because qra enforces P* non-decreasing in Mf (repair 4 in
  `qra-core/src/explosion/bst.rs`): in the digitised data the Mf 4.0 curve lies above Mf 5.2 in
  the near field, and qra uses the Mf 4.0 value there. The point is excluded from the criterion
  and recorded here; the Mf 5.2 points at R* ≥ 0.5 are kept.
- **Left out:** Mf = 3.0 (HyRAM+'s Mf 3.0 impulse table is a copy of Mf 2.0; qra drops it and
  interpolates), Mf = 1.4 and 4.0 (kept for a later extension of the points).
- **Criterion:** max relative error ≤ 10 % (`qra_core::tolerance::DIGITISED_CURVE`).
- **Confidence:** medium.
""",
        "Reference: hyram BST_method.get_scaled_overpressure / get_scaled_impulse.",
        check,
    )


# --------------------------------------------------------------------------------------------
# chemicals: vapour pressure and heat of vaporisation


def chemicals_properties(check: bool) -> None:
    from chemicals.elements import molecular_weight, simple_formula_parser
    from chemicals.phase_change import Hvap_data_CRC
    from chemicals.vapor_pressure import Antoine, Psat_data_AntoinePoling, Psat_data_WagnerPoling, Wagner

    # (qra name, CAS, temperatures K)
    subs = [
        ("chlorine", "7782-50-5", [220.0, 260.0, 293.15, 320.0]),
        ("ammonia", "7664-41-7", [220.0, 260.0, 293.15, 320.0]),
        ("propane", "74-98-6", [200.0, 250.0, 293.15, 330.0]),
        ("n-butane", "106-97-8", [250.0, 293.15, 330.0]),
        ("sulfur dioxide", "7446-09-5", [250.0, 293.15, 330.0]),
        ("hydrogen sulfide", "7783-06-4", [200.0, 250.0, 293.15]),
        ("benzene", "71-43-2", [293.15, 330.0, 353.0]),
        ("toluene", "108-88-3", [293.15, 330.0, 383.0]),
        ("methanol", "67-56-1", [293.15, 320.0, 337.0]),
        ("acetone", "67-64-1", [293.15, 320.0]),
        ("ethylene oxide", "75-21-8", [260.0, 293.15, 320.0]),
        ("vinyl chloride", "75-01-4", [250.0, 293.15, 320.0]),
    ]
    points: list[dict[str, object]] = []
    used: dict[str, str] = {}
    for name, cas, temps in subs:
        for t in temps:
            if cas in Psat_data_WagnerPoling.index:
                r = Psat_data_WagnerPoling.loc[cas]
                if not (r["Tmin"] <= t <= r["Tmax"]):
                    continue
                p = Wagner(t, r["Tc"], r["Pc"], r["A"], r["B"], r["C"], r["D"])
                used[name] = "Wagner 2.5-5 form"
            elif cas in Psat_data_AntoinePoling.index:
                r = Psat_data_AntoinePoling.loc[cas]
                if not (r["Tmin"] <= t <= r["Tmax"]):
                    continue
                p = Antoine(t, r["A"], r["B"], r["C"])
                used[name] = "Antoine"
            else:
                continue
            points.append(
                {
                    "label": f"{name} vapour pressure {t:g} K",
                    "substance": name,
                    "property": "vapour_pressure_pa",
                    "temperature_k": t,
                    "expected": float(p),
                }
            )
    hv_subs = [
        ("chlorine", "7782-50-5", "Cl2"),
        ("ammonia", "7664-41-7", "NH3"),
        ("propane", "74-98-6", "C3H8"),
        ("n-butane", "106-97-8", "C4H10"),
        ("benzene", "71-43-2", "C6H6"),
        ("toluene", "108-88-3", "C7H8"),
        ("methanol", "67-56-1", "CH4O"),
        ("sulfur dioxide", "7446-09-5", "O2S"),
        ("hydrogen sulfide", "7783-06-4", "H2S"),
    ]
    for name, cas, formula in hv_subs:
        if cas not in Hvap_data_CRC.index:
            continue
        h_mol = Hvap_data_CRC.loc[cas, "HvapTb"]
        if h_mol != h_mol:  # NaN
            continue
        mw = molecular_weight(simple_formula_parser(formula))  # g/mol
        points.append(
            {
                "label": f"{name} heat of vaporisation at Tb",
                "substance": name,
                "property": "heat_of_vaporisation_j_kg",
                "expected": float(h_mol) / mw * 1000.0,
            }
        )
    methods = "; ".join(f"{k}: {v}" for k, v in used.items())
    v = version("chemicals")
    write_case(
        "crosstool-chemicals-properties",
        "Substance database: vapour pressure and heat of vaporisation vs chemicals (Poling, CRC)",
        "substance",
        "substance-property",
        {
            "max_rel_error": 0.03,
            "source": "qra tolerance policy PROPERTY_FIT (3 %) for correlations fitted to correlations",
        },
        points,
        f"""
# crosstool-chemicals-properties

- **Tool:** `chemicals` {v} (Caleb Bell, Chemical Engineering Design Library), MIT licence,
  <https://pypi.org/project/chemicals/>. Values generated by `validation/crosstools/generate.py`.
- **Functions/data used:** vapour pressure from the coefficient tables bundled with `chemicals`:
  `chemicals.vapor_pressure.Psat_data_WagnerPoling` evaluated with `Wagner(T, Tc, Pc, A, B, C, D)`,
  else `Psat_data_AntoinePoling` with `Antoine(T, A, B, C)` — both transcribed by `chemicals` from
  Poling, Prausnitz & O'Connell (2001), *The Properties of Gases and Liquids*, 5th ed., Appendix A
  [M]; only temperatures inside the tables' stated [Tmin, Tmax] are used. Per substance: {methods}.
  Heat of vaporisation at the normal boiling point from `chemicals.phase_change.Hvap_data_CRC`
  (`HvapTb`, J/mol; CRC Handbook of Chemistry and Physics [M]) divided by the molar mass from
  `chemicals.elements.molecular_weight`.
- **qra model:** built-in substance database (`models/substances.toml`), Antoine fits
  (`Substance::vapour_pressure_pa`) and `heat_of_vaporisation_j_kg`, generated by
  `tools/gen_substances.py` from `thermo`'s default property methods.
- **Independence:** *partial.* `thermo` (used to build the database) is built on `chemicals`,
  though its default vapour-pressure method is not necessarily the Poling table, and qra then
  refits a 3-parameter Antoine equation; the comparison tests the refit and the transcription.
- **Criterion:** max relative error ≤ 3 % (`qra_core::tolerance::PROPERTY_FIT`).
- **Confidence:** medium-high.
""",
        "Reference: chemicals Poling Wagner/Antoine tables and CRC HvapTb.",
        check,
    )


# --------------------------------------------------------------------------------------------
# degadisx: DEGADIS 2.1 steady dense-gas plume

DEGADIS_DECK = """qra cross-check: {title}
generated by validation/crosstools/generate.py
.
.
{u10} 10.0 {zr}
{istab}
0.0 600.0
1 0.0
{tamb} 1.0 0.0 50.0
0 {tamb}
0 0.0
0 0.0
{gasnam}
{mw_kg_kmol} {t_gas} {rho_gas}
{cp_j_kg_k} 0.0
0.01 0.0001 0.0
0.0001
0.0
4
0.0 {rate} {radius} 1.0 {t_gas} 0.0
100000.0 {rate} {radius} 1.0 {t_gas} 0.0
100001.0 0.0 {radius} 1.0 {t_gas} 0.0
100002.0 0.0 {radius} 1.0 {t_gas} 0.0
T
generated
"""


def degadis_dense(check: bool) -> None:
    import math
    import tempfile

    import numpy as np
    from degadisx import run_steady
    from degadisx.core.steady import PROFILE_COLUMNS

    r_gas = 8.314462618
    # (label, gas, M kg/mol, T_gas K, cp J/(kg K), rate kg/s, source radius m, u10 m/s, class,
    #  T_amb K, roughness m, distances m)
    runs = [
        ("Cl2 10 kg/s D5", "CL2", 0.070906, 239.1, 479.0, 10.0, 3.0, 5.0, "D", 293.15, 0.03,
         [50.0, 100.0, 200.0, 300.0, 500.0, 700.0, 1000.0]),
        ("CO2 20 kg/s F2", "CO2", 0.04401, 293.15, 844.0, 20.0, 5.0, 2.0, "F", 293.15, 0.03,
         [50.0, 100.0, 200.0, 300.0, 500.0, 700.0, 1000.0]),
    ]
    points: list[dict[str, object]] = []
    for label, gas, m, tg, cp, rate, radius, u10, stab, tamb, zr, xs in runs:
        rho_gas = 101325.0 * m / (r_gas * tg)
        deck = DEGADIS_DECK.format(
            title=label, u10=u10, zr=zr, istab="ABCDEF".index(stab) + 1, tamb=tamb,
            gasnam=gas, mw_kg_kmol=m * 1000.0, t_gas=tg, rho_gas=round(rho_gas, 4),
            cp_j_kg_k=cp, rate=rate, radius=radius,
        )
        with tempfile.TemporaryDirectory() as d:
            f = Path(d) / "case.inp"
            f.write_text(deck, encoding="ascii")
            prof, _ = run_steady(f)
        x = prof.column(PROFILE_COLUMNS[0])
        cc = prof.column("cc")  # centreline ground-level concentration, kg/m3
        for xi in xs:
            if not (x[0] <= xi <= x[-1]):
                continue
            c = math.exp(float(np.interp(math.log(xi), np.log(x), np.log(cc))))
            points.append(
                {
                    "label": label,
                    "stability": stab,
                    "wind_m_s": u10,
                    "wind_height_m": 10.0,
                    "ambient_t_k": tamb,
                    "ambient_p_pa": 101325.0,
                    "x_m": xi,
                    "mode": "continuous",
                    "rate_kg_s": rate,
                    "molar_mass_kg_mol": m,
                    "source_t_k": tg,
                    "output": "kg_m3",
                    "expected": c,
                }
            )
    v = version("degadisx")
    write_case(
        "crosstool-degadis-dense-gas",
        "Britter-McQuaid continuous plume vs DEGADIS 2.1 (degadisx), steady dense-gas releases",
        "dispersion",
        "britter-mcquaid",
        {
            "fac2_min": 0.5,
            "fb_abs_max": 0.3,
            "source": (
                "model-to-model: FAC2 ≥ 0.5, |FB| ≤ 0.3 (the rural-gate values of shared/reference/models.md, "
                "stricter than the dense-gas field gate FAC2 ≥ 0.3, |FB| ≤ 0.67)"
            ),
        },
        points,
        f"""
# crosstool-degadis-dense-gas

- **Tool:** `degadisx` {v} (Ugwiyeon Lee), MIT licence, <https://pypi.org/project/degadisx/> — a
  Python reimplementation of the U.S. EPA DEGADIS 2.1 dense-gas model (Spicer & Havens 1989,
  *User's Guide for the DEGADIS 2.1 Dense Gas Dispersion Model*, EPA-450/4-89-019).
  Values generated by `validation/crosstools/generate.py`.
- **Function used:** `degadisx.run_steady(deck)` on a DEGADIS input deck written by the generator
  (steady ground-level area source, adiabatic mixing, no heat or water transfer, 600 s
  averaging time, default `.ER1`/`.ER2` numerical parameters of degadisx, 50 % relative
  humidity, 1 atm); reference = the centreline ground-level concentration column `cc` (kg/m³)
  of the returned profile, interpolated log-log at the stated distances.
- **Releases:** chlorine vapour at its boiling point (239.1 K), 10 kg/s from a 3 m radius source,
  D, u₁₀ = 5 m/s, z₀ = 0.03 m; CO₂ at 293 K, 20 kg/s from a 5 m radius source, F, u₁₀ = 2 m/s.
  Gas density at the release temperature from the ideal-gas law (same as the qra adapter).
- **qra model:** `qra_core::dispersion::BritterMcQuaidPlume` (Britter & McQuaid 1988 workbook
  nomogram) via the `britter-mcquaid` adapter, wind given at 10 m.
- **Expected differences:** the workbook is a correlation of field data for a point-like source
  at ground level, with no roughness, averaging-time or source-area input; DEGADIS solves a
  source blanket over the stated radius plus a similarity plume with gravity spreading and a
  600 s averaging time. Agreement within a factor of two is what the workbook's authors claim
  against field data; this case asks the same against DEGADIS.
- **Criterion:** FAC2 ≥ 0.5 and |FB| ≤ 0.3 (model-to-model, see `case.toml`).
- **Confidence:** medium — degadisx states it reproduces the EPA DEGADIS 2.1 benchmark listings;
  the deck is ours and was not checked against the original Fortran.
""",
        "Reference: degadisx.run_steady centreline ground-level concentration cc.",
        check,
    )

# --------------------------------------------------------------------------------------------
# issue 8, second round: hand-coded references from the published equations and CoolProp.
# None of these imports or reads qra code; the equations are written here from the sources named
# in each case's PROVENANCE.md.

R_GAS = 8.314462618  # J/(mol K), CODATA 2018
P_ATM = 101325.0


def _phi(y: float) -> float:
    """Standard normal CDF of (probit − 5), via math.erfc."""
    import math

    return 0.5 * math.erfc(-(y - 5.0) / math.sqrt(2.0))


# Gaussian puff -------------------------------------------------------------------------------

# CCPS (1999) / Crowl & Louvar (2011) Table 5-3 instantaneous-puff dispersion coefficients
# (after Slade 1968), x in m: sigma_y = sigma_x = a x^b, sigma_z = c x^d. Transcribed for this
# script from Crowl & Louvar's table as recalled [M]; the same published table is the source of
# qra's coefficients, so the coefficients themselves are a shared input (see PROVENANCE.md).
PUFF_SIGMAS = {
    "A": (0.18, 0.92, 0.60, 0.75),
    "B": (0.14, 0.92, 0.53, 0.73),
    "C": (0.10, 0.92, 0.34, 0.71),
    "D": (0.06, 0.92, 0.15, 0.70),
    "E": (0.04, 0.92, 0.10, 0.65),
    "F": (0.02, 0.89, 0.05, 0.61),
}


def _puff_c(m: float, h: float, u: float, stab: str, x: float, y: float, z: float, t: float) -> float:
    """CCPS (1999) eq. 2.1.62 / Crowl & Louvar (2011) eq. 5-58, ground reflection, no lid."""
    import math

    a, b, c, d = PUFF_SIGMAS[stab]
    xc = max(u * t, 1.0)
    sy = a * xc**b
    sz = c * xc**d
    sx = sy
    return (
        m
        / ((2 * math.pi) ** 1.5 * sx * sy * sz)
        * math.exp(-0.5 * ((x - u * t) / sx) ** 2)
        * math.exp(-0.5 * (y / sy) ** 2)
        * (math.exp(-0.5 * ((z - h) / sz) ** 2) + math.exp(-0.5 * ((z + h) / sz) ** 2))
    )


def puff_reference(check: bool) -> None:
    import math

    from scipy.integrate import quad

    # (mass kg, release height m, wind m/s at 10 m, stability, x m, y m, z m, time offset)
    rows = [
        (1000.0, 0.0, 2.0, "F", 100.0, 0.0, 0.0),
        (1000.0, 0.0, 2.0, "F", 1000.0, 0.0, 0.0),
        (1000.0, 0.0, 5.0, "D", 100.0, 0.0, 0.0),
        (1000.0, 0.0, 5.0, "D", 500.0, 0.0, 0.0),
        (1000.0, 0.0, 5.0, "D", 2000.0, 0.0, 0.0),
        (1000.0, 0.0, 3.0, "A", 300.0, 0.0, 0.0),
        (1000.0, 0.0, 3.0, "B", 300.0, 0.0, 0.0),
        (1000.0, 0.0, 4.0, "C", 300.0, 0.0, 0.0),
        (1000.0, 0.0, 3.0, "E", 800.0, 0.0, 0.0),
        (50.0, 10.0, 5.0, "D", 500.0, 20.0, 2.0),
        (50.0, 10.0, 2.0, "F", 1500.0, 30.0, 0.0),
    ]
    points: list[dict[str, object]] = []
    dose_points: list[dict[str, object]] = []
    for m, h, u, stab, x, y, z in rows:
        release = {"mass_kg": m, "release_height_m": h, "wind_m_s": u, "stability": stab, "x_m": x, "y_m": y, "z_m": z}
        # Wind given at 10 m; the transport speed of a release at h <= 10 m is the 10 m wind.
        for frac in (1.0, 0.9):
            t = x / u * frac  # at the puff centre, and a little before it arrives
            c = _puff_c(m, h, u, stab, x, y, z, t)
            tag = f"M={m:g} kg H={h:g} m {stab} u={u:g} ({x:g},{y:g},{z:g})"
            points.append(dict(release, label=f"{tag} t={t:.4g} s", quantity="concentration", t_s=t, expected=c))
        # Dose: numerical time integral of the full puff formula (sigmas growing with u t).
        tc = x / u
        dose = 0.0
        for lo, hi in ((0.0, 0.5 * tc), (0.5 * tc, tc), (tc, 2 * tc), (2 * tc, 20 * tc)):
            args = (m, h, u, stab, x, y, z)
            dose += quad(lambda t, a=args: _puff_c(*a, t), lo, hi, epsabs=0.0, epsrel=1e-10, limit=400)[0]
        tag = f"M={m:g} kg H={h:g} m {stab} u={u:g} ({x:g},{y:g},{z:g})"
        dose_points.append(dict(release, label=f"dose {tag}", quantity="dose", t_s=0.0, expected=dose))
    assert all(math.isfinite(float(p["expected"])) for p in points + dose_points)  # type: ignore[arg-type]
    prov = """
# {cid}

- **Reference:** an independent Python implementation, in `validation/crosstools/generate.py`
  (`_puff_c`), of the instantaneous Gaussian puff with ground reflection, written from the
  published equation — CCPS (1999) *Guidelines for Chemical Process Quantitative Risk Analysis*
  / *Guidelines for Consequence Analysis of Chemical Releases*, eq. 2.1.62, and Crowl & Louvar
  (2011) *Chemical Process Safety*, 3rd ed., eq. 5-58 [M: equation numbers recalled, not
  re-read] — with the CCPS/Crowl & Louvar Table 5-3 puff dispersion coefficients (after Slade
  1968). Licence of the numbers: generated here (Apache-2.0/MIT like the project).
- **qra model:** `qra_core::dispersion::GaussianPuff` with `SigmaScheme::CcpsPuff`, rural, no
  mixing lid, default 600 s averaging time (factor 1), wind given at 10 m.
- **Independence:** *partial.* The code is independent of qra's Rust code (written from the
  equation), but the dispersion-coefficient table is the same published table, transcribed
  separately for this script from memory [M]; a transcription error common to both would not be
  caught. The check covers the normalisation (2π)^{{3/2}}, σx = σy, the puff-centre distance u·t at
  which the sigmas are evaluated, ground reflection and the transport speed.
{extra}
- **Field data:** none found in the time available — no instantaneous-puff trial with published
  concentration-time data was located (Thorney Island instantaneous releases are dense-gas
  trials, covered by the dense-gas cases of the dispersion helper).
- **Confidence:** high for the formula; medium for the coefficient table ([M]).
"""
    write_case(
        "crosstool-gaussian-puff",
        "Gaussian puff (instantaneous, CCPS sigmas): concentration vs an independent implementation of the published formula",
        "dispersion",
        "gaussian-puff",
        {
            "max_rel_error": 1e-9,
            "source": "same closed-form equation evaluated independently (qra tolerance EXACT, relaxed to 1e-9 for libm differences)",
        },
        points,
        prov.format(
            cid="crosstool-gaussian-puff",
            extra="- **Points:** 11 releases (A–F, ground and 10 m releases, on and off axis), each at the\n"
            "  puff-centre arrival time x/u and at 0.9·x/u (leading edge).\n"
            "- **Criterion:** max relative error ≤ 10⁻⁹ (identical equation).",
        ),
        "Reference: independent Python implementation of CCPS eq. 2.1.62 (generate.py::_puff_c).",
        check,
    )
    write_case(
        "crosstool-gaussian-puff-dose",
        "Gaussian puff dose ∫C dt: slender-puff closed form vs numerical time integral of the full puff",
        "dispersion",
        "gaussian-puff",
        {
            "max_rel_error": 0.05,
            "source": "qra screening tolerance 5 % for the slender-puff approximation (σx fixed at the arrival distance); chosen before the comparison was run",
        },
        dose_points,
        prov.format(
            cid="crosstool-gaussian-puff-dose",
            extra="- **What is compared:** qra's `GaussianPuff::time_integrated` uses the slender-puff closed\n"
            "  form D = M/(2π u σy σz)·exp(−y²/2σy²)·V(z) with the sigmas at the receptor distance x; the\n"
            "  reference integrates the full time-dependent puff (sigmas growing with u·t) numerically with\n"
            "  `scipy.integrate.quad` (relative tolerance 10⁻¹⁰) from 0 to 20·x/u. The difference measures the\n"
            "  approximation, O((σx/x)²).\n"
            "- **Criterion:** max relative error ≤ 5 %.",
        ),
        "Reference: numerical time integral (scipy.integrate.quad) of the independent puff formula.",
        check,
    )


# Toxic probit --------------------------------------------------------------------------------

# Probit constants as published (transcribed for this script; [M] = not re-read in the original):
# Withers & Lees (1985) J. Hazard. Mater. 12:231, chlorine, regular population, C ppm, t min;
# TNO Purple Book CPR 18E (1999) Table 5.2 [S]: chlorine -6.35, 0.5, 2.75 as transcribed
# by two secondary sources [S] (qra before issue 16 used an unsourced -14.3, 1, 2.3), ammonia [M];
# C mg/m3, t min;
# molar masses from the IUPAC standard atomic weights (Cl 35.453, N 14.0067, H 1.00794);
# Eisenberg et al. (1975) Vulnerability model, ammonia, C ppm, t min [M].
TOXIC_PROBITS = {
    ("chlorine", "withers-lees-1985"): (-8.29, 0.92, 2.0, "ppm", 0.070906),
    ("chlorine", "purple-book"): (-6.35, 0.5, 2.75, "mg/m3", 0.070906),
    ("ammonia", "purple-book"): (-15.6, 1.0, 2.0, "mg/m3", 0.0170305),
    ("ammonia", "eisenberg"): (-35.9, 1.85, 2.0, "ppm", 0.0170305),
}


def _ppm_to_kg_m3(ppm: float, m: float, t_k: float = 298.15, p: float = P_ATM) -> float:
    return ppm * 1e-6 * p * m / (R_GAS * t_k)


def toxic_probit_reference(check: bool) -> None:
    import math

    points: list[dict[str, object]] = []
    cap = 1800.0

    def conc_unit(sub: str, st: str, c_kg_m3: float) -> float:
        a, b, n, unit, m = TOXIC_PROBITS[(sub, st)]
        return c_kg_m3 * 1e6 if unit == "mg/m3" else c_kg_m3 * 1e6 * R_GAS * 298.15 / (P_ATM * m)

    # Constant exposures: (substance, set, concentration given as (value, unit), duration s).
    rows = [
        ("chlorine", "withers-lees-1985", (50.0, "ppm"), 600.0),
        ("chlorine", "withers-lees-1985", (100.0, "ppm"), 1800.0),
        ("chlorine", "withers-lees-1985", (100.0, "ppm"), 3600.0),  # capped at 30 min
        ("chlorine", "withers-lees-1985", (400.0, "ppm"), 300.0),
        ("chlorine", "purple-book", (300.0, "mg/m3"), 1800.0),
        ("chlorine", "purple-book", (1000.0, "mg/m3"), 600.0),
        ("chlorine", "purple-book", (1000.0, "mg/m3"), 7200.0),  # capped
        ("ammonia", "purple-book", (5000.0, "mg/m3"), 1800.0),
        ("ammonia", "purple-book", (10000.0, "mg/m3"), 600.0),
        ("ammonia", "eisenberg", (5000.0, "ppm"), 1800.0),
        ("ammonia", "eisenberg", (10000.0, "ppm"), 900.0),
    ]
    for sub, st, (cv, cu), dur in rows:
        a, b, n, unit, m = TOXIC_PROBITS[(sub, st)]
        c_kg = cv * 1e-6 if cu == "mg/m3" else _ppm_to_kg_m3(cv, m)
        t_min = min(dur, cap) / 60.0
        pr = a + b * math.log(conc_unit(sub, st, c_kg) ** n * t_min)
        for q, val in (("probit", pr), ("probability", _phi(pr))):
            if q == "probability" and not (1e-4 <= val <= 0.9999):
                continue
            points.append(
                {
                    "label": f"{sub} {st} {cv:g} {cu} {dur:g} s {q}",
                    "substance": sub,
                    "set": st,
                    "mode": "constant",
                    "quantity": q,
                    "concentration_kg_m3": c_kg,
                    "duration_s": dur,
                    "cap_s": cap,
                    "expected": val,
                }
            )
    # Time-varying exposure: C(t) = C0 exp(-t/tau) sampled every 2 s; analytic load
    # L = C0^n tau/n (1 - exp(-n T/tau)) with T = min(end, cap).
    for sub, st, c0_ppm_or_mg, tau, t_end in (
        ("chlorine", "withers-lees-1985", 400.0, 300.0, 2400.0),
        ("ammonia", "purple-book", 20000.0, 600.0, 1200.0),
    ):
        a, b, n, unit, m = TOXIC_PROBITS[(sub, st)]
        c0_kg = c0_ppm_or_mg * 1e-6 if unit == "mg/m3" else _ppm_to_kg_m3(c0_ppm_or_mg, m)
        ts = [2.0 * i for i in range(int(t_end / 2.0) + 1)]
        cs = [c0_kg * math.exp(-t / tau) for t in ts]
        tt = min(t_end, cap)
        c0u = conc_unit(sub, st, c0_kg)
        load = c0u**n * (tau / 60.0) / n * (1.0 - math.exp(-n * tt / tau))
        pr = a + b * math.log(load)
        points.append(
            {
                "label": f"{sub} {st} C0 exp(-t/{tau:g} s) to {t_end:g} s probit",
                "substance": sub,
                "set": st,
                "mode": "history",
                "quantity": "probit",
                "t_s": ts,
                "c_kg_m3": cs,
                "cap_s": cap,
                "expected": pr,
            }
        )
    write_case(
        "toxic-probit-reference",
        "Toxic probits (chlorine, ammonia) with the 30 min exposure cap vs a hand-coded reference from the published equations",
        "vulnerability",
        "toxic-probit",
        {
            "max_rel_error": 1e-4,
            "source": "identical closed-form probit (EXACT); 1e-4 allows the trapezoid rule on the 2 s sampled exponential "
            "history (error ≈ (n·Δt/τ)²/12 < 2e-4 on the load, < 1e-4 on the probit)",
        },
        points,
        """
# toxic-probit-reference

- **Reference:** a hand-coded evaluation in `validation/crosstools/generate.py`
  (`toxic_probit_reference`) of the probit equation Pr = a + b·ln(Cⁿ·t) (Finney 1971; TNO Purple
  Book CPR 18E eq. 5.1 [M]) and P = Φ(Pr − 5), with the ppm conversion of an ideal gas at 25 °C,
  1 atm written out (ppm = C·R·T/(p·M)·10⁶), and the analytic toxic load of an exponentially
  decaying exposure, L = C₀ⁿ·τ/n·(1 − e^{−nT/τ}), T = min(exposure, 30 min).
- **Constants (as published, transcribed separately for this script):** chlorine a = −8.29,
  b = 0.92, n = 2 (ppm, min; Withers & Lees 1985, J. Hazard. Mater. 12:231); chlorine a = −6.35,
  b = 0.5, n = 2.75 (mg/m³, min; TNO Purple Book CPR 18E Table 5.2 as transcribed by two
  secondary sources [S], issue 16) and ammonia a = −15.6, b = 1, n = 2 (mg/m³, min; same table
  [M]); ammonia a = −35.9, b = 1.85, n = 2 (ppm, min; Eisenberg et al. 1975 [M]).
- **Exposure cap:** 30 min (Purple Book CPR 18E §5.2; AQ/T 3046-2013 [M]); points at 60 and
  120 min must equal the 30 min values.
- **qra model:** `qra_core::vulnerability::toxic::ToxicModel` (`probit_constant`,
  `probability_constant`, `load` + `probit_from_load`) from the built-in substance database.
- **Independence:** *partial.* The code path (units, ppm conversion, cap, trapezoid load) is
  independent; the constants are the same published values, so a wrong constant in the source
  transcription common to both would not be caught ([M] ones are not re-read in the originals).
- **Published worked example:** none with printed numbers could be located in the time
  available (the Purple Book gives the constants, not a worked probability); this case is a
  hand computation and is labelled so.
- **Criterion:** max relative error ≤ 10⁻⁴ on the probit value and the probability.
- **Confidence:** high for units and cap; medium for the [M] constants.
""",
        "Reference: hand-coded probit equations (generate.py::toxic_probit_reference).",
        check,
        kind="worked-example",
    )


# Blowdown ------------------------------------------------------------------------------------


def _orifice_ideal(cda: float, p: float, t: float, m: float, g: float, pa: float) -> float:
    """Ideal-gas isentropic nozzle mass flow (choked or sub-critical), e.g. Perry's 8th ed.
    §6 / Crowl & Louvar (2011) eqs. 4-50 and 4-52."""
    import math

    r = pa / p
    rc = (2.0 / (g + 1.0)) ** (g / (g - 1.0))
    if r <= rc:
        return cda * p * math.sqrt(g * m / (R_GAS * t) * (2.0 / (g + 1.0)) ** ((g + 1.0) / (g - 1.0)))
    term = r ** (2.0 / g) - r ** ((g + 1.0) / g)
    return cda * p * math.sqrt(2.0 * m / (R_GAS * t) * g / (g - 1.0) * max(term, 0.0))


def _blowdown_ideal(v: float, cda: float, p0: float, t0: float, m: float, g: float, pa: float, times: list[float]) -> list[tuple[float, float, float]]:
    """Integrates dm/dt = −ṁ(p(m), T(m)) for an adiabatic (isentropic) ideal-gas vessel with
    scipy's LSODA (rtol 1e-11). Returns (p, T, mass) at `times`."""
    from scipy.integrate import solve_ivp

    rho0 = p0 * m / (R_GAS * t0)
    m0 = rho0 * v

    def state(mass: float) -> tuple[float, float]:
        r = max(mass, 1e-300) / m0
        return p0 * r**g, t0 * r ** (g - 1.0)

    def rhs(_t: float, y: list[float]) -> list[float]:
        p, t = state(y[0])
        return [-_orifice_ideal(cda, p, t, m, g, pa) if p > pa else 0.0]

    sol = solve_ivp(rhs, (0.0, max(times)), [m0], method="LSODA", t_eval=times, rtol=1e-11, atol=1e-12 * m0)
    out = []
    for mass in sol.y[0]:
        p, t = state(mass)
        out.append((p, t, mass))
    return out


def _blowdown_coolprop(fluid: str, v: float, cda: float, p0: float, t0: float, pa: float, times: list[float]) -> list[tuple[float, float, float]]:
    """Real-gas adiabatic blowdown with CoolProp (Helmholtz EOS): the gas left in the vessel
    expands isentropically (s = s0), the outflow is the isentropic homogeneous nozzle flow
    G = max over throat pressure p_t ≥ p_a of ρ(p_t, s0)·√(2(h_v − h(p_t, s0)))."""
    import math

    from CoolProp.CoolProp import PropsSI
    from scipy.integrate import solve_ivp
    from scipy.optimize import minimize_scalar

    s0 = PropsSI("Smass", "P", p0, "T", t0, fluid)
    rho0 = PropsSI("Dmass", "P", p0, "T", t0, fluid)
    m0 = rho0 * v

    def vessel(mass: float) -> tuple[float, float, float]:
        rho = mass / v
        p = PropsSI("P", "Dmass", rho, "Smass", s0, fluid)
        t = PropsSI("T", "Dmass", rho, "Smass", s0, fluid)
        h = PropsSI("Hmass", "Dmass", rho, "Smass", s0, fluid)
        return p, t, h

    def flux(p: float, h: float) -> float:
        def neg_g(pt: float) -> float:
            ht = PropsSI("Hmass", "P", pt, "Smass", s0, fluid)
            dt = PropsSI("Dmass", "P", pt, "Smass", s0, fluid)
            return -dt * math.sqrt(max(2.0 * (h - ht), 0.0))

        lo = max(pa, 0.2 * p)
        res = minimize_scalar(neg_g, bounds=(lo, p), method="bounded", options={"xatol": 1e-6 * p})
        return -float(res.fun)

    def rhs(_t: float, y: list[float]) -> list[float]:
        p, _tk, h = vessel(y[0])
        return [-cda * flux(p, h) if p > pa * (1 + 1e-9) else 0.0]

    sol = solve_ivp(rhs, (0.0, max(times)), [m0], method="RK45", t_eval=times, rtol=1e-7, atol=1e-9 * m0)
    return [(vessel(mass)[0], vessel(mass)[1], mass) for mass in sol.y[0]]


def blowdown_reference(check: bool) -> None:
    import math

    import CoolProp

    # label, CoolProp fluid, M kg/mol, gamma (ideal, ~300 K), V m3, hole d m, Cd, p0 Pa, T0 K
    moderate = [
        ("methane 10 bar 1 m3 10 mm", "Methane", 0.016043, 1.31, 1.0, 0.010, 1.0, 10e5, 288.15),
        ("nitrogen 20 bar 2 m3 25 mm Cd 0.8", "Nitrogen", 0.0280134, 1.40, 2.0, 0.025, 0.8, 20e5, 293.15),
        ("air 3 bar 10 m3 50 mm (mostly subsonic tail)", "Air", 0.0289647, 1.40, 10.0, 0.050, 1.0, 3e5, 293.15),
    ]
    high = [
        ("methane 50 bar 1 m3 10 mm", "Methane", 0.016043, 1.31, 1.0, 0.010, 1.0, 50e5, 288.15),
        ("nitrogen 100 bar 2 m3 25 mm Cd 0.8", "Nitrogen", 0.0280134, 1.40, 2.0, 0.025, 0.8, 100e5, 293.15),
        ("hydrogen 350 bar 0.1 m3 5 mm", "Hydrogen", 0.00201588, 1.41, 0.1, 0.005, 1.0, 350e5, 293.15),
    ]
    ideal_pts: list[dict[str, object]] = []
    real_pts: dict[str, list[dict[str, object]]] = {"moderate": [], "high": []}
    for group, cases in (("moderate", moderate), ("high", high)):
        for label, fluid, m, g, v, d, cd, p0, t0 in cases:
            area = math.pi * d * d / 4.0
            rho0 = p0 * m / (R_GAS * t0)
            tau = v * rho0 / _orifice_ideal(cd * area, p0, t0, m, g, P_ATM)
            times = [0.25 * tau, 0.5 * tau, 1.0 * tau, 2.0 * tau, 4.0 * tau]
            ideal = _blowdown_ideal(v, cd * area, p0, t0, m, g, P_ATM, times)
            real = _blowdown_coolprop(fluid, v, cd * area, p0, t0, P_ATM, times)
            base = {
                "volume_m3": v, "area_m2": area, "pressure_pa": p0, "temperature_k": t0,
                "molar_mass_kg_mol": m, "gamma": g, "ambient_pressure_pa": P_ATM, "discharge_coefficient": cd,
            }
            for t, (pi, ti, mi), (pr, tr, mr) in zip(times, ideal, real):
                for q, vi, vr in (("pressure_pa", pi, pr), ("temperature_k", ti, tr), ("mass_kg", mi, mr)):
                    # Compare absolute pressures only while p > 1.5 p_a, so the ratio is not
                    # dominated by the ambient floor.
                    if q == "pressure_pa" and pi < 1.5 * P_ATM:
                        continue
                    common = dict(base, label=f"{label} t={t:.4g} s {q}", quantity=q, t_s=t)
                    ideal_pts.append(dict(common, expected=vi))
                    real_pts[group].append(dict(common, expected=vr))
    ver = CoolProp.__version__
    write_case(
        "crosstool-blowdown-ideal-gas",
        "Adiabatic vessel blowdown: pressure, temperature and mass vs a scipy (LSODA) integration of the isentropic ideal-gas ODE",
        "source",
        "gas-blowdown",
        {
            "max_rel_error": 1e-3,
            "source": "same ODE integrated independently (LSODA rtol 1e-11) vs qra's closed form + RK4 tail with linear "
            "interpolation; 0.1 % covers the interpolation in the subsonic tail",
        },
        ideal_pts,
        f"""
# crosstool-blowdown-ideal-gas

- **Reference:** `scipy.integrate.solve_ivp` (LSODA, rtol 10⁻¹¹) of dm/dt = −ṁ(p, T) for a
  closed vessel whose gas expands isentropically (p/p₀ = (m/m₀)^γ, T/T₀ = (m/m₀)^{{γ−1}}), with
  the ideal-gas nozzle equation (choked/sub-critical, Crowl & Louvar 2011 eqs. 4-50 and 4-52 [M])
  written in `validation/crosstools/generate.py` (`_blowdown_ideal`). scipy {__import__("scipy").__version__}, BSD-3.
- **qra model:** `qra_core::source::GasBlowdown` (closed form while choked, RK4 afterwards).
- **Independence:** the integration and the flow equation are coded separately from qra's Rust
  code; the physics (ideal gas, isentropic vessel, C_d·A) is the same by design.
- **Points:** six vessels (methane 10 and 50 bar, nitrogen 20 and 100 bar, hydrogen 350 bar,
  air 3 bar) at t = 0.25, 0.5, 1, 2, 4 τ (τ = V·ρ₀/ṁ₀); pressure compared while p > 1.5·p_a.
- **Criterion:** max relative error ≤ 10⁻³.
- **Confidence:** high.
""",
        "Reference: scipy LSODA integration of the isentropic ideal-gas blowdown ODE.",
        check,
    )
    real_prov = """
# {cid}

- **Tool:** CoolProp {ver} (Bell et al. 2014, Ind. Eng. Chem. Res. 53:2498), MIT licence,
  <https://pypi.org/project/CoolProp/>, reference-quality Helmholtz equations of state.
- **Reference computation** (`_blowdown_coolprop` in `validation/crosstools/generate.py`): the
  gas in the vessel expands isentropically (s = s₀, state from (ρ, s₀)); the outflow is the
  isentropic homogeneous nozzle flux G = max over throat pressure p_t ≥ p_a of
  ρ(p_t, s₀)·√(2·(h_vessel − h(p_t, s₀))), times C_d·A; integrated with `solve_ivp` (RK45,
  rtol 10⁻⁷).
- **qra model:** `qra_core::source::GasBlowdown`, ideal gas with constant γ (methane 1.31,
  nitrogen and air 1.40, hydrogen 1.41) and molar mass.
- **Points:** {points}; t = 0.25, 0.5, 1, 2, 4 τ; pressure compared while p > 1.5·p_a.
- **What the difference means:** real-gas effects (compressibility Z ≠ 1, variable γ and c_p).
  {meaning}
- **Criterion:** max relative error ≤ 10 % (a screening tolerance fixed before the comparison).
- **Confidence:** high for the reference (CoolProp EOS).
"""
    write_case(
        "crosstool-coolprop-blowdown",
        "Adiabatic vessel blowdown (≤ 20 bar): ideal-gas model vs a real-gas (CoolProp Helmholtz EOS) isentropic blowdown",
        "source",
        "gas-blowdown",
        {
            "max_rel_error": 0.10,
            "source": "qra screening tolerance 10 % (tolerance::DIGITISED_CURVE level) for an ideal-gas model against a "
            "real-gas reference, fixed before the comparison was run",
        },
        real_pts["moderate"],
        real_prov.format(
            cid="crosstool-coolprop-blowdown",
            ver=ver,
            points="methane 10 bar, nitrogen 20 bar, air 3 bar",
            meaning="At these pressures Z is within a few per cent of 1 and the ideal-gas model is expected to hold.",
        ),
        "Reference: CoolProp real-gas isentropic blowdown with HEM nozzle flow.",
        check,
    )
    write_case(
        "crosstool-coolprop-blowdown-high-pressure",
        "Adiabatic vessel blowdown (50–350 bar): ideal-gas model vs a real-gas (CoolProp) isentropic blowdown — validity limit",
        "source",
        "gas-blowdown",
        {
            "max_rel_error": 0.10,
            "source": "qra screening tolerance 10 % (as for crosstool-coolprop-blowdown), fixed before the comparison was run",
        },
        real_pts["high"],
        real_prov.format(
            cid="crosstool-coolprop-blowdown-high-pressure",
            ver=ver,
            points="methane 50 bar, nitrogen 100 bar, hydrogen 350 bar",
            meaning="Methane at 50 bar has Z ≈ 0.9 (the real vessel holds more gas) and hydrogen at 350 bar Z ≈ 1.2 "
            "(less gas, and a colder real expansion). This case documents where the ideal-gas model stops being adequate; "
            "a failure here is a stated limitation, not a coding error.",
        ),
        "Reference: CoolProp real-gas isentropic blowdown with HEM nozzle flow.",
        check,
    )


# --------------------------------------------------------------------------------------------
# Flash fraction and two-phase discharge ------------------------------------------------------


def flash_two_phase_reference(check: bool) -> None:
    import math

    import CoolProp
    from CoolProp.CoolProp import PropsSI
    from scipy.optimize import brentq, minimize_scalar

    ver = CoolProp.__version__
    flash_pts: list[dict[str, object]] = []
    tp_pts: list[dict[str, object]] = []
    omega_pts: list[dict[str, object]] = []
    # (label, CoolProp name, storage T K, extra overpressure above p_sat Pa)
    rows = [
        ("propane 20 C", "Propane", 293.15, 0.0),
        ("propane 40 C", "Propane", 313.15, 0.0),
        ("n-butane 20 C", "n-Butane", 293.15, 0.0),
        ("isobutane 30 C", "IsoButane", 303.15, 0.0),
        ("ammonia 20 C", "Ammonia", 293.15, 0.0),
        ("ammonia 40 C", "Ammonia", 313.15, 0.0),
        ("chlorine 20 C", "Chlorine", 293.15, 0.0),
        ("sulfur dioxide 20 C", "SulfurDioxide", 293.15, 0.0),
        ("propane 20 C subcooled +5 bar", "Propane", 293.15, 5e5),
        ("ammonia 20 C subcooled +10 bar", "Ammonia", 293.15, 10e5),
    ]
    for label, fl, t0, dp in rows:
        tb = PropsSI("T", "P", P_ATM, "Q", 0, fl)
        hl_tb = PropsSI("Hmass", "P", P_ATM, "Q", 0, fl)
        hv_tb = PropsSI("Hmass", "P", P_ATM, "Q", 1, fl)
        hfg_tb = hv_tb - hl_tb
        psat = PropsSI("P", "T", t0, "Q", 0, fl)
        p0 = psat + dp
        hl_t0 = PropsSI("Hmass", "T", t0, "Q", 0, fl)
        # Mean liquid cp between Tb and T0 (what a user with a property table would enter).
        cp_mean = (hl_t0 - hl_tb) / (t0 - tb)
        m = PropsSI("molarmass", fl)
        if dp == 0.0:
            f_ref = (hl_t0 - hl_tb) / hfg_tb  # isenthalpic flash of saturated liquid to 1 atm
            flash_pts.append(
                {
                    "label": f"{label} flash fraction",
                    "quantity": "flash_fraction",
                    "temperature_k": t0,
                    "boiling_point_k": tb,
                    "cp_liquid_j_kg_k": cp_mean,
                    "heat_of_vaporisation_j_kg": hfg_tb,
                    "expected": f_ref,
                }
            )
        # HEM: isentropic homogeneous equilibrium expansion from (p0, T0) liquid.
        if dp == 0.0:
            h0 = hl_t0
            s0 = PropsSI("Smass", "T", t0, "Q", 0, fl)
            rho_l = PropsSI("Dmass", "T", t0, "Q", 0, fl)
            hfg0 = PropsSI("Hmass", "T", t0, "Q", 1, fl) - hl_t0
            cpl0 = PropsSI("Cpmass", "T", t0, "Q", 0, fl)
        else:
            h0 = PropsSI("Hmass", "P", p0, "T", t0, fl)
            s0 = PropsSI("Smass", "P", p0, "T", t0, fl)
            rho_l = PropsSI("Dmass", "P", p0, "T", t0, fl)
            hfg0 = PropsSI("Hmass", "T", t0, "Q", 1, fl) - PropsSI("Hmass", "T", t0, "Q", 0, fl)
            cpl0 = PropsSI("Cpmass", "T", t0, "Q", 0, fl)

        def neg_g(pt: float, s0: float = s0, h0: float = h0, fl: str = fl) -> float:
            ht = PropsSI("Hmass", "P", pt, "Smass", s0, fl)
            dt = PropsSI("Dmass", "P", pt, "Smass", s0, fl)
            return -dt * math.sqrt(max(2.0 * (h0 - ht), 0.0))

        res = minimize_scalar(neg_g, bounds=(P_ATM, p0 * (1 - 1e-9)), method="bounded", options={"xatol": 1.0})
        g_hem = -float(res.fun)
        base = {
            "temperature_k": t0,
            "pressure_pa": p0,
            "saturation_pressure_pa": psat,
            "liquid_density_kg_m3": rho_l,
            "heat_of_vaporisation_j_kg": hfg0,
            "cp_liquid_j_kg_k": cpl0,
            "molar_mass_kg_mol": m,
            "boiling_point_k": tb,
            "area_m2": 1.0e-4,
            "discharge_coefficient": 1.0,
            "quantity": "mass_flux_kg_m2_s",
        }
        tp_pts.append(dict(base, label=f"{label} G vs HEM", expected=g_hem))
        if dp == 0.0:
            # Leung (1986) omega method for a saturated liquid inlet, omega from CoolProp
            # saturation properties at T0: omega = cp T0 p0 rho_l (v_fg/h_fg)^2; critical
            # pressure ratio eta_c from eta^2 + (omega^2 - 2 omega)(1 - eta)^2 + 2 omega^2 ln eta
            # + 2 omega^2 (1 - eta) = 0; G = eta_c sqrt(p0 rho_l / omega).
            vfg = 1.0 / PropsSI("Dmass", "T", t0, "Q", 1, fl) - 1.0 / rho_l
            om = cpl0 * t0 * p0 * rho_l * (vfg / hfg0) ** 2

            def fn(e: float, w: float = om) -> float:
                return e * e + (w * w - 2 * w) * (1 - e) ** 2 + 2 * w * w * math.log(e) + 2 * w * w * (1 - e)

            eta_c = brentq(fn, 0.05, 0.999999)
            if eta_c * p0 < P_ATM:
                eta_c = P_ATM / p0  # not choked: flow to ambient (does not happen for these rows)
            g_om = eta_c * math.sqrt(p0 * rho_l / om)
            omega_pts.append(dict(base, label=f"{label} G vs omega (omega={om:.2f})", expected=g_om))
    write_case(
        "crosstool-coolprop-flash-fraction",
        "Adiabatic flash fraction vs CoolProp saturated enthalpies (isenthalpic flash to 1 atm)",
        "source",
        "flash-fraction",
        {
            "max_rel_error": 0.05,
            "source": "qra screening tolerance 5 % for the constant-property flash equation against reference enthalpies, fixed before the comparison was run",
        },
        flash_pts,
        f"""
# crosstool-coolprop-flash-fraction

- **Tool:** CoolProp {ver}, MIT licence, reference Helmholtz equations of state.
- **Reference:** isenthalpic flash of saturated liquid at T to 1 atm,
  f = (h_L(T) − h_L(T_b))/(h_V(T_b) − h_L(T_b)), all enthalpies from CoolProp.
- **qra model:** `qra_core::source::flash_fraction(T, T_b, c_p, h_fg)`, f = 1 − exp(−c_p(T − T_b)/h_fg)
  (Crowl & Louvar 2011 eq. 4-91). Inputs: T_b and h_fg at 1 atm from CoolProp, and c_p the mean
  liquid heat capacity (h_L(T) − h_L(T_b))/(T − T_b) from CoolProp — what a user with a property
  table would enter.
- **What the difference means:** the exponential form integrates dm/m = −c_p dT/h_fg with constant
  h_fg, which under-predicts the flash fraction because h_fg grows as the liquid cools. The linear
  form c_pΔT/h_fg (eq. 4-90) equals the reference by construction with this c_p.
- **Criterion:** max relative error ≤ 5 %.
- **Confidence:** high.
""",
        "Reference: CoolProp isenthalpic flash.",
        check,
    )
    write_case(
        "crosstool-coolprop-two-phase-hem",
        "Two-phase flashing discharge: Fauske ERM mass flux vs homogeneous equilibrium (HEM) flux from CoolProp",
        "source",
        "two-phase-discharge",
        {
            "max_rel_error": 0.20,
            "source": "qra screening tolerance 20 %: ERM is a low-quality simplification of HEM (Fauske 1985); fixed before the comparison was run",
        },
        tp_pts,
        f"""
# crosstool-coolprop-two-phase-hem

- **Tool:** CoolProp {ver}, MIT licence.
- **Reference:** homogeneous equilibrium model (HEM) critical flux for an isentropic expansion
  from the stored state (saturated or subcooled liquid at T₀): G = max over throat pressure
  p_t ∈ [p_a, p₀] of ρ(p_t, s₀)·√(2(h₀ − h(p_t, s₀))), with all properties from CoolProp
  (`scipy.optimize.minimize_scalar`, bounded). Computed in `validation/crosstools/generate.py`.
- **qra model:** `qra_core::source::two_phase_discharge` — Fauske's equilibrium rate model
  G_ERM = h_fg/v_fg·√(1/(c_p T)), subcooled G = √(2ρ_l(p − p_sat) + G_ERM²) (Fauske & Epstein
  1988; Crowl & Louvar 2011 eqs. 4-103, 4-105). Inputs (ρ_l, h_fg, c_p at T₀, p_sat, M) from
  CoolProp; ideal vapour volume inside qra.
- **What the difference means:** ERM and HEM are different idealisations (ERM: equilibrium,
  low quality, Clausius–Clapeyron slope; HEM: isentropic, homogeneous). Differences of tens of
  percent are known in the literature; the subcooled points also test the Bernoulli + ERM
  combination against a full isentropic path. Neither is a measurement.
- **Criterion:** max relative error ≤ 20 %.
- **Confidence:** high for the reference computation; medium for the criterion.
""",
        "Reference: CoolProp homogeneous equilibrium model, isentropic.",
        check,
    )
    write_case(
        "crosstool-two-phase-omega",
        "Two-phase flashing discharge: Fauske ERM mass flux vs Leung (1986) omega method (saturated inlet)",
        "source",
        "two-phase-discharge",
        {
            "max_rel_error": 0.20,
            "source": "qra screening tolerance 20 % (as for the HEM case), fixed before the comparison was run",
        },
        omega_pts,
        f"""
# crosstool-two-phase-omega

- **Reference:** Leung's omega method for a saturated liquid inlet (Leung 1986, AIChE J.
  32:1743, "A generalized correlation for one-component homogeneous equilibrium flashing choked
  flow" [M]), coded in `validation/crosstools/generate.py`: ω = c_p·T₀·p₀·ρ_l·(v_fg/h_fg)²;
  critical pressure ratio η_c from η² + (ω² − 2ω)(1 − η)² + 2ω² ln η + 2ω²(1 − η) = 0 (brentq);
  G = η_c·√(p₀·ρ_l/ω). Saturation properties at T₀ from CoolProp {ver}.
- **qra model:** `qra_core::source::two_phase_discharge` (ERM; see crosstool-coolprop-two-phase-hem).
- **Published worked examples:** Leung's paper has worked examples, but their numbers could not be
  checked in the time available, so none are used here.
- **Criterion:** max relative error ≤ 20 %.
- **Confidence:** medium (equations recalled [M]; the omega method approximates HEM).
""",
        "Reference: Leung (1986) omega method with CoolProp saturation properties.",
        check,
    )


# Pool evaporation ----------------------------------------------------------------------------


def pool_reference(check: bool) -> None:
    import math

    pts: list[dict[str, object]] = []
    # Boiling pools in a small bund, so the pool covers the bund from t = 0 (qra starts from a
    # cylinder as high as wide, r0 = (V/π)^(1/3) > r_bund): evaporated mass
    # m(t) = A·2·k·ΔT·√t/(h_fg·√(π α)) from q'' = k ΔT/√(π α t) (semi-infinite solid with a
    # step surface temperature; Carslaw & Jaeger 1959 §2.5; TNO Yellow Book eq. 3.21 [M]).
    boiling = [
        # label, rho, Tb, hfg, M, Tg, k, alpha, bund area, mass
        ("LNG on concrete", 450.0, 111.7, 510e3, 0.01604, 293.15, 1.1, 5e-7, 10.0, 10000.0),
        ("propane on dry sand", 580.0, 231.1, 426e3, 0.0441, 288.15, 0.3, 2e-7, 20.0, 30000.0),
        ("chlorine on concrete", 1560.0, 239.1, 288e3, 0.0709, 293.15, 1.1, 5e-7, 5.0, 30000.0),
    ]
    for label, rho, tb, hfg, m, tg, k, al, a_b, mass in boiling:
        assert (mass / rho / math.pi) ** (1 / 3) >= math.sqrt(a_b / math.pi)
        for t_end in (60.0, 300.0, 900.0):
            ev = a_b * 2.0 * k * (tg - tb) * math.sqrt(t_end) / (hfg * math.sqrt(math.pi * al))
            pts.append(
                {
                    "label": f"boiling {label} evaporated by {t_end:g} s",
                    "quantity": "evaporated_kg",
                    "t_end_s": t_end,
                    "dt_s": 0.05,
                    "instantaneous_mass_kg": mass,
                    "liquid_density_kg_m3": rho,
                    "boiling_point_k": tb,
                    "heat_of_vaporisation_j_kg": hfg,
                    "molar_mass_kg_mol": m,
                    "vapour_pressure_pa": P_ATM,
                    "ground_temperature_k": tg,
                    "ground_conductivity_w_m_k": k,
                    "ground_diffusivity_m2_s": al,
                    "wind_speed_m_s": 5.0,
                    "schmidt_number": 0.8,
                    "bund_area_m2": a_b,
                    "expected": ev,
                }
            )
    # Non-boiling pools filling their bund from t = 0: evaporation rate
    # E = k_m·M·p_v/(R·T)·A, k_m = 0.0048·u^(7/9)·d^(-1/9)·Sc^(-2/3) (Mackay & Matsugu 1973,
    # Can. J. Chem. Eng. 51:434, as given in CCPS 1999 §2.1.3 [M]).
    nonboil = [
        # label, rho, Tb, hfg, M, pv(T), T, u, Sc, bund area
        ("benzene 20 C u=5", 876.0, 353.2, 394e3, 0.07811, 10.0e3, 293.15, 5.0, 0.8, 50.0),
        ("toluene 20 C u=2", 867.0, 383.8, 363e3, 0.09214, 2.9e3, 293.15, 2.0, 0.8, 100.0),
        ("acetone 25 C u=3", 784.0, 329.2, 501e3, 0.05808, 30.8e3, 298.15, 3.0, 0.8, 20.0),
    ]
    for label, rho, tb, hfg, m, pv, tg, u, sc, a_b in nonboil:
        d = 2.0 * math.sqrt(a_b / math.pi)
        km = 0.0048 * u ** (7.0 / 9.0) * d ** (-1.0 / 9.0) * sc ** (-2.0 / 3.0)
        rate = km * m * pv / (R_GAS * tg) * a_b
        mass = 2.0 * rho * math.pi * (d / 2) ** 3  # deep enough to fill the bund at t = 0
        pts.append(
            {
                "label": f"non-boiling {label} rate at 600 s",
                "quantity": "final_rate_kg_s",
                "t_end_s": 600.0,
                "dt_s": 1.0,
                "instantaneous_mass_kg": mass,
                "liquid_density_kg_m3": rho,
                "boiling_point_k": tb,
                "heat_of_vaporisation_j_kg": hfg,
                "molar_mass_kg_mol": m,
                "vapour_pressure_pa": pv,
                "ground_temperature_k": tg,
                "ground_conductivity_w_m_k": 1.1,
                "ground_diffusivity_m2_s": 5e-7,
                "wind_speed_m_s": u,
                "schmidt_number": sc,
                "bund_area_m2": a_b,
                "expected": rate,
            }
        )
    write_case(
        "pool-evaporation-analytic",
        "Pool evaporation: boiling pool vs the semi-infinite-solid conduction solution, non-boiling pool vs the Mackay & Matsugu equation",
        "source",
        "pool-evaporation",
        {
            "max_rel_error": 0.02,
            "source": "analytic solution of the same model; 2 % covers the explicit time stepping with the 1/√t flux "
            "singularity at t = 0 (midpoint rule, Δt = 0.05 s) — hand computation",
        },
        pts,
        """
# pool-evaporation-analytic

- **Reference (hand computation from published formulas, coded in
  `validation/crosstools/generate.py::pool_reference`):**
  - *Boiling pool on ground:* heat conducted from a semi-infinite solid whose surface is held at
    T_b from t = 0, q″ = k·(T_g − T_b)/√(π·α·t) (Carslaw & Jaeger 1959, *Conduction of Heat in
    Solids*, §2.5; TNO Yellow Book CPR 14E eq. 3.21 [M]); the cumulative evaporated mass of a pool
    of fixed area A is m(t) = A·2k(T_g − T_b)√t/(h_fg·√(πα)).
  - *Non-boiling pool:* Mackay & Matsugu (1973), Can. J. Chem. Eng. 51:434, mass-transfer
    coefficient k_m = 0.0048·u^{7/9}·d^{−1/9}·Sc^{−2/3} (m/s, u at 10 m), E = k_m·M·p_v/(R·T)·A
    (as given in CCPS 1999 §2.1.3 [M]).
- **Setup:** bunded pools deep enough to cover the bund at t = 0 (qra starts from a cylinder as
  high as wide), so the area is constant and the analytic solution applies. Property values are
  round handbook numbers [M]; they enter both sides identically.
- **qra model:** `qra_core::source::pool::pool_evaporation` (explicit stepping).
- **Independence:** the reference formulas are coded separately; the boiling case tests the
  time integration (including the 1/√t singularity) and the non-boiling case the transcription
  of the Mackay–Matsugu coefficients and units. Neither is a measurement.
- **Published worked example / field data:** none with verifiable numbers found in the time
  available (searched: Mackay & Matsugu worked example, Kawamura & Mackay 1987, LNG-on-concrete
  spill tests); see validation/OPEN.md.
- **Criterion:** max relative error ≤ 2 %.
- **Confidence:** high for the model's numerics; medium for the [M] formulas.
""",
        "Reference: analytic semi-infinite-solid conduction and Mackay & Matsugu (hand computation).",
        check,
        kind="worked-example",
    )


# Domino --------------------------------------------------------------------------------------


def domino_reference(check: bool) -> None:
    import math

    pts: list[dict[str, object]] = []
    # Heat radiation, the default model of qra_core::park::domino (issue 16): Landucci, Gubinelli,
    # Antonioni & Cozzani (2009) Accid. Anal. Prev. 41(6):1206 [S, read in secondary sources, see
    # the module docs]: time to failure (s) of vessels exposed to heat radiation I (kW/m2), V (m3):
    # atmospheric ln ttf = -1.13 ln I - 2.67e-5 V + 9.9; pressurised
    # ln ttf = -0.95 ln I + 8.845 V^0.032; Y = 9.25 - 1.85 ln(ttf/60).
    for cls, i_kw, v in (
        ("atmospheric", 20.0, 100.0),
        ("atmospheric", 30.0, 1000.0),
        ("atmospheric", 50.0, 5000.0),
        ("atmospheric", 100.0, 20000.0),
        ("pressurised", 50.0, 50.0),
        ("pressurised", 80.0, 100.0),
        ("pressurised", 120.0, 250.0),
    ):
        if cls == "atmospheric":
            ln_ttf = -1.13 * math.log(i_kw) - 2.67e-5 * v + 9.9
        else:
            ln_ttf = -0.95 * math.log(i_kw) + 8.845 * v**0.032
        ttf = math.exp(ln_ttf)
        y = 9.25 - 1.85 * math.log(ttf / 60.0)
        heat = {"class": cls, "heat_flux_w_m2": i_kw * 1e3, "volume_m3": v}
        pts.append(dict(heat, label=f"{cls} I={i_kw:g} kW/m2 V={v:g} m3 ttf", quantity="time_to_failure_s", expected=ttf))
        p = _phi(y)
        if 1e-4 <= p <= 0.9999:
            pts.append(dict(heat, label=f"{cls} I={i_kw:g} kW/m2 V={v:g} m3 P", quantity="heat_probability", expected=p))
    # Cozzani & Salzano (2004) J. Hazard. Mater. A107:67, overpressure probits, P in Pa [M].
    probits = {
        "atmospheric": (-18.96, 2.44),
        "pressurised": (-42.44, 4.33),
        "elongated": (-28.07, 3.16),
        "auxiliary": (-17.79, 2.18),
    }
    for cls, (a, b) in probits.items():
        for p_kpa in (40.0, 60.0, 100.0, 200.0):
            pr = _phi(a + b * math.log(p_kpa * 1e3))
            if 1e-4 <= pr <= 0.9999:
                pts.append(
                    {"label": f"{cls} {p_kpa:g} kPa P", "class": cls, "quantity": "overpressure_probability", "overpressure_pa": p_kpa * 1e3, "expected": pr}
                )
    write_case(
        "domino-cozzani-reference",
        "Domino escalation probits (Landucci et al. 2009 heat radiation; Cozzani & Salzano 2004 overpressure) vs a hand-coded reference from the equations",
        "park",
        "domino",
        {
            "max_rel_error": 1e-9,
            "source": "identical closed-form equations (qra tolerance EXACT relaxed to 1e-9 for the normal CDF)",
        },
        pts,
        """
# domino-cozzani-reference

- **Reference:** hand-coded equations in `validation/crosstools/generate.py::domino_reference`:
  time to failure of vessels under heat radiation and the escalation probit
  Y = 9.25 − 1.85 ln(ttf/60), ttf in s, of Landucci, Gubinelli, Antonioni & Cozzani (2009),
  "The assessment of the damage probability of storage tanks in domino events triggered by
  fire", Accid. Anal. Prev. 41(6), 1206–1215 [S] (the default model since issue 16), and the
  overpressure probits of Cozzani & Salzano (2004), J. Hazard. Mater. A107, 67–80 [M].
- **qra model:** `qra_core::park::domino::{time_to_failure_s, escalation_probability_heat,
  escalation_probability_overpressure}` (default heat model `HeatEscalationModel::Landucci2009`).
  The case id keeps its old name; up to issue 16 it checked the Cozzani et al. (2005) form
  Y = 12.54 − 1.847 ln(ttf/60), now the alternative `HeatEscalationModel::Cozzani2005`
  (unit-tested in `qra_core::park::domino`).
- **Independence:** *limited.* Same equations and constants; the case checks units (kW/m² vs
  W/m², s vs min, Pa), the class mapping, the thresholds (all points are above them) and the
  probit → probability conversion. It is a hand computation.
- **Published values:** no published worked example could be read (searched 2026-11-28 and
  2026-11-29: Khakzad et al. 2013, Khakzad 2021, Amira & Innal 2025, Cozzani & Salzano 2004,
  Landucci et al. 2009 and others; only abstracts were retrievable). The Landucci 2009
  coefficients were read in secondary sources only (`shared/reference/standards.md` §5.3;
  ramon-quiza/qra-domino-fuel-storage `escalation.m`, which prints 1.847 / 9.877 / 2.667e-5):
  this case checks the implementation, not the model. See validation/OPEN.md and the
  `qra_core::park::domino` module docs.
- **Criterion:** max relative error ≤ 10⁻⁹.
- **Confidence:** high for the implementation; medium for the [M] constants.
""",
        "Reference: hand-coded Landucci et al. (2009) / Cozzani & Salzano (2004) equations.",
        check,
        kind="worked-example",
    )


# Fireball ------------------------------------------------------------------------------------


def fireball_reference(check: bool) -> None:
    import math

    pts: list[dict[str, object]] = []
    # (fuel, mass kg, heat of combustion J/kg [handbook values, M], radiant fraction)
    rows = [
        ("propane", 1000.0, 46.35e6, 0.30),
        ("propane", 20000.0, 46.35e6, 0.30),
        ("butane", 50000.0, 45.7e6, 0.25),
        ("LPG", 200000.0, 46.0e6, 0.30),
    ]
    for fuel, m, hc, f in rows:
        # CCPS (1994) Guidelines for Evaluating the Characteristics of VCEs, Flash Fires and
        # BLEVEs, ch. 6 (after Roberts 1982 / Hasegawa & Sato) [M]:
        d = 5.8 * m ** (1.0 / 3.0)
        t = 0.45 * m ** (1.0 / 3.0) if m < 30000.0 else 2.6 * m ** (1.0 / 6.0)
        h = 0.75 * d
        e = f * m * hc / (math.pi * d * d * t)
        base = {"mass_kg": m, "heat_of_combustion_j_kg": hc, "radiant_fraction": f}
        for q, v in (("diameter_m", d), ("duration_s", t), ("centre_height_m", h), ("sep_w_m2", e)):
            pts.append(dict(base, label=f"{fuel} {m:g} kg {q}", quantity=q, expected=v))
        # Ground-level flux at horizontal distance X: sphere view factor (R/r)^2 for a receiver
        # facing the centre (exact), times cos(beta) = X/r for a vertical receiver (exact while
        # the whole sphere is above the receiver's plane, cos beta >= R/r); tau = 1.
        for k in (1.0, 2.0, 4.0):
            x = k * d
            r = math.hypot(x, h)
            q_max = e * (0.5 * d / r) ** 2
            flux = dict(base, quantity="flux_w_m2", x_m=x)
            pts.append(dict(flux, label=f"{fuel} {m:g} kg flux X={k:g}D max", receiver="max", expected=q_max))
            if x / r >= 0.5 * d / r:
                pts.append(dict(flux, label=f"{fuel} {m:g} kg flux X={k:g}D vertical", receiver="vertical", expected=q_max * x / r))
    write_case(
        "fireball-ccps-reference",
        "Fireball (BLEVE): CCPS diameter, duration, height, SEP and received flux vs a hand-coded reference",
        "fire",
        "fireball",
        {
            "max_rel_error": 1e-9,
            "source": "identical closed-form equations (qra tolerance EXACT relaxed to 1e-9) — a hand computation",
        },
        pts,
        """
# fireball-ccps-reference

- **Reference:** hand-coded equations in `validation/crosstools/generate.py::fireball_reference`:
  D = 5.8·M^{1/3}, t = 0.45·M^{1/3} (M < 30 t) or 2.6·M^{1/6}, H = 0.75·D,
  E = F·M·ΔH_c/(π·D²·t) (CCPS 1994, *Guidelines for Evaluating the Characteristics of Vapor Cloud
  Explosions, Flash Fires, and BLEVEs*, ch. 6; CCPS 1999 CPQRA §2.2.4 [M]); received flux
  q = E·(R/r)² for a receiver facing the centre and ·cos β for a vertical receiver (exact
  sphere view factors), τ = 1.
- **qra model:** `qra_core::fire::Fireball` (`diameter_m`, `duration_s`, `centre_height_m`,
  `sep_w_m2`, `heat_flux_at` with `Receiver::Max` / `Receiver::Vertical`, `Transmissivity::None`).
- **Independence:** *limited* — same published correlations; the case checks the duration
  switch at 30 t, the geometry (centre height, slant distance, view factor) and units. It is a
  hand computation, not a validation against experiments.
- **Field data (gap):** no BLEVE/fireball trial table (Johnson, Pritchard & Wickens 1991 BLEVE
  trials; Roberts 1982; the CCPS BLEVE data compilation) could be retrieved and checked in the
  time available; see validation/OPEN.md. Heats of combustion and radiant fractions are round
  handbook values [M] that enter both sides identically.
- **Criterion:** max relative error ≤ 10⁻⁹.
- **Confidence:** high for the implementation of the correlations; the correlations' agreement
  with experiments is not tested here.
""",
        "Reference: hand-coded CCPS fireball correlations and sphere view factor.",
        check,
        kind="worked-example",
    )


# Flash fire: LFL envelope of a continuous passive release ----------------------------------

# Briggs (1973) open-country plume sigmas as tabulated in CCPS (1999) / Griffiths (1994), x in m,
# transcribed for this script [M] (the same published table qra uses: a shared input):
# sigma_y = a x (1 + 1e-4 x)^-1/2; sigma_z per class below.
_BRIGGS_RURAL_SY = {"A": 0.22, "B": 0.16, "C": 0.11, "D": 0.08, "E": 0.06, "F": 0.04}


def _briggs_rural(stab: str, x: float) -> tuple[float, float]:
    import math

    sy = _BRIGGS_RURAL_SY[stab] * x / math.sqrt(1.0 + 1e-4 * x)
    sz = {
        "A": lambda: 0.20 * x,
        "B": lambda: 0.12 * x,
        "C": lambda: 0.08 * x / math.sqrt(1.0 + 2e-4 * x),
        "D": lambda: 0.06 * x / math.sqrt(1.0 + 1.5e-3 * x),
        "E": lambda: 0.03 * x / (1.0 + 3e-4 * x),
        "F": lambda: 0.016 * x / (1.0 + 3e-4 * x),
    }[stab]()
    return sy, sz


def _plume_c(q: float, h: float, u: float, stab: str, x: float, y: float, z: float) -> float:
    """Steady Gaussian plume with ground reflection, no lid (Turner 1970 eq. 3.1; CCPS 1999
    eq. 2.1.59): C = Q/(2π u σy σz)·exp(−y²/2σy²)·[exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]."""
    import math

    if x <= 0.0:
        return 0.0
    sy, sz = _briggs_rural(stab, max(x, 1.0))  # point-source sigmas held at their 1 m value below 1 m
    vert = math.exp(-((z - h) ** 2) / (2 * sz * sz)) + math.exp(-((z + h) ** 2) / (2 * sz * sz))
    return q / (2 * math.pi * u * sy * sz) * math.exp(-y * y / (2 * sy * sy)) * vert


def _bisect(f, lo: float, hi: float) -> float:  # type: ignore[no-untyped-def]
    """Root of f on [lo, hi] (sign change), bisection to 1e-13 relative."""
    flo = f(lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
        if hi - lo <= 1e-13 * hi:
            break
    return 0.5 * (lo + hi)


# Substance data as stored in models/substances.toml (name: (LFL volume fraction, molar mass kg/mol)).
# LFL values: methane 4.4 %, propane 1.7 %, hydrogen 4.0 % (IEC 60079-20-1 / NFPA 497 values as
# cited in the substance file; read from that file, not re-verified here).
FLASH_SUBSTANCES = {
    "methane": (0.044, 0.0160425),
    "propane": (0.017, 0.0440956),
    "hydrogen": (0.04, 0.00201588),
}


# Substances of `flash_fire_reference` whose releases qra's risk engine classes dense (gas at
# 293.15 K denser than air by the Britter–McQuaid criterion at these rates and winds).
DENSE_IN_ENGINE = {"propane"}


def flash_fire_reference(check: bool) -> None:
    import math

    t_amb = 293.15  # K, qra's risk-engine ambient temperature (stated in PROVENANCE.md)
    h = 1.0  # m, release height the risk engine uses for flash-fire clouds
    # (substance, rate kg/s, wind m/s at 10 m, stability)
    rows = [
        ("methane", 10.0, 5.0, "D"),
        ("methane", 10.0, 2.0, "F"),
        ("methane", 100.0, 5.0, "D"),
        ("propane", 10.0, 5.0, "D"),
        ("propane", 10.0, 2.0, "F"),
        ("hydrogen", 1.0, 5.0, "D"),
        ("hydrogen", 1.0, 2.0, "F"),
    ]
    env_points: list[dict[str, object]] = []
    let_points: list[dict[str, object]] = []
    for sub, q, u, stab in rows:
        lfl_frac, mm = FLASH_SUBSTANCES[sub]
        lfl = lfl_frac * P_ATM * mm / (R_GAS * t_amb)  # kg/m3, ideal gas
        # Wind given at 10 m; a release below 10 m is transported at the 10 m wind (qra convention
        # and ISC3's: the Briggs curves are paired with the anemometer-height wind).
        def c0(x: float, q: float = q, u: float = u, stab: str = stab) -> float:
            return _plume_c(q, h, u, stab, x, 0.0, 0.0)

        # Furthest crossing of the ground-level centreline with the LFL: scan outwards from the
        # concentration maximum (the 1 m-high source peaks within a few metres) then bisect.
        xs = [10 ** (k / 200) for k in range(0, 1001)]  # 1 m .. 100 km
        above = [x for x in xs if c0(x) >= lfl]
        assert above and above[-1] < xs[-1], (sub, q, u, stab)
        i = xs.index(above[-1])
        x_lfl = _bisect(lambda x, c0=c0, lfl=lfl: c0(x) - lfl, xs[i], xs[i + 1])
        release = {"substance": sub, "rate_kg_s": q, "release_height_m": h, "wind_m_s": u, "stability": stab, "temperature_k": t_amb}
        tag = f"{sub} Q={q:g} kg/s {stab}{u:g}"
        # The risk engine models flash fires of releases the Britter–McQuaid criterion classes
        # dense (propane here) with the workbook plume, not this passive plume: those releases
        # are checked through the FlashFire table only.
        vias = ("flash-fire-table",) if sub in DENSE_IN_ENGINE else ("engine", "flash-fire-table")
        env_points.append(dict(release, label=f"{tag}: LFL distance", quantity="lfl_distance_m", x_m=0.0, y_m=0.0, expected=x_lfl))
        for frac in (0.1, 0.25, 0.5, 0.75, 0.9):
            x = frac * x_lfl
            sy, _ = _briggs_rural(stab, max(x, 1.0))
            w = sy * math.sqrt(2.0 * math.log(c0(x) / lfl))
            env_points.append(dict(release, label=f"{tag}: half-width at {frac:g}·x_LFL", quantity="half_width_m", x_m=x, y_m=0.0, expected=w))
            # Lethality (Purple Book: 1 inside the LFL envelope) at 0.5·w (inside) and 1.5·w
            # (outside) — both 50 % of w from the edge; checked against the formula directly.
            if frac in (0.25, 0.5, 0.75):
                for k in (0.5, 1.5):
                    y = k * w
                    p = 1.0 if _plume_c(q, h, u, stab, x, y, 0.0) >= lfl else 0.0
                    assert p == (1.0 if k < 1 else 0.0)
                    for via in vias:
                        lab = f"{tag}: P at ({frac:g}·x_LFL, {k:g}·w) [{via}]"
                        let_points.append(dict(release, label=lab, quantity="lethality", via=via, x_m=x, y_m=y, expected=p))
        # On the axis 5 % inside and 5 % beyond the LFL distance.
        for frac in (0.95, 1.05):
            x = frac * x_lfl
            p = 1.0 if c0(x) >= lfl else 0.0
            assert p == (1.0 if frac < 1 else 0.0)
            for via in vias:
                let_points.append(dict(release, label=f"{tag}: P on axis at {frac:g}·x_LFL [{via}]", quantity="lethality", via=via, x_m=x, y_m=0.0, expected=p))
    assert all(math.isfinite(float(p["expected"])) for p in env_points)  # type: ignore[arg-type]
    prov = """
# {cid}

- **Reference:** an independent Python implementation, in `validation/crosstools/generate.py`
  (`_plume_c`, `flash_fire_reference`), written from the published steady Gaussian plume
  equation with ground reflection — Turner (1970) *Workbook of Atmospheric Dispersion
  Estimates*, eq. 3.1; CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases*,
  eq. 2.1.59 [M: equation numbers recalled, not re-read] — with the Briggs (1973) open-country
  sigmas as tabulated in CCPS (1999) / Griffiths (1994) and documented in qra's
  `dispersion::sigmas`. The LFL distance is found by a log-spaced scan and bisection to 10⁻¹³
  relative; the half-width from y = σy·√(2 ln(C(x,0,0)/LFL)); the lethality from the Purple Book
  flash-fire rule (CPR 18E 1999 §4.7 [M]): 1 where the ground-level concentration ≥ LFL, else 0.
  Pure Python (`math` only); it does not import or read qra code. Numbers generated here
  (Apache-2.0/MIT like the project).
- **Inputs:** continuous releases of 10 and 100 kg/s methane, 10 kg/s propane and 1 kg/s
  hydrogen at 1 m height (the height qra's risk engine uses for flash-fire clouds), weather D5 and
  F2 (wind at 10 m, transport at the 10 m wind), rural, no mixing lid, 600 s averaging time.
  LFL from `models/substances.toml`: methane 4.4 vol-% (M 16.0425 g/mol), propane 1.7 vol-%
  (44.0956 g/mol), hydrogen 4.0 vol-% (2.01588 g/mol), converted to kg/m³ as an ideal gas at
  101 325 Pa and 293.15 K (qra's risk-engine ambient temperature).
- **qra model:** `qra_core::dispersion::GaussianPlume` (Briggs rural) with
  `dispersion::outputs::distance_to_concentration` (LFL distance) and `GaussianPlume::half_width`
  (envelope half-width) — the functions the risk engine's flash-fire footprint calls; lethality
  both from the risk engine itself (`risk::consequence::physical_footprint` of a `flash-fire`
  outcome with `release_rate_kg_s`, i.e. the raster footprint the engine samples, `via =
  "engine"`) and from `fire::flash::FlashFire::from_table` fed with the plume's LFL half-widths at
  200 stations (`via = "flash-fire-table"`).
- **Independence:** *partial.* The code is independent of qra's Rust code, but the
  sigma table, the ground-reflection form and the 10 m transport-wind convention are the same
  published choices, taken from qra's dispersion docs; a transcription error common to both would
  not be caught. This is a **cross-implementation check of the LFL-envelope construction and the
  Purple Book rule, not a field validation** of flash-fire hazard distances. The passive plume is
  qra's choice for flash-fire clouds of passive releases; real hydrogen/methane (buoyant when
  warm, dense when cryogenic) releases differ — that physics is not tested here. Propane, which
  the engine classes dense (Britter–McQuaid criterion) and models with the workbook plume since
  2026-11-28, is checked through the `FlashFire` table only (no `engine` points).
- **Field data searched (2026-11-28, `search` tool, "pages" corpus):** Burro/Coyote LNG
  flash-fire trials (visible flame extent vs LFL distance) and the Maplin Sands (Shell 1980)
  flash-fire trials. Found only descriptions: Luketa-Hanlin (2006) "A review of large-scale LNG
  spills: experiments and modeling", *J. Hazard. Mater.* 132:119 [M: volume/page recalled] (a
  scribd copy, tables not retrievable); ioMosaic "Understand LNG fire hazards" (qualitative). No
  citable table of measured flame reach vs LFL distance was found, so no field-data case was
  added.
{extra}
- **Confidence:** high for the construction (same equation, independent code); medium for the
  coefficient table ([M]); none as to real flash-fire reach.
"""
    write_case(
        "crosstool-flash-fire-lfl-envelope",
        "Flash fire LFL envelope (Gaussian plume, Briggs rural): LFL distance and half-widths vs an independent implementation",
        "fire",
        "flash-fire",
        {
            "max_rel_error": 0.01,
            "source": "fixed before running: 1 % (qra tolerance DATA_TABLE) — same closed-form equation, so the difference "
            "is only root-finding (qra bisects the LFL distance to 1e-6 relative on a log-spaced scan); 1 % also bounds "
            "the effect on the risk raster, whose cells are ~0.6 % of the reach",
        },
        env_points,
        prov.format(
            cid="crosstool-flash-fire-lfl-envelope",
            extra="- **Points:** 7 releases × (LFL distance + half-width at 0.1, 0.25, 0.5, 0.75, 0.9 of it).\n"
            "- **Criterion:** max relative error ≤ 1 %, fixed before running (rationale in `case.toml`).",
        ),
        "Reference: independent Python implementation of the Gaussian plume LFL envelope (generate.py::flash_fire_reference).",
        check,
    )
    write_case(
        "crosstool-flash-fire-lethality",
        "Flash fire lethality (Purple Book: 1 inside the LFL envelope, 0 outside) at points ≥ 5 % from the edge, "
        "engine and FlashFire table vs an independent implementation",
        "fire",
        "flash-fire",
        {
            "max_rel_error": 0.0,
            "source": "exact: the 1/0 rule must agree at every point at least 5 % of the envelope size from its edge "
            "(the raster's bilinear interpolation can only blur within one cell of the edge)",
        },
        let_points,
        prov.format(
            cid="crosstool-flash-fire-lethality",
            extra="- **Points:** per release, (x, y) at x = 0.25, 0.5, 0.75 of the LFL distance and\n"
            "  y = 0.5·w (inside) and 1.5·w (outside), w the LFL half-width there, plus the axis at 0.95\n"
            "  (inside) and 1.05 (outside) of the LFL distance; each through the engine's footprint and\n"
            "  through `FlashFire::from_table`.\n"
            "- **Criterion:** exact (relative error 0; an expected 0 demands exactly 0).",
        ),
        "Reference: Purple Book flash-fire rule on the independent Gaussian plume (generate.py::flash_fire_reference).",
        check,
    )


# Jet fire: API 521 point source and Chamberlain (1987) frustum geometry ----------------------

# (fuel, heat of combustion J/kg [handbook values, M], radiant fraction [API 521 range, M])
_JET_FUELS = {"methane": (50.0e6, 0.20), "propane": (46.35e6, 0.30)}


def _api521_flame_length(q_w: float) -> float:
    """Flame length of the API 521 chart fit, L = (ΔH_c·ṁ)^0.444/161.66 (AQ/T 3046-2013 eq. E.57
    as cited in qra's standards.md §3.1 [S]); L in m, ΔH_c·ṁ in W."""
    return q_w**0.444 / 161.66


def _tau_aqt(d: float) -> float:
    """AQ/T 3046-2013 eq. E.59 [S]: τ = 1 − 0.0565·ln d, d in m (held at 1 below 1 m)."""
    import math

    return 1.0 - 0.0565 * math.log(max(d, 1.0))


def _api521_flux(p_w: float, src: tuple[float, float, float], pt: tuple[float, float, float], tau: str, cap: float) -> float:
    """Point source (API 521 §5.7.3 [M]; AQ/T 3046 eq. E.58 [S]): q = τ·F·ṁ·ΔH_c/(4π d²), face-on
    receiver, capped at ``cap`` (qra's documented near-field cap)."""
    import math

    d = math.dist(src, pt)
    t = 1.0 if tau == "none" else _tau_aqt(d)
    return min(t * p_w / (4.0 * math.pi * d * d), cap)


def jet_fire_reference(check: bool) -> None:
    import math

    cap = 350e3  # W/m², qra's documented default near-field cap
    # (fuel, rate kg/s, release height m, direction, transmissivity)
    rows = [
        ("methane", 1.0, 1.0, "horizontal", "none"),
        ("methane", 10.0, 1.0, "horizontal", "aqt3046"),
        ("propane", 5.0, 1.0, "horizontal", "none"),
        ("propane", 20.0, 2.0, "horizontal", "aqt3046"),
        ("methane", 5.0, 3.0, "vertical", "none"),
        ("propane", 10.0, 1.0, "vertical", "aqt3046"),
    ]
    flux_pts: list[dict[str, object]] = []
    reach_pts: list[dict[str, object]] = []
    for fuel, m, h, direc, tau in rows:
        hc, f = _JET_FUELS[fuel]
        q = m * hc
        el = _api521_flame_length(q)
        e = (1.0, 0.0, 0.0) if direc == "horizontal" else (0.0, 0.0, 1.0)
        src = (0.5 * el * e[0], 0.5 * el * e[1], h + 0.5 * el * e[2])
        p_w = f * q
        base = {
            "rate_kg_s": m,
            "heat_of_combustion_j_kg": hc,
            "radiant_fraction": f,
            "release_height_m": h,
            "direction": direc,
            "transmissivity": tau,
        }
        tag = f"{fuel} {m:g} kg/s {direc} h={h:g} m tau={tau}"
        flux_pts.append(dict(base, label=f"{tag} flame_length_m", quantity="flame_length_m", expected=el))
        # Ground receptors: along the jet axis (downstream and behind), sideways, and one inside
        # the flame (near-field cap).
        recs = [(k * el, 0.0) for k in (0.75, 1.0, 1.5, 2.0, 3.0)] + [(-0.5 * el, 0.0), (0.5 * el, 0.5 * el), (0.5 * el, 1.5 * el)]
        for x, y in recs:
            v = _api521_flux(p_w, src, (x, y, 0.0), tau, cap)
            flux_pts.append(dict(base, label=f"{tag} flux ({x:.1f}, {y:.1f}, 0)", quantity="flux_w_m2", x_m=x, y_m=y, z_m=0.0, expected=v))
        # A receptor at the point source itself: q diverges, qra returns the cap.
        flux_pts.append(dict(base, label=f"{tag} flux at flame centre (cap)", quantity="flux_w_m2", x_m=src[0], y_m=src[1], z_m=src[2], expected=cap))
        for thr in (5e3, 12.5e3, 37.5e3):
            # Slant radius r with τ(r)·P/(4π r²) = thr (decreasing in r: bisection), then the
            # farthest ground point from the release origin: along the jet for a horizontal jet,
            # radius sqrt(r² − H²) around the foot of the source for a vertical one.
            hs = src[2]
            if p_w * (1.0 if tau == "none" else _tau_aqt(hs)) / (4 * math.pi * hs * hs) < thr:
                reach = 0.0
            else:
                r = _bisect(lambda r, thr=thr, tau=tau, p_w=p_w: (1.0 if tau == "none" else _tau_aqt(r)) * p_w / (4 * math.pi * r * r) - thr, hs, 1e5)
                reach = math.hypot(src[0], src[1]) + math.sqrt(r * r - hs * hs)
            reach_pts.append(dict(base, label=f"{tag} reach {thr / 1e3:g} kW/m2", quantity="reach_m", flux_w_m2=thr, expected=reach))
    prov = """
# {cid}

- **Reference:** hand-coded equations in `validation/crosstools/generate.py::jet_fire_reference`
  (pure Python, `math` only; it does not import or read qra code), written from the published
  equations as qra's `qra-core/src/fire/jet.rs` documentation cites them:
  flame length L = (ΔH_c·ṁ)^0.444/161.66 (fit of the API 521 flame-length chart, AQ/T 3046-2013
  eq. E.57 [S]); point source at the flame centre, L/2 along the jet axis from the release point;
  q = τ·F·ṁ·ΔH_c/(4π d²) (API Standard 521, 6th ed. 2014, §5.7.3 point-source equation [M];
  AQ/T 3046-2013 eq. E.58 [S]) for a receiver facing the source; q capped at qra's documented
  near-field value 350 kW/m² (a qra policy, not a published equation).
- **Transmissivity:** half the releases use τ = 1 (`Transmissivity::None`), half the simplest
  published model qra offers, AQ/T 3046-2013 eq. E.59 [S]: τ = 1 − 0.0565·ln d (d in m, the
  distance to the point source, held at 1 below 1 m). Wayne (1991) is not exercised here.
- **qra model:** `qra_core::fire::JetFire::new` (release point (0, 0, H), direction +x or +z),
  `flame_length_m`, `HeatSource::heat_flux_at` with `Receiver::Max`{reach_api}.
- **Releases:** methane (ΔH_c 50 MJ/kg, F 0.20) and propane (46.35 MJ/kg, F 0.30), 1–20 kg/s,
  horizontal (+x) and vertical jets at 1–3 m; handbook values [M] entering both sides identically.
{extra}
- **Independence:** *limited* — same published equations; the case checks the source placement,
  geometry (slant distance), the transmissivity, the cap and units. It is a hand computation from
  the published equations, **not a validation against radiometer data**: no jet-fire radiometer
  data set could be found and read (see validation/OPEN.md).
- **Confidence:** high for the implementation of the point-source equations; the model's
  agreement with measured jet-fire radiation is not tested here.
"""
    write_case(
        "jet-fire-api521-reference",
        "Jet fire (API 521 point source): flame length and received flux vs a hand-coded reference",
        "fire",
        "jet-fire",
        {
            "max_rel_error": 1e-6,
            "source": "identical closed-form equations (no root-finding or quadrature) — a hand computation; "
            "1e-6 leaves room only for floating-point reordering",
        },
        flux_pts,
        prov.format(
            cid="jet-fire-api521-reference",
            reach_api="",
            extra="- **Points:** per release, the flame length and 8 ground receptors (along the axis at\n"
            "  0.75–3 L, behind the release at −L/2, sideways at L/2 and 1.5 L) plus one receptor at the\n"
            "  point source (expected: the cap).\n"
            "- **Criterion:** max relative error ≤ 10⁻⁶ (closed form; fixed before running).",
        ),
        "Reference: hand-coded API 521 point-source jet fire (generate.py::jet_fire_reference).",
        check,
        kind="worked-example",
    )
    write_case(
        "jet-fire-api521-reach",
        "Jet fire (API 521 point source): ground reach to 5, 12.5 and 37.5 kW/m² vs a hand-coded reference",
        "fire",
        "jet-fire",
        {
            "max_rel_error": 1e-4,
            "source": "qra's HeatSource::reach_m bisects to 1 mm (documented); every non-zero reach here is > 10 m, "
            "so 1 mm is < 1e-4 relative (an expected 0 demands exactly 0); the reference solves the same closed form to 1e-13",
        },
        reach_pts,
        prov.format(
            cid="jet-fire-api521-reach",
            reach_api=" and `HeatSource::reach_m` (ground level, 16 directions,\n  bisection to 1 mm)",
            extra="- **Points:** per release, the ground reach to 5, 12.5 and 37.5 kW/m² — the largest\n"
            "  horizontal distance from the release point's foot at which a ground receiver sees at least\n"
            "  that flux: L/2 + √(r² − H²) along a horizontal jet, √(r² − H_s²) around a vertical one,\n"
            "  with r the slant radius where τ(r)·F·ṁ·ΔH_c/(4π r²) equals the threshold (bisection).\n"
            "  A reach is 0 when the ground never sees the threshold (elevated vertical flames).\n"
            "- **Criterion:** max relative error ≤ 10⁻⁴ (qra's documented 1 mm bisection on non-zero\n"
            "  reaches > 10 m; fixed before running).\n"
            "- **Result (see NOTES.md):** fails — qra returns 0 for the 37.5 kW/m² reach of every\n"
            "  horizontal jet, where the threshold region lies downstream, detached from the release point.",
        ),
        "Reference: hand-coded API 521 point-source reach (generate.py::jet_fire_reference).",
        check,
        kind="worked-example",
    )


def _chamberlain_geometry(m: float, hc: float, uj: float, rhoj: float, w: float, uw: float, rho_a: float) -> dict[str, float]:
    """Chamberlain (1987) / Yellow Book (CPR 14E 2005 §6.5.4) correlations for a vertical release,
    transcribed from qra's `chamberlain.rs` documentation (constants [M] there); Y by Newton."""
    import math

    g = 9.80665
    ds = math.sqrt(4.0 * m / (math.pi * rho_a * uj))
    ca = 0.024 * (g * ds / uj**2) ** (1.0 / 3.0)
    cb = 0.2
    cc = (2.85 / w) ** (2.0 / 3.0)
    y = (cc / cb) ** 1.5  # start above the root (Cb·Y^(2/3) alone reaches Cc there)
    for _ in range(100):
        fy = ca * y ** (5.0 / 3.0) + cb * y ** (2.0 / 3.0) - cc
        dy = (5.0 / 3.0) * ca * y ** (2.0 / 3.0) + (2.0 / 3.0) * cb * y ** (-1.0 / 3.0)
        step = fy / dy
        y -= step
        if abs(step) <= 1e-15 * y:
            break
    lb0 = y * ds
    lb = lb0 * (0.51 * math.exp(-0.4 * uw) + 0.49)
    rw = uw / uj
    ri_lb0 = (g / (ds**2 * uj**2)) ** (1.0 / 3.0) * lb0
    alpha = 8000.0 * rw / ri_lb0 if rw <= 0.05 else (134.0 + 1726.0 * math.sqrt(rw - 0.026)) / ri_lb0
    alpha = min(alpha, 90.0)
    a = math.radians(alpha)
    k = 0.185 * math.exp(-20.0 * rw) + 0.015
    b = k * lb if a == 0.0 else lb * math.sin(k * a) / math.sin(a)
    rl = math.sqrt(lb**2 - b**2 * math.sin(a) ** 2) - b * math.cos(a)
    ri_ds = (g / (ds**2 * uj**2)) ** (1.0 / 3.0) * ds
    cp = 1000.0 * math.exp(-100.0 * rw) + 0.8
    w1 = ds * (13.5 * math.exp(-6.0 * rw) + 1.5) * (1.0 - (1.0 - math.sqrt(rho_a / rhoj) / 15.0) * math.exp(-70.0 * ri_ds * cp * rw))
    w2 = lb * (0.18 * math.exp(-1.5 * rw) + 0.31) * (1.0 - 0.47 * math.exp(-25.0 * rw))
    area = math.pi / 4.0 * (w1**2 + w2**2) + math.pi / 2.0 * (w1 + w2) * math.sqrt(rl**2 + (w2 - w1) ** 2 / 4.0)
    fs = 0.21 * math.exp(-0.00323 * uj) + 0.11
    return {
        "source_diameter_m": ds,
        "length_still_m": lb0,
        "length_m": lb,
        "tilt_deg": alpha,
        "lift_off_m": b,
        "frustum_length_m": rl,
        "base_width_m": w1,
        "tip_width_m": w2,
        "area_m2": area,
        "radiant_fraction": fs,
        "sep_w_m2": fs * m * hc / area,
    }


def chamberlain_reference(check: bool) -> None:
    pts: list[dict[str, object]] = []
    # (fuel, rate kg/s, ΔHc J/kg, expanded-jet velocity m/s, density kg/m³, stoichiometric fuel
    # mass fraction, wind m/s); expanded-jet states are round illustrative values, not computed
    # from a reservoir (qra takes them as inputs).
    rows = [
        ("methane", 2.0, 50.0e6, 400.0, 0.65, 0.055, 0.0),
        ("methane", 2.0, 50.0e6, 400.0, 0.65, 0.055, 5.0),
        ("methane", 10.0, 50.0e6, 450.0, 0.65, 0.055, 2.0),
        ("methane", 10.0, 50.0e6, 150.0, 0.65, 0.055, 10.0),
        ("propane", 5.0, 46.35e6, 250.0, 1.8, 0.060, 0.0),
        ("propane", 5.0, 46.35e6, 250.0, 1.8, 0.060, 15.0),
    ]
    for fuel, m, hc, uj, rhoj, w, uw in rows:
        geo = _chamberlain_geometry(m, hc, uj, rhoj, w, uw, 1.2)
        base = {
            "rate_kg_s": m,
            "heat_of_combustion_j_kg": hc,
            "jet_velocity_m_s": uj,
            "jet_density_kg_m3": rhoj,
            "stoich_mass_fraction": w,
            "wind_speed_m_s": uw,
            "air_density_kg_m3": 1.2,
        }
        rw = uw / uj
        for q, v in geo.items():
            pts.append(dict(base, label=f"{fuel} {m:g} kg/s uj={uj:g} uw={uw:g} (Rw={rw:.3f}) {q}", quantity=q, expected=v))
    write_case(
        "jet-fire-chamberlain-reference",
        "Jet fire (Chamberlain 1987 frustum, vertical): flame geometry, radiant fraction and SEP vs a hand-coded reference",
        "fire",
        "chamberlain-jet-fire",
        {
            "max_rel_error": 1e-6,
            "source": "identical closed-form correlations; the flame-length root is solved to machine precision on both sides "
            "(qra bisection, reference Newton) — a hand computation",
        },
        pts,
        """
# jet-fire-chamberlain-reference

- **Reference:** hand-coded correlations in
  `validation/crosstools/generate.py::_chamberlain_geometry` (pure Python, `math` only; it does
  not import or read qra code), transcribed from the equations documented in
  `qra-core/src/fire/chamberlain.rs`: Chamberlain (1987), "Developments in design methods for
  predicting thermal radiation from flares", *Chem. Eng. Res. Des.* 65, 299–309, as given in the
  TNO Yellow Book (CPR 14E, 3rd ed. 2005, §6.5.4) and CCPS (1999) CPQRA §2.2.6. **Every
  correlation constant is [M] (recalled, unverified against the paper) in qra; this reference
  uses the same constants, so it cannot detect a wrong constant.** Effective source diameter
  D_s, still-air length L_B0 = Y·D_s (Y the root of C_a·Y^(5/3) + 0.2·Y^(2/3) = (2.85/W)^(2/3),
  solved here by Newton's method where qra bisects), wind-corrected length L_B, tilt α (both
  branches of R_w = u_w/u_j about 0.05, capped at 90°), lift-off b, frustum length R_l, widths
  W₁, W₂, surface area A, radiant fraction F_s = 0.21·e^(−0.00323 u_j) + 0.11 and
  SEP = F_s·ṁ·ΔH_c/A.
- **qra model:** `qra_core::fire::ChamberlainJetFire::new` (`geometry()`, `radiant_fraction()`,
  `sep_w_m2()`), vertical release, air density 1.2 kg/m³.
- **Releases:** methane (2 and 10 kg/s) and propane (5 kg/s), expanded-jet velocities
  150–450 m/s, winds 0–15 m/s (R_w from 0 to 0.067, both tilt branches). Expanded-jet states are
  round illustrative inputs, not computed from reservoir conditions.
- **Heat flux:** checked separately in `jet-fire-chamberlain-flux` (independent fine-grid
  view-factor integral).
- **Independence:** *limited* — same published correlations and constants; the case checks the
  transcription (branch switches, units, degrees vs radians, root solve). It is a hand
  computation, **not a validation against radiometer data**: no jet-fire radiometer or flame-shape
  data set could be found and read (see validation/OPEN.md).
- **Criterion:** max relative error ≤ 10⁻⁶ (closed form plus a root solved to machine
  precision; fixed before running).
- **Confidence:** high that qra evaluates the documented correlations; the constants themselves
  are [M] and the model's agreement with experiments is not tested.
""",
        "Reference: hand-coded Chamberlain (1987) frustum correlations (generate.py::chamberlain_reference).",
        check,
        kind="worked-example",
    )


def _frustum_view_factor(geo: dict[str, float], p: tuple[float, float, float], nr: tuple[float, float, float], n_phi: int, n_s: int, n_r: int) -> float:
    """View factor from the whole frustum surface (lateral + both end discs) to a small receiver at
    ``p`` with unit normal ``nr``: F = ∫ max(0, cos θ₁)·max(0, cos θ₂)/(π r²) dA (the frustum is
    convex, so a surface element facing the receiver is visible). Frame: release point at the
    origin, lift-off b up the vertical hole axis, flame axis tilted by α towards +x."""
    import math

    a = math.radians(geo["tilt_deg"])
    e = (math.sin(a), 0.0, math.cos(a))
    u = (math.cos(a), 0.0, -math.sin(a))
    v = (0.0, 1.0, 0.0)
    base = (0.0, 0.0, geo["lift_off_m"])
    r1, r2, ln = 0.5 * geo["base_width_m"], 0.5 * geo["tip_width_m"], geo["frustum_length_m"]
    slope = (r2 - r1) / ln
    norm = math.sqrt(1.0 + slope * slope)
    cs = [(math.cos(2 * math.pi * (j + 0.5) / n_phi), math.sin(2 * math.pi * (j + 0.5) / n_phi)) for j in range(n_phi)]
    dphi = 2 * math.pi / n_phi

    def add(x: tuple[float, float, float], n: tuple[float, float, float], da: float) -> float:
        d = (p[0] - x[0], p[1] - x[1], p[2] - x[2])  # surface element -> receiver
        c1 = n[0] * d[0] + n[1] * d[1] + n[2] * d[2]
        c2 = -(nr[0] * d[0] + nr[1] * d[1] + nr[2] * d[2])
        if c1 <= 0.0 or c2 <= 0.0:
            return 0.0
        r2_ = d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
        return c1 * c2 / (math.pi * r2_ * r2_) * da

    total = 0.0
    ds = ln / n_s
    for i in range(n_s):
        s = (i + 0.5) * ds
        rho = r1 + slope * s
        c = (base[0] + s * e[0], base[1] + s * e[1], base[2] + s * e[2])
        da = rho * dphi * ds * norm
        for co, si in cs:
            rad = (co * u[0] + si * v[0], co * u[1] + si * v[1], co * u[2] + si * v[2])
            x = (c[0] + rho * rad[0], c[1] + rho * rad[1], c[2] + rho * rad[2])
            n = ((rad[0] - slope * e[0]) / norm, (rad[1] - slope * e[1]) / norm, (rad[2] - slope * e[2]) / norm)
            total += add(x, n, da)
    for s, rad_end, sign in ((0.0, r1, -1.0), (ln, r2, 1.0)):
        c = (base[0] + s * e[0], base[1] + s * e[1], base[2] + s * e[2])
        n = (sign * e[0], sign * e[1], sign * e[2])
        dr = rad_end / n_r
        for i in range(n_r):
            rho = (i + 0.5) * dr
            da = rho * dr * dphi
            for co, si in cs:
                x = (c[0] + rho * (co * u[0] + si * v[0]), c[1] + rho * (co * u[1] + si * v[1]), c[2] + rho * (co * u[2] + si * v[2]))
                total += add(x, n, da)
    return total


def chamberlain_flux_reference(check: bool) -> None:
    import math

    pts: list[dict[str, object]] = []
    rows = [
        ("methane", 10.0, 50.0e6, 400.0, 0.65, 0.055, 0.0),
        ("methane", 10.0, 50.0e6, 400.0, 0.65, 0.055, 5.0),
        ("propane", 5.0, 46.35e6, 250.0, 1.8, 0.060, 15.0),
    ]
    worst = 0.0
    for fuel, m, hc, uj, rhoj, w, uw in rows:
        geo = _chamberlain_geometry(m, hc, uj, rhoj, w, uw, 1.2)
        a = math.radians(geo["tilt_deg"])
        ctr_s = geo["lift_off_m"]
        centre = (0.5 * geo["frustum_length_m"] * math.sin(a), 0.0, ctr_s + 0.5 * geo["frustum_length_m"] * math.cos(a))
        base = {
            "rate_kg_s": m,
            "heat_of_combustion_j_kg": hc,
            "jet_velocity_m_s": uj,
            "jet_density_kg_m3": rhoj,
            "stoich_mass_fraction": w,
            "wind_speed_m_s": uw,
            "air_density_kg_m3": 1.2,
            "quantity": "flux_w_m2",
        }
        lb = geo["length_m"]
        for k, (dx, dy) in ((0.5, (-1.0, 0.0)), (1.0, (0.0, 1.0)), (2.0, (1.0, 0.0)), (2.0, (-1.0, 0.0)), (4.0, (0.0, 1.0))):
            x, y = k * lb * dx, k * lb * dy
            for rec in ("horizontal", "vertical"):
                if rec == "horizontal":
                    nr = (0.0, 0.0, 1.0)
                else:
                    hx, hy = centre[0] - x, centre[1] - y
                    hl = math.hypot(hx, hy)
                    nr = (hx / hl, hy / hl, 0.0)
                fine = _frustum_view_factor(geo, (x, y, 0.0), nr, 720, 240, 60)
                coarse = _frustum_view_factor(geo, (x, y, 0.0), nr, 360, 120, 30)
                worst = max(worst, abs(fine - coarse) / fine)
                label = f"{fuel} {m:g} kg/s uw={uw:g} ({x:.1f}, {y:.1f}, 0) {rec}"
                pts.append(dict(base, label=label, x_m=x, y_m=y, receiver=rec, expected=geo["sep_w_m2"] * fine))
    print(f"chamberlain flux reference: max relative change on halving the grid {worst:.2e}")
    write_case(
        "jet-fire-chamberlain-flux",
        "Jet fire (Chamberlain 1987 frustum, vertical): ground-level flux vs an independent fine-grid view-factor integral",
        "fire",
        "chamberlain-jet-fire",
        {
            "max_rel_error": 0.01,
            "source": "numerical integration on both sides: qra's default 32×16×4 midpoint quadrature vs a 720×240×60 reference "
            "(changes by < 1e-4 on halving); 1 % as qra's own Mudan-cylinder test",
        },
        pts,
        f"""
# jet-fire-chamberlain-flux

- **Reference:** `validation/crosstools/generate.py::chamberlain_flux_reference` (pure Python,
  `math` only; it does not import or read qra code). Geometry and SEP from the hand-coded
  Chamberlain (1987) correlations of `jet-fire-chamberlain-reference` (constants [M] as in qra);
  received flux q = SEP·F with τ = 1 and F the view factor of the whole convex frustum (lateral
  surface and both end discs), F = ∫ max(0, cos θ₁)·max(0, cos θ₂)/(π r²) dA, integrated by a
  midpoint rule on 720 (azimuth) × 240 (axial) lateral and 720 × 60 (radial) disc patches; the
  integral changes by at most {worst:.1e} (relative) when the grid is halved, so it is converged
  well inside the criterion.
- **qra model:** `qra_core::fire::ChamberlainJetFire::new` at its default quadrature
  (32 azimuth × 16 axial × 4 rings), `HeatSource::heat_flux_at` with `Receiver::Horizontal` and
  `Receiver::Vertical` (normal horizontal, towards the frustum centre), `Transmissivity::None`.
- **Points:** methane 10 kg/s (still air and 5 m/s wind) and propane 5 kg/s in 15 m/s wind;
  ground receivers at 0.5 L_B upwind, L_B crosswind, 2 L_B down- and upwind and 4 L_B crosswind
  (L_B the flame length), each horizontal and vertical.
- **Independence:** the geometry uses the same published correlations; the view-factor integral
  is an independent coding of the same definition (own frame, normals, area elements) at a much
  finer resolution, so the case measures qra's discretisation error and checks its frustum
  placement. A hand computation, **not a validation against radiometer data** (none could be
  found; see validation/OPEN.md).
- **Criterion:** max relative error ≤ 1 % (numerical integration; fixed before running, the
  tolerance qra's own frustum quadrature test uses against Mudan's closed-form cylinder).
""",
        "Reference: independent fine-grid view-factor integral of the Chamberlain frustum (generate.py::chamberlain_flux_reference).",
        check,
        kind="worked-example",
    )



def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="print the case files instead of writing")
    ap.add_argument("--only", nargs="*", help="run only these generators (function names)")
    args = ap.parse_args()
    generators = [
        gas_discharge,
        liquid_discharge,
        kingery_bulmash,
        hyram_probits,
        hyram_bst,
        chemicals_properties,
        degadis_dense,
        # issue 8, second round: hand-coded references and CoolProp
        puff_reference,
        toxic_probit_reference,
        blowdown_reference,
        flash_two_phase_reference,
        pool_reference,
        domino_reference,
        fireball_reference,
        flash_fire_reference,
        jet_fire_reference,
        chamberlain_reference,
        chamberlain_flux_reference,
    ]
    for g in generators:
        if not args.only or g.__name__ in args.only:
            g(args.check)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
