//! `qra.fire`: pool fire, jet fire, fireball and flash fire (thin wrappers over `qra_core::fire`).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyString;
use qra_core::fire::{
    self, pool::FlameLength, FlameTilt, FlashFire, HeatSource, Receiver, SepModel, Transmissivity,
};
use qra_core::vulnerability::thermal::ThermalRule;
use qra_core::QraError;

use crate::errors::PyQraResult;

/// Parses an orientation: "max", "vertical", "horizontal" or a 3-sequence normal.
fn receiver(orientation: &Bound<'_, PyAny>) -> PyQraResult<Receiver> {
    if let Ok(s) = orientation.cast::<PyString>() {
        let s = s.to_string();
        return match s.to_lowercase().as_str() {
            "max" => Ok(Receiver::Max),
            "vertical" => Ok(Receiver::Vertical),
            "horizontal" => Ok(Receiver::Horizontal),
            _ => Err(QraError::unknown(
                "receiver orientation",
                &s,
                ["max", "vertical", "horizontal"],
            )
            .into()),
        };
    }
    let n: Vec<f64> = orientation.extract().map_err(|_| {
        QraError::invalid(
            "orientation",
            "object",
            "must be 'max', 'vertical', 'horizontal' or 3 floats",
        )
    })?;
    if n.len() != 3 {
        return Err(
            QraError::invalid("orientation", format!("{n:?}"), "must have 3 components").into(),
        );
    }
    Ok(fire::normalise_receiver(Receiver::Normal([
        n[0], n[1], n[2],
    ]))?)
}

fn transmissivity(
    name: &str,
    relative_humidity: f64,
    air_temperature_k: f64,
) -> PyQraResult<Transmissivity> {
    match name.to_lowercase().replace(['_', ' ', '/'], "-").as_str() {
        "none" => Ok(Transmissivity::None),
        "aqt3046" | "aq-t-3046" => Ok(Transmissivity::AqT3046),
        "wayne" => Ok(Transmissivity::wayne(relative_humidity, air_temperature_k)?),
        _ => Err(
            QraError::unknown("transmissivity model", name, ["none", "aqt3046", "wayne"]).into(),
        ),
    }
}

fn flux<'py, S: HeatSource>(
    py: Python<'py>,
    src: &S,
    x: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    z: PyReadonlyArray1<'py, f64>,
    orientation: &Bound<'py, PyAny>,
) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
    let rec = receiver(orientation)?;
    let (x, y, z) = (x.as_array(), y.as_array(), z.as_array());
    let (xs, ys, zs) = (x.to_vec(), y.to_vec(), z.to_vec());
    let out = py.detach(|| fire::heat_flux(src, &xs, &ys, &zs, rec))?;
    Ok(out.into_pyarray(py))
}

/// The constructor keywords of a transmissivity model, as Python source (for evaluable reprs).
fn transmissivity_kwargs(t: &Transmissivity) -> String {
    use crate::pickle::py_float;
    match *t {
        Transmissivity::None => "transmissivity='none'".into(),
        Transmissivity::AqT3046 => "transmissivity='aqt3046'".into(),
        Transmissivity::Wayne {
            relative_humidity,
            temperature_k,
        } => format!(
            "transmissivity='wayne', relative_humidity={}, air_temperature_k={}",
            py_float(Some(relative_humidity)),
            py_float(Some(temperature_k))
        ),
    }
}

/// Kinematic viscosity of air at 20 °C, m²/s, the default of the Yellow Book tilt
/// (≈ 1.5·10⁻⁵ m²/s, as stated in `qra_core::fire::FlameTilt::YellowBook`; 1.516·10⁻⁵ in
/// standard tables [M]).
const AIR_KINEMATIC_VISCOSITY_20C_M2_S: f64 = 1.5e-5;

