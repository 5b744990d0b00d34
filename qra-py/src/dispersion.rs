//! `qra.dispersion`: thin wrappers over `qra_core::dispersion` (Gaussian plume/puff, sigmas,
//! Britter–McQuaid dense gas, distances, reach).

use pyo3::prelude::*;

use qra_core::dispersion::gaussian::validate_points;
use qra_core::dispersion::outputs::{
    distance_to, plume_flammable_mass, toxic_maximum_reach, toxic_probability_ground,
};
use qra_core::dispersion::{
    self as core, AerosolMixture, Atmosphere, BritterMcQuaidPlume, BritterMcQuaidPuff, FreeJet,
    GaussianPlume, GaussianPuff, SigmaScheme, Stability, Terrain,
};
use qra_core::vulnerability::toxic::ToxicModel;

use crate::broadcast::{self, Array};
use crate::errors::Py as _;
use crate::pickle::{py_float, serde_form};
use crate::substance::SubstanceArg;

/// Two arrays (σy, σz).
type ArrayPair<'py> = (Array<'py>, Array<'py>);

/// Atmosphere of a Britter–McQuaid plume's passive fallback / far field: wind at 10 m, Briggs
/// sigmas, no mixing lid, 600 s averaging, the default minimum transport height.
fn dense_plume_atmosphere(
    wind_speed_m_s: f64,
    stability: &str,
    terrain: &str,
) -> PyResult<Atmosphere> {
    atmosphere(
        wind_speed_m_s,
        stability,
        terrain,
        "briggs",
        10.0,
        None,
        600.0,
        qra_core::dispersion::DEFAULT_MIN_TRANSPORT_HEIGHT_M,
    )
}

#[allow(clippy::too_many_arguments)]
fn atmosphere(
    wind_speed_m_s: f64,
    stability: &str,
    terrain: &str,
    scheme: &str,
    wind_height_m: f64,
    mixing_height_m: Option<f64>,
    averaging_time_s: f64,
    min_transport_height_m: f64,
) -> PyResult<Atmosphere> {
    let s: Stability = stability.parse().py()?;
    let t: Terrain = terrain.parse().py()?;
    let sc: SigmaScheme = scheme.parse().py()?;
    Atmosphere::new(wind_speed_m_s, s, t, sc)
        .py()?
        .with_wind_height(wind_height_m)
        .py()?
        .with_mixing_height(mixing_height_m)
        .py()?
        .with_averaging_time(averaging_time_s)
        .py()?
        .with_min_transport_height(min_transport_height_m)
        .py()
}

fn toxic_model(substance: &SubstanceArg<'_>, probit_set: Option<&str>) -> PyResult<ToxicModel> {
    let s = substance.substance()?;
    ToxicModel::from_substance(&s, probit_set).py()
}

/// `f` of finite downwind distances (any array-like), broadcast shape.
fn finite_x<'py>(
    py: Python<'py>,
    x_m: &Bound<'py, PyAny>,
    f: impl Fn(f64) -> f64 + Sync + Send,
) -> PyResult<Array<'py>> {
    let check = |v: &[Vec<f64>; 1]| qra_core::error::check::all_finite("x_m", &v[0]);
    broadcast::map_each(py, [x_m], check, |[x]| f(x))
}

fn terrain_name(t: Terrain) -> &'static str {
    match t {
        Terrain::Rural => "rural",
        Terrain::Urban => "urban",
    }
}

fn scheme_name(s: SigmaScheme) -> &'static str {
    match s {
        SigmaScheme::Briggs => "briggs",
        SigmaScheme::PasquillGifford => "pasquill-gifford",
        SigmaScheme::Tno => "tno",
        SigmaScheme::CcpsPuff => "ccps-puff",
    }
}

/// The constructor keyword arguments of an atmosphere, as Python source (for evaluable reprs).
fn atmosphere_kwargs(a: &Atmosphere) -> String {
    let scheme = scheme_name(a.scheme);
    format!(
        "wind_speed_m_s={}, stability='{}', terrain='{}', scheme='{}', wind_height_m={}, \
         mixing_height_m={}, averaging_time_s={}, min_transport_height_m={}",
        py_float(Some(a.wind_speed_m_s)),
        a.stability,
        terrain_name(a.terrain),
        scheme,
        py_float(Some(a.wind_height_m)),
        py_float(a.mixing_height_m),
        py_float(Some(a.averaging_time_s)),
        py_float(Some(a.min_transport_height_m))
    )
}

/// Rebuilds a deserialized atmosphere through its validating constructors.
fn revalidate_atmosphere(a: &Atmosphere) -> Result<Atmosphere, qra_core::QraError> {
    Atmosphere::new(a.wind_speed_m_s, a.stability, a.terrain, a.scheme)
        .and_then(|x| x.with_wind_height(a.wind_height_m))
        .and_then(|x| x.with_mixing_height(a.mixing_height_m))
        .and_then(|x| x.with_averaging_time(a.averaging_time_s))
        .and_then(|x| x.with_min_transport_height(a.min_transport_height_m))
}

/// Dispersion coefficients (σy, σz), m, at downwind distances `x_m`.
///
/// Briggs (1973) as tabulated by CCPS (1999) Table 2-x, Pasquill–Gifford (EPA ISC3), TNO Yellow
/// Book or CCPS puff sigmas (see ``qra_core::dispersion``).
///
/// Parameters
/// ----------
/// x_m : array_like
///     Downwind distances, m.
/// stability : {"A", "B", "C", "D", "E", "F"}
/// terrain : {"rural", "urban"}
/// scheme : {"briggs", "pasquill-gifford", "tno", "ccps-puff"}
///
/// Returns
/// -------
/// (ndarray, ndarray)
///     σy and σz, m, shaped like ``x_m``.
#[pyfunction]
#[pyo3(signature = (x_m, stability, terrain = "rural", scheme = "briggs"))]
pub fn sigmas<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
    #[pyo3(from_py_with = crate::args::text)] stability: &str,
    #[pyo3(from_py_with = crate::args::text)] terrain: &str,
    #[pyo3(from_py_with = crate::args::text)] scheme: &str,
) -> PyResult<ArrayPair<'py>> {
    let s: Stability = stability.parse().py()?;
    let t: Terrain = terrain.parse().py()?;
    let sc: SigmaScheme = scheme.parse().py()?;
    let [sy, sz] = broadcast::map_many(py, [&x_m], |v| {
        qra_core::error::check::all_finite("x_m", &v[0])?;
        let max = qra_core::dispersion::gaussian::MAX_DOWNWIND_M;
        if let Some(i) = v[0].iter().position(|&x| x > max) {
            return Err(qra_core::QraError::invalid(
                format!("x_m[{i}]"),
                v[0][i],
                format!("must be <= {max} m (domain of the dispersion correlations)"),
            ));
        }
        let (sy, sz) = broadcast::each(v, |[x]| core::sigmas(x, s, t, sc))
            .into_iter()
            .unzip();
        Ok([sy, sz])
    })?;
    Ok((sy, sz))
}

/// Steady Gaussian plume.
///
/// C = Q/(2π u σy σz)·exp(−y²/2σy²)·[exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)] (Turner 1970 eq. 3.1;
/// CCPS 1999 eq. 2.1.59), with mixing-lid images.
///
/// Parameters
/// ----------
/// rate_kg_s : float
///     Release rate, kg/s (> 0).
/// wind_speed_m_s : float
///     Wind speed at ``wind_height_m``, m/s (> 0).
/// stability : {"A", "B", "C", "D", "E", "F"}
/// release_height_m : float
///     Effective release height H, m.
/// terrain, scheme : str
///     Sigma terrain and scheme (see :func:`sigmas`).
/// wind_height_m, mixing_height_m, averaging_time_s : float
///     Reference height of the wind (m), mixing-layer lid (m, ``None`` = none), averaging time (s;
///     σy ∝ t^0.2).
#[pyclass(name = "GaussianPlume", module = "qra.dispersion", frozen)]
pub struct PyGaussianPlume {
    inner: GaussianPlume,
}

