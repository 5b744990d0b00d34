//! `qra.fire`: pool fire, jet fire, fireball and flash fire (thin wrappers over `qra_core::fire`).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyString};
use qra_core::fire::{
    self, pool::FlameLength, FlameTilt, FlashFire, HeatSource, Receiver, SepModel, Transmissivity,
};
use qra_core::vulnerability::thermal::ThermalRule;
use qra_core::QraError;

use crate::errors::{Py as _, PyQraResult};
use crate::{broadcast, compat};

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

/// Incident heat flux of `src` at receiver points, broadcast over the coordinates (the one
/// broadcasting helper; `fire::heat_flux` runs with the GIL released, in parallel).
fn flux<'py, S: HeatSource + Sync>(
    py: Python<'py>,
    src: &S,
    [x_m, y_m, z_m]: [Option<Bound<'py, PyAny>>; 3],
    orientation: Option<&Bound<'py, PyAny>>,
    deprecated: Option<&Bound<'py, PyDict>>,
) -> PyResult<broadcast::Array<'py>> {
    let [x, y, z] = compat::aliases(
        py,
        deprecated,
        [(x_m, "x_m", "x"), (y_m, "y_m", "y"), (z_m, "z_m", "z")],
    )?;
    let (x, y) = (compat::required(x, "x_m")?, compat::required(y, "y_m")?);
    let z = z.unwrap_or_else(|| PyFloat::new(py, 0.0).into_any());
    let rec = match orientation {
        Some(o) => receiver(o)?,
        None => Receiver::Max,
    };
    broadcast::map(py, [&x, &y, &z], |[x, y, z]| {
        fire::heat_flux(src, x, y, z, rec)
    })
}

/// The methods every radiating fire has: ``heat_flux`` and ``reach_m``.
macro_rules! heat_source_methods {
    ($py:ident) => {
        #[pymethods]
        impl $py {
            /// Incident heat flux q = SEP·F·τ (W/m²) at receiver points, broadcast like NumPy.
            ///
            /// Frame: origin at the pool centre / release point at ground level, z up, wind
            /// towards +x. The arguments broadcast with NumPy's rules (scalars, lists, arrays of
            /// any shape); the evaluation releases the GIL and runs in parallel (results do not
            /// depend on the thread count). Receivers inside a flame get the flame's surface
            /// emissive power (a defined value, never NaN).
            ///
            /// Parameters
            /// ----------
            /// x_m, y_m : array_like
            ///     Receiver coordinates, m (deprecated aliases ``x``, ``y``: DeprecationWarning).
            /// z_m : array_like
            ///     Receiver height, m (default 0; deprecated alias ``z``).
            /// orientation : "max", "vertical", "horizontal" or (nx, ny, nz)
            ///     Receiving surface: ``"max"`` the orientation that sees the most, ``"vertical"``
            ///     facing the flame, ``"horizontal"`` facing up, or a normal vector.
            ///
            /// Returns
            /// -------
            /// ndarray
            ///     Heat flux, W/m², of the broadcast shape (0-d for scalar input; never NaN).
            ///
            /// Raises
            /// ------
            /// qra.InvalidInputError
            ///     NaN coordinates or a zero normal; ``UnknownNameError`` for an unknown
            ///     orientation name.
            #[pyo3(signature = (x_m=None, y_m=None, z_m=None, orientation=None, **deprecated),
                text_signature = "(self, x_m, y_m, z_m=0.0, orientation='max', **deprecated)")]
            fn heat_flux<'py>(
                &self,
                py: Python<'py>,
                #[pyo3(from_py_with = crate::args::opt_array)] x_m: Option<Bound<'py, PyAny>>,
                #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
                #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
                orientation: Option<&Bound<'py, PyAny>>,
                deprecated: Option<&Bound<'py, PyDict>>,
            ) -> PyResult<broadcast::Array<'py>> {
                flux(py, &self.inner, [x_m, y_m, z_m], orientation, deprecated)
            }

            /// Horizontal distance beyond which the ground-level flux is below ``flux_w_m2``.
            ///
            /// Parameters
            /// ----------
            /// flux_w_m2 : float
            ///     Heat flux, W/m².
            ///
            /// Returns
            /// -------
            /// float
            ///     Distance, m.
            ///
            /// Raises
            /// ------
            /// qra.InvalidInputError
            ///     ``flux_w_m2`` not finite and > 0 (the reach of a zero flux is unbounded).
            fn reach_m(&self, py: Python<'_>, #[pyo3(from_py_with = crate::args::num)] flux_w_m2: f64) -> PyQraResult<f64> {
                qra_core::error::check::positive("flux_w_m2", flux_w_m2)?;
                let src = &self.inner;
                Ok(py.detach(|| src.reach_m(flux_w_m2)))
            }
        }
    };
}