/// Parses the flame-tilt keyword: "aga" (the default) or "yellow-book" (with the air's kinematic
/// viscosity, only meaningful there).
fn flame_tilt(name: &str, kinematic_viscosity_m2_s: Option<f64>) -> PyQraResult<FlameTilt> {
    match name.to_lowercase().replace(['_', ' '], "-").as_str() {
        "aga" => match kinematic_viscosity_m2_s {
            None => Ok(FlameTilt::Aga),
            Some(nu) => Err(QraError::invalid(
                "kinematic_viscosity_m2_s",
                nu,
                "is only used with tilt='yellow-book'",
            )
            .into()),
        },
        "yellow-book" => Ok(FlameTilt::YellowBook {
            kinematic_viscosity_m2_s: kinematic_viscosity_m2_s
                .unwrap_or(AIR_KINEMATIC_VISCOSITY_20C_M2_S),
        }),
        _ => Err(QraError::invalid(
            "tilt",
            format!("'{name}'"),
            "must be one of 'aga', 'yellow-book'",
        )
        .into()),
    }
}

fn rule(name: &str) -> PyQraResult<ThermalRule> {
    Ok(ThermalRule::from_name(name)?)
}

/// Pool fire (solid flame, tilted cylinder). See ``qra.fire.PoolFire`` for the documentation.
#[pyclass(name = "PoolFire", module = "qra._qra", frozen)]
pub struct PyPoolFire {
    inner: fire::PoolFire,
}

