//! `qra.explosion`: TNT / Kingery–Bulmash, multi-energy input, BST, vessel burst (thin wrappers
//! over `qra_core::explosion`).

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use qra_core::error::check;
use qra_core::explosion;
use rayon::prelude::*;

use crate::errors::PyQraResult;

/// Validates distances: finite and ≥ 0.
fn distances(d: &PyReadonlyArray1<'_, f64>) -> PyQraResult<Vec<f64>> {
    let v = d.as_array().to_vec();
    check::all_finite("distance_m", &v)?;
    for (i, x) in v.iter().enumerate() {
        check::non_negative(&format!("distance_m[{i}]"), *x)?;
    }
    Ok(v)
}

type Arr<'py> = Bound<'py, PyArray1<f64>>;

/// Kingery–Bulmash blast parameters for `tnt_mass_kg` at 1-D `distance_m`: a tuple of arrays
/// (scaled distance, incident overpressure Pa, reflected overpressure Pa, incident impulse Pa·s,
/// reflected impulse Pa·s, arrival time s, duration s, shock velocity m/s).
#[pyfunction]
#[allow(clippy::type_complexity)]
pub fn tnt_blast_arrays<'py>(
    py: Python<'py>,
    tnt_mass_kg: f64,
    distance_m: PyReadonlyArray1<'py, f64>,
) -> PyQraResult<(
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
    Arr<'py>,
)> {
    let t = explosion::TntBlast::new(tnt_mass_kg)?;
    let d = distances(&distance_m)?;
    let res: Vec<explosion::BlastParameters> =
        py.detach(|| d.par_iter().with_min_len(4096).map(|&r| t.at(r)).collect());
    let col = |f: fn(&explosion::BlastParameters) -> f64| {
        res.iter().map(f).collect::<Vec<f64>>().into_pyarray(py)
    };
    Ok((
        col(|b| b.scaled_distance),
        col(|b| b.incident_overpressure_pa),
        col(|b| b.reflected_overpressure_pa),
        col(|b| b.incident_impulse_pa_s),
        col(|b| b.reflected_impulse_pa_s),
        col(|b| b.arrival_time_s),
        col(|b| b.duration_s),
        col(|b| b.shock_velocity_m_s),
    ))
}

/// Distance (m) beyond which the TNT incident overpressure is below `overpressure_pa`.
///
/// Kingery–Bulmash hemispherical surface burst (Swisdak 1994 fits).
///
/// Parameters
/// ----------
/// tnt_mass_kg : float
///     TNT mass, kg.
/// overpressure_pa : float
///     Side-on overpressure, Pa.
///
/// Returns
/// -------
/// float
///     Distance, m.
#[pyfunction]
pub fn tnt_reach_m(tnt_mass_kg: f64, overpressure_pa: f64) -> PyQraResult<f64> {
    check::positive("overpressure_pa", overpressure_pa)?;
    Ok(explosion::TntBlast::new(tnt_mass_kg)?.reach_m(overpressure_pa))
}

/// TNT mass of a VCE, kg: η·M·ΔHc/4.68 MJ/kg.
///
/// W_TNT = η·M·ΔHc/E_TNT with E_TNT = 4.68 MJ/kg (CCPS 1999 §2.2.3; AQ/T 3046 [M]).
///
/// Parameters
/// ----------
/// yield_factor : float
///     η (typically 0.03–0.04 [M]).
/// flammable_mass_kg : float
///     Flammable cloud mass, kg.
/// heat_of_combustion_j_kg : float
///     J/kg.
///
/// Returns
/// -------
/// float
///     TNT mass, kg.
#[pyfunction]
pub fn tnt_mass_vce_kg(
    yield_factor: f64,
    flammable_mass_kg: f64,
    heat_of_combustion_j_kg: f64,
) -> PyQraResult<f64> {
    Ok(explosion::tnt_mass_vce_kg(
        yield_factor,
        flammable_mass_kg,
        heat_of_combustion_j_kg,
    )?)
}

/// TNT mass of a condensed explosive from the substance database, kg.
///
/// Parameters
/// ----------
/// substance : str
///     A substance with a TNT equivalence in the database.
/// mass_kg : float
///     Mass, kg.
///
/// Returns
/// -------
/// float
///     TNT-equivalent mass, kg.
#[pyfunction]
pub fn tnt_mass_condensed_kg(substance: &str, mass_kg: f64) -> PyQraResult<f64> {
    Ok(explosion::tnt_mass_condensed_kg(substance, mass_kg)?)
}

