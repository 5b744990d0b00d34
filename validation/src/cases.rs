//! Case files and the model adapters that evaluate them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::metrics::{metrics, Metrics};

/// Acceptance criterion of a case. Field data use Chang & Hanna statistics, worked examples and
/// property tables the largest relative error.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Largest allowed |predicted/expected − 1| over all points.
    pub max_rel_error: Option<f64>,
    /// Smallest allowed FAC2.
    pub fac2_min: Option<f64>,
    /// Largest allowed |FB|.
    pub fb_abs_max: Option<f64>,
    /// Where the criterion comes from.
    pub source: String,
}

/// One validation case as stored in `case.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Case id (folder name).
    pub id: String,
    /// Short title.
    pub title: String,
    /// Model family covered ("substance", "dispersion", …) — the report groups by it.
    pub model: String,
    /// Adapter that evaluates the points.
    pub adapter: String,
    /// "field-data", "worked-example", "cross-tool" or "property-table".
    pub kind: String,
    /// Whether `make test` runs it (fast cases only).
    #[serde(default)]
    pub fast: bool,
    /// Short explanation shown in the report when the case fails (an "honest failure"); a
    /// `NOTES.md` in the case folder is used when this is absent.
    #[serde(default)]
    pub failure_note: Option<String>,
    /// Acceptance criterion.
    pub criterion: Criterion,
    /// Observation points: adapter-specific inputs plus `expected`.
    #[serde(default)]
    pub point: Vec<toml::Table>,
    /// Folder of the case (set by the loader).
    #[serde(skip)]
    pub dir: PathBuf,
}

/// The outcome of one case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Model family.
    pub model: String,
    /// Case kind.
    pub kind: String,
    /// Labels of the points.
    pub labels: Vec<String>,
    /// Expected (observed or published) values.
    pub expected: Vec<f64>,
    /// qra's predictions.
    pub predicted: Vec<f64>,
    /// Largest relative error.
    pub max_rel_error: f64,
    /// Chang & Hanna statistics.
    pub metrics: Option<Metrics>,
    /// Whether every criterion holds.
    pub pass: bool,
    /// The criterion, as words.
    pub criterion: String,
    /// Error text when the case could not be evaluated.
    pub error: Option<String>,
    /// Why the case fails, from `failure_note` or the case's `NOTES.md` (first paragraph).
    pub failure_note: Option<String>,
}

/// Relative error of one pair; an expected value of exactly 0 demands exactly 0 (error 0 or ∞),
/// and a NaN prediction counts as ∞ (never silently ignored by a max).
pub fn relative_error(expected: f64, predicted: f64) -> f64 {
    let r = if expected == 0.0 {
        if predicted == 0.0 {
            0.0
        } else {
            f64::INFINITY
        }
    } else {
        (predicted / expected - 1.0).abs()
    };
    if r.is_nan() {
        f64::INFINITY
    } else {
        r
    }
}

/// The case's failure note: `failure_note` in `case.toml`, else the first paragraph of
/// `NOTES.md` (heading lines skipped).
fn failure_note(c: &Case) -> Option<String> {
    if let Some(n) = &c.failure_note {
        return Some(n.trim().to_string());
    }
    let text = std::fs::read_to_string(c.dir.join("NOTES.md")).ok()?;
    let para: Vec<&str> = text
        .lines()
        .skip_while(|l| l.trim().is_empty() || l.starts_with('#'))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    (!para.is_empty()).then(|| para.join(" "))
}

/// Loads every case under `root` (sorted by folder name).
pub fn load_cases(root: &Path) -> Result<Vec<Case>, String> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|e| format!("{}: {e}", root.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let f = d.join("case.toml");
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            let mut c: Case = toml::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
            if !d.join("PROVENANCE.md").is_file() {
                return Err(format!("{}: PROVENANCE.md is missing", d.display()));
            }
            c.dir = d;
            Ok(c)
        })
        .collect()
}

fn num(t: &toml::Table, k: &str) -> Result<f64, String> {
    match t.get(k) {
        Some(toml::Value::Float(f)) => Ok(*f),
        Some(toml::Value::Integer(i)) => Ok(*i as f64),
        _ => Err(format!("point field '{k}' missing or not a number")),
    }
}

fn text<'a>(t: &'a toml::Table, k: &str) -> Result<&'a str, String> {
    t.get(k)
        .and_then(|v| v.as_str())
        .ok_or_else(|| format!("point field '{k}' missing or not a string"))
}