#[pymethods]
impl PyPoolFire {
    #[new]
    #[pyo3(signature = (diameter_m, burning_rate_kg_m2_s, heat_of_combustion_j_kg, *, wind_speed_m_s=0.0,
        vapour_density_kg_m3=1.8, air_density_kg_m3=1.2, sep_model="mudan-croce", radiative_fraction=0.35,
        sep_w_m2=None, flame_length="thomas", transmissivity="aqt3046", relative_humidity=0.7,
        air_temperature_k=293.15, duration_s=f64::INFINITY, n_phi=24, flame_drag="none", tilt="aga",
        kinematic_viscosity_m2_s=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        diameter_m: f64,
        burning_rate_kg_m2_s: f64,
        heat_of_combustion_j_kg: f64,
        wind_speed_m_s: f64,
        vapour_density_kg_m3: f64,
        air_density_kg_m3: f64,
        sep_model: &str,
        radiative_fraction: f64,
        sep_w_m2: Option<f64>,
        flame_length: &str,
        transmissivity: &str,
        relative_humidity: f64,
        air_temperature_k: f64,
        duration_s: f64,
        n_phi: usize,
        flame_drag: &str,
        tilt: &str,
        kinematic_viscosity_m2_s: Option<f64>,
    ) -> PyQraResult<Self> {
        let tilt = flame_tilt(tilt, kinematic_viscosity_m2_s)?;
        let flame_drag = match flame_drag.to_lowercase().as_str() {
            "none" => fire::FlameDrag::None,
            "moorhouse" => fire::FlameDrag::Moorhouse,
            _ => {
                return Err(QraError::unknown(
                    "flame-drag model",
                    flame_drag,
                    ["none", "moorhouse"],
                )
                .into())
            }
        };
        let sep = match sep_w_m2 {
            Some(e) => SepModel::Fixed(e),
            None => match sep_model.to_lowercase().replace(['_', ' '], "-").as_str() {
                "radiative-fraction" => SepModel::RadiativeFraction(radiative_fraction),
                "mudan-croce" => SepModel::MudanCroce,
                "shokri-beyler" => SepModel::ShokriBeyler,
                _ => {
                    return Err(QraError::unknown(
                        "SEP model",
                        sep_model,
                        ["radiative-fraction", "mudan-croce", "shokri-beyler"],
                    )
                    .into())
                }
            },
        };
        let fl = match flame_length
            .to_lowercase()
            .replace(['_', ' '], "-")
            .as_str()
        {
            "thomas" => FlameLength::Thomas,
            "thomas-wind" => FlameLength::ThomasWind,
            _ => {
                return Err(QraError::unknown(
                    "flame-length model",
                    flame_length,
                    ["thomas", "thomas-wind"],
                )
                .into())
            }
        };
        let spec = fire::PoolFireSpec {
            diameter_m,
            burning_rate_kg_m2_s,
            heat_of_combustion_j_kg,
            wind_speed_m_s,
            vapour_density_kg_m3,
            air_density_kg_m3,
            sep,
            flame_length: fl,
            transmissivity: self::transmissivity(
                transmissivity,
                relative_humidity,
                air_temperature_k,
            )?,
            duration_s,
            n_phi,
            flame_drag,
            tilt,
        };
        Ok(PyPoolFire {
            inner: fire::PoolFire::new(spec)?,
        })
    }

    /// A pool fire of a built-in substance (burning rate, ΔHc, vapour density from the database).
    #[staticmethod]
    #[pyo3(signature = (name, diameter_m, wind_speed_m_s=0.0))]
    fn from_substance(name: &str, diameter_m: f64, wind_speed_m_s: f64) -> PyQraResult<Self> {
        let spec = fire::PoolFireSpec::from_substance(name, diameter_m, wind_speed_m_s)?;
        Ok(PyPoolFire {
            inner: fire::PoolFire::new(spec)?,
        })
    }

    /// Flame length along the axis, m.
    #[getter]
    fn flame_length_m(&self) -> f64 {
        self.inner.flame_length_m()
    }
    /// Tilt from the vertical, rad.
    #[getter]
    fn tilt_rad(&self) -> f64 {
        self.inner.tilt_rad()
    }
    /// Surface emissive power, W/m².
    #[getter]
    fn sep_w_m2(&self) -> f64 {
        self.inner.sep_w_m2()
    }
    /// Diameter, m.
    #[getter]
    fn diameter_m(&self) -> f64 {
        self.inner.spec().diameter_m
    }

    /// Heat flux (W/m²) at 1-D arrays of points.
    #[pyo3(signature = (x_m, y_m, z_m, orientation))]
    fn heat_flux<'py>(
        &self,
        py: Python<'py>,
        x_m: PyReadonlyArray1<'py, f64>,
        y_m: PyReadonlyArray1<'py, f64>,
        z_m: PyReadonlyArray1<'py, f64>,
        orientation: &Bound<'py, PyAny>,
    ) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
        flux(py, &self.inner, x_m, y_m, z_m, orientation)
    }

    /// Distance beyond which the ground-level flux is below `flux_w_m2`, m.
    fn reach_m(&self, py: Python<'_>, flux_w_m2: f64) -> f64 {
        let src = &self.inner;
        py.detach(|| src.reach_m(flux_w_m2))
    }

    /// Distance beyond which the lethality under `rule` is below `p_min`, m.
    #[pyo3(signature = (rule="purple-book", p_min=1e-6))]
    fn lethality_reach_m(&self, py: Python<'_>, rule: &str, p_min: f64) -> PyQraResult<f64> {
        let (src, rule) = (&self.inner, self::rule(rule)?);
        Ok(py.detach(|| fire::lethality_reach_m(src, &rule, p_min)))
    }

    /// Evaluable (constructor keywords, exact floats; ``flame_drag`` and ``tilt`` when not the
    /// defaults).
    fn __repr__(&self) -> String {
        use crate::pickle::py_float;
        let s = self.inner.spec();
        let sep = match s.sep {
            SepModel::MudanCroce => "sep_model='mudan-croce'".to_string(),
            SepModel::ShokriBeyler => "sep_model='shokri-beyler'".to_string(),
            SepModel::RadiativeFraction(f) => format!(
                "sep_model='radiative-fraction', radiative_fraction={}",
                py_float(Some(f))
            ),
            SepModel::Fixed(e) => format!("sep_w_m2={}", py_float(Some(e))),
        };
        let fl = match s.flame_length {
            FlameLength::Thomas => "thomas",
            FlameLength::ThomasWind => "thomas-wind",
        };
        let drag = match s.flame_drag {
            fire::FlameDrag::None => "",
            fire::FlameDrag::Moorhouse => ", flame_drag='moorhouse'",
        };
        let tilt = match s.tilt {
            FlameTilt::Aga => String::new(),
            FlameTilt::YellowBook {
                kinematic_viscosity_m2_s,
            } => format!(
                ", tilt='yellow-book', kinematic_viscosity_m2_s={}",
                py_float(Some(kinematic_viscosity_m2_s))
            ),
        };
        format!(
            "PoolFire({}, {}, {}, wind_speed_m_s={}, vapour_density_kg_m3={}, air_density_kg_m3={}, \
             {sep}, flame_length='{fl}', {}, duration_s={}{}{drag}{tilt})",
            py_float(Some(s.diameter_m)),
            py_float(Some(s.burning_rate_kg_m2_s)),
            py_float(Some(s.heat_of_combustion_j_kg)),
            py_float(Some(s.wind_speed_m_s)),
            py_float(Some(s.vapour_density_kg_m3)),
            py_float(Some(s.air_density_kg_m3)),
            transmissivity_kwargs(&s.transmissivity),
            py_float(Some(s.duration_s)),
            if s.n_phi == 24 {
                String::new()
            } else {
                format!(", n_phi={}", s.n_phi)
            }
        )
    }
}