#[pymethods]
impl PyGaussianPlume {
    #[new]
    #[pyo3(signature = (*, rate_kg_s, wind_speed_m_s, stability, release_height_m = 0.0,
        terrain = "rural", scheme = "briggs", wind_height_m = 10.0, mixing_height_m = None,
        averaging_time_s = 600.0, min_transport_height_m = 10.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] rate_kg_s: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::text)] stability: &str,
        #[pyo3(from_py_with = crate::args::num)] release_height_m: f64,
        #[pyo3(from_py_with = crate::args::text)] terrain: &str,
        #[pyo3(from_py_with = crate::args::text)] scheme: &str,
        #[pyo3(from_py_with = crate::args::num)] wind_height_m: f64,
        #[pyo3(from_py_with = crate::args::num)] mixing_height_m: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] averaging_time_s: f64,
        #[pyo3(from_py_with = crate::args::num)] min_transport_height_m: f64,
    ) -> PyResult<Self> {
        let a = atmosphere(
            wind_speed_m_s,
            stability,
            terrain,
            scheme,
            wind_height_m,
            mixing_height_m,
            averaging_time_s,
            min_transport_height_m,
        )?;
        Ok(PyGaussianPlume {
            inner: GaussianPlume::new(rate_kg_s, release_height_m, a).py()?,
        })
    }

    /// Concentration, kg/m³, at receptors (x downwind, y crosswind, z height), broadcast.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m (broadcast; y and z default to 0).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Concentration, kg/m³ (0 upwind, never NaN).
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn concentration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        let zero = 0.0f64.into_pyobject(py)?.into_any();
        let p = self.inner;
        let args = [
            &x_m,
            y_m.as_ref().unwrap_or(&zero),
            z_m.as_ref().unwrap_or(&zero),
        ];
        broadcast::map(py, args, |v| p.concentrations(&v[0], &v[1], &v[2]))
    }

    /// Furthest downwind distance, m, where the centreline concentration at height `z_m` is at
    /// least `c_kg_m3` (0 if never; 100 km if beyond).
    ///
    /// Parameters
    /// ----------
    /// c_kg_m3 : float
    ///     Concentration, kg/m³ (e.g. the LFL).
    /// z_m : float
    ///     Height, m.
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m.
    #[pyo3(signature = (c_kg_m3, z_m = 0.0))]
    fn distance_to(
        &self,
        #[pyo3(from_py_with = crate::args::num)] c_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] z_m: f64,
    ) -> PyResult<f64> {
        qra_core::error::check::positive("c_kg_m3", c_kg_m3).py()?;
        qra_core::error::check::non_negative("z_m", z_m).py()?;
        let p = self.inner;
        Ok(distance_to(|x| p.concentration(x, 0.0, z_m), c_kg_m3))
    }

    /// Crosswind half-width, m, of the `c_kg_m3` contour at distances `x_m` (footprint).
    ///
    /// Parameters
    /// ----------
    /// x_m : array_like
    ///     Downwind distances, m.
    /// c_kg_m3 : float
    ///     Concentration, kg/m³.
    /// z_m : float
    ///     Height, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Half-width, m (0 where the centreline is below ``c_kg_m3``).
    #[pyo3(signature = (x_m, c_kg_m3, z_m = 0.0))]
    fn half_width<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::num)] c_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] z_m: f64,
    ) -> PyResult<Array<'py>> {
        qra_core::error::check::positive("c_kg_m3", c_kg_m3).py()?;
        let p = &self.inner;
        broadcast::map(py, [&x_m], |v| {
            qra_core::error::check::all_finite("x_m", &v[0])?;
            Ok(broadcast::each(v, |[x]| p.half_width(x, z_m, c_kg_m3)))
        })
    }

    /// Mass, kg, between `lower_kg_m3` and `upper_kg_m3` (flammable mass between LFL and UFL).
    ///
    /// Parameters
    /// ----------
    /// lower_kg_m3, upper_kg_m3 : float
    ///     Concentration bounds, kg/m³ (LFL, UFL).
    ///
    /// Returns
    /// -------
    /// float
    ///     Mass, kg.
    fn flammable_mass(
        &self,
        py: Python<'_>,
        #[pyo3(from_py_with = crate::args::num)] lower_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] upper_kg_m3: f64,
    ) -> PyResult<f64> {
        qra_core::error::check::positive("lower_kg_m3", lower_kg_m3).py()?;
        qra_core::error::check::less_than("lower_kg_m3", lower_kg_m3, "upper_kg_m3", upper_kg_m3)
            .py()?;
        let p = self.inner;
        Ok(py.detach(|| plume_flammable_mass(&p, lower_kg_m3, upper_kg_m3)))
    }

    /// Maximum reach, m: furthest distance where the ground-level centreline probability of
    /// death (substance's toxic probit, exposure `duration_s` capped at `cap_s`) ≥ `p_min`.
    ///
    /// Parameters
    /// ----------
    /// substance : str or Substance
    ///     A toxic substance of the database (its probit Pr = a + b ln(Cⁿ t)).
    /// duration_s : float
    ///     Exposure duration, s.
    /// p_min : float
    ///     Probability of death that defines the reach.
    /// cap_s : float
    ///     Exposure cap, s (escape/sheltering).
    /// probit_set : str, optional
    ///     Which probit set of the substance.
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m.
    #[pyo3(signature = (substance, duration_s, p_min = 1e-6, cap_s = 1800.0, probit_set = None))]
    fn toxic_reach(
        &self,
        py: Python<'_>,
        substance: SubstanceArg<'_>,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
        #[pyo3(from_py_with = crate::args::num)] p_min: f64,
        #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
        #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
    ) -> PyResult<f64> {
        let m = toxic_model(&substance, probit_set)?;
        let src = &self.inner;
        py.detach(|| toxic_maximum_reach(src, &m, duration_s, cap_s, p_min))
            .py()
    }

    /// Probability of death at ground-level receptors (x, y) in the plume frame for a steady
    /// exposure of `duration_s` (capped at `cap_s`), from the substance's toxic probit.
    ///
    /// Parameters
    /// ----------
    /// substance : str or Substance
    ///     A toxic substance of the database.
    /// x_m, y_m : array_like
    ///     Receptor coordinates, m (broadcast).
    /// duration_s, cap_s : float
    ///     Exposure duration and its cap, s.
    /// probit_set : str, optional
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Probability of death, 0–1.
    #[pyo3(signature = (substance, x_m, y_m, duration_s, cap_s = 1800.0, probit_set = None))]
    #[allow(clippy::too_many_arguments)]
    fn toxic_probability<'py>(
        &self,
        py: Python<'py>,
        substance: SubstanceArg<'_>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::array)] y_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
        #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
        #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
    ) -> PyResult<Array<'py>> {
        let m = toxic_model(&substance, probit_set)?;
        let p = self.inner;
        broadcast::map(py, [&x_m, &y_m], |v| {
            toxic_probability_ground(&p, &m, duration_s, cap_s, &v[0], &v[1])
        })
    }

    /// Transport wind speed, m/s.
    #[getter]
    fn transport_speed_m_s(&self) -> f64 {
        self.inner.transport_speed_m_s
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        format!(
            "GaussianPlume(rate_kg_s={}, release_height_m={}, {})",
            py_float(Some(p.rate_kg_s)),
            py_float(Some(p.release_height_m)),
            atmosphere_kwargs(&p.atmosphere)
        )
    }
}

/// Gaussian puff (instantaneous or finite duration).
///
/// Instantaneous: C = M/((2π)^{3/2} σx σy σz)·exp(−(x−ut)²/2σx²)·… (CCPS 1999 eq. 2.1.62); finite
/// duration: Palazzi et al. (1982) Atmos. Environ. 16:2785.
///
/// Parameters
/// ----------
/// mass_kg : float
///     Released mass, kg.
/// wind_speed_m_s : float
///     Wind speed, m/s.
/// stability : {"A", …, "F"}
/// release_height_m : float
///     Release height, m.
/// duration_s : float, optional
///     Release duration, s (``None`` = instantaneous).
/// terrain, scheme, wind_height_m, mixing_height_m, averaging_time_s
///     As for :class:`GaussianPlume` (default scheme: ``"ccps-puff"`` when instantaneous).
#[pyclass(name = "GaussianPuff", module = "qra.dispersion", frozen)]
pub struct PyGaussianPuff {
    inner: GaussianPuff,
}