/// Brode burst energy, J.
///
/// E = (p − p_a) V/(γ − 1) (Brode 1959; CCPS 2010 BLEVE/vessel burst).
///
/// Parameters
/// ----------
/// pressure_pa : float
///     Burst pressure, Pa (absolute).
/// volume_m3 : float
///     Vapour volume, m³.
/// heat_capacity_ratio : float
///     γ (> 1).
/// ambient_pa : float
///     Ambient pressure, Pa.
///
/// Returns
/// -------
/// float
///     Energy, J.
#[pyfunction]
#[pyo3(signature = (pressure_pa, volume_m3, heat_capacity_ratio, ambient_pa=101325.0))]
pub fn brode_energy_j(
    pressure_pa: f64,
    volume_m3: f64,
    heat_capacity_ratio: f64,
    ambient_pa: f64,
) -> PyQraResult<f64> {
    Ok(explosion::brode_energy_j(
        pressure_pa,
        ambient_pa,
        volume_m3,
        heat_capacity_ratio,
    )?)
}

/// Validated distances mapped through `f` (GIL released, rayon for long arrays).
fn me_map<'py>(
    py: Python<'py>,
    distance_m: &PyReadonlyArray1<'py, f64>,
    f: impl Fn(f64) -> f64 + Sync + Send,
) -> PyQraResult<Arr<'py>> {
    let d = distances(distance_m)?;
    let v: Vec<f64> = py.detach(|| d.par_iter().with_min_len(4096).map(|&r| f(r)).collect());
    Ok(v.into_pyarray(py))
}

/// TNO multi-energy blast: ten strength curves (MSB B06-105 fits of Van den Berg 1985).
#[pyclass(name = "MultiEnergy", module = "qra._qra", frozen)]
pub struct PyMultiEnergy {
    inner: explosion::MultiEnergy,
}

#[pymethods]
impl PyMultiEnergy {
    #[new]
    #[pyo3(signature = (*, energy_j, strength))]
    fn new(energy_j: f64, strength: i64) -> PyQraResult<Self> {
        if !(1..=10).contains(&strength) {
            return Err(qra_core::QraError::invalid(
                "strength",
                strength,
                "must be an integer in [1, 10]",
            )
            .into());
        }
        Ok(PyMultiEnergy {
            inner: explosion::MultiEnergy::new(energy_j, strength as u32)?,
        })
    }
    /// From the obstructed volume (E = V·3.5 MJ/m³).
    #[staticmethod]
    fn from_volume(volume_m3: f64, strength: i64) -> PyQraResult<Self> {
        if !(1..=10).contains(&strength) {
            return Err(qra_core::QraError::invalid(
                "strength",
                strength,
                "must be an integer in [1, 10]",
            )
            .into());
        }
        Ok(PyMultiEnergy {
            inner: explosion::MultiEnergy::from_volume(volume_m3, strength as u32)?,
        })
    }
    /// Energy, J.
    #[getter]
    fn energy_j(&self) -> f64 {
        self.inner.energy_j()
    }
    /// Strength class.
    #[getter]
    fn strength(&self) -> u32 {
        self.inner.strength()
    }
    /// Sachs-scaled distances.
    fn scaled_distance<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let d = distances(&distance_m)?;
        Ok(d.iter()
            .map(|&r| self.inner.scaled_distance(r))
            .collect::<Vec<_>>()
            .into_pyarray(py))
    }
    /// Peak side-on overpressure, Pa.
    fn overpressure<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let me = self.inner;
        me_map(py, &distance_m, move |r| me.overpressure_pa(r))
    }
    /// Positive-phase side-on impulse, Pa·s.
    fn impulse<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let me = self.inner;
        me_map(py, &distance_m, move |r| me.impulse_pa_s(r))
    }
    /// Positive-phase duration, s.
    fn duration<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let me = self.inner;
        me_map(py, &distance_m, move |r| me.duration_s(r))
    }
    /// Peak dynamic pressure (Rankine–Hugoniot), Pa.
    fn dynamic_pressure<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let me = self.inner;
        me_map(py, &distance_m, move |r| me.dynamic_pressure_pa(r))
    }
    /// Distance beyond which the overpressure is below `overpressure_pa`, m.
    fn reach_m(&self, overpressure_pa: f64) -> PyQraResult<f64> {
        check::positive("overpressure_pa", overpressure_pa)?;
        Ok(self.inner.reach_m(overpressure_pa))
    }
    fn __repr__(&self) -> String {
        format!(
            "MultiEnergy(energy_j={}, strength={})",
            self.inner.energy_j(),
            self.inner.strength()
        )
    }
}

