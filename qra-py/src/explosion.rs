//! `qra.explosion`: TNT / Kingery–Bulmash, multi-energy input, BST, vessel burst (thin wrappers
//! over `qra_core::explosion`).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use qra_core::error::check;
use qra_core::explosion;

use crate::broadcast::{self, Array};
use crate::errors::PyQraResult;

/// `f` of every distance (any array-like, finite and ≥ 0), broadcast shape, GIL released.
fn at_distances<'py>(
    py: Python<'py>,
    distance_m: &Bound<'py, PyAny>,
    f: impl Fn(f64) -> f64 + Sync + Send,
) -> PyResult<Array<'py>> {
    broadcast::map(py, [distance_m], |c| {
        broadcast::non_negative("distance_m", &c[0])?;
        let v = broadcast::each(c, |[r]| f(r));
        finite_outputs(&c[0], &v)?;
        Ok(v)
    })
}

/// Every output of a blast model is finite; else the distance that overflowed is named (a
/// distance near f64::MAX gave +inf, issue 21).
fn finite_outputs(distance_m: &[f64], v: &[f64]) -> qra_core::Result<()> {
    match v.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(i) => Err(qra_core::QraError::invalid(
            format!("distance_m[{i}]"),
            distance_m.get(i).copied().unwrap_or(f64::NAN),
            "outside the numeric range of the blast model (overflow)",
        )),
    }
}