#[pymethods]
impl PyGaussianPuff {
    #[new]
    #[pyo3(signature = (*, mass_kg, wind_speed_m_s, stability, release_height_m = 0.0,
        duration_s = None, terrain = "rural", scheme = None, wind_height_m = 10.0,
        mixing_height_m = None, averaging_time_s = 600.0, min_transport_height_m = 10.0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] mass_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::text)] stability: &str,
        #[pyo3(from_py_with = crate::args::num)] release_height_m: f64,
        #[pyo3(from_py_with = crate::args::num)] duration_s: Option<f64>,
        #[pyo3(from_py_with = crate::args::text)] terrain: &str,
        #[pyo3(from_py_with = crate::args::opt_text)] scheme: Option<&str>,
        #[pyo3(from_py_with = crate::args::num)] wind_height_m: f64,
        #[pyo3(from_py_with = crate::args::num)] mixing_height_m: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] averaging_time_s: f64,
        #[pyo3(from_py_with = crate::args::num)] min_transport_height_m: f64,
    ) -> PyResult<Self> {
        // Instantaneous puffs use puff sigmas; finite-duration releases (Palazzi) plume sigmas.
        let scheme = scheme.unwrap_or(if duration_s.is_some() {
            "briggs"
        } else {
            "ccps-puff"
        });
        let a = atmosphere(
            wind_speed_m_s,
            stability,
            terrain,
            scheme,
            wind_height_m,
            mixing_height_m,
            averaging_time_s,
            min_transport_height_m,
        )?;
        Ok(PyGaussianPuff {
            inner: GaussianPuff::new(mass_kg, release_height_m, duration_s, a).py()?,
        })
    }

    /// Concentration, kg/m³, at (x, y, z) and time t (s ≥ 0), broadcast.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m.
    /// t_s : array_like
    ///     Time since the release started, s (≥ 0).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Concentration, kg/m³.
    fn concentration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::array)] y_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::array)] z_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::array)] t_s: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let p = self.inner;
        broadcast::map(py, [&x_m, &y_m, &z_m, &t_s], |v| {
            p.concentrations(&v[0], &v[1], &v[2], &v[3])
        })
    }

    /// Time-integrated concentration ∫C dt, kg·s/m³ (instantaneous puff).
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     ∫C dt, kg·s/m³.
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn dose<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        let zero = 0.0f64.into_pyobject(py)?.into_any();
        let p = &self.inner;
        let args = [
            &x_m,
            y_m.as_ref().unwrap_or(&zero),
            z_m.as_ref().unwrap_or(&zero),
        ];
        broadcast::map(py, args, |v| {
            core::gaussian::validate_points(&v[0], &v[1], &v[2], None)?;
            Ok(broadcast::each(v, |[x, y, z]| p.time_integrated(x, y, z)))
        })
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        format!(
            "GaussianPuff(mass_kg={}, release_height_m={}, duration_s={}, {})",
            py_float(Some(p.mass_kg)),
            py_float(Some(p.release_height_m)),
            py_float(p.duration_s),
            atmosphere_kwargs(&p.atmosphere)
        )
    }
}

/// Britter–McQuaid continuous dense plume.
///
/// Britter & McQuaid (1988) HSE CRR 17/1988 workbook nomogram fits (Crowl & Louvar 2011 Table 5-7).
///
/// Parameters
/// ----------
/// rate_kg_s : float
///     Release rate, kg/s.
/// gas_density_kg_m3 : float
///     Density of the released gas, kg/m³.
/// wind_speed_m_s : float
///     Wind speed at 10 m, m/s.
/// stability : str
///     Pasquill class for the passive fallback.
/// air_density_kg_m3 : float
///     Ambient air density, kg/m³.
/// terrain : {"rural", "urban"}
#[pyclass(name = "BritterMcQuaidPlume", module = "qra.dispersion", frozen)]
pub struct PyBritterMcQuaidPlume {
    inner: BritterMcQuaidPlume,
}

#[pymethods]
impl PyBritterMcQuaidPlume {
    #[new]
    #[pyo3(signature = (*, rate_kg_s, gas_density_kg_m3, wind_speed_m_s, stability = "D",
        air_density_kg_m3 = 1.204, terrain = "rural", source_temperature_k = None,
        ambient_temperature_k = 293.15))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] rate_kg_s: f64,
        #[pyo3(from_py_with = crate::args::num)] gas_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::text)] stability: &str,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::text)] terrain: &str,
        #[pyo3(from_py_with = crate::args::num)] source_temperature_k: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] ambient_temperature_k: f64,
    ) -> PyResult<Self> {
        let a = dense_plume_atmosphere(wind_speed_m_s, stability, terrain)?;
        let mut p =
            BritterMcQuaidPlume::new(rate_kg_s, gas_density_kg_m3, air_density_kg_m3, a).py()?;
        if let Some(t0) = source_temperature_k {
            p = p.with_temperatures(t0, ambient_temperature_k).py()?;
        }
        Ok(PyBritterMcQuaidPlume { inner: p })
    }

    /// Dense plume of an aerosol-laden (flashing) release: the workbook applied to the effective
    /// source gas of ``mixture`` (substance + entrained air once the aerosol has evaporated, at
    /// the mixture's temperature, with the non-isothermal correction).
    ///
    /// The source gas rate is ``substance_rate_kg_s / mixture.substance_mass_fraction``;
    /// concentrations returned by the plume are of the released substance only.
    ///
    /// Parameters
    /// ----------
    /// substance_rate_kg_s : float
    ///     Airborne release rate of the substance (vapour + aerosol), kg/s.
    /// mixture : AerosolMixture
    ///     The effective source state.
    /// wind_speed_m_s : float
    ///     Wind speed at 10 m, m/s.
    /// stability, terrain : str
    ///     Pasquill class and terrain of the passive fallback/far field.
    /// air_density_kg_m3 : float
    ///     Ambient air density, kg/m³.
    /// ambient_temperature_k : float
    ///     Ambient temperature, K (should be the one ``mixture`` was built with).
    ///
    /// Returns
    /// -------
    /// BritterMcQuaidPlume
    #[staticmethod]
    #[pyo3(signature = (substance_rate_kg_s, mixture, wind_speed_m_s, *, stability = "D",
        air_density_kg_m3 = 1.204, terrain = "rural", ambient_temperature_k = 293.15))]
    fn aerosol_laden(
        #[pyo3(from_py_with = crate::args::num)] substance_rate_kg_s: f64,
        mixture: PyRef<'_, PyAerosolMixture>,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::text)] stability: &str,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::text)] terrain: &str,
        #[pyo3(from_py_with = crate::args::num)] ambient_temperature_k: f64,
    ) -> PyResult<Self> {
        let a = dense_plume_atmosphere(wind_speed_m_s, stability, terrain)?;
        let inner = BritterMcQuaidPlume::aerosol_laden(
            substance_rate_kg_s,
            &mixture.inner,
            air_density_kg_m3,
            ambient_temperature_k,
            a,
        )
        .py()?;
        Ok(PyBritterMcQuaidPlume { inner })
    }

    /// Nomogram value Cm/C₀ (C* of the non-isothermal correction) at `x_m`.
    ///
    /// Parameters
    /// ----------
    /// x_m : array_like
    ///     Downwind distances, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     C* = C/(C + (1 − C)·T_a/T₀) read from the workbook nomogram (dimensionless).
    fn nomogram_ratio<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let p = &self.inner;
        finite_x(py, &x_m, |x| p.nomogram_ratio(x))
    }

    /// Whether the release is dense by the workbook criterion.
    #[getter]
    fn dense(&self) -> bool {
        self.inner.dense
    }

    /// Concentration, kg/m³ (ground-level, Gaussian crosswind profile), broadcast.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Concentration, kg/m³.
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn concentration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        let zero = 0.0f64.into_pyobject(py)?.into_any();
        let p = self.inner;
        let args = [
            &x_m,
            y_m.as_ref().unwrap_or(&zero),
            z_m.as_ref().unwrap_or(&zero),
        ];
        broadcast::map(py, args, |v| p.concentrations(&v[0], &v[1], &v[2]))
    }

    /// Centreline volume fraction Cm/C₀ from the workbook correlations.
    ///
    /// Parameters
    /// ----------
    /// x_m : array_like
    ///     Downwind distances, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Cm/C₀ (dimensionless).
    fn centreline_ratio<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let p = &self.inner;
        finite_x(py, &x_m, |x| p.centreline_ratio(x))
    }

    /// Furthest distance, m, where the centreline concentration ≥ `c_kg_m3`.
    ///
    /// Parameters
    /// ----------
    /// c_kg_m3 : float
    ///     Concentration, kg/m³.
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m.
    fn distance_to(&self, #[pyo3(from_py_with = crate::args::num)] c_kg_m3: f64) -> PyResult<f64> {
        qra_core::error::check::positive("c_kg_m3", c_kg_m3).py()?;
        let p = self.inner;
        Ok(distance_to(|x| p.concentration_kg_m3(x, 0.0, 0.0), c_kg_m3))
    }

    /// Probability of death at ground-level receptors (x, y) in the plume frame for a steady
    /// exposure of `duration_s` (capped at `cap_s`), from the substance's toxic probit.
    ///
    /// Parameters
    /// ----------
    /// substance : str or Substance
    ///     A toxic substance of the database.
    /// x_m, y_m : array_like
    ///     Receptor coordinates, m (broadcast).
    /// duration_s, cap_s : float
    ///     Exposure duration and its cap, s.
    /// probit_set : str, optional
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Probability of death, 0–1.
    #[pyo3(signature = (substance, x_m, y_m, duration_s, cap_s = 1800.0, probit_set = None))]
    #[allow(clippy::too_many_arguments)]
    fn toxic_probability<'py>(
        &self,
        py: Python<'py>,
        substance: SubstanceArg<'_>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::array)] y_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
        #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
        #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
    ) -> PyResult<Array<'py>> {
        let m = toxic_model(&substance, probit_set)?;
        let p = self.inner;
        broadcast::map(py, [&x_m, &y_m], |v| {
            toxic_probability_ground(&p, &m, duration_s, cap_s, &v[0], &v[1])
        })
    }

    /// Maximum reach, m, for a toxic substance (see `GaussianPlume.toxic_reach`).
    ///
    /// Parameters
    /// ----------
    /// substance : str or Substance
    ///     A toxic substance of the database (its probit Pr = a + b ln(Cⁿ t)).
    /// duration_s : float
    ///     Exposure duration, s.
    /// p_min : float
    ///     Probability of death that defines the reach.
    /// cap_s : float
    ///     Exposure cap, s (escape/sheltering).
    /// probit_set : str, optional
    ///     Which probit set of the substance.
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m.
    #[pyo3(signature = (substance, duration_s, p_min = 1e-6, cap_s = 1800.0, probit_set = None))]
    fn toxic_reach(
        &self,
        py: Python<'_>,
        substance: SubstanceArg<'_>,
        #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
        #[pyo3(from_py_with = crate::args::num)] p_min: f64,
        #[pyo3(from_py_with = crate::args::num)] cap_s: f64,
        #[pyo3(from_py_with = crate::args::opt_text)] probit_set: Option<&str>,
    ) -> PyResult<f64> {
        let m = toxic_model(&substance, probit_set)?;
        let src = &self.inner;
        py.detach(|| toxic_maximum_reach(src, &m, duration_s, cap_s, p_min))
            .py()
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        format!(
            "BritterMcQuaidPlume(rate_kg_s={}, gas_density_kg_m3={}, wind_speed_m_s={}, \
             stability='{}', air_density_kg_m3={}, terrain='{}')",
            py_float(Some(p.rate_kg_s)),
            py_float(Some(p.gas_density_kg_m3)),
            py_float(Some(p.atmosphere.wind_speed_m_s)),
            p.atmosphere.stability,
            py_float(Some(p.air_density_kg_m3)),
            terrain_name(p.atmosphere.terrain)
        )
    }
}