/// Evaluates one point with the case's adapter; returns (label, predicted).
fn evaluate(adapter: &str, p: &toml::Table, dir: &Path) -> Result<(String, f64), String> {
    use qra_core::substance::substance;
    match adapter {
        "substance-property" => {
            let name = text(p, "substance")?;
            let prop = text(p, "property")?;
            let s = substance(name).map_err(|e| e.to_string())?;
            let v = match prop {
                "normal_boiling_point_k" => s.normal_boiling_point_k(),
                "molar_mass_kg_mol" => s.molar_mass_kg_mol(),
                "critical_temperature_k" => s.critical_temperature_k(),
                "critical_pressure_pa" => s.critical_pressure_pa(),
                "heat_of_vaporisation_j_kg" => s.heat_of_vaporisation_j_kg(),
                "liquid_density_kg_m3" => s.liquid_density_kg_m3(),
                "vapour_pressure_pa" => s.vapour_pressure_pa(num(p, "temperature_k")?),
                other => return Err(format!("unknown property '{other}'")),
            }
            .map_err(|e| e.to_string())?;
            Ok((format!("{name} {prop}"), v))
        }
        // --- dispersion (issue 3) -------------------------------------------------------
        "gaussian-plume-arcmax" => {
            use qra_core::dispersion::{Atmosphere, GaussianPlume, SigmaScheme, Stability};
            let e = |e: qra_core::QraError| e.to_string();
            let stability: Stability = text(p, "stability")?.parse().map_err(e)?;
            let scheme: SigmaScheme = text(p, "scheme")?.parse().map_err(e)?;
            let terrain = text(p, "terrain")?.parse().map_err(e)?;
            let zw = num(p, "wind_height_m")?;
            let atm = Atmosphere::new(num(p, "wind_m_s")?, stability, terrain, scheme)
                .and_then(|a| a.with_wind_height(zw))
                .map_err(e)?;
            // Optional: lowest transport-wind height (default 10 m, see Atmosphere docs).
            let atm = match p.get("min_transport_height_m") {
                Some(_) => atm
                    .with_min_transport_height(num(p, "min_transport_height_m")?)
                    .map_err(e)?,
                None => atm,
            };
            let plume = GaussianPlume::new(num(p, "rate_kg_s")?, num(p, "source_height_m")?, atm)
                .map_err(e)?;
            let x = num(p, "x_m")?;
            let c = plume.concentration(x, 0.0, num(p, "receptor_height_m")?);
            Ok((format!("{} x={x}", text(p, "label")?), c))
        }
        "britter-mcquaid" => {
            use qra_core::constants::{AIR_MOLAR_MASS_KG_MOL, GAS_CONSTANT_J_MOL_K};
            use qra_core::dispersion::{
                wind_speed_at, Atmosphere, BritterMcQuaidPlume, BritterMcQuaidPuff, SigmaScheme,
                Stability, Terrain,
            };
            let e = |e: qra_core::QraError| e.to_string();
            let stability: Stability = text(p, "stability")?.parse().map_err(e)?;
            let u10 = wind_speed_at(
                num(p, "wind_m_s")?,
                num(p, "wind_height_m")?,
                10.0,
                stability,
                Terrain::Rural,
            );
            let pa = num(p, "ambient_p_pa")?;
            let rho_air =
                pa * AIR_MOLAR_MASS_KG_MOL / (GAS_CONSTANT_J_MOL_K * num(p, "ambient_t_k")?);
            // Source density: ideal gas at the stated source temperature, or a stated
            // relative density.
            let rho_gas = match p.get("relative_density") {
                Some(_) => num(p, "relative_density")? * rho_air,
                None => {
                    pa * num(p, "molar_mass_kg_mol")?
                        / (GAS_CONSTANT_J_MOL_K * num(p, "source_t_k")?)
                }
            };
            // Source and ambient temperatures (workbook non-isothermal correction); a stated
            // relative density means an isothermal release.
            let (t0, ta) = match p.get("relative_density") {
                Some(_) => (1.0, 1.0),
                None => (num(p, "source_t_k")?, num(p, "ambient_t_k")?),
            };
            // Pure-gas density at ambient temperature (mass ↔ volume fraction conversions).
            let rho_gas_ambient = rho_gas * t0 / ta;
            let x = num(p, "x_m")?;
            let c = match text(p, "mode")? {
                // Flashing release: flash fraction at the storage temperature, the whole release
                // airborne (no rain-out), aerosol evaporated by adiabatic mixing with air.
                "aerosol" => {
                    use qra_core::dispersion::AerosolMixture;
                    let sub = qra_core::substance::substance(text(p, "substance")?).map_err(e)?;
                    let phi = qra_core::source::flash_fraction(
                        num(p, "storage_t_k")?,
                        sub.normal_boiling_point_k().map_err(e)?,
                        sub.cp_liquid_j_kg_k().map_err(e)?,
                        sub.heat_of_vaporisation_j_kg().map_err(e)?,
                    )
                    .map_err(e)?;
                    let mix = AerosolMixture::new(sub, 1.0 - phi, ta, pa).map_err(e)?;
                    let atm = Atmosphere::new(u10, stability, Terrain::Rural, SigmaScheme::Briggs)
                        .map_err(e)?;
                    BritterMcQuaidPlume::aerosol_laden(num(p, "rate_kg_s")?, &mix, rho_air, ta, atm)
                        .map_err(e)?
                        .concentration_kg_m3(x, 0.0, 0.0)
                }
                "continuous" => {
                    let atm = Atmosphere::new(u10, stability, Terrain::Rural, SigmaScheme::Briggs)
                        .map_err(e)?;
                    BritterMcQuaidPlume::new(num(p, "rate_kg_s")?, rho_gas, rho_air, atm)
                        .and_then(|b| b.with_temperatures(t0, ta))
                        .map_err(e)?
                        .concentration_kg_m3(x, 0.0, 0.0)
                }
                "instantaneous" => {
                    BritterMcQuaidPuff::new(num(p, "volume_m3")? * rho_gas, rho_gas, rho_air, u10)
                        .and_then(|b| b.with_temperatures(t0, ta))
                        .map_err(e)?
                        .max_concentration_kg_m3(x)
                }
                // Finite-duration release (duration_s): the workbook's rule on u₁₀·T_d/x —
                // ≥ 2.5 continuous plume, ≤ 0.6 instantaneous cloud of the released mass
                // (V₀ = rate·T_d/ρ₀), in between the smaller of the two (Britter & McQuaid 1988,
                // as quoted by CCPS 1999 [M]). Both with the non-isothermal correction; the
                // cloud hands over to a passive puff beyond its last curve, as the plume does.
                "finite" => {
                    let atm = Atmosphere::new(u10, stability, Terrain::Rural, SigmaScheme::Briggs)
                        .map_err(e)?;
                    let (rate, td) = (num(p, "rate_kg_s")?, num(p, "duration_s")?);
                    let plume = BritterMcQuaidPlume::new(rate, rho_gas, rho_air, atm)
                        .and_then(|b| b.with_temperatures(t0, ta))
                        .map_err(e)?;
                    let cloud = BritterMcQuaidPuff::new(rate * td, rho_gas, rho_air, u10)
                        .and_then(|b| b.with_temperatures(t0, ta))
                        .and_then(|b| b.with_passive_far_field(atm))
                        .map_err(e)?;
                    qra_core::dispersion::finite_release_concentration_kg_m3(&plume, &cloud, td, x)
                }
                m => return Err(format!("unknown mode '{m}'")),
            };
            let v = match text(p, "output")? {
                "kg_m3" => c,
                // Mass fraction of the released gas in the mixture at ambient temperature,
                // c/(c + ρ_air·(1 − c/ρ_gas(T_a))).
                "mass_fraction" => c / (c + rho_air * (1.0 - c / rho_gas_ambient).max(0.0)),
                // Volume (mole) fraction at ambient temperature, c/ρ_gas(T_a).
                "volume_fraction" => c / rho_gas_ambient,
                o => return Err(format!("unknown output '{o}'")),
            };
            Ok((format!("{} x={x}", text(p, "label")?), v))
        }
        // issue 17: the SLAB-class integral model. Source "pool" (rate_kg_s, area_m2), "jet"
        // (rate_kg_s, exit_velocity_m_s, temperature_k, liquid_fraction) or "flashing_jet"
        // (rate_kg_s, storage_t_k: flash fraction at the storage temperature, no rain-out, exit
        // velocity = Bernoulli liquid velocity at the storage vapour pressure); optional
        // duration_s; substance from the qra database.
        "slab" => {
            use qra_core::dispersion::{
                Atmosphere, SigmaScheme, SlabAmbient, SlabPlume, SlabSource, SlabSubstance,
                Stability, Terrain,
            };
            let e = |e: qra_core::QraError| e.to_string();
            let stability: Stability = text(p, "stability")?.parse().map_err(e)?;
            let (zw, t_av) = (num(p, "wind_height_m")?, num(p, "averaging_time_s")?);
            let atm = Atmosphere::new(
                num(p, "wind_m_s")?,
                stability,
                Terrain::Rural,
                SigmaScheme::Briggs,
            )
            .and_then(|a| a.with_wind_height(zw))
            .and_then(|a| a.with_averaging_time(t_av))
            .map_err(e)?;
            let (ta, pa) = (num(p, "ambient_t_k")?, num(p, "ambient_p_pa")?);
            let mut amb = SlabAmbient::new(atm, ta, pa, num(p, "roughness_m")?).map_err(e)?;
            // Optional measured surface layer (SLAB's input `ala`), for SLAB's own examples.
            if p.get("inverse_obukhov_length_per_m").is_some() {
                amb = amb
                    .with_inverse_obukhov_length(num(p, "inverse_obukhov_length_per_m")?)
                    .map_err(e)?;
            }
            // Substance from the qra database, or (for one not in it) inline properties
            // [M kg/mol, c_p,v, c_p,l J/(kg K), T_b K, L J/kg, rho_l kg/m3].
            let db = qra_core::substance::substance(text(p, "substance")?);
            let sub = match p.get("substance_properties").and_then(|v| v.as_array()) {
                Some(a) => {
                    let v: Vec<f64> = a
                        .iter()
                        .map(|x| x.as_float().or(x.as_integer().map(|i| i as f64)))
                        .collect::<Option<_>>()
                        .filter(|v: &Vec<f64>| v.len() == 6)
                        .ok_or("substance_properties: six numbers expected")?;
                    SlabSubstance::new(v[0], v[1], v[2], v[3], v[4], v[5]).map_err(e)?
                }
                None => SlabSubstance::from_substance(db.clone().map_err(e)?).map_err(e)?,
            };
            let duration_s = match p.get("duration_s") {
                Some(_) => Some(num(p, "duration_s")?),
                None => None,
            };
            let rate_kg_s = num(p, "rate_kg_s")?;
            let source = match text(p, "source")? {
                "pool" => SlabSource::EvaporatingPool {
                    rate_kg_s,
                    area_m2: num(p, "area_m2")?,
                    duration_s,
                },
                "jet" => SlabSource::HorizontalJet {
                    rate_kg_s,
                    exit_velocity_m_s: num(p, "exit_velocity_m_s")?,
                    temperature_k: num(p, "temperature_k")?,
                    liquid_fraction: num(p, "liquid_fraction")?,
                    duration_s,
                },
                "flashing_jet" => {
                    let ts = num(p, "storage_t_k")?;
                    let tb = sub.boiling_point_k;
                    let phi = qra_core::source::flash_fraction(
                        ts,
                        tb,
                        sub.liquid_cp_j_kg_k,
                        sub.latent_heat_j_kg,
                    )
                    .map_err(e)?;
                    let p_sat = db.map_err(e)?.vapour_pressure_pa(ts).map_err(e)?;
                    let u = (2.0 * (p_sat - pa).max(0.0) / sub.liquid_density_kg_m3).sqrt();
                    SlabSource::HorizontalJet {
                        rate_kg_s,
                        exit_velocity_m_s: u,
                        temperature_k: tb,
                        liquid_fraction: 1.0 - phi,
                        duration_s,
                    }
                }
                o => return Err(format!("unknown source '{o}'")),
            };
            let plume = SlabPlume::new(sub, amb, source).map_err(e)?;
            let (x, z) = (num(p, "x_m")?, num(p, "receptor_height_m")?);
            let v = match text(p, "output")? {
                "kg_m3" => plume.concentration_kg_m3(x, 0.0, z),
                "volume_fraction" => plume.volume_fraction(x, 0.0, z),
                o => return Err(format!("unknown output '{o}'")),
            };
            Ok((format!("{} x={x}", text(p, "label")?), v))
        }
        // issue 5: risk engine — a study file in the case folder; quantity "ir" (at x_m, y_m),
        // "fn" (F at n) or "pll".
        "risk-study" => {
            use qra_core::risk::{engine, study::Study};
            let f = dir.join(text(p, "study")?);
            let s = Study::from_file(&f).map_err(|e| e.to_string())?;
            let r = engine::run(&s, &engine::RunOptions::default()).map_err(|e| e.to_string())?;
            match text(p, "quantity")? {
                "ir" => {
                    let (x, y) = (num(p, "x_m")?, num(p, "y_m")?);
                    Ok((format!("IR({x}, {y})"), r.risk_at(&[[x, y]])[0]))
                }
                "fn" => {
                    let n = num(p, "n")?;
                    Ok((format!("F(N >= {n})"), r.frequency_at_least(n)))
                }
                "pll" => Ok(("PLL".into(), r.pll)),
                other => Err(format!("unknown quantity '{other}'")),
            }
        }
        // --- issue 4: fire and explosion ---------------------------------------------------
        "pool-fire-sep" => {
            use qra_core::fire::{PoolFire, PoolFireSpec, SepModel};
            let d = num(p, "diameter_m")?;
            let mut spec = match p.get("substance").and_then(|v| v.as_str()) {
                Some(name) => {
                    PoolFireSpec::from_substance(name, d, 0.0).map_err(|e| e.to_string())?
                }
                None => {
                    let mut s = PoolFireSpec::from_substance("diesel", d, 0.0)
                        .map_err(|e| e.to_string())?;
                    s.burning_rate_kg_m2_s = num(p, "burning_rate_kg_m2_s")?;
                    s.heat_of_combustion_j_kg = num(p, "heat_of_combustion_j_kg")?;
                    s
                }
            };
            if let Some(m) = p.get("sep_model").and_then(|v| v.as_str()) {
                spec.sep = match m {
                    "mudan-croce" => SepModel::MudanCroce,
                    "shokri-beyler" => SepModel::ShokriBeyler,
                    other => return Err(format!("unknown sep_model '{other}'")),
                };
            }
            let f = PoolFire::new(spec).map_err(|e| e.to_string())?;
            let label = p
                .get("label")
                .and_then(|v| v.as_str())
                .map_or_else(|| format!("D = {d} m"), str::to_string);
            Ok((label, f.sep_w_m2()))
        }
        "bst" => {
            use qra_core::explosion::BakerStrehlowTang;
            let mf = num(p, "flame_mach")?;
            let r = num(p, "scaled_distance")?;
            let q = text(p, "quantity")?;
            let b = BakerStrehlowTang::new(1e9, mf).map_err(|e| e.to_string())?;
            let v = match q {
                "overpressure" => b.scaled_overpressure(r),
                "impulse" => b.scaled_impulse(r),
                other => return Err(format!("unknown quantity '{other}'")),
            };
            Ok((format!("Mf {mf} {q} R* {r:.3}"), v))
        }
        "tnt" => {
            let w = num(p, "tnt_mass_kg")?;
            let r = num(p, "distance_m")?;
            let q = text(p, "quantity")?;
            let b = qra_core::explosion::TntBlast::new(w)
                .map_err(|e| e.to_string())?
                .at(r);
            let v = match q {
                "incident_overpressure_pa" => b.incident_overpressure_pa,
                "incident_impulse_pa_s" => b.incident_impulse_pa_s,
                "arrival_time_s" => b.arrival_time_s,
                other => return Err(format!("unknown quantity '{other}'")),
            };
            Ok((format!("W {w} kg R {r} m {q}"), v))
        }
        "multi-energy" => {
            use qra_core::constants::STANDARD_PRESSURE_PA;
            let strength = num(p, "strength")?;
            let r = num(p, "scaled_distance")?;
            let q = text(p, "quantity")?;
            if strength.fract() != 0.0 || !(1.0..=10.0).contains(&strength) {
                return Err(format!("strength {strength} must be an integer in 1..=10"));
            }
            let s = strength as u32;
            let ov = |r: f64| qra_core::explosion::multi_energy::scaled_overpressure(s, r);
            let v = match q {
                "overpressure_kpa" => {
                    ov(r).map_err(|e| e.to_string())? * STANDARD_PRESSURE_PA / 1e3
                }
                other => return Err(format!("unknown quantity '{other}'")),
            };
            Ok((format!("strength {s} {q} r̄ {r}"), v))
        }
        // --- issue 8: cross-tool comparisons ----------------------------------------------
        "gas-discharge" => gas_discharge_point(p),
        "liquid-discharge" => liquid_discharge_point(p),
        "tnt-blast" => tnt_blast_point(p),
        "bst-scaled" => bst_scaled_point(p),
        "thermal-probit" => thermal_probit_point(p),
        "blast-probit" => blast_probit_point(p),
        // --- issue 8, second round ---------------------------------------------------------
        "gaussian-puff" => gaussian_puff_point(p),
        "toxic-probit" => toxic_probit_point(p),
        "gas-blowdown" => gas_blowdown_point(p),
        "flash-fraction" => flash_fraction_point(p),
        "two-phase-discharge" => two_phase_point(p),
        "pool-evaporation" => pool_evaporation_point(p),
        "domino" => domino_point(p),
        "fireball" => fireball_point(p),
        "free-jet" => free_jet_point(p),
        "brode-energy" => brode_point(p),
        "flash-fire" => flash_fire_point(p),
        "jet-fire" => jet_fire_point(p),
        "chamberlain-jet-fire" => chamberlain_point(p),
        other => Err(format!("unknown adapter '{other}'")),
    }
}