/// ``lethality_reach_m`` of a fire with a lethality reach under a heat-radiation rule.
macro_rules! lethality_methods {
    ($py:ident) => {
        #[pymethods]
        impl $py {
            /// Distance beyond which the lethality under ``rule`` is below ``p_min``.
            ///
            /// Parameters
            /// ----------
            /// rule : {"purple-book", "aqt3046"}
            ///     Heat-radiation lethality rule (:func:`qra.vulnerability.thermal_rule_lethality`),
            ///     over the fire's duration.
            /// p_min : float
            ///     Lethality that defines the reach.
            ///
            /// Returns
            /// -------
            /// float
            ///     Distance, m.
            ///
            /// Raises
            /// ------
            /// qra.UnknownNameError
            ///     An unknown rule.
            /// qra.InvalidInputError
            ///     ``p_min`` not in (0, 1) (a lethality of 0 is reached nowhere: unbounded reach).
            #[pyo3(signature = (rule="purple-book", p_min=1e-6))]
            fn lethality_reach_m(
                &self,
                py: Python<'_>,
                #[pyo3(from_py_with = crate::args::text)] rule: &str,
                #[pyo3(from_py_with = crate::args::num)] p_min: f64,
            ) -> PyQraResult<f64> {
                if !(p_min > 0.0 && p_min < 1.0) {
                    return Err(QraError::invalid("p_min", p_min, "must be in (0, 1)").into());
                }
                let (src, rule) = (&self.inner, self::rule(rule)?);
                Ok(py.detach(|| fire::lethality_reach_m(src, &rule, p_min)))
            }
        }
    };
}

heat_source_methods!(PyPoolFire);
heat_source_methods!(PyJetFire);
heat_source_methods!(PyChamberlainJetFire);
heat_source_methods!(PyFireball);
lethality_methods!(PyPoolFire);
lethality_methods!(PyJetFire);
lethality_methods!(PyFireball);

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

