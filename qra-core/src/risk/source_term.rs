//! The source term the event tree needs: the release kind of an event and, for continuous
//! releases, the **outflow rate** through the hole, which selects the immediate-ignition band
//! of the Purple Book (CPR 18E 1999, ch. 4, Table 4.5 \[M\]: continuous releases by release rate
//! < 10, 10–100, > 100 kg/s; instantaneous releases by released mass < 1 000, 1 000–10 000,
//! > 10 000 kg).
//!
//! The rate is the total mass flow leaving the containment (gas, two-phase or liquid), not the
//! airborne part: Table 4.5 bands the source term of the LOC ("release rate"), before rain-out.
//! The discharge models are those of the consequence stage ([`crate::risk::consequence`]):
//! gas [`source::gas_discharge`], liquefied gas [`source::two_phase_discharge`] (Fauske ERM),
//! liquid [`source::liquid_discharge`] (Bernoulli, no liquid head), C_d = [`CD`], ambient
//! 20 °C, 1 atm; `continuous-10min` releases the inventory in 600 s.

use super::study::{Event, Installation, LocTable, Phase, ReleaseKind};
use crate::constants::STANDARD_PRESSURE_PA;
use crate::error::{QraError, Result};
use crate::source;
use crate::substance::{PhysicalState, Substance};

/// Discharge coefficient for holes, 0.62: the usual sharp-edged-orifice value \[M\] (qra's
/// default; no page of a standard verified for it). Used by the event tree and the consequence
/// stage (`hole_discharge_rate_kg_s`).
pub const CD: f64 = 0.62;
/// Ambient (and default process) temperature, K (20 °C).
const AMBIENT_K: f64 = 293.15;

/// The release kind of `ev`: its own `release`, else its LOC scenario's, else a hole (the
/// consequence stage's default).
pub fn release_kind(ev: &Event) -> ReleaseKind {
    ev.release
        .or_else(|| loc_scenario(ev).map(|(k, _)| k))
        .unwrap_or(ReleaseKind::Hole)
}

/// The LOC scenario's release kind and fixed hole diameter (mm), if the event names one.
fn loc_scenario(ev: &Event) -> Option<(ReleaseKind, Option<f64>)> {
    let l = ev.loc.as_ref()?;
    let (_, s) = LocTable::builtin()
        .ok()?
        .scenario(&l.equipment, &l.scenario)
        .ok()?;
    Some((s.release, s.hole_diameter_mm))
}

/// Phase of the release: the installation's `phase`, else from the substance's state (gas →
/// gas, liquefied → two-phase, otherwise liquid).
pub fn phase_of(inst: &Installation, s: &Substance) -> Phase {
    inst.phase.unwrap_or(match s.state {
        PhysicalState::Gas => Phase::Gas,
        PhysicalState::Liquefied => Phase::TwoPhase,
        _ => Phase::Liquid,
    })
}

/// The outflow rate of a continuous release of event `ev`, kg/s (see module docs): inventory /
/// 600 s for `continuous-10min`; otherwise the discharge through the event's hole (its
/// `hole_diameter_mm`, else its LOC scenario's) at the installation's pressure and temperature.
///
/// # Errors
/// [`QraError::InvalidInput`] naming the missing field (`events['<id>'].hole_diameter_mm`,
/// `installations['<id>'].pressure_pa`) or an instantaneous release; missing substance data;
/// the discharge models' errors (e.g. no driving pressure).
pub fn outflow_rate_kg_s(inst: &Installation, ev: &Event, s: &Substance) -> Result<f64> {
    match release_kind(ev) {
        ReleaseKind::Instantaneous => Err(QraError::invalid(
            format!("events['{}'].release", ev.id),
            "instantaneous",
            "an instantaneous release has no release rate",
        )),
        ReleaseKind::Continuous10Min => Ok(inst.inventory_kg(s)? / 600.0),
        ReleaseKind::Hole | ReleaseKind::Rupture | ReleaseKind::Continuous => {
            let d_mm = ev
                .hole_diameter_mm
                .or_else(|| loc_scenario(ev).and_then(|(_, d)| d))
                .ok_or_else(|| {
                    QraError::invalid(
                        format!("events['{}'].hole_diameter_mm", ev.id),
                        "missing",
                        "needed for the release rate of the ignition table (or give \
                         event_tree.release_rate_kg_s)",
                    )
                })?;
            hole_discharge_rate_kg_s(
                inst,
                s,
                source::hole_area_m2(d_mm / 1000.0),
                "(for the release rate of the ignition table, or give event_tree.release_rate_kg_s)",
            )
        }
    }
}

/// The mass flow, kg/s, through a hole of `area_m2` in installation `inst` holding `s`, by the
/// release phase ([`phase_of`]): gas [`source::gas_discharge`], liquefied gas
/// [`source::two_phase_discharge`] (at the larger of the installation's pressure and the vapour
/// pressure), liquid [`source::liquid_discharge`] (Bernoulli with the pressure at the hole: gas
/// space plus static head, absolute — qra has no liquid-level input, so the head is part of
/// `pressure_pa`); C_d = [`CD`], ambient 1 atm, the installation's temperature (else 20 °C).
/// The one discharge of the event tree (this module) and of the consequence stage.
///
/// # Errors
/// [`QraError::InvalidInput`] naming `installations['<id>'].pressure_pa` when a gas or liquid
/// release needs it (`context` completes the message); missing substance data; the discharge
/// models' errors.
pub(crate) fn hole_discharge_rate_kg_s(
    inst: &Installation,
    s: &Substance,
    area_m2: f64,
    context: &str,
) -> Result<f64> {
    let t = inst.temperature_k.unwrap_or(AMBIENT_K);
    let pressure = |need: &str| {
        inst.pressure_pa.ok_or_else(|| {
            QraError::invalid(
                format!("installations['{}'].pressure_pa", inst.id),
                "missing",
                format!("{need} {context}"),
            )
        })
    };
    Ok(match phase_of(inst, s) {
        Phase::Gas => {
            source::gas_discharge(
                area_m2,
                pressure("needed for a gas release")?,
                t,
                s.molar_mass_kg_mol()?,
                s.heat_capacity_ratio()?,
                STANDARD_PRESSURE_PA,
                CD,
            )?
            .rate_kg_s
        }
        Phase::TwoPhase => {
            let psat = s.vapour_pressure_pa(t)?;
            let p = inst.pressure_pa.unwrap_or(psat).max(psat);
            source::two_phase_discharge(
                area_m2,
                t,
                p,
                psat,
                s.liquid_density_kg_m3()?,
                s.heat_of_vaporisation_j_kg()?,
                s.cp_liquid_j_kg_k()?,
                s.molar_mass_kg_mol()?,
                s.normal_boiling_point_k()?,
                CD,
            )?
            .rate_kg_s
        }
        Phase::Liquid => source::liquid_discharge(
            area_m2,
            s.liquid_density_kg_m3()?,
            pressure(
                "needed for a liquid release: the absolute pressure at the hole (gas space + \
                 static head)",
            )?,
            STANDARD_PRESSURE_PA,
            0.0,
            CD,
        )?,
    })
}