/// Blast parameters of a TNT hemispherical surface burst (Kingery & Bulmash 1984, Swisdak 1994
/// fits).
///
/// Parameters
/// ----------
/// tnt_mass_kg : float
///     TNT mass W (kg, > 0).
/// distance_m : array_like
///     Distances R (m, ≥ 0).
///
/// Returns
/// -------
/// dict of arrays
///     ``scaled_distance`` (Z = R/W^(1/3), m/kg^(1/3)), ``incident_overpressure_pa``,
///     ``reflected_overpressure_pa``, ``incident_impulse_pa_s``, ``reflected_impulse_pa_s``,
///     ``arrival_time_s``, ``duration_s``, ``shock_velocity_m_s``, each shaped like
///     ``distance_m``. Outside the fitted Z ranges: near field held at the range start; far
///     field acoustic 1/Z decay for pressures and impulses (documented in
///     ``qra_core::explosion::kingery_bulmash``).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Non-positive or NaN mass, negative or NaN distances.
#[pyfunction]
pub fn tnt_blast<'py>(
    py: Python<'py>,
    #[pyo3(from_py_with = crate::args::num)] tnt_mass_kg: f64,
    #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    type Field = fn(&explosion::BlastParameters) -> f64;
    const FIELDS: [(&str, Field); 8] = [
        ("scaled_distance", |b| b.scaled_distance),
        ("incident_overpressure_pa", |b| b.incident_overpressure_pa),
        ("reflected_overpressure_pa", |b| b.reflected_overpressure_pa),
        ("incident_impulse_pa_s", |b| b.incident_impulse_pa_s),
        ("reflected_impulse_pa_s", |b| b.reflected_impulse_pa_s),
        ("arrival_time_s", |b| b.arrival_time_s),
        ("duration_s", |b| b.duration_s),
        ("shock_velocity_m_s", |b| b.shock_velocity_m_s),
    ];
    let t = crate::pickle::checked(explosion::TntBlast::new(tnt_mass_kg))?;
    let cols = broadcast::map_many(py, [&distance_m], |c| {
        broadcast::non_negative("distance_m", &c[0])?;
        let res = broadcast::each(c, |[r]| t.at(r));
        let cols: [Vec<f64>; 8] = FIELDS.map(|(_, f)| res.iter().map(f).collect());
        for col in &cols {
            finite_outputs(&c[0], col)?;
        }
        Ok(cols)
    })?;
    let d = PyDict::new(py);
    for ((name, _), col) in FIELDS.iter().zip(cols) {
        d.set_item(name, col)?;
    }
    Ok(d)
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
pub fn tnt_reach_m(
    #[pyo3(from_py_with = crate::args::num)] tnt_mass_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] overpressure_pa: f64,
) -> PyQraResult<f64> {
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
    #[pyo3(from_py_with = crate::args::num)] yield_factor: f64,
    #[pyo3(from_py_with = crate::args::num)] flammable_mass_kg: f64,
    #[pyo3(from_py_with = crate::args::num)] heat_of_combustion_j_kg: f64,
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
pub fn tnt_mass_condensed_kg(
    substance: crate::substance::SubstanceArg<'_>,
    #[pyo3(from_py_with = crate::args::num)] mass_kg: f64,
) -> PyQraResult<f64> {
    Ok(explosion::tnt_mass_condensed_kg(
        &substance.name(),
        mass_kg,
    )?)
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
    #[pyo3(from_py_with = crate::args::num)] pressure_pa: f64,
    #[pyo3(from_py_with = crate::args::num)] volume_m3: f64,
    #[pyo3(from_py_with = crate::args::num)] heat_capacity_ratio: f64,
    #[pyo3(from_py_with = crate::args::num)] ambient_pa: f64,
) -> PyQraResult<f64> {
    Ok(explosion::brode_energy_j(
        pressure_pa,
        ambient_pa,
        volume_m3,
        heat_capacity_ratio,
    )?)
}

/// TNO multi-energy method (Van den Berg 1985): energy E (J; ``from_volume``: E = V·3.5 MJ/m³,
/// AQ/T 3046 eq. E.60) and strength class 1–10.
///
/// Curves: the published power-law fits of MSB, *Beräkning av impulsbelastad konstruktion*,
/// B06-105 (2017), Tables 4.2–4.3: P̄ = ΔP/p0 = a·r̄^b, t̄ = t+·c0/(E/p0)^(1/3) = c·r̄^d with
/// r̄ = R/(E/p0)^(1/3), p0 = 101 325 Pa, c0 = 340.3 m/s; impulse i+ = ΔP·t+/2 (triangular pulse,
/// MSB eq. 4.7). Switch-overs at the exact intersections (continuous curves). Near field: held at
/// the charge radius r̄0 = 0.19; far field: fits down to P̄ = 0.001, then acoustic decay ∝ 1/r̄.
/// Overpressure is non-decreasing in strength; impulse is not (strength 7 > 10 for r̄ > 0.9, as
/// published). Distances are from the explosion centre in m; the distance methods broadcast.
///
/// Parameters
/// ----------
/// energy_j : float
///     Combustion energy of the obstructed (congested) part of the cloud, J (> 0).
/// strength : int
///     Blast strength class 1 (weak deflagration) … 10 (detonation).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Energy ≤ 0, strength outside 1–10 (e.g. 11), negative or non-finite distances.
#[pyclass(name = "MultiEnergy", module = "qra.explosion", frozen)]
pub struct PyMultiEnergy {
    inner: explosion::MultiEnergy,
}

#[pymethods]
impl PyMultiEnergy {
    #[new]
    #[pyo3(signature = (*, energy_j, strength))]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] energy_j: f64,
        #[pyo3(from_py_with = crate::args::int)] strength: i64,
    ) -> PyQraResult<Self> {
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
    /// From the obstructed cloud volume: E = V·3.5 MJ/m³.
    ///
    /// Parameters
    /// ----------
    /// volume_m3 : float
    ///     Obstructed (congested) cloud volume, m³.
    /// strength : int
    ///     Strength class 1–10.
    ///
    /// Returns
    /// -------
    /// MultiEnergy
    #[staticmethod]
    fn from_volume(
        #[pyo3(from_py_with = crate::args::num)] volume_m3: f64,
        #[pyo3(from_py_with = crate::args::int)] strength: i64,
    ) -> PyQraResult<Self> {
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
    /// Strength class 1–10.
    #[getter]
    fn strength(&self) -> u32 {
        self.inner.strength()
    }
    /// Sachs-scaled distance r̄ = R/(E/p0)^(1/3).
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Sachs-scaled distance, dimensionless.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn scaled_distance<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.scaled_distance(r))
    }
    /// Peak side-on overpressure at distances.
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Peak side-on overpressure, Pa.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn overpressure<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.overpressure_pa(r))
    }
    /// Positive-phase side-on impulse ΔP·t+/2 at distances.
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Positive-phase side-on impulse, Pa·s.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn impulse<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.impulse_pa_s(r))
    }
    /// Positive-phase duration at distances.
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Positive-phase duration, s.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn duration<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.duration_s(r))
    }
    /// Peak dynamic pressure: Rankine–Hugoniot q = 5ΔP²/(2(ΔP + 7p0)), an approximation.
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Peak dynamic pressure, Pa.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn dynamic_pressure<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.dynamic_pressure_pa(r))
    }
    /// Distance beyond which the overpressure is below ``overpressure_pa``.
    ///
    /// Parameters
    /// ----------
    /// overpressure_pa : float
    ///     Side-on overpressure level, Pa (> 0).
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m (0 if even the near-field plateau is below the level).
    fn reach_m(
        &self,
        #[pyo3(from_py_with = crate::args::num)] overpressure_pa: f64,
    ) -> PyQraResult<f64> {
        check::positive("overpressure_pa", overpressure_pa)?;
        Ok(self.inner.reach_m(overpressure_pa))
    }
    /// Evaluable (constructor keywords).
    fn __repr__(&self) -> String {
        format!(
            "MultiEnergy(energy_j={}, strength={})",
            self.inner.energy_j(),
            self.inner.strength()
        )
    }
}