/// API 521 point-source jet fire. See ``qra.fire.JetFire``.
#[pyclass(name = "JetFire", module = "qra._qra", frozen)]
pub struct PyJetFire {
    inner: fire::JetFire,
}

#[pymethods]
impl PyJetFire {
    #[new]
    #[pyo3(signature = (mass_rate_kg_s, heat_of_combustion_j_kg, radiant_fraction, *,
        release_point_m=(0.0, 0.0, 0.0), direction=(1.0, 0.0, 0.0), transmissivity="aqt3046",
        relative_humidity=0.7, air_temperature_k=293.15, duration_s=f64::INFINITY, max_flux_w_m2=350e3))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        mass_rate_kg_s: f64,
        heat_of_combustion_j_kg: f64,
        radiant_fraction: f64,
        release_point_m: (f64, f64, f64),
        direction: (f64, f64, f64),
        transmissivity: &str,
        relative_humidity: f64,
        air_temperature_k: f64,
        duration_s: f64,
        max_flux_w_m2: f64,
    ) -> PyQraResult<Self> {
        let j = fire::JetFire::new(
            mass_rate_kg_s,
            heat_of_combustion_j_kg,
            radiant_fraction,
            [release_point_m.0, release_point_m.1, release_point_m.2],
            [direction.0, direction.1, direction.2],
            self::transmissivity(transmissivity, relative_humidity, air_temperature_k)?,
            duration_s,
        )?
        .with_max_flux(max_flux_w_m2)?;
        Ok(PyJetFire { inner: j })
    }

    /// Flame length, m.
    #[getter]
    fn flame_length_m(&self) -> f64 {
        self.inner.flame_length_m()
    }
    /// Point-source position, m.
    #[getter]
    fn source_point_m(&self) -> (f64, f64, f64) {
        let p = self.inner.source_point_m();
        (p[0], p[1], p[2])
    }

    /// Heat flux (W/m²) at 1-D arrays of points.
    #[pyo3(signature = (x_m, y_m, z_m, orientation))]
    fn heat_flux<'py>(
        &self,
        py: Python<'py>,
        x_m: PyReadonlyArray1<'py, f64>,
        y_m: PyReadonlyArray1<'py, f64>,
        z_m: PyReadonlyArray1<'py, f64>,
        orientation: &Bound<'py, PyAny>,
    ) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
        flux(py, &self.inner, x_m, y_m, z_m, orientation)
    }

    /// Distance beyond which the ground-level flux is below `flux_w_m2`, m.
    fn reach_m(&self, py: Python<'_>, flux_w_m2: f64) -> f64 {
        let src = &self.inner;
        py.detach(|| src.reach_m(flux_w_m2))
    }

    /// Distance beyond which the lethality under `rule` is below `p_min`, m.
    #[pyo3(signature = (rule="purple-book", p_min=1e-6))]
    fn lethality_reach_m(&self, py: Python<'_>, rule: &str, p_min: f64) -> PyQraResult<f64> {
        let (src, rule) = (&self.inner, self::rule(rule)?);
        Ok(py.detach(|| fire::lethality_reach_m(src, &rule, p_min)))
    }

    fn __repr__(&self) -> String {
        format!(
            "JetFire({}, flame_length_m={:.3})",
            crate::pickle::form_fields(&self.inner),
            self.inner.flame_length_m()
        )
    }
}

/// Chamberlain (1987) frustum jet fire (vertical release). See ``qra.fire.ChamberlainJetFire``.
#[pyclass(name = "ChamberlainJetFire", module = "qra._qra", frozen)]
pub struct PyChamberlainJetFire {
    inner: fire::ChamberlainJetFire,
}