/// Britter–McQuaid instantaneous dense cloud.
///
/// Britter & McQuaid (1988) instantaneous-release nomogram fits (Crowl & Louvar 2011 Table 5-8).
///
/// Parameters
/// ----------
/// mass_kg : float
///     Released mass, kg.
/// gas_density_kg_m3 : float
///     Gas density, kg/m³.
/// wind_speed_m_s : float
///     Wind speed at 10 m, m/s.
/// air_density_kg_m3 : float
///     Air density, kg/m³.
#[pyclass(name = "BritterMcQuaidPuff", module = "qra.dispersion", frozen)]
pub struct PyBritterMcQuaidPuff {
    inner: BritterMcQuaidPuff,
}

#[pymethods]
impl PyBritterMcQuaidPuff {
    #[new]
    #[pyo3(signature = (*, mass_kg, gas_density_kg_m3, wind_speed_m_s, air_density_kg_m3 = 1.204,
        source_temperature_k = None, ambient_temperature_k = 293.15))]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] mass_kg: f64,
        #[pyo3(from_py_with = crate::args::num)] gas_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] source_temperature_k: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] ambient_temperature_k: f64,
    ) -> PyResult<Self> {
        let mut p = BritterMcQuaidPuff::new(
            mass_kg,
            gas_density_kg_m3,
            air_density_kg_m3,
            wind_speed_m_s,
        )
        .py()?;
        if let Some(t0) = source_temperature_k {
            p = p.with_temperatures(t0, ambient_temperature_k).py()?;
        }
        Ok(PyBritterMcQuaidPuff { inner: p })
    }

    /// Dense cloud of an aerosol-laden (flashing) instantaneous release: the workbook applied to
    /// the effective source gas of ``mixture`` (substance + entrained air once the aerosol has
    /// evaporated, at the mixture's temperature, with the non-isothermal correction).
    ///
    /// The source gas mass is ``substance_mass_kg / mixture.substance_mass_fraction``;
    /// concentrations returned by the cloud are of the released substance only.
    ///
    /// Parameters
    /// ----------
    /// substance_mass_kg : float
    ///     Airborne mass of the substance (vapour + aerosol), kg (> 0).
    /// mixture : AerosolMixture
    ///     The effective source state.
    /// wind_speed_m_s : float
    ///     Wind speed at 10 m, m/s (in [0.1, 100]).
    /// air_density_kg_m3 : float
    ///     Ambient air density, kg/m³.
    /// ambient_temperature_k : float
    ///     Ambient temperature, K (should be the one ``mixture`` was built with).
    ///
    /// Returns
    /// -------
    /// BritterMcQuaidPuff
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Non-positive or NaN mass, out-of-range wind or densities.
    #[staticmethod]
    #[pyo3(signature = (substance_mass_kg, mixture, wind_speed_m_s, *, air_density_kg_m3 = 1.204,
        ambient_temperature_k = 293.15))]
    fn aerosol_laden(
        #[pyo3(from_py_with = crate::args::num)] substance_mass_kg: f64,
        mixture: PyRef<'_, PyAerosolMixture>,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] ambient_temperature_k: f64,
    ) -> PyResult<Self> {
        let inner = BritterMcQuaidPuff::aerosol_laden(
            substance_mass_kg,
            &mixture.inner,
            air_density_kg_m3,
            ambient_temperature_k,
            wind_speed_m_s,
        )
        .py()?;
        Ok(PyBritterMcQuaidPuff { inner })
    }

    /// The same cloud handed over to passive dispersion beyond the workbook's last curve
    /// (Cm/C₀ = 0.001 at x_L = V₀^{1/3}·10^{β(α)}): a ground-level Gaussian puff of the released
    /// substance, from a virtual source at x_v chosen so that its peak ground-level concentration
    /// at x_L − x_v equals the workbook's at x_L (continuous hand-over on the cloud path).
    /// The passive puff's atmosphere has this cloud's 10 m wind. When no such distance exists
    /// within 100 km (the passive puff is more concentrated everywhere, e.g. large releases in
    /// stable weather), no far field is set (``last_curve_m`` is ``None``) and the last nomogram
    /// segment is extrapolated.
    ///
    /// Parameters
    /// ----------
    /// stability : {"A", …, "F"}
    ///     Pasquill class of the passive puff.
    /// terrain : {"rural", "urban"}
    /// scheme : {"briggs", "pasquill-gifford", "tno", "ccps-puff"}
    ///     Sigma scheme of the passive puff (the risk engine uses ``"briggs"``).
    /// mixing_height_m : float, optional
    ///     Mixing-layer height, m (``None`` = unbounded).
    /// averaging_time_s : float
    ///     Averaging time of σy, s.
    ///
    /// Returns
    /// -------
    /// BritterMcQuaidPuff
    ///     A new cloud (this one is unchanged).
    ///
    /// Raises
    /// ------
    /// qra.UnknownNameError
    ///     Unknown stability, terrain or scheme.
    #[pyo3(signature = (*, stability = "D", terrain = "rural", scheme = "briggs",
        mixing_height_m = None, averaging_time_s = 600.0))]
    fn with_passive_far_field(
        &self,
        #[pyo3(from_py_with = crate::args::text)] stability: &str,
        #[pyo3(from_py_with = crate::args::text)] terrain: &str,
        #[pyo3(from_py_with = crate::args::text)] scheme: &str,
        #[pyo3(from_py_with = crate::args::num)] mixing_height_m: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] averaging_time_s: f64,
    ) -> PyResult<Self> {
        let a = atmosphere(
            self.inner.wind_speed_m_s,
            stability,
            terrain,
            scheme,
            10.0,
            mixing_height_m,
            averaging_time_s,
            qra_core::dispersion::DEFAULT_MIN_TRANSPORT_HEIGHT_M,
        )?;
        let inner = self.inner.with_passive_far_field(a).py()?;
        Ok(PyBritterMcQuaidPuff { inner })
    }

    /// Whether the release is dense by the workbook criterion √(g₀'·V₀^{1/3})/u₁₀ ≥ 0.2.
    #[getter]
    fn dense(&self) -> bool {
        self.inner.dense
    }

    /// Initial cloud volume V₀ = mass/ρ₀ of the source gas, m³.
    #[getter]
    fn volume_m3(&self) -> f64 {
        self.inner.volume_m3
    }

    /// Mass fraction of the released substance in the source gas (1 = pure; < 1 when
    /// aerosol-laden).
    #[getter]
    fn substance_mass_fraction(&self) -> f64 {
        self.inner.substance_mass_fraction
    }

    /// Ambient over source temperature T_a/T₀ (1 = isothermal).
    #[getter]
    fn temperature_ratio(&self) -> f64 {
        self.inner.temperature_ratio
    }

    /// Distance x_L of the last tabulated curve (Cm/C₀ = 0.001) where the passive far field
    /// takes over, m; ``None`` without a far field (see ``with_passive_far_field``).
    #[getter]
    fn last_curve_m(&self) -> Option<f64> {
        self.inner.far_field.map(|f| f.last_curve_m)
    }

    /// Virtual-source offset x_v, m: beyond x_L the cloud is the passive puff at x − x_v;
    /// ``None`` without a far field.
    #[getter]
    fn virtual_offset_m(&self) -> Option<f64> {
        self.inner.far_field.map(|f| f.virtual_offset_m)
    }

    /// The passive Gaussian puff (ground level, released substance) used beyond x_L;
    /// ``None`` without a far field.
    #[getter]
    fn passive_puff(&self) -> Option<PyGaussianPuff> {
        self.inner
            .far_field
            .map(|f| PyGaussianPuff { inner: f.passive })
    }

    /// Radius of the top-hat circular dense cloud when its centre has travelled ``x_m``:
    /// R² = R₀² + 1.2·√(g₀'·V₀)·t, t = x/(0.4·u₁₀), R₀ = (3V₀/4π)^{1/3} (gravity-slumping cloud
    /// of Britter & McQuaid 1988 [M]; as in GasDispersion.jl, secondary); x < 0 gives R₀.
    ///
    /// Parameters
    /// ----------
    /// x_m : array_like
    ///     Downwind distances of the cloud centre, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Radius, m.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     NaN or infinite distances.
    fn cloud_radius_m<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let p = &self.inner;
        finite_x(py, &x_m, |x| p.cloud_radius_m(x))
    }

    /// Passage time, s, of the top-hat cloud over a ground receptor at (x, y): the chord
    /// 2·√(R² − y²) of the cloud of radius R = ``cloud_radius_m(x)`` over its advection speed
    /// 0.4·u₁₀ (Britter & McQuaid 1988 [M]); 0 outside the cloud (|y| ≥ R). Describes the dense
    /// cloud only (not the passive far field).
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m : array_like
    ///     Receptor coordinates, m (broadcast).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Passage time, s.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     NaN or infinite coordinates.
    fn passage_time_s<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::array)] y_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let p = &self.inner;
        broadcast::map(py, [&x_m, &y_m], |v| {
            qra_core::error::check::all_finite("x_m", &v[0])?;
            qra_core::error::check::all_finite("y_m", &v[1])?;
            Ok(broadcast::each(v, |[x, y]| p.passage_time_s(x, y)))
        })
    }

    /// Maximum ground-level concentration, kg/m³, reached at distance `x_m` as the cloud passes.
    ///
    /// Parameters
    /// ----------
    /// x_m : array_like
    ///     Downwind distances, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Concentration, kg/m³.
    fn max_concentration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let p = self.inner;
        broadcast::map(py, [&x_m], |v| p.max_concentrations(&v[0]))
    }

    /// Constructor keywords (evaluable for an isothermal pure-gas cloud), the temperature ratio
    /// and substance fraction when they differ from 1, and the far-field call when one is set.
    fn __repr__(&self) -> String {
        let p = &self.inner;
        let extra = if p.temperature_ratio != 1.0 || p.substance_mass_fraction != 1.0 {
            format!(
                ", temperature_ratio={}, substance_mass_fraction={}",
                py_float(Some(p.temperature_ratio)),
                py_float(Some(p.substance_mass_fraction))
            )
        } else {
            String::new()
        };
        let far = match &p.far_field {
            Some(f) => {
                let a = &f.passive.atmosphere;
                format!(
                    ".with_passive_far_field(stability='{}', terrain='{}', scheme='{}', \
                     mixing_height_m={}, averaging_time_s={})",
                    a.stability,
                    terrain_name(a.terrain),
                    scheme_name(a.scheme),
                    py_float(a.mixing_height_m),
                    py_float(Some(a.averaging_time_s))
                )
            }
            None => String::new(),
        };
        format!(
            "BritterMcQuaidPuff(mass_kg={}, gas_density_kg_m3={}, wind_speed_m_s={}, \
             air_density_kg_m3={}{extra}){far}",
            py_float(Some(p.mass_kg)),
            py_float(Some(p.gas_density_kg_m3)),
            py_float(Some(p.wind_speed_m_s)),
            py_float(Some(p.air_density_kg_m3))
        )
    }
}