/// Baker–Strehlow–Tang blast curves (CCPS 2010, digitised; repaired for monotonicity).
///
/// R* = R/(E/p0)^(1/3), P* = ΔP/p0, i* = i a0/(E^(1/3) p0^(2/3)) with p0 = 101 325 Pa and
/// a0 = 340 m/s; log-log interpolation in R* and between flame Mach numbers; flat near field,
/// acoustic 1/R* far field beyond R* ≈ 10. The distance methods broadcast.
///
/// Parameters
/// ----------
/// energy_j : float
///     Combustion energy of the congested cloud (J, > 0); double it for ground-level bursts.
/// flame_mach : float
///     Flame Mach number in [0.2, 5.2] (:func:`bst_flame_speed` gives it from the
///     Pierorazio et al. 2005 table).
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Energy ≤ 0, Mach outside [0.2, 5.2], negative distances.
#[pyclass(name = "BakerStrehlowTang", module = "qra.explosion", frozen)]
pub struct PyBakerStrehlowTang {
    inner: explosion::BakerStrehlowTang,
}

#[pymethods]
impl PyBakerStrehlowTang {
    #[new]
    #[pyo3(signature = (*, energy_j, flame_mach))]
    fn new(
        #[pyo3(from_py_with = crate::args::num)] energy_j: f64,
        #[pyo3(from_py_with = crate::args::num)] flame_mach: f64,
    ) -> PyQraResult<Self> {
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
    /// Peak side-on overpressure at distances.
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Peak side-on overpressure, Pa.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn overpressure<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.overpressure_pa(r))
    }
    /// Positive-phase impulse at distances.
    ///
    /// Parameters
    /// ----------
    /// distance_m : array_like
    ///     Distances from the blast centre, m (≥ 0; broadcast, any shape).
    ///
    /// Returns
    /// -------
    /// ndarray
    ///     Positive-phase impulse, Pa·s.
    ///
    /// Raises
    /// ------
    /// qra.InvalidInputError
    ///     Negative or non-finite distances.
    fn impulse<'py>(
        &self,
        py: Python<'py>,
        #[pyo3(from_py_with = crate::args::array)] distance_m: Bound<'py, PyAny>,
    ) -> PyResult<Array<'py>> {
        let m = self.inner;
        at_distances(py, &distance_m, move |r| m.impulse_pa_s(r))
    }
    /// Distance beyond which the overpressure is below ``overpressure_pa``.
    ///
    /// Parameters
    /// ----------
    /// overpressure_pa : float
    ///     Side-on overpressure level, Pa (> 0).
    ///
    /// Returns
    /// -------
    /// float
    ///     Distance, m (0 if even the near-field plateau is below the level).
    fn reach_m(
        &self,
        #[pyo3(from_py_with = crate::args::num)] overpressure_pa: f64,
    ) -> PyQraResult<f64> {
        check::positive("overpressure_pa", overpressure_pa)?;
        Ok(self.inner.reach_m(overpressure_pa))
    }
    /// Evaluable (constructor keywords).
    fn __repr__(&self) -> String {
        format!(
            "BakerStrehlowTang(energy_j={}, flame_mach={})",
            self.inner.energy_j(),
            self.inner.flame_mach()
        )
    }
}

/// BST flame Mach number from the flame-speed table of Pierorazio et al. (2005), Process Safety
/// Progress 24(1) (values from secondary sources, see the core docs).
///
/// Parameters
/// ----------
/// reactivity : {"low", "medium", "high"}
///     Fuel reactivity (laminar burning velocity < 45, 45–75, > 75 cm/s).
/// congestion : {"low", "medium", "high"}
///     Obstacle density (blockage ratio < 10 %, 10–40 %, > 40 %).
/// confinement : {"2D", "2.5D", "3D"}
///     Flame expansion; "1D" raises :class:`qra.NotImplementedYetError` (row not verified).
///
/// Returns
/// -------
/// (mach, ddt) : tuple[float, bool]
///     Flame Mach number and whether the table flags deflagration-to-detonation transition
///     (then mach = 5.2, the detonation curve). Entries below 0.2 are valid table values but
///     below the lowest BST blast curve: :class:`BakerStrehlowTang` rejects them.
///
/// Raises
/// ------
/// qra.InvalidInputError
///     Unknown class name.
#[pyfunction]
#[pyo3(signature = (*, reactivity, congestion, confinement))]
pub fn bst_flame_speed(
    #[pyo3(from_py_with = crate::args::text)] reactivity: &str,
    #[pyo3(from_py_with = crate::args::text)] congestion: &str,
    #[pyo3(from_py_with = crate::args::text)] confinement: &str,
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
    m.add_function(wrap_pyfunction!(tnt_blast, m)?)?;
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