#[pymethods]
impl PyChamberlainJetFire {
    #[new]
    #[pyo3(signature = (mass_rate_kg_s, heat_of_combustion_j_kg, *, jet_velocity_m_s,
        jet_density_kg_m3, stoich_mass_fraction, wind_speed_m_s=0.0, air_density_kg_m3=1.204,
        release_point_m=(0.0, 0.0, 0.0), transmissivity="aqt3046", relative_humidity=0.7,
        air_temperature_k=293.15, duration_s=f64::INFINITY))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        mass_rate_kg_s: f64,
        heat_of_combustion_j_kg: f64,
        jet_velocity_m_s: f64,
        jet_density_kg_m3: f64,
        stoich_mass_fraction: f64,
        wind_speed_m_s: f64,
        air_density_kg_m3: f64,
        release_point_m: (f64, f64, f64),
        transmissivity: &str,
        relative_humidity: f64,
        air_temperature_k: f64,
        duration_s: f64,
    ) -> PyQraResult<Self> {
        let spec = fire::ChamberlainSpec {
            mass_rate_kg_s,
            heat_of_combustion_j_kg,
            jet_velocity_m_s,
            jet_density_kg_m3,
            stoich_mass_fraction,
            wind_speed_m_s,
            air_density_kg_m3,
            release_point_m: [release_point_m.0, release_point_m.1, release_point_m.2],
            transmissivity: self::transmissivity(
                transmissivity,
                relative_humidity,
                air_temperature_k,
            )?,
            duration_s,
        };
        Ok(PyChamberlainJetFire {
            inner: fire::ChamberlainJetFire::new(spec)?,
        })
    }

    /// Flame geometry as a dict-like tuple list.
    #[getter]
    fn geometry(&self) -> Vec<(&'static str, f64)> {
        let g = self.inner.geometry();
        vec![
            ("source_diameter_m", g.source_diameter_m),
            ("length_still_m", g.length_still_m),
            ("length_m", g.length_m),
            ("tilt_deg", g.tilt_deg),
            ("lift_off_m", g.lift_off_m),
            ("frustum_length_m", g.frustum_length_m),
            ("base_width_m", g.base_width_m),
            ("tip_width_m", g.tip_width_m),
            ("area_m2", g.area_m2),
        ]
    }
    /// Surface emissive power, W/m².
    #[getter]
    fn sep_w_m2(&self) -> f64 {
        self.inner.sep_w_m2()
    }
    /// Fraction of heat radiated.
    #[getter]
    fn radiant_fraction(&self) -> f64 {
        self.inner.radiant_fraction()
    }

    /// Heat flux (W/m²) at 1-D arrays of points.
    #[pyo3(signature = (x_m, y_m, z_m, orientation))]
    fn heat_flux<'py>(
        &self,
        py: Python<'py>,
        x_m: PyReadonlyArray1<'py, f64>,
        y_m: PyReadonlyArray1<'py, f64>,
        z_m: PyReadonlyArray1<'py, f64>,
        orientation: &Bound<'py, PyAny>,
    ) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
        flux(py, &self.inner, x_m, y_m, z_m, orientation)
    }

    /// Distance beyond which the ground-level flux is below `flux_w_m2`, m.
    fn reach_m(&self, flux_w_m2: f64) -> f64 {
        self.inner.reach_m(flux_w_m2)
    }

    fn __repr__(&self) -> String {
        let g = self.inner.geometry();
        format!(
            "ChamberlainJetFire(length_m={:.3}, tilt_deg={:.2}, sep_w_m2={:.0})",
            g.length_m,
            g.tilt_deg,
            self.inner.sep_w_m2()
        )
    }
}

/// CCPS fireball. See ``qra.fire.Fireball``.
#[pyclass(name = "Fireball", module = "qra._qra", frozen)]
pub struct PyFireball {
    inner: fire::Fireball,
}