/// Baker–Strehlow–Tang blast curves.
#[pyclass(name = "BakerStrehlowTang", module = "qra._qra", frozen)]
pub struct PyBakerStrehlowTang {
    inner: explosion::BakerStrehlowTang,
}

#[pymethods]
impl PyBakerStrehlowTang {
    #[new]
    #[pyo3(signature = (*, energy_j, flame_mach))]
    fn new(energy_j: f64, flame_mach: f64) -> PyQraResult<Self> {
        Ok(PyBakerStrehlowTang {
            inner: explosion::BakerStrehlowTang::new(energy_j, flame_mach)?,
        })
    }
    /// Energy, J.
    #[getter]
    fn energy_j(&self) -> f64 {
        self.inner.energy_j()
    }
    /// Flame Mach number.
    #[getter]
    fn flame_mach(&self) -> f64 {
        self.inner.flame_mach()
    }
    /// Peak side-on overpressure, Pa.
    fn overpressure<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let d = distances(&distance_m)?;
        let b = self.inner;
        let v: Vec<f64> = py.detach(|| {
            d.par_iter()
                .with_min_len(4096)
                .map(|&r| b.overpressure_pa(r))
                .collect()
        });
        Ok(v.into_pyarray(py))
    }
    /// Positive-phase impulse, Pa·s.
    fn impulse<'py>(
        &self,
        py: Python<'py>,
        distance_m: PyReadonlyArray1<'py, f64>,
    ) -> PyQraResult<Arr<'py>> {
        let d = distances(&distance_m)?;
        let b = self.inner;
        let v: Vec<f64> = py.detach(|| {
            d.par_iter()
                .with_min_len(4096)
                .map(|&r| b.impulse_pa_s(r))
                .collect()
        });
        Ok(v.into_pyarray(py))
    }
    /// Distance beyond which the overpressure is below `overpressure_pa`, m.
    fn reach_m(&self, overpressure_pa: f64) -> PyQraResult<f64> {
        check::positive("overpressure_pa", overpressure_pa)?;
        Ok(self.inner.reach_m(overpressure_pa))
    }
    fn __repr__(&self) -> String {
        format!(
            "BakerStrehlowTang(energy_j={}, flame_mach={})",
            self.inner.energy_j(),
            self.inner.flame_mach()
        )
    }
}

/// BST flame Mach number from the Pierorazio et al. (2005) table: `(mach, ddt)`.
#[pyfunction]
#[pyo3(signature = (*, reactivity, congestion, confinement))]
pub fn bst_flame_speed(
    reactivity: &str,
    congestion: &str,
    confinement: &str,
) -> PyQraResult<(f64, bool)> {
    use explosion::bst_flame_speed as t;
    let f = t::flame_speed(
        t::parse_reactivity(reactivity)?,
        t::parse_congestion(congestion)?,
        t::parse_confinement(confinement)?,
    )?;
    Ok((f.mach, f.ddt))
}

/// Registers this module's functions and classes on the native module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(tnt_blast_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(tnt_reach_m, m)?)?;
    m.add_function(wrap_pyfunction!(tnt_mass_vce_kg, m)?)?;
    m.add_function(wrap_pyfunction!(tnt_mass_condensed_kg, m)?)?;
    m.add_function(wrap_pyfunction!(brode_energy_j, m)?)?;
    m.add_function(wrap_pyfunction!(bst_flame_speed, m)?)?;
    m.add_class::<PyMultiEnergy>()?;
    m.add_class::<PyBakerStrehlowTang>()?;
    Ok(())
}

// `to_json`/`from_json`, pickling, `==` and `hash` from the serde form (see `crate::pickle`).
crate::pickle::serde_form!(PyMultiEnergy, explosion::MultiEnergy, |m| m.revalidated());
crate::pickle::serde_form!(PyBakerStrehlowTang, explosion::BakerStrehlowTang, |b| b
    .revalidated());