serde_form!(PyGaussianPlume, GaussianPlume, |m| {
    GaussianPlume::new(
        m.rate_kg_s,
        m.release_height_m,
        revalidate_atmosphere(&m.atmosphere)?,
    )
});
serde_form!(PyGaussianPuff, GaussianPuff, |m| {
    let a = revalidate_atmosphere(&m.atmosphere)?;
    GaussianPuff::new(m.mass_kg, m.release_height_m, m.duration_s, a)
});
serde_form!(PyBritterMcQuaidPlume, BritterMcQuaidPlume, |m| {
    let a = revalidate_atmosphere(&m.atmosphere)?;
    let (t0, ta) = temperature_pair(m.temperature_ratio);
    let mut p = BritterMcQuaidPlume::new(m.rate_kg_s, m.gas_density_kg_m3, m.air_density_kg_m3, a)?
        .with_temperatures(t0, ta)?;
    p.substance_mass_fraction = qra_core::error::check::in_range(
        "substance_mass_fraction",
        m.substance_mass_fraction,
        1e-9,
        1.0,
    )?;
    Ok(p)
});
serde_form!(PyBritterMcQuaidPuff, BritterMcQuaidPuff, |m| {
    // Rebuilt in the order of `BritterMcQuaidPuff::aerosol_laden` (temperatures, then the
    // substance fraction), then the far field re-derived from its atmosphere: the stored x_L,
    // x_v and passive puff are never trusted.
    let (t0, ta) = temperature_pair(m.temperature_ratio);
    let mut p = BritterMcQuaidPuff::new(
        m.mass_kg,
        m.gas_density_kg_m3,
        m.air_density_kg_m3,
        m.wind_speed_m_s,
    )?
    .with_temperatures(t0, ta)?;
    p.substance_mass_fraction = qra_core::error::check::in_range(
        "substance_mass_fraction",
        m.substance_mass_fraction,
        1e-9,
        1.0,
    )?;
    match m.far_field {
        Some(f) => p.with_passive_far_field(revalidate_atmosphere(&f.passive.atmosphere)?),
        None => Ok(p),
    }
});

/// A (source, ambient) temperature pair, K, whose ratio ambient/source is exactly `ratio`
/// (power-of-two source temperatures keep the division exact), for rebuilding a
/// non-isothermal Britter–McQuaid model from its serde form through the validating
/// `with_temperatures`. Ratios outside [1/2000, 2000] give a pair the validation refuses.
fn temperature_pair(ratio: f64) -> (f64, f64) {
    if ratio.is_nan() || ratio >= 1.0 {
        // NaN is refused by the range check on the ambient temperature.
        return (1.0, ratio);
    }
    let mut t0 = 1.0;
    while ratio * t0 < 1.0 && t0 < 1024.0 {
        t0 *= 2.0;
    }
    if ratio * t0 < 1.0 {
        t0 = 2000.0;
    }
    (t0, ratio * t0)
}