/// A tolerance as words: plain decimals down to 10⁻³, scientific notation below.
fn fmt_tolerance(t: f64) -> String {
    if t != 0.0 && t.abs() < 1e-3 {
        format!("{t:e}")
    } else {
        format!("{t}")
    }
}

fn qra_err(e: qra_core::QraError) -> String {
    e.to_string()
}

/// `gas-discharge`: [`qra_core::source::gas_discharge`]; `output` = "rate_kg_s" or
/// "critical_pressure_ratio".
fn gas_discharge_point(p: &toml::Table) -> Result<(String, f64), String> {
    let r = qra_core::source::gas_discharge(
        num(p, "area_m2")?,
        num(p, "pressure_pa")?,
        num(p, "temperature_k")?,
        num(p, "molar_mass_kg_mol")?,
        num(p, "gamma")?,
        num(p, "ambient_pressure_pa")?,
        num(p, "discharge_coefficient")?,
    )
    .map_err(qra_err)?;
    let v = match text(p, "output")? {
        "rate_kg_s" => r.rate_kg_s,
        "critical_pressure_ratio" => r.critical_pressure_ratio,
        o => return Err(format!("unknown output '{o}'")),
    };
    Ok((text(p, "label")?.to_string(), v))
}

/// `liquid-discharge`: [`qra_core::source::liquid_discharge`], kg/s.
fn liquid_discharge_point(p: &toml::Table) -> Result<(String, f64), String> {
    let v = qra_core::source::liquid_discharge(
        num(p, "area_m2")?,
        num(p, "density_kg_m3")?,
        num(p, "pressure_pa")?,
        num(p, "ambient_pressure_pa")?,
        num(p, "head_m")?,
        num(p, "discharge_coefficient")?,
    )
    .map_err(qra_err)?;
    Ok((text(p, "label")?.to_string(), v))
}