#[pymethods]
impl PyFireball {
    #[new]
    #[pyo3(signature = (mass_kg, heat_of_combustion_j_kg, radiant_fraction, *, transmissivity="aqt3046",
        relative_humidity=0.7, air_temperature_k=293.15))]
    fn new(
        mass_kg: f64,
        heat_of_combustion_j_kg: f64,
        radiant_fraction: f64,
        transmissivity: &str,
        relative_humidity: f64,
        air_temperature_k: f64,
    ) -> PyQraResult<Self> {
        Ok(PyFireball {
            inner: fire::Fireball::new(
                mass_kg,
                heat_of_combustion_j_kg,
                radiant_fraction,
                self::transmissivity(transmissivity, relative_humidity, air_temperature_k)?,
            )?,
        })
    }

    /// Radiant fraction 0.27·(p/1 MPa)^0.32 (≤ 0.4) from the burst pressure, Pa.
    #[staticmethod]
    fn radiant_fraction_from_pressure(pressure_pa: f64) -> PyQraResult<f64> {
        Ok(fire::Fireball::radiant_fraction_from_pressure(pressure_pa)?)
    }

    /// Diameter, m.
    #[getter]
    fn diameter_m(&self) -> f64 {
        self.inner.diameter_m()
    }
    /// Duration, s.
    #[getter]
    fn duration_s(&self) -> f64 {
        HeatSource::duration_s(&self.inner)
    }
    /// Centre height, m.
    #[getter]
    fn centre_height_m(&self) -> f64 {
        self.inner.centre_height_m()
    }
    /// Surface emissive power, W/m².
    #[getter]
    fn sep_w_m2(&self) -> f64 {
        self.inner.sep_w_m2()
    }

    /// Heat flux (W/m²) at 1-D arrays of points.
    #[pyo3(signature = (x_m, y_m, z_m, orientation))]
    fn heat_flux<'py>(
        &self,
        py: Python<'py>,
        x_m: PyReadonlyArray1<'py, f64>,
        y_m: PyReadonlyArray1<'py, f64>,
        z_m: PyReadonlyArray1<'py, f64>,
        orientation: &Bound<'py, PyAny>,
    ) -> PyQraResult<Bound<'py, PyArray1<f64>>> {
        flux(py, &self.inner, x_m, y_m, z_m, orientation)
    }

    /// Distance beyond which the ground-level flux is below `flux_w_m2`, m.
    fn reach_m(&self, py: Python<'_>, flux_w_m2: f64) -> f64 {
        let src = &self.inner;
        py.detach(|| src.reach_m(flux_w_m2))
    }

    /// Distance beyond which the lethality under `rule` is below `p_min`, m.
    #[pyo3(signature = (rule="purple-book", p_min=1e-6))]
    fn lethality_reach_m(&self, py: Python<'_>, rule: &str, p_min: f64) -> PyQraResult<f64> {
        let (src, rule) = (&self.inner, self::rule(rule)?);
        Ok(py.detach(|| fire::lethality_reach_m(src, &rule, p_min)))
    }

    /// Evaluable (constructor arguments, exact floats).
    fn __repr__(&self) -> String {
        let v = serde_json::to_value(self.inner).unwrap_or_default();
        let f = |k: &str| crate::pickle::py_float(v[k].as_f64());
        format!(
            "Fireball({}, {}, {}, {})",
            f("mass_kg"),
            f("heat_of_combustion_j_kg"),
            f("radiant_fraction"),
            transmissivity_kwargs(
                &serde_json::from_value(v["transmissivity"].clone())
                    .unwrap_or(Transmissivity::AqT3046)
            )
        )
    }
}

/// Flash-fire outdoor lethality (1 inside the LFL envelope given as a table, else 0) at 1-D
/// arrays of points; returns (lethality, reach_m).
#[pyfunction]
pub fn flash_fire_lethality<'py>(
    py: Python<'py>,
    x_m: PyReadonlyArray1<'py, f64>,
    y_m: PyReadonlyArray1<'py, f64>,
    table_x_m: Vec<f64>,
    table_half_width_m: Vec<f64>,
) -> PyQraResult<(Bound<'py, PyArray1<f64>>, f64)> {
    let f = FlashFire::from_table(table_x_m, table_half_width_m)?;
    let (x, y) = (x_m.as_array(), y_m.as_array());
    if x.len() != y.len() {
        return Err(QraError::invalid(
            "y_m",
            y.len(),
            format!("must have the length of x_m ({})", x.len()),
        )
        .into());
    }
    let out: Vec<f64> = py.detach(|| {
        x.iter()
            .zip(y.iter())
            .map(|(&a, &b)| f.lethality_outdoor(a, b))
            .collect()
    });
    Ok((out.into_pyarray(py), f.reach_m()))
}