/// Effective source state of an aerosol-laden (flashing) release once the entrained air has
/// evaporated the last liquid — the initial cloud for the dense-gas workbook.
///
/// Adiabatic mixing of 1 kg of substance (liquid fraction L at its boiling point T_b, the rest
/// vapour at T_b) with ``a`` kg of dry air at T_a:
/// T(a) = (a·c_p,air·T_a + c_p,gas·T_b − L·h_fg)/(a·c_p,air + c_p,gas); the smallest ``a`` at
/// which the substance's partial pressure reaches its saturation pressure, y(a)·p = p_sat(T(a)),
/// defines the mixture: ρ = p·M_mix/(R·T), substance mass fraction 1/(1 + a). After Kaiser &
/// Walker (1978) Atmos. Environ. 12:2289 and Wheatley (1987) SRD R410 [M]. Neglects humidity
/// (the dry-air result is the denser bound), ground heat and droplet slip.
///
/// Parameters
/// ----------
/// substance : str
///     A substance of the built-in database with boiling point, heat of vaporisation, gas c_p,
///     molar mass and vapour-pressure fit (e.g. "ammonia", "chlorine", "propane").
/// liquid_fraction : float
///     Liquid (aerosol) mass fraction of the airborne release, in [0, 0.999].
/// ambient_temperature_k : float
///     Air temperature, K (in [150, 400], above the boiling point).
/// ambient_pressure_pa : float
///     Air pressure, Pa (in [10⁴, 2·10⁵]).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Out-of-range inputs, ambient below the boiling point, or a substance missing a property.
/// qra.UnknownNameError
///     Unknown substance.
#[pyclass(name = "AerosolMixture", module = "qra.dispersion", frozen)]
pub struct PyAerosolMixture {
    inner: AerosolMixture,
}

#[pymethods]
impl PyAerosolMixture {
    #[new]
    #[pyo3(signature = (substance, liquid_fraction, *, ambient_temperature_k = 293.15,
        ambient_pressure_pa = 101_325.0))]
    fn new(
        substance: SubstanceArg<'_>,
        #[pyo3(from_py_with = crate::args::num)] liquid_fraction: f64,
        #[pyo3(from_py_with = crate::args::num)] ambient_temperature_k: f64,
        #[pyo3(from_py_with = crate::args::num)] ambient_pressure_pa: f64,
    ) -> PyResult<Self> {
        let s = substance.substance()?;
        let inner = AerosolMixture::new(
            &s,
            liquid_fraction,
            ambient_temperature_k,
            ambient_pressure_pa,
        )
        .py()?;
        Ok(PyAerosolMixture { inner })
    }

    /// Air entrained per kg of released substance when the aerosol has evaporated, kg/kg.
    #[getter]
    fn air_mass_ratio(&self) -> f64 {
        self.inner.air_mass_ratio
    }

    /// Temperature of the mixture, K.
    #[getter]
    fn temperature_k(&self) -> f64 {
        self.inner.temperature_k
    }

    /// Density of the mixture, kg/m³.
    #[getter]
    fn density_kg_m3(&self) -> f64 {
        self.inner.density_kg_m3
    }

    /// Mass fraction of the released substance in the mixture, 1/(1 + a).
    #[getter]
    fn substance_mass_fraction(&self) -> f64 {
        self.inner.substance_mass_fraction
    }

    fn __repr__(&self) -> String {
        format!(
            "AerosolMixture({})",
            crate::pickle::form_fields(&self.inner)
        )
    }
}

/// Momentum-dominated free jet of a pressurised gas release (near field), horizontal along +x.
///
/// c(x, y, z) = k₂·c₀·(d/x)·√(ρ_j/ρ_a)·exp(−(k₃y/x)²)·[exp(−(k₃(z−h)/x)²) + exp(−(k₃(z+h)/x)²)],
/// k₂ = 6, k₃ = 5 (Long 1963, as given by the GasDispersion.jl documentation [M]), c₀ = 1 for a
/// pure gas, capped at 1; d·√(ρ_j/ρ_a) is the Thring–Newby effective diameter. Valid while the
/// jet's centreline velocity exceeds the wind (``transition_distance_m``); buoyancy and
/// dense-gas slumping are ignored.
///
/// Parameters
/// ----------
/// diameter_m : float
///     Exit diameter, m (in (0, 10]).
/// exit_velocity_m_s : float
///     Exit velocity, m/s (in (0, 2000]).
/// jet_density_kg_m3 : float
///     Gas density at the exit plane, kg/m³ (for a choked jet, at the throat conditions).
/// gas_density_ambient_kg_m3 : float
///     Density of the pure released gas at ambient conditions, kg/m³ (volume fraction → kg/m³).
/// air_density_kg_m3 : float
///     Ambient air density, kg/m³.
/// release_height_m : float
///     Height of the jet axis, m.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Out-of-range or NaN inputs.
#[pyclass(name = "FreeJet", module = "qra.dispersion", frozen)]
pub struct PyFreeJet {
    inner: FreeJet,
}

impl PyFreeJet {
    /// Broadcasts (x, y, z), validates them and evaluates `f` with the GIL released.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        x_m: &Bound<'py, PyAny>,
        y_m: Option<&Bound<'py, PyAny>>,
        z_m: Option<&Bound<'py, PyAny>>,
        f: fn(&FreeJet, f64, f64, f64) -> f64,
    ) -> PyResult<Array<'py>> {
        let zero = 0.0f64.into_pyobject(py)?.into_any();
        let j = self.inner;
        let args = [x_m, y_m.unwrap_or(&zero), z_m.unwrap_or(&zero)];
        broadcast::map(py, args, |v| {
            validate_points(&v[0], &v[1], &v[2], None)?;
            Ok(broadcast::each(v, |[x, y, z]| f(&j, x, y, z)))
        })
    }
}

#[pymethods]
impl PyFreeJet {
    #[new]
    #[pyo3(signature = (*, diameter_m, exit_velocity_m_s, jet_density_kg_m3,
        gas_density_ambient_kg_m3, air_density_kg_m3 = 1.204, release_height_m = 0.0))]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] diameter_m: f64,
        #[pyo3(from_py_with = crate::args::num)] exit_velocity_m_s: f64,
        #[pyo3(from_py_with = crate::args::num)] jet_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] gas_density_ambient_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] air_density_kg_m3: f64,
        #[pyo3(from_py_with = crate::args::num)] release_height_m: f64,
    ) -> PyResult<Self> {
        let inner = FreeJet::new(
            diameter_m,
            exit_velocity_m_s,
            jet_density_kg_m3,
            air_density_kg_m3,
            gas_density_ambient_kg_m3,
            release_height_m,
        )
        .py()?;
        Ok(PyFreeJet { inner })
    }

    /// Effective (Thring–Newby) diameter d·√(ρ_j/ρ_a), m.
    #[getter]
    fn effective_diameter_m(&self) -> f64 {
        self.inner.effective_diameter_m()
    }

    /// Volume fraction of the released gas, broadcast; 0 for x ≤ 0 or z < 0.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m (jet axis along +x at ``release_height_m``).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Volume fraction, 0–1.
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn volume_fraction<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        self.evaluate(
            py,
            &x_m,
            y_m.as_ref(),
            z_m.as_ref(),
            FreeJet::volume_fraction,
        )
    }

    /// Mass concentration, kg/m³ (volume fraction × pure-gas density at ambient), broadcast.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Concentration, kg/m³.
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn concentration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        self.evaluate(
            py,
            &x_m,
            y_m.as_ref(),
            z_m.as_ref(),
            FreeJet::concentration_kg_m3,
        )
    }

    /// Distance, m, where the centreline velocity k₂·u₀·d_eff/x falls to the wind speed: the
    /// end of the momentum-dominated region (beyond it use a passive plume).
    ///
    /// Parameters
    /// ----------
    /// wind_speed_m_s : float
    ///     Wind speed, m/s (> 0).
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m.
    fn transition_distance_m(
        &self,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
    ) -> PyResult<f64> {
        self.inner.transition_distance_m(wind_speed_m_s).py()
    }

    fn __repr__(&self) -> String {
        let j = &self.inner;
        format!(
            "FreeJet(diameter_m={}, exit_velocity_m_s={}, jet_density_kg_m3={}, \
             gas_density_ambient_kg_m3={}, air_density_kg_m3={}, release_height_m={})",
            py_float(Some(j.diameter_m)),
            py_float(Some(j.exit_velocity_m_s)),
            py_float(Some(j.jet_density_kg_m3)),
            py_float(Some(j.gas_density_ambient_kg_m3)),
            py_float(Some(j.air_density_kg_m3)),
            py_float(Some(j.release_height_m))
        )
    }
}

serde_form!(PyAerosolMixture, AerosolMixture, revalidate_aerosol);
serde_form!(PyFreeJet, FreeJet, |j| FreeJet::new(
    j.diameter_m,
    j.exit_velocity_m_s,
    j.jet_density_kg_m3,
    j.air_density_kg_m3,
    j.gas_density_ambient_kg_m3,
    j.release_height_m,
));