/// `bst-scaled`: Sachs-scaled curves of [`qra_core::explosion::BakerStrehlowTang`];
/// `quantity` = "scaled_overpressure" or "scaled_impulse" at `r_star` (the energy does not enter).
fn bst_scaled_point(p: &toml::Table) -> Result<(String, f64), String> {
    let b =
        qra_core::explosion::BakerStrehlowTang::new(1e9, num(p, "flame_mach")?).map_err(qra_err)?;
    let r = num(p, "r_star")?;
    let v = match text(p, "quantity")? {
        "scaled_overpressure" => b.scaled_overpressure(r),
        "scaled_impulse" => b.scaled_impulse(r),
        q => return Err(format!("unknown quantity '{q}'")),
    };
    Ok((text(p, "label")?.to_string(), v))
}

/// `tnt-blast`: [`qra_core::explosion::TntBlast`]; `quantity` = "overpressure_pa" or
/// "impulse_pa_s".
fn tnt_blast_point(p: &toml::Table) -> Result<(String, f64), String> {
    let b = qra_core::explosion::TntBlast::new(num(p, "tnt_mass_kg")?).map_err(qra_err)?;
    let r = num(p, "distance_m")?;
    let v = match text(p, "quantity")? {
        "overpressure_pa" => b.overpressure_pa(r),
        "impulse_pa_s" => b.impulse_pa_s(r),
        q => return Err(format!("unknown quantity '{q}'")),
    };
    Ok((text(p, "label")?.to_string(), v))
}

/// `thermal-probit`: probability of death of [`qra_core::vulnerability::thermal::ThermalProbit`].
fn thermal_probit_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::vulnerability::thermal::ThermalProbit;
    let m = ThermalProbit::from_name(text(p, "probit")?).map_err(qra_err)?;
    let v = m.probability(num(p, "flux_w_m2")?, num(p, "exposure_s")?);
    Ok((text(p, "label")?.to_string(), v))
}

/// `blast-probit`: probability of death of [`qra_core::vulnerability::blast::BlastProbit`].
fn blast_probit_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::vulnerability::blast::BlastProbit;
    let m = BlastProbit::from_name(text(p, "probit")?).map_err(qra_err)?;
    let v = m.probability(num(p, "overpressure_pa")?, num(p, "impulse_pa_s")?);
    Ok((text(p, "label")?.to_string(), v))
}

/// The point's label with its predicted value.
fn labelled(p: &toml::Table, v: f64) -> Result<(String, f64), String> {
    Ok((text(p, "label")?.to_string(), v))
}

/// Error text for an unknown option value.
fn unknown(what: &str, value: &str) -> String {
    format!("unknown {what} '{value}'")
}