/// Pool fire, solid-flame model (tilted cylinder).
///
/// Burning rate m″ (kg/m²/s; database m″∞ or Burgess & Zabetakis 1962), flame length
/// L/D = 42 (m″/(ρa √(gD)))^0.61 (Thomas 1963), tilt cos θ = u*^-1/2 for u* > 1 (AGA 1974),
/// SEP by radiative fraction E = f m″ ΔHc/(1 + 4L/D) (Mudan 1984), Mudan & Croce (1988) smoke
/// obscuration or Shokri & Beyler (1989); view factor of the (tilted) cylinder integrated
/// semi-analytically (checked against Mudan's closed forms); transmissivity AQ/T 3046 eq. E.59
/// or Wayne (1991). Frame: origin at the pool centre, z up, wind towards +x.
///
/// Parameters
/// ----------
/// diameter_m, burning_rate_kg_m2_s, heat_of_combustion_j_kg : float
///     Pool diameter (m), mass burning rate (kg/m²/s), heat of combustion (J/kg); all > 0.
/// wind_speed_m_s : float
///     Wind speed (m/s, ≥ 0); the flame tilts towards +x.
/// vapour_density_kg_m3, air_density_kg_m3 : float
///     Fuel vapour density at the boiling point and air density (kg/m³).
/// sep_model : {"mudan-croce", "shokri-beyler", "radiative-fraction"}
///     Surface-emissive-power model; ``sep_w_m2`` overrides it with a fixed value (W/m²).
/// radiative_fraction : float
///     f for ``"radiative-fraction"``.
/// sep_w_m2 : float, optional
///     A fixed surface emissive power, W/m².
/// flame_length : {"thomas", "thomas-wind"}
/// transmissivity : {"aqt3046", "wayne", "none"}
///     With ``relative_humidity`` (0–1) and ``air_temperature_k`` (K) for Wayne.
/// duration_s : float
///     Fire duration (s) used by :meth:`lethality_reach_m`.
/// n_phi : int
///     Azimuth strips of the view-factor quadrature, 8–4096 (default 24).
/// flame_drag : {"none", "moorhouse"}
///     Flame drag: ``"moorhouse"`` elongates the flame base downwind to D′ = D·max(1,
///     1.5 Fr^0.069), Fr = u²/(gD) (Moorhouse 1982 [M]), an elliptical tilted cylinder whose
///     upwind edge stays at the pool edge.
/// tilt : {"aga", "yellow-book"}
///     Flame-tilt correlation: ``"aga"`` (default) cos θ = 1 for u* ≤ 1, 1/√u* above (AGA 1974,
///     as used by CCPS 1999 [M]); ``"yellow-book"`` sin θ/cos² θ = 0.666·Fr^0.333·Re^0.117,
///     Fr = u²/(gD), Re = u·D/ν (TNO Yellow Book CPR 14E, 2005, eqs. 6.68–6.70, read in a
///     secondary transcription), θ = 0 in calm.
/// kinematic_viscosity_m2_s : float, optional
///     ν of the air for ``tilt="yellow-book"``, m²/s, in [1e-7, 1e-3] (default 1.5e-5, air at
///     20 °C); giving it with ``tilt="aga"`` is an error.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Negative, zero or NaN inputs, radiative fraction outside (0, 1], a ``tilt`` other than
///     "aga"/"yellow-book" (naming ``tilt`` and the allowed values); ``UnknownNameError`` for
///     other unknown model names.
#[pyclass(name = "PoolFire", module = "qra.fire", frozen)]
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
        #[pyo3(from_py_with = crate::args::num)] diameter_m: f64,
        #[pyo3(from_py_with = crate::args::num)] burning_rate_kg_m2_s: f64,
        #[pyo3(from_py_with = crate::args::num)] heat_of_combustion_j_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::num)] vapour_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::text)] sep_model: &str,
        #[pyo3(from_py_with = crate::args::num)] radiative_fraction: f64,
        #[pyo3(from_py_with = crate::args::num)] sep_w_m2: Option<f64>,
        #[pyo3(from_py_with = crate::args::text)] flame_length: &str,
        #[pyo3(from_py_with = crate::args::text)] transmissivity: &str,
        #[pyo3(from_py_with = crate::args::num)] relative_humidity: f64,
        #[pyo3(from_py_with = crate::args::num)] air_temperature_k: f64,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
        #[pyo3(from_py_with = crate::args::int)] n_phi: usize,
        #[pyo3(from_py_with = crate::args::text)] flame_drag: &str,
        #[pyo3(from_py_with = crate::args::text)] tilt: &str,
        #[pyo3(from_py_with = crate::args::num)] kinematic_viscosity_m2_s: Option<f64>,
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

    /// Pool fire of a built-in substance.
    ///
    /// Burning rate, ΔHc and vapour density from the database; radiative-fraction SEP 0.35 for
    /// LNG/methane/hydrogen, Mudan & Croce otherwise.
    ///
    /// Parameters
    /// ----------
    /// name : str
    ///     Substance name.
    /// diameter_m : float
    ///     Pool diameter, m.
    /// wind_speed_m_s : float
    ///     Wind speed, m/s.
    ///
    /// Returns
    /// -------
    /// PoolFire
    ///
    /// Raises
    /// ------
    /// qra.UnknownNameError
    ///     An unknown substance; ``InvalidInputError`` for one without burning data.
    #[staticmethod]
    #[pyo3(signature = (name, diameter_m, wind_speed_m_s=0.0))]
    fn from_substance(
        #[pyo3(from_py_with = crate::args::text)] name: &str,
        #[pyo3(from_py_with = crate::args::num)] diameter_m: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
    ) -> PyQraResult<Self> {
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
    /// Flame tilt from the vertical, rad.
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

/// Jet fire, API 521 point-source model.
///
/// Flame length L = (ΔHc·ṁ)^0.444/161.66 m (AQ/T 3046 eq. E.57); q = τ F ṁ ΔHc/(4π d²) from a
/// point at L/2 along the jet axis (API 521; AQ/T 3046 eq. E.58), times cos β for oriented
/// receivers; capped at ``max_flux_w_m2`` (350 kW/m² by default) at and near the flame. The
/// Chamberlain (1987) frustum model is :class:`ChamberlainJetFire`.
///
/// Parameters
/// ----------
/// mass_rate_kg_s, heat_of_combustion_j_kg : float
///     Release rate (kg/s) and heat of combustion (J/kg), > 0.
/// radiant_fraction : float
///     F in (0, 1].
/// release_point_m, direction : 3 floats
///     Release point (m) and jet axis (normalised).
/// transmissivity : {"aqt3046", "wayne", "none"}
///     With ``relative_humidity`` (0–1) and ``air_temperature_k`` (K) for Wayne.
/// duration_s : float
///     Fire duration, s (for :meth:`lethality_reach_m`).
/// max_flux_w_m2 : float
///     Cap of the point-source flux, W/m².
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Bad numbers (negative rate, zero direction, F outside (0, 1]).
#[pyclass(name = "JetFire", module = "qra.fire", frozen)]
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
        #[pyo3(from_py_with = crate::args::num)] mass_rate_kg_s: f64,
        #[pyo3(from_py_with = crate::args::num)] heat_of_combustion_j_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] radiant_fraction: f64,
        #[pyo3(from_py_with = crate::args::num)] release_point_m: (f64, f64, f64),
        #[pyo3(from_py_with = crate::args::num)] direction: (f64, f64, f64),
        #[pyo3(from_py_with = crate::args::text)] transmissivity: &str,
        #[pyo3(from_py_with = crate::args::num)] relative_humidity: f64,
        #[pyo3(from_py_with = crate::args::num)] air_temperature_k: f64,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
        #[pyo3(from_py_with = crate::args::num)] max_flux_w_m2: f64,
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
    /// Position of the point source (flame centre), m.
    #[getter]
    fn source_point_m(&self) -> (f64, f64, f64) {
        let p = self.inner.source_point_m();
        (p[0], p[1], p[2])
    }

    fn __repr__(&self) -> String {
        format!(
            "JetFire({}, flame_length_m={:.3})",
            crate::pickle::form_fields(&self.inner),
            self.inner.flame_length_m()
        )
    }
}