/// Checks an `AerosolMixture` read from its serde form: finite, physical values and a mass
/// fraction consistent with the air ratio (the constructor needs the substance, which the form
/// does not carry).
fn revalidate_aerosol(m: AerosolMixture) -> Result<AerosolMixture, qra_core::QraError> {
    use qra_core::error::check;
    check::non_negative("air_mass_ratio", m.air_mass_ratio)?;
    check::in_range("air_mass_ratio", m.air_mass_ratio, 0.0, 1e4)?;
    check::in_range("temperature_k", m.temperature_k, 1.0, 400.0)?;
    check::in_range("density_kg_m3", m.density_kg_m3, 1e-3, 1e3)?;
    let expected = 1.0 / (1.0 + m.air_mass_ratio);
    if (m.substance_mass_fraction - expected).abs() > 1e-12 {
        return Err(qra_core::QraError::invalid(
            "substance_mass_fraction",
            m.substance_mass_fraction,
            format!("must equal 1/(1 + air_mass_ratio) = {expected}"),
        ));
    }
    Ok(m)
}

/// Wind speed at `z_m` from `wind_speed_m_s` at `wind_height_m` (power law).
///
/// u(z) = u_ref·(z/z_ref)^p with the EPA (Irwin 1979) exponents p (rural A–F 0.07 … 0.55, urban
/// 0.15 … 0.30).
///
/// Parameters
/// ----------
/// wind_speed_m_s : float
///     Wind speed at ``wind_height_m``, m/s.
/// z_m : float
///     Height, m.
/// stability : {"A", …, "F"}
/// terrain : {"rural", "urban"}
/// wind_height_m : float
///     Reference height, m.
///
/// Returns
/// -------
/// float
///     Wind speed at ``z_m``, m/s.
#[pyfunction]
#[pyo3(signature = (wind_speed_m_s, z_m, stability, terrain = "rural", wind_height_m = 10.0))]
pub fn wind_speed_at(
    #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
    #[pyo3(from_py_with = crate::args::num)] z_m: f64,
    #[pyo3(from_py_with = crate::args::text)] stability: &str,
    #[pyo3(from_py_with = crate::args::text)] terrain: &str,
    #[pyo3(from_py_with = crate::args::num)] wind_height_m: f64,
) -> PyResult<f64> {
    qra_core::error::check::positive("wind_speed_m_s", wind_speed_m_s).py()?;
    qra_core::error::check::positive("z_m", z_m).py()?;
    qra_core::error::check::positive("wind_height_m", wind_height_m).py()?;
    Ok(core::wind_speed_at(
        wind_speed_m_s,
        wind_height_m,
        z_m,
        stability.parse().py()?,
        terrain.parse().py()?,
    ))
}

/// Centreline ground-level concentration of a dense-gas release of finite duration, by the
/// Britter & McQuaid (1988) workbook rule on r = u₁₀·T_d/x (as quoted by CCPS 1999 §2.3 and
/// Crowl & Louvar 2011 ch. 5 [M: workbook text not re-read]):
///
/// * r ≥ 2.5: ``"continuous"`` — the continuous plume at its rate;
/// * r ≤ 0.6: ``"instantaneous"`` — the instantaneous cloud of rate × T_d;
/// * 0.6 < r < 2.5: ``"intermediate"`` — both apply and the smaller concentration is taken.
///
/// Parameters
/// ----------
/// plume : BritterMcQuaidPlume
///     The continuous release at its rate.
/// cloud : BritterMcQuaidPuff
///     The instantaneous release of the same gas: its mass must equal ``plume``'s source-gas
///     rate × ``duration_s`` (relative 10⁻⁹) and its 10 m wind ``plume``'s.
/// duration_s : float
///     Release duration T_d, s (> 0, finite).
/// x_m : float
///     Downwind distance, m (> 0, finite).
///
/// Returns
/// -------
/// (str, float)
///     The regime name (``"continuous"``, ``"instantaneous"`` or ``"intermediate"``) and the
///     concentration, kg/m³.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN ``duration_s``/``x_m``, or a ``cloud`` inconsistent with ``plume``.
#[pyfunction]
pub fn finite_release_concentration(
    plume: PyRef<'_, PyBritterMcQuaidPlume>,
    cloud: PyRef<'_, PyBritterMcQuaidPuff>,
    #[pyo3(from_py_with = crate::args::num)] duration_s: f64,
    #[pyo3(from_py_with = crate::args::num)] x_m: f64,
) -> PyResult<(&'static str, f64)> {
    use qra_core::error::check;
    check::positive("duration_s", duration_s).py()?;
    check::positive("x_m", x_m).py()?;
    let (p, c) = (&plume.inner, &cloud.inner);
    let u10 = p.atmosphere.wind_speed_m_s;
    // The cloud must be the plume's release over `duration_s` (same gas, temperatures, wind).
    let same = |argument: &str, got: f64, want: f64, what: &str| -> PyResult<()> {
        if (got - want).abs() <= 1e-9 * want.abs() {
            return Ok(());
        }
        Err(qra_core::QraError::invalid(
            argument,
            got,
            format!("must equal {what} = {want}"),
        ))
        .py()
    };
    same(
        "cloud.wind_speed_m_s",
        c.wind_speed_m_s,
        u10,
        "the plume's 10 m wind speed",
    )?;
    let mass = p.rate_kg_s * duration_s;
    same(
        "cloud.mass_kg",
        c.mass_kg,
        mass,
        "the plume's rate × duration_s",
    )?;
    let rho = p.gas_density_kg_m3;
    same(
        "cloud.gas_density_kg_m3",
        c.gas_density_kg_m3,
        rho,
        "the plume's",
    )?;
    let tr = p.temperature_ratio;
    same(
        "cloud.temperature_ratio",
        c.temperature_ratio,
        tr,
        "the plume's",
    )?;
    let f = p.substance_mass_fraction;
    same(
        "cloud.substance_mass_fraction",
        c.substance_mass_fraction,
        f,
        "the plume's",
    )?;
    let name = match core::ReleaseRegime::at(u10, duration_s, x_m) {
        core::ReleaseRegime::Continuous => "continuous",
        core::ReleaseRegime::Instantaneous => "instantaneous",
        core::ReleaseRegime::Intermediate => "intermediate",
    };
    Ok((
        name,
        core::finite_release_concentration_kg_m3(p, c, duration_s, x_m),
    ))
}

/// SLAB-class integral dense-gas plume (continuous or finite-duration release).
///
/// Steady plume solved as ODEs in downwind distance — mass, momentum, energy and species
/// conservation; top and edge entrainment damped by the cloud Richardson number; gravity
/// spreading; ground heat and friction; aerosol in vapour–liquid equilibrium — after Ermak
/// (1990) *User's manual for SLAB*, UCRL-MA-105607 (equations and deviations in
/// ``qra_core::dispersion::slab``). Far downwind a neutrally buoyant release is the Gaussian
/// plume of the same atmosphere (Briggs σ's).
///
/// Parameters
/// ----------
/// substance : str
///     Name in the substance table (needs molar mass, c_p gas and liquid, boiling point, heat
///     of vaporisation, liquid density).
/// rate_kg_s : float
///     Release rate, kg/s.
/// wind_speed_m_s : float
///     Wind speed at ``wind_height_m``, m/s (≥ 1).
/// source : {"jet", "pool"}
///     Ground-level horizontal jet (give ``exit_velocity_m_s``) or evaporating pool at the
///     boiling point (give ``area_m2``).
/// area_m2 : float, optional
///     Pool area, m².
/// exit_velocity_m_s : float, optional
///     Jet velocity after depressurisation, m/s.
/// temperature_k : float, optional
///     Jet temperature after depressurisation, K (default: the boiling point when
///     ``liquid_fraction`` > 0, else ``ambient_temperature_k``).
/// liquid_fraction : float
///     Aerosol mass fraction of the jet, in [0, 1).
/// duration_s : float, optional
///     Release duration, s (None: continuous).
/// stability, terrain : str
///     Pasquill class ("A"–"F") and terrain of the passive part (Briggs σ's).
/// wind_height_m : float
///     Height of the wind measurement, m.
/// averaging_time_s : float
///     Averaging time of the concentrations, s (≥ 10 s for the model's meander).
/// ambient_temperature_k, pressure_pa : float
///     Ambient air (and ground) temperature, K, and pressure, Pa.
/// roughness_m : float
///     Surface roughness length, m.
/// inverse_obukhov_length_per_m : float, optional
///     Measured ambient 1/L, 1/m (0–1), damping the top entrainment in classes E and F
///     (default: SLAB's relation to the class and roughness).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Out-of-range values, a source missing its area or velocity.
/// qra.NotImplementedYetError
///     Sources the model does not support yet.
#[pyclass(name = "SlabPlume", module = "qra.dispersion", frozen)]
pub struct PySlabPlume {
    inner: core::SlabPlume,
}