/// Reads a TOML array of numbers.
fn nums(t: &toml::Table, k: &str) -> Result<Vec<f64>, String> {
    let a = t
        .get(k)
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("point field '{k}' missing or not an array"))?;
    a.iter()
        .map(|v| match v {
            toml::Value::Float(f) => Ok(*f),
            toml::Value::Integer(i) => Ok(*i as f64),
            _ => Err(format!("point field '{k}' holds a non-number")),
        })
        .collect()
}

/// `gaussian-puff`: instantaneous [`qra_core::dispersion::GaussianPuff`] with the CCPS puff
/// sigmas, rural, no lid, wind at 10 m; `quantity` = "concentration" (kg/m³ at x, y, z, t) or
/// "dose" (∫C dt, kg·s/m³, `time_integrated`).
fn gaussian_puff_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::dispersion::{Atmosphere, GaussianPuff, SigmaScheme, Stability, Terrain};
    let stability: Stability = text(p, "stability")?.parse().map_err(qra_err)?;
    let atm = Atmosphere::new(
        num(p, "wind_m_s")?,
        stability,
        Terrain::Rural,
        SigmaScheme::CcpsPuff,
    )
    .map_err(qra_err)?;
    let puff = GaussianPuff::new(num(p, "mass_kg")?, num(p, "release_height_m")?, None, atm)
        .map_err(qra_err)?;
    let (x, y, z) = (num(p, "x_m")?, num(p, "y_m")?, num(p, "z_m")?);
    let v = match text(p, "quantity")? {
        "concentration" => puff.concentration(x, y, z, num(p, "t_s")?),
        "dose" => puff.time_integrated(x, y, z),
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `toxic-probit`: [`qra_core::vulnerability::toxic::ToxicModel`] of a built-in substance's
/// probit `set`; `mode` = "constant" (concentration_kg_m3, duration_s) or "history" (arrays t_s,
/// c_kg_m3); `quantity` = "probit" or "probability"; exposure capped at `cap_s`.
fn toxic_probit_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::vulnerability::{probit_to_probability, toxic::ToxicModel};
    let s = qra_core::substance::substance(text(p, "substance")?).map_err(qra_err)?;
    let m = ToxicModel::from_substance(s, Some(text(p, "set")?)).map_err(qra_err)?;
    let cap = num(p, "cap_s")?;
    let pr = match text(p, "mode")? {
        "constant" => m.probit_constant(num(p, "concentration_kg_m3")?, num(p, "duration_s")?, cap),
        "history" => {
            let load = m
                .load(&nums(p, "t_s")?, &nums(p, "c_kg_m3")?, cap)
                .map_err(qra_err)?;
            m.probit_from_load(load)
        }
        o => return Err(unknown("mode", o)),
    };
    let v = match text(p, "quantity")? {
        "probit" => pr,
        "probability" => probit_to_probability(pr),
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `gas-blowdown`: [`qra_core::source::GasBlowdown`] state at `t_s`; `quantity` =
/// "pressure_pa", "temperature_k", "mass_kg" or "rate_kg_s".
fn gas_blowdown_point(p: &toml::Table) -> Result<(String, f64), String> {
    let b = qra_core::source::GasBlowdown::new(
        num(p, "volume_m3")?,
        num(p, "area_m2")?,
        num(p, "pressure_pa")?,
        num(p, "temperature_k")?,
        num(p, "molar_mass_kg_mol")?,
        num(p, "gamma")?,
        num(p, "ambient_pressure_pa")?,
        num(p, "discharge_coefficient")?,
    )
    .map_err(qra_err)?;
    let s = b.state_at(num(p, "t_s")?);
    let v = match text(p, "quantity")? {
        "pressure_pa" => s.pressure_pa,
        "temperature_k" => s.temperature_k,
        "mass_kg" => s.mass_kg,
        "rate_kg_s" => s.rate_kg_s,
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `flash-fraction`: [`qra_core::source::flash_fraction`].
fn flash_fraction_point(p: &toml::Table) -> Result<(String, f64), String> {
    let v = qra_core::source::flash_fraction(
        num(p, "temperature_k")?,
        num(p, "boiling_point_k")?,
        num(p, "cp_liquid_j_kg_k")?,
        num(p, "heat_of_vaporisation_j_kg")?,
    )
    .map_err(qra_err)?;
    labelled(p, v)
}

/// `two-phase-discharge`: [`qra_core::source::two_phase_discharge`]; `quantity` =
/// "mass_flux_kg_m2_s", "erm_flux_kg_m2_s" or "rate_kg_s".
fn two_phase_point(p: &toml::Table) -> Result<(String, f64), String> {
    let r = qra_core::source::two_phase_discharge(
        num(p, "area_m2")?,
        num(p, "temperature_k")?,
        num(p, "pressure_pa")?,
        num(p, "saturation_pressure_pa")?,
        num(p, "liquid_density_kg_m3")?,
        num(p, "heat_of_vaporisation_j_kg")?,
        num(p, "cp_liquid_j_kg_k")?,
        num(p, "molar_mass_kg_mol")?,
        num(p, "boiling_point_k")?,
        num(p, "discharge_coefficient")?,
    )
    .map_err(qra_err)?;
    let v = match text(p, "quantity")? {
        "mass_flux_kg_m2_s" => r.mass_flux_kg_m2_s,
        "erm_flux_kg_m2_s" => r.erm_flux_kg_m2_s,
        "rate_kg_s" => r.rate_kg_s,
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `pool-evaporation`: [`qra_core::source::pool::pool_evaporation`] of an instantaneous spill
/// (min. thickness 5 mm); `quantity` = "evaporated_kg" (cumulative at `t_end_s`) or
/// "final_rate_kg_s".
fn pool_evaporation_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::source::pool::{pool_evaporation, PoolSpec};
    let spec = PoolSpec {
        instantaneous_mass_kg: num(p, "instantaneous_mass_kg")?,
        spill_rate_kg_s: 0.0,
        spill_duration_s: 0.0,
        liquid_density_kg_m3: num(p, "liquid_density_kg_m3")?,
        boiling_point_k: num(p, "boiling_point_k")?,
        heat_of_vaporisation_j_kg: num(p, "heat_of_vaporisation_j_kg")?,
        molar_mass_kg_mol: num(p, "molar_mass_kg_mol")?,
        vapour_pressure_pa: num(p, "vapour_pressure_pa")?,
        ground_temperature_k: num(p, "ground_temperature_k")?,
        ground_conductivity_w_m_k: num(p, "ground_conductivity_w_m_k")?,
        ground_diffusivity_m2_s: num(p, "ground_diffusivity_m2_s")?,
        wind_speed_m_s: num(p, "wind_speed_m_s")?,
        schmidt_number: num(p, "schmidt_number")?,
        bund_area_m2: Some(num(p, "bund_area_m2")?),
        min_thickness_m: 5e-3,
    };
    let h = pool_evaporation(&spec, num(p, "t_end_s")?, num(p, "dt_s")?).map_err(qra_err)?;
    let last = |v: &[f64]| v.last().copied().ok_or("empty pool history".to_string());
    let v = match text(p, "quantity")? {
        "evaporated_kg" => last(&h.evaporated_kg)?,
        "final_rate_kg_s" => last(&h.evaporation_rate_kg_s)?,
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `domino`: [`qra_core::park::domino`]; `quantity` = "time_to_failure_s", "heat_probability"
/// or "overpressure_probability"; `class` = atmospheric, pressurised, elongated or auxiliary.
fn domino_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::park::domino::{
        escalation_probability_heat, escalation_probability_overpressure, time_to_failure_s,
        EquipmentClass,
    };
    let class = match text(p, "class")? {
        "atmospheric" => EquipmentClass::Atmospheric,
        "pressurised" => EquipmentClass::Pressurised,
        "elongated" => EquipmentClass::Elongated,
        "auxiliary" => EquipmentClass::Auxiliary,
        c => return Err(unknown("equipment class", c)),
    };
    let v = match text(p, "quantity")? {
        "time_to_failure_s" => {
            time_to_failure_s(class, num(p, "heat_flux_w_m2")?, num(p, "volume_m3")?)
        }
        "heat_probability" => {
            escalation_probability_heat(class, num(p, "heat_flux_w_m2")?, num(p, "volume_m3")?)
        }
        "overpressure_probability" => {
            escalation_probability_overpressure(class, num(p, "overpressure_pa")?)
        }
        q => return Err(unknown("quantity", q)),
    }
    .map_err(qra_err)?;
    labelled(p, v)
}

/// `fireball`: [`qra_core::fire::Fireball`] without atmospheric absorption; `quantity` =
/// "diameter_m", "duration_s", "centre_height_m", "sep_w_m2" or "flux_w_m2" (ground level at
/// horizontal distance `x_m`, `receiver` = "max" or "vertical").
fn fireball_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::fire::{Fireball, HeatSource, Receiver, Transmissivity};
    let f = Fireball::new(
        num(p, "mass_kg")?,
        num(p, "heat_of_combustion_j_kg")?,
        num(p, "radiant_fraction")?,
        Transmissivity::None,
    )
    .map_err(qra_err)?;
    let v = match text(p, "quantity")? {
        "diameter_m" => f.diameter_m(),
        "duration_s" => f.duration_s(),
        "centre_height_m" => f.centre_height_m(),
        "sep_w_m2" => f.sep_w_m2(),
        "flux_w_m2" => {
            let receiver = match text(p, "receiver")? {
                "max" => Receiver::Max,
                "vertical" => Receiver::Vertical,
                r => return Err(unknown("receiver", r)),
            };
            f.heat_flux_at([num(p, "x_m")?, 0.0, 0.0], receiver)
        }
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `free-jet`: [`qra_core::dispersion::FreeJet`] volume fraction at (x, y, z).
fn free_jet_point(p: &toml::Table) -> Result<(String, f64), String> {
    let j = qra_core::dispersion::FreeJet::new(
        num(p, "diameter_m")?,
        num(p, "exit_velocity_m_s")?,
        num(p, "jet_density_kg_m3")?,
        num(p, "air_density_kg_m3")?,
        num(p, "gas_density_ambient_kg_m3")?,
        num(p, "release_height_m")?,
    )
    .map_err(qra_err)?;
    labelled(
        p,
        j.volume_fraction(num(p, "x_m")?, num(p, "y_m")?, num(p, "z_m")?),
    )
}

/// `brode-energy`: [`qra_core::explosion::brode_energy_j`], J.
fn brode_point(p: &toml::Table) -> Result<(String, f64), String> {
    let e = qra_core::explosion::brode_energy_j(
        num(p, "pressure_pa")?,
        num(p, "ambient_pa")?,
        num(p, "volume_m3")?,
        num(p, "heat_capacity_ratio")?,
    )
    .map_err(qra_err)?;
    labelled(p, e)
}

/// Runs one case.
pub fn run_case(c: &Case) -> CaseResult {
    let mut labels = Vec::new();
    let mut expected = Vec::new();
    let mut predicted = Vec::new();
    let mut error = None;
    for (i, p) in c.point.iter().enumerate() {
        match num(p, "expected").and_then(|e| evaluate(&c.adapter, p, &c.dir).map(|r| (e, r))) {
            Ok((e, (l, v))) => {
                labels.push(l);
                expected.push(e);
                predicted.push(v);
            }
            Err(e) => {
                error = Some(format!("point {i}: {e}"));
                break;
            }
        }
    }
    let max_rel_error = expected
        .iter()
        .zip(&predicted)
        .map(|(e, p)| relative_error(*e, *p))
        .fold(0.0, f64::max);
    let m = metrics(&expected, &predicted);
    let cr = &c.criterion;
    let mut pass =
        error.is_none() && !expected.is_empty() && predicted.iter().all(|v| v.is_finite());
    let mut words = Vec::new();
    if let Some(t) = cr.max_rel_error {
        pass &= max_rel_error <= t;
        words.push(format!("max rel. error ≤ {}", fmt_tolerance(t)));
    }
    if let Some(t) = cr.fac2_min {
        pass &= m.is_some_and(|m| m.fac2 >= t);
        words.push(format!("FAC2 ≥ {t}"));
    }
    if let Some(t) = cr.fb_abs_max {
        pass &= m.is_some_and(|m| m.fb.abs() <= t);
        words.push(format!("|FB| ≤ {t}"));
    }
    if words.is_empty() {
        pass = false;
        words.push("no criterion set".into());
    }
    CaseResult {
        id: c.id.clone(),
        title: c.title.clone(),
        model: c.model.clone(),
        kind: c.kind.clone(),
        labels,
        expected,
        predicted,
        max_rel_error,
        metrics: m,
        pass,
        criterion: format!("{} ({})", words.join(", "), cr.source),
        error,
        failure_note: if pass { None } else { failure_note(c) },
    }
}

/// `flash-fire`: the LFL envelope of a continuous release as qra's risk engine builds it — a
/// [`qra_core::dispersion::GaussianPlume`] (Briggs rural, wind at 10 m) of `rate_kg_s` at
/// `release_height_m`, LFL of the built-in `substance` in kg/m³ at `temperature_k` and 1 atm.
/// `quantity` = "lfl_distance_m" ([`qra_core::dispersion::outputs::distance_to_concentration`]),
/// "half_width_m" at `x_m` ([`qra_core::dispersion::GaussianPlume::half_width`]) or "lethality"
/// at (`x_m`, `y_m`) via `via` = "engine" (the risk engine's footprint of a `flash-fire`
/// outcome, [`qra_core::risk::consequence::footprint_for`]) or "flash-fire-table"
/// ([`qra_core::fire::FlashFire::from_table`] on the plume's LFL half-widths).
fn flash_fire_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::constants::{ppm_to_kg_m3, STANDARD_PRESSURE_PA};
    use qra_core::dispersion::outputs::{distance_to_concentration, plume_footprint};
    use qra_core::dispersion::{Atmosphere, GaussianPlume, SigmaScheme, Stability, Terrain};
    let name = text(p, "substance")?;
    let s = qra_core::substance::substance(name).map_err(qra_err)?;
    let lfl = ppm_to_kg_m3(
        s.lfl_vol_frac().map_err(qra_err)? * 1e6,
        s.molar_mass_kg_mol().map_err(qra_err)?,
        num(p, "temperature_k")?,
        STANDARD_PRESSURE_PA,
    );
    let (rate, wind) = (num(p, "rate_kg_s")?, num(p, "wind_m_s")?);
    let letter = text(p, "stability")?;
    let stability: Stability = letter.parse().map_err(qra_err)?;
    let atm =
        Atmosphere::new(wind, stability, Terrain::Rural, SigmaScheme::Briggs).map_err(qra_err)?;
    let plume = GaussianPlume::new(rate, num(p, "release_height_m")?, atm).map_err(qra_err)?;
    let (x, y) = (num(p, "x_m")?, num(p, "y_m")?);
    let v = match text(p, "quantity")? {
        "lfl_distance_m" => distance_to_concentration(&plume, lfl).map_err(qra_err)?,
        "half_width_m" => plume.half_width(x, 0.0, lfl),
        "lethality" => match text(p, "via")? {
            "engine" => {
                use qra_core::risk::consequence::footprint_for;
                use qra_core::risk::scenario::ScenarioContext;
                use qra_core::risk::study::{Event, Installation};
                use qra_core::risk::study::{OutcomeSpec, WeatherClass};
                let parse = |t: String| t.parse::<toml::Table>().map_err(|e| e.to_string());
                let inst: Installation = parse(format!(
                    "id = 'src'\nx_m = 0.0\ny_m = 0.0\nsubstance = '{name}'\n\
                     inventory_kg = 1e7\nphase = 'gas'"
                ))?
                .try_into()
                .map_err(|e: toml::de::Error| e.to_string())?;
                let event: Event = parse("id = 'ev'\ninstallation = 'src'".into())?
                    .try_into()
                    .map_err(|e: toml::de::Error| e.to_string())?;
                let w: WeatherClass = parse(format!(
                    "stability = '{letter}'\nwind_speed_m_s = {wind:?}\nwind_rose = [1.0]"
                ))?
                .try_into()
                .map_err(|e: toml::de::Error| e.to_string())?;
                let ctx = ScenarioContext {
                    installation: &inst,
                    event: &event,
                    substance: s,
                    duration_s: None,
                    rules: Default::default(),
                    options: Default::default(),
                };
                let spec = OutcomeSpec::FlashFire {
                    mass_kg: None,
                    release_rate_kg_s: Some(rate),
                    dense_model: Default::default(),
                };
                footprint_for(&spec, &w, &ctx)
                    .map_err(qra_err)?
                    .lethality(x, y)
            }
            "flash-fire-table" => {
                let reach = distance_to_concentration(&plume, lfl).map_err(qra_err)?;
                let xs: Vec<f64> = (0..=200).map(|i| reach * i as f64 / 200.0).collect();
                let ws = plume_footprint(&plume, &xs, 0.0, lfl);
                qra_core::fire::FlashFire::from_table(xs, ws)
                    .map_err(qra_err)?
                    .lethality_outdoor(x, y)
            }
            o => return Err(unknown("via", o)),
        },
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `jet-fire`: [`qra_core::fire::JetFire`] released at (0, 0, `release_height_m`), `direction` =
/// "horizontal" (+x) or "vertical" (+z), `transmissivity` = "none" or "aqt3046". `quantity` =
/// "flame_length_m", "flux_w_m2" at (`x_m`, `y_m`, `z_m`) for a face-on receiver, or "reach_m"
/// to `flux_w_m2` ([`qra_core::fire::HeatSource::reach_m`]).
fn jet_fire_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::fire::{HeatSource, JetFire, Receiver, Transmissivity};
    let direction = match text(p, "direction")? {
        "horizontal" => [1.0, 0.0, 0.0],
        "vertical" => [0.0, 0.0, 1.0],
        d => return Err(unknown("direction", d)),
    };
    let tau = match text(p, "transmissivity")? {
        "none" => Transmissivity::None,
        "aqt3046" => Transmissivity::AqT3046,
        t => return Err(unknown("transmissivity", t)),
    };
    let j = JetFire::new(
        num(p, "rate_kg_s")?,
        num(p, "heat_of_combustion_j_kg")?,
        num(p, "radiant_fraction")?,
        [0.0, 0.0, num(p, "release_height_m")?],
        direction,
        tau,
        f64::INFINITY,
    )
    .map_err(qra_err)?;
    let v = match text(p, "quantity")? {
        "flame_length_m" => j.flame_length_m(),
        "flux_w_m2" => j.heat_flux_at(
            [num(p, "x_m")?, num(p, "y_m")?, num(p, "z_m")?],
            Receiver::Max,
        ),
        "reach_m" => j.reach_m(num(p, "flux_w_m2")?),
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

/// `chamberlain-jet-fire`: [`qra_core::fire::ChamberlainJetFire`] (vertical release at the
/// origin, τ = 1); `quantity` = a field name of its `geometry()` (`FrustumGeometry`),
/// "radiant_fraction", "sep_w_m2" or "flux_w_m2" at ground point (`x_m`, `y_m`) for `receiver` =
/// "horizontal" or "vertical" (default quadrature).
fn chamberlain_point(p: &toml::Table) -> Result<(String, f64), String> {
    use qra_core::fire::{
        ChamberlainJetFire, ChamberlainSpec, HeatSource, Receiver, Transmissivity,
    };
    let f = ChamberlainJetFire::new(ChamberlainSpec {
        mass_rate_kg_s: num(p, "rate_kg_s")?,
        heat_of_combustion_j_kg: num(p, "heat_of_combustion_j_kg")?,
        jet_velocity_m_s: num(p, "jet_velocity_m_s")?,
        jet_density_kg_m3: num(p, "jet_density_kg_m3")?,
        stoich_mass_fraction: num(p, "stoich_mass_fraction")?,
        wind_speed_m_s: num(p, "wind_speed_m_s")?,
        air_density_kg_m3: num(p, "air_density_kg_m3")?,
        release_point_m: [0.0; 3],
        transmissivity: Transmissivity::None,
        duration_s: f64::INFINITY,
    })
    .map_err(qra_err)?;
    let g = f.geometry();
    let v = match text(p, "quantity")? {
        "source_diameter_m" => g.source_diameter_m,
        "length_still_m" => g.length_still_m,
        "length_m" => g.length_m,
        "tilt_deg" => g.tilt_deg,
        "lift_off_m" => g.lift_off_m,
        "frustum_length_m" => g.frustum_length_m,
        "base_width_m" => g.base_width_m,
        "tip_width_m" => g.tip_width_m,
        "area_m2" => g.area_m2,
        "radiant_fraction" => f.radiant_fraction(),
        "sep_w_m2" => f.sep_w_m2(),
        "flux_w_m2" => {
            let receiver = match text(p, "receiver")? {
                "horizontal" => Receiver::Horizontal,
                "vertical" => Receiver::Vertical,
                r => return Err(unknown("receiver", r)),
            };
            f.heat_flux_at([num(p, "x_m")?, num(p, "y_m")?, 0.0], receiver)
        }
        q => return Err(unknown("quantity", q)),
    };
    labelled(p, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_error_conventions() {
        assert_eq!(relative_error(0.0, 0.0), 0.0);
        assert_eq!(relative_error(0.0, 1e-30), f64::INFINITY);
        assert_eq!(relative_error(1.0, f64::NAN), f64::INFINITY);
        assert!((relative_error(2.0, 3.0) - 0.5).abs() < qra_core::tolerance::EXACT);
    }

    fn table(s: &str) -> toml::Table {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn adapters_report_bad_input_as_errors() {
        let dir = Path::new(".");
        // Negative hole area: a typed qra error, not a panic.
        let p = table(
            "label = 'x'\noutput = 'rate_kg_s'\narea_m2 = -1.0\npressure_pa = 1e6\n\
             temperature_k = 300.0\nmolar_mass_kg_mol = 0.029\ngamma = 1.4\n\
             ambient_pressure_pa = 101325.0\ndischarge_coefficient = 1.0",
        );
        let e = evaluate("gas-discharge", &p, dir).unwrap_err();
        assert!(e.contains("area_m2"), "{e}");
        let p = table("label = 'x'\nprobit = 'nonsense'\nflux_w_m2 = 1e4\nexposure_s = 20.0");
        assert!(evaluate("thermal-probit", &p, dir).is_err());
        let p =
            table("label = 'x'\nquantity = 'impulse_pa_s'\ntnt_mass_kg = 0.0\ndistance_m = 10.0");
        assert!(evaluate("tnt-blast", &p, dir).is_err());
        assert!(evaluate("no-such-adapter", &p, dir).is_err());
    }

    #[test]
    fn new_adapters_report_bad_input_as_errors() {
        let dir = Path::new(".");
        let p = table("label = 'x'\nclass = 'tower'\nquantity = 'overpressure_probability'\noverpressure_pa = 5e4");
        let e = evaluate("domino", &p, dir).unwrap_err();
        assert!(e.contains("tower"), "{e}");
        let p = table(
            "label = 'x'\nquantity = 'concentration'\nmass_kg = -1.0\nrelease_height_m = 0.0\n\
             wind_m_s = 2.0\nstability = 'D'\nx_m = 100.0\ny_m = 0.0\nz_m = 0.0\nt_s = 50.0",
        );
        let e = evaluate("gaussian-puff", &p, dir).unwrap_err();
        assert!(e.contains("mass_kg"), "{e}");
        // A history whose arrays differ in length is a typed error, not a panic.
        let p = table(
            "label = 'x'\nsubstance = 'chlorine'\nset = 'withers-lees-1985'\nmode = 'history'\n\
             quantity = 'probit'\ncap_s = 1800.0\nt_s = [0.0, 60.0]\nc_kg_m3 = [1e-3]",
        );
        assert!(evaluate("toxic-probit", &p, dir).is_err());
        let p = table(
            "label = 'x'\ntemperature_k = 293.15\nboiling_point_k = 231.0\n\
             cp_liquid_j_kg_k = -1.0\nheat_of_vaporisation_j_kg = 4.26e5",
        );
        assert!(evaluate("flash-fraction", &p, dir).is_err());
    }

    #[test]
    fn flash_fire_adapter_reports_bad_input_as_errors() {
        let dir = Path::new(".");
        let base = "label = 'x'\nsubstance = 'methane'\nrelease_height_m = 1.0\n\
                    wind_m_s = 5.0\nstability = 'D'\ntemperature_k = 293.15\nx_m = 10.0\n\
                    y_m = 0.0\n";
        // Negative rate: a typed qra error naming the argument.
        let p = table(&format!(
            "{base}rate_kg_s = -1.0\nquantity = 'lfl_distance_m'"
        ));
        let e = evaluate("flash-fire", &p, dir).unwrap_err();
        assert!(e.contains("rate_kg_s"), "{e}");
        // A substance without an LFL (chlorine) is an error, not a zero footprint.
        let p = table(&format!(
            "{}rate_kg_s = 1.0\nquantity = 'lfl_distance_m'",
            base.replace("methane", "chlorine")
        ));
        assert!(evaluate("flash-fire", &p, dir).is_err());
        let p = table(&format!(
            "{base}rate_kg_s = 1.0\nquantity = 'lethality'\nvia = 'x'"
        ));
        assert!(evaluate("flash-fire", &p, dir).is_err());
    }

    #[test]
    fn jet_fire_adapters_report_bad_input_as_errors() {
        let dir = Path::new(".");
        let p = table(
            "label = 'x'\nrate_kg_s = -1.0\nheat_of_combustion_j_kg = 5e7\nradiant_fraction = 0.2\n\
             release_height_m = 1.0\ndirection = 'horizontal'\ntransmissivity = 'none'\n\
             quantity = 'flame_length_m'",
        );
        let e = evaluate("jet-fire", &p, dir).unwrap_err();
        assert!(e.contains("rate_kg_s"), "{e}");
        let p = table(
            "label = 'x'\nrate_kg_s = 1.0\nheat_of_combustion_j_kg = 5e7\njet_velocity_m_s = 0.0\n\
             jet_density_kg_m3 = 0.6\nstoich_mass_fraction = 0.055\nwind_speed_m_s = 0.0\n\
             air_density_kg_m3 = 1.2\nquantity = 'length_m'",
        );
        let e = evaluate("chamberlain-jet-fire", &p, dir).unwrap_err();
        assert!(e.contains("jet_velocity_m_s"), "{e}");
    }

    #[test]
    fn every_committed_case_loads_and_has_provenance() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        let cases = load_cases(&root).unwrap_or_else(|e| panic!("{e}"));
        assert!(cases.len() >= 16);
        for c in &cases {
            assert_eq!(
                c.dir.file_name().and_then(|n| n.to_str()),
                Some(c.id.as_str())
            );
            assert!(!c.criterion.source.is_empty(), "{}: criterion source", c.id);
        }
    }
}