/// Jet fire, Chamberlain (1987) frustum ("Shell") model, for a vertical release.
///
/// Chamberlain (1987), Chem. Eng. Res. Des. 65, 299–309, as given in the TNO Yellow Book
/// (CPR 14E §6.5.4) — correlation constants recalled, not verified [M]: effective source diameter
/// Ds = √(4ṁ/(π ρ_air u_j)); still-air flame length from C_a Y^(5/3) + 0.2 Y^(2/3) = (2.85/W)^(2/3);
/// wind shortening, tilt α(R_w = u_w/u_j, Ri), lift-off b, frustum length and widths W1, W2;
/// F_s = 0.21 e^(−0.00323 u_j) + 0.11 and SEP = F_s ṁ ΔHc / A. The view factor is integrated
/// numerically over the frustum surface (lateral + end discs); q = SEP·F·τ. Wind along +x.
/// No published radiometer data were available to validate it (validation gap).
///
/// Parameters
/// ----------
/// mass_rate_kg_s, heat_of_combustion_j_kg : float
///     Release rate (kg/s) and heat of combustion (J/kg), > 0.
/// jet_velocity_m_s, jet_density_kg_m3 : float
///     Velocity (m/s) and density (kg/m³) of the expanded jet (after the expansion to ambient
///     pressure).
/// stoich_mass_fraction : float
///     Mass fraction of fuel in a stoichiometric fuel–air mixture (methane ≈ 0.055).
/// wind_speed_m_s : float
///     Wind speed (m/s, ≥ 0), towards +x.
/// air_density_kg_m3 : float
///     Air density, kg/m³.
/// release_point_m : 3 floats
///     Release point, m.
/// transmissivity : {"aqt3046", "wayne", "none"}
///     With ``relative_humidity`` (0–1) and ``air_temperature_k`` (K) for Wayne.
/// duration_s : float
///     Fire duration, s.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Bad numbers.
#[pyclass(name = "ChamberlainJetFire", module = "qra.fire", frozen)]
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
        #[pyo3(from_py_with = crate::args::num)] mass_rate_kg_s: f64,
        #[pyo3(from_py_with = crate::args::num)] heat_of_combustion_j_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] jet_velocity_m_s: f64,
        #[pyo3(from_py_with = crate::args::num)] jet_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] stoich_mass_fraction: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] release_point_m: (f64, f64, f64),
        #[pyo3(from_py_with = crate::args::text)] transmissivity: &str,
        #[pyo3(from_py_with = crate::args::num)] relative_humidity: f64,
        #[pyo3(from_py_with = crate::args::num)] air_temperature_k: f64,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
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

    /// Flame geometry: source diameter, lengths, tilt (deg), lift-off, widths, area (SI).
    #[getter]
    fn geometry<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let g = self.inner.geometry();
        let items = [
            ("source_diameter_m", g.source_diameter_m),
            ("length_still_m", g.length_still_m),
            ("length_m", g.length_m),
            ("tilt_deg", g.tilt_deg),
            ("lift_off_m", g.lift_off_m),
            ("frustum_length_m", g.frustum_length_m),
            ("base_width_m", g.base_width_m),
            ("tip_width_m", g.tip_width_m),
            ("area_m2", g.area_m2),
        ];
        let d = PyDict::new(py);
        for (k, v) in items {
            d.set_item(k, v)?;
        }
        Ok(d)
    }
    /// Surface emissive power, W/m².
    #[getter]
    fn sep_w_m2(&self) -> f64 {
        self.inner.sep_w_m2()
    }
    /// Fraction of the heat released that is radiated, F_s.
    #[getter]
    fn radiant_fraction(&self) -> f64 {
        self.inner.radiant_fraction()
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

/// Fireball of a BLEVE (CCPS 1994/2010 correlations).
///
/// D = 5.8 M^(1/3) m, t = 0.45 M^(1/3) s (M < 30 t) or 2.6 M^(1/6) s, centre height 0.75 D,
/// SEP = F M ΔHc/(π D² t); sphere view factor (R/r)² (face-on; × cos β when oriented);
/// q = SEP·F·τ(r − R); receivers inside the fireball get SEP.
///
/// Parameters
/// ----------
/// mass_kg, heat_of_combustion_j_kg : float
///     Fuel mass (kg) and heat of combustion (J/kg), > 0.
/// radiant_fraction : float
///     F in (0, 1]; see :meth:`radiant_fraction_from_pressure` (0.27 (p/MPa)^0.32).
/// transmissivity : {"aqt3046", "wayne", "none"}
///     With ``relative_humidity`` (0–1) and ``air_temperature_k`` (K) for Wayne.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Bad numbers.
#[pyclass(name = "Fireball", module = "qra.fire", frozen)]
pub struct PyFireball {
    inner: fire::Fireball,
}

#[pymethods]
impl PyFireball {
    #[new]
    #[pyo3(signature = (mass_kg, heat_of_combustion_j_kg, radiant_fraction, *, transmissivity="aqt3046",
        relative_humidity=0.7, air_temperature_k=293.15))]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] mass_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] heat_of_combustion_j_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] radiant_fraction: f64,
        #[pyo3(from_py_with = crate::args::text)] transmissivity: &str,
        #[pyo3(from_py_with = crate::args::num)] relative_humidity: f64,
        #[pyo3(from_py_with = crate::args::num)] air_temperature_k: f64,
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

    /// Radiant fraction 0.27·(p/1 MPa)^0.32 (capped at 0.4) from the burst pressure.
    ///
    /// Parameters
    /// ----------
    /// pressure_pa : float
    ///     Burst pressure, Pa (absolute).
    ///
    /// Returns
    /// -------
    /// float
    ///     Radiant fraction, 0–0.4.
    #[staticmethod]
    fn radiant_fraction_from_pressure(
        #[pyo3(from_py_with = crate::args::num)] pressure_pa: f64,
    ) -> PyQraResult<f64> {
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

/// Outdoor flash-fire lethality: 1 inside the LFL envelope, else 0 (Purple Book; AQ/T 3046 10.4.1).
///
/// The envelope is a table of downwind distance ``footprint_x_m`` (strictly increasing) and LFL
/// half-width ``footprint_half_width_m`` (≥ 0), linearly interpolated, in the cloud frame. Indoor
/// lethality is 0. The receiver coordinates broadcast like NumPy.
///
/// Parameters
/// ----------
/// x_m, y_m : array_like
///     Receiver coordinates in the cloud frame, m (deprecated aliases ``x``, ``y``:
///     DeprecationWarning).
/// footprint_x_m, footprint_half_width_m : array_like
///     The LFL envelope table, m.
///
/// Returns
/// -------
/// (ndarray, float)
///     Lethality (0 or 1) at the receivers (broadcast shape) and the reach, m: the largest
///     distance of the envelope from the source.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     A table that is not increasing, of unequal lengths or with negative widths.
#[pyfunction]
#[pyo3(signature = (x_m=None, y_m=None, footprint_x_m=None, footprint_half_width_m=None, **deprecated),
    text_signature = "(x_m, y_m, footprint_x_m, footprint_half_width_m, **deprecated)")]