#[pymethods]
impl PySlabPlume {
    #[new]
    #[pyo3(signature = (*, substance, rate_kg_s, wind_speed_m_s, source = "jet", area_m2 = None,
        exit_velocity_m_s = None, temperature_k = None, liquid_fraction = 0.0, duration_s = None,
        stability = "D", terrain = "rural", wind_height_m = 10.0, averaging_time_s = 600.0,
        ambient_temperature_k = 293.15, pressure_pa = 101325.0, roughness_m = 0.1,
        inverse_obukhov_length_per_m = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        substance: SubstanceArg<'_>,
        #[pyo3(from_py_with = crate::args::num)] rate_kg_s: f64,
        #[pyo3(from_py_with = crate::args::num)] wind_speed_m_s: f64,
        #[pyo3(from_py_with = crate::args::text)] source: &str,
        #[pyo3(from_py_with = crate::args::num)] area_m2: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] exit_velocity_m_s: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] temperature_k: Option<f64>,
        #[pyo3(from_py_with = crate::args::num)] liquid_fraction: f64,
        #[pyo3(from_py_with = crate::args::num)] duration_s: Option<f64>,
        #[pyo3(from_py_with = crate::args::text)] stability: &str,
        #[pyo3(from_py_with = crate::args::text)] terrain: &str,
        #[pyo3(from_py_with = crate::args::num)] wind_height_m: f64,
        #[pyo3(from_py_with = crate::args::num)] averaging_time_s: f64,
        #[pyo3(from_py_with = crate::args::num)] ambient_temperature_k: f64,
        #[pyo3(from_py_with = crate::args::num)] pressure_pa: f64,
        #[pyo3(from_py_with = crate::args::num)] roughness_m: f64,
        #[pyo3(from_py_with = crate::args::num)] inverse_obukhov_length_per_m: Option<f64>,
    ) -> PyResult<Self> {
        let sub = core::SlabSubstance::from_substance(&substance.substance()?).py()?;
        let atm = atmosphere(
            wind_speed_m_s,
            stability,
            terrain,
            "briggs",
            wind_height_m,
            None,
            averaging_time_s,
            qra_core::dispersion::DEFAULT_MIN_TRANSPORT_HEIGHT_M,
        )?;
        let mut amb =
            core::SlabAmbient::new(atm, ambient_temperature_k, pressure_pa, roughness_m).py()?;
        if let Some(v) = inverse_obukhov_length_per_m {
            amb = amb.with_inverse_obukhov_length(v).py()?;
        }
        let missing = |arg: &str| {
            qra_core::QraError::invalid(arg, "missing", format!("needed for source = '{source}'"))
        };
        let src = match source {
            "pool" => core::SlabSource::EvaporatingPool {
                rate_kg_s,
                area_m2: area_m2.ok_or_else(|| missing("area_m2")).py()?,
                duration_s,
            },
            "jet" => core::SlabSource::HorizontalJet {
                rate_kg_s,
                exit_velocity_m_s: exit_velocity_m_s
                    .ok_or_else(|| missing("exit_velocity_m_s"))
                    .py()?,
                temperature_k: temperature_k.unwrap_or(if liquid_fraction > 0.0 {
                    sub.boiling_point_k
                } else {
                    ambient_temperature_k
                }),
                liquid_fraction,
                duration_s,
            },
            other => {
                return Err(qra_core::QraError::unknown(
                    "SLAB source",
                    other,
                    ["jet", "pool"],
                ))
                .py()
            }
        };
        let inner = py.detach(|| core::SlabPlume::new(sub, amb, src)).py()?;
        Ok(PySlabPlume { inner })
    }

    /// Time-averaged concentration of the released substance (vapour + aerosol), kg/m³,
    /// broadcast; 0 upwind, below ground and beyond 20 km.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Concentration, kg/m³.
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn concentration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        let zero = 0.0f64.into_pyobject(py)?.into_any();
        let p = &self.inner;
        let args = [
            &x_m,
            y_m.as_ref().unwrap_or(&zero),
            z_m.as_ref().unwrap_or(&zero),
        ];
        broadcast::map(py, args, |v| p.concentrations(&v[0], &v[1], &v[2]))
    }

    /// Vapour volume (mole) fraction of the released substance, broadcast.
    ///
    /// Parameters
    /// ----------
    /// x_m, y_m, z_m : array_like
    ///     Receptor coordinates, m.
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Volume fraction (dimensionless).
    #[pyo3(signature = (x_m, y_m = None, z_m = None))]
    fn volume_fraction<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] x_m: Bound<'py, PyAny>,
        #[pyo3(from_py_with = crate::args::opt_array)] y_m: Option<Bound<'py, PyAny>>,
        #[pyo3(from_py_with = crate::args::opt_array)] z_m: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Array<'py>> {
        let zero = 0.0f64.into_pyobject(py)?.into_any();
        let p = &self.inner;
        let args = [
            &x_m,
            y_m.as_ref().unwrap_or(&zero),
            z_m.as_ref().unwrap_or(&zero),
        ];
        broadcast::map(py, args, |v| p.volume_fractions(&v[0], &v[1], &v[2]))
    }

    /// Furthest distance, m, where the ground-level centreline concentration ≥ `c_kg_m3`.
    ///
    /// Parameters
    /// ----------
    /// c_kg_m3 : float
    ///     Concentration, kg/m³.
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m.
    fn distance_to(&self, #[pyo3(from_py_with = crate::args::num)] c_kg_m3: f64) -> PyResult<f64> {
        qra_core::error::check::positive("c_kg_m3", c_kg_m3).py()?;
        let p = &self.inner;
        Ok(distance_to(|x| p.concentration_kg_m3(x, 0.0, 0.0), c_kg_m3))
    }

    /// The integrated cloud: one list per quantity (``x_m``, ``half_width_m``,
    /// ``core_half_width_m``, ``height_m``, ``speed_m_s``, ``density_kg_m3``, ``temperature_k``,
    /// ``mass_fraction``, ``liquid_fraction``, ``richardson``), from the upwind edge of the source.
    ///
    /// Returns
    /// -------
    /// dict[str, list[float]]
    fn profile(&self) -> std::collections::BTreeMap<&'static str, Vec<f64>> {
        let pts = &self.inner.points;
        let col = |f: fn(&core::SlabPoint) -> f64| pts.iter().map(f).collect::<Vec<f64>>();
        std::collections::BTreeMap::from([
            ("x_m", col(|p| p.x_m)),
            ("half_width_m", col(|p| p.half_width_m)),
            ("core_half_width_m", col(|p| p.core_half_width_m)),
            ("height_m", col(|p| p.height_m)),
            ("speed_m_s", col(|p| p.speed_m_s)),
            ("density_kg_m3", col(|p| p.density_kg_m3)),
            ("temperature_k", col(|p| p.temperature_k)),
            ("mass_fraction", col(|p| p.mass_fraction)),
            ("liquid_fraction", col(|p| p.liquid_fraction)),
            ("richardson", col(|p| p.richardson)),
        ])
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        let a = &p.ambient.atmosphere;
        let src = match p.source {
            core::SlabSource::EvaporatingPool { area_m2, .. } => {
                format!("source='pool', area_m2={}", py_float(Some(area_m2)))
            }
            core::SlabSource::HorizontalJet {
                exit_velocity_m_s,
                liquid_fraction,
                ..
            } => format!(
                "source='jet', exit_velocity_m_s={}, liquid_fraction={}",
                py_float(Some(exit_velocity_m_s)),
                py_float(Some(liquid_fraction))
            ),
            _ => "source='other'".into(),
        };
        format!(
            "SlabPlume(rate_kg_s={}, {src}, duration_s={}, wind_speed_m_s={}, stability='{}')",
            py_float(Some(p.rate_kg_s())),
            py_float(p.duration_s()),
            py_float(Some(a.wind_speed_m_s)),
            a.stability
        )
    }
}

serde_form!(PySlabPlume, core::SlabPlume, |m| {
    let mut m = m;
    m.ambient.atmosphere = revalidate_atmosphere(&m.ambient.atmosphere)?;
    m.rebuilt()
});

/// Registers this module's functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sigmas, m)?)?;
    m.add_function(wrap_pyfunction!(wind_speed_at, m)?)?;
    m.add_function(wrap_pyfunction!(finite_release_concentration, m)?)?;
    m.add_class::<PyGaussianPlume>()?;
    m.add_class::<PyGaussianPuff>()?;
    m.add_class::<PyBritterMcQuaidPlume>()?;
    m.add_class::<PyBritterMcQuaidPuff>()?;
    m.add_class::<PyAerosolMixture>()?;
    m.add_class::<PyFreeJet>()?;
    m.add_class::<PySlabPlume>()?;
    Ok(())
}