/// Pool diameter helpers.
///
/// Steady pool of a continuous leak burning at its burning rate: D = √(4ṁ/(π m″)).
///
/// Parameters
/// ----------
/// leak_rate_kg_s : float
///     Leak rate, kg/s.
/// burning_rate_kg_m2_s : float
///     Burning rate m″, kg/(m²·s).
///
/// Returns
/// -------
/// float
///     Diameter, m.
#[pyfunction]
pub fn steady_state_pool_diameter_m(
    leak_rate_kg_s: f64,
    burning_rate_kg_m2_s: f64,
) -> PyQraResult<f64> {
    Ok(fire::pool::steady_state_diameter_m(
        leak_rate_kg_s,
        burning_rate_kg_m2_s,
    )?)
}

/// Diameter of a bunded pool of area `area_m2`, m.
///
/// Equivalent diameter D = √(4A/π).
///
/// Parameters
/// ----------
/// area_m2 : float
///     Bund area, m².
///
/// Returns
/// -------
/// float
///     Diameter, m.
#[pyfunction]
pub fn bunded_pool_diameter_m(area_m2: f64) -> PyQraResult<f64> {
    Ok(fire::pool::bunded_diameter_m(area_m2)?)
}

/// Burgess–Zabetakis burning rate, kg/(m²·s).
///
/// m″ = 10⁻³·ΔHc/(ΔHv + c_p (Tb − Ta)) (Burgess & Zabetakis 1962; CCPS 1999 §2.2.5 [M]).
///
/// Parameters
/// ----------
/// heat_of_combustion_j_kg, heat_of_vaporisation_j_kg : float
///     J/kg.
/// cp_liquid_j_kg_k : float
///     Liquid heat capacity, J/(kg·K).
/// boiling_point_k, ambient_k : float
///     Normal boiling point and ambient temperature, K.
///
/// Returns
/// -------
/// float
///     Burning rate, kg/(m²·s).
#[pyfunction]
pub fn burgess_zabetakis_kg_m2_s(
    heat_of_combustion_j_kg: f64,
    heat_of_vaporisation_j_kg: f64,
    cp_liquid_j_kg_k: f64,
    boiling_point_k: f64,
    ambient_k: f64,
) -> PyQraResult<f64> {
    Ok(fire::pool::burgess_zabetakis_kg_m2_s(
        heat_of_combustion_j_kg,
        heat_of_vaporisation_j_kg,
        cp_liquid_j_kg_k,
        boiling_point_k,
        ambient_k,
    )?)
}

/// Registers this module's functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPoolFire>()?;
    m.add_class::<PyJetFire>()?;
    m.add_class::<PyChamberlainJetFire>()?;
    m.add_class::<PyFireball>()?;
    m.add_function(wrap_pyfunction!(flash_fire_lethality, m)?)?;
    m.add_function(wrap_pyfunction!(steady_state_pool_diameter_m, m)?)?;
    m.add_function(wrap_pyfunction!(bunded_pool_diameter_m, m)?)?;
    m.add_function(wrap_pyfunction!(burgess_zabetakis_kg_m2_s, m)?)?;
    Ok(())
}

// `to_json`/`from_json`, pickling, `==` and `hash` from the serde form (see `crate::pickle`).
impl crate::pickle::SerdeForm for PyPoolFire {
    fn to_json_text(&self) -> PyResult<String> {
        crate::pickle::to_json(self.inner.spec())
    }
    fn from_json_text(_py: Python<'_>, text: &str) -> PyResult<Self> {
        let spec: fire::PoolFireSpec = crate::pickle::parse(text)?;
        Ok(PyPoolFire {
            inner: crate::pickle::checked(fire::PoolFire::new(spec))?,
        })
    }
}
crate::pickle::serde_form!(PyPoolFire);
crate::pickle::serde_form!(PyJetFire, fire::JetFire, |j| j.revalidated());
crate::pickle::serde_form!(PyFireball, fire::Fireball, |f| f.revalidated());
impl crate::pickle::SerdeForm for PyChamberlainJetFire {
    fn to_json_text(&self) -> PyResult<String> {
        crate::pickle::to_json(self.inner.spec())
    }
    fn from_json_text(_py: Python<'_>, text: &str) -> PyResult<Self> {
        let spec: fire::ChamberlainSpec = crate::pickle::parse(text)?;
        Ok(PyChamberlainJetFire {
            inner: crate::pickle::checked(fire::ChamberlainJetFire::new(spec))?,
        })
    }
}
crate::pickle::serde_form!(PyChamberlainJetFire);