pub fn flash_fire_lethality<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::opt_array)] x_m: Option<Bound<'py, PyAny>>,
    #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
    #[pyo3(from_py_with = crate::args::opt_array)] footprint_x_m: Option<Bound<'py, PyAny>>,
    #[pyo3(from_py_with = crate::args::opt_array)] footprint_half_width_m: Option<
        Bound<'py, PyAny>,
    >,
    deprecated: Option<&Bound<'py, PyDict>>,
) -> PyResult<(broadcast::Array<'py>, f64)> {
    let [x, y] = compat::aliases(py, deprecated, [(x_m, "x_m", "x"), (y_m, "y_m", "y")])?;
    let (x, y) = (compat::required(x, "x_m")?, compat::required(y, "y_m")?);
    let table_x = broadcast::flat(py, &compat::required(footprint_x_m, "footprint_x_m")?)?;
    let table_w = broadcast::flat(
        py,
        &compat::required(footprint_half_width_m, "footprint_half_width_m")?,
    )?;
    let f = FlashFire::from_table(table_x, table_w).py()?;
    let out = broadcast::map(py, [&x, &y], |c| {
        Ok(broadcast::each(c, |[a, b]| f.lethality_outdoor(a, b)))
    })?;
    Ok((out, f.reach_m()))
}

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
    #[pyo3(from_py_with = crate::args::num)] leak_rate_kg_s: f64,
    #[pyo3(from_py_with = crate::args::num)] burning_rate_kg_m2_s: f64,
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
pub fn bunded_pool_diameter_m(
    #[pyo3(from_py_with = crate::args::num)] area_m2: f64,
) -> PyQraResult<f64> {
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
    #[pyo3(from_py_with = crate::args::num)] heat_of_combustion_j_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] heat_of_vaporisation_j_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] cp_liquid_j_kg_k: f64,
    #[pyo3(from_py_with = crate::args::num)] boiling_point_k: f64,
    #[pyo3(from_py_with = crate::args::num)] ambient_k: f64,
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
