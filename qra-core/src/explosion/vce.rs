//! Vapour-cloud explosions (VCE): the choice among the blast models of this family — TNT
//! equivalence ([`TntBlast`]), TNO multi-energy ([`MultiEnergy`]) and Baker–Strehlow–Tang
//! ([`BakerStrehlowTang`]) — behind one trait, [`BlastSource`].
//!
//! # Energy and charge
//! * TNT equivalence: W_TNT = η·m·ΔH_c/E_TNT with yield η = [`VCE_TNT_YIELD`] of the flammable
//!   mass m ([`super::tnt_mass_vce_kg`]; CCPS 2010 / Yellow Book (CPR 14E) ch. 5: η = 0.03–0.04
//!   for hydrocarbons \[M\]).
//! * Multi-energy and BST: E = V·3.5 MJ/m³ of the congested volume V when given (AQ/T 3046 eq.
//!   E.60 \[S\], [`MULTI_ENERGY_DENSITY_J_M3`]), else the combustion energy m·ΔH_c of the whole
//!   flammable mass (the cloud treated as one blast source — conservative). BST doubles E for
//!   the ground reflection of a ground-level cloud ([`BST_GROUND_REFLECTION`]).
//!
//! A [`VceModel`] is valid by construction ([`VceModel::multi_energy`], [`VceModel::bst`]): the
//! study file is parsed into it, and [`VceBlast::new`] cannot meet an unchecked option.

use super::bst::{BakerStrehlowTang, BST_GROUND_REFLECTION};
use super::bst_flame_speed::{flame_speed, Confinement, Congestion, Reactivity};
use super::multi_energy::{MultiEnergy, MULTI_ENERGY_DENSITY_J_M3};
use super::{tnt_mass_vce_kg, TntBlast};
use crate::error::{check, QraError, Result};

/// Explosion yield η of TNT equivalence for vapour-cloud explosions \[M\] (CCPS 2010 / Yellow
/// Book: 0.03–0.04 for hydrocarbons).
pub const VCE_TNT_YIELD: f64 = 0.03;

/// A blast source: peak side-on overpressure against distance from its centre.
pub trait BlastSource {
    /// Peak side-on overpressure at `distance_m` from the centre, Pa.
    fn overpressure_pa(&self, distance_m: f64) -> f64;
    /// Distance (m) beyond which the overpressure is below `overpressure_pa`.
    fn reach_m(&self, overpressure_pa: f64) -> f64;
}

macro_rules! blast_source {
    ($t:ty) => {
        impl BlastSource for $t {
            fn overpressure_pa(&self, distance_m: f64) -> f64 {
                <$t>::overpressure_pa(self, distance_m)
            }
            fn reach_m(&self, overpressure_pa: f64) -> f64 {
                <$t>::reach_m(self, overpressure_pa)
            }
        }
    };
}
blast_source!(TntBlast);
blast_source!(MultiEnergy);
blast_source!(BakerStrehlowTang);

/// Flame speed of a BST blast: a flame Mach number, or the three classes of the flame-speed
/// table (Pierorazio et al. 2005 \[S\], [`flame_speed`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BstFlame {
    /// Flame Mach number, in [`BakerStrehlowTang::MACH_RANGE`].
    Mach(f64),
    /// Table classes whose flame Mach number lies in [`BakerStrehlowTang::MACH_RANGE`].
    Classes {
        /// Fuel reactivity.
        reactivity: Reactivity,
        /// Congestion.
        congestion: Congestion,
        /// Confinement (not 1-D: not yet).
        confinement: Confinement,
    },
}

impl BstFlame {
    /// The flame Mach number.
    pub fn mach(self) -> f64 {
        match self {
            BstFlame::Mach(m) => m,
            // Checked when made (`VceModel::bst`): the table has the entry.
            BstFlame::Classes {
                reactivity,
                congestion,
                confinement,
            } => flame_speed(reactivity, congestion, confinement).map_or(f64::NAN, |f| f.mach),
        }
    }
}

/// The blast model of a VCE outcome with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum VceModel {
    /// TNT equivalence with Kingery–Bulmash curves (yield [`VCE_TNT_YIELD`]).
    #[default]
    Tnt,
    /// TNO multi-energy curves.
    MultiEnergy {
        /// Blast strength class, 1 (weak deflagration) … 10 (detonation).
        strength: u8,
        /// Congested volume, m³ (`None`: the combustion energy of the flammable mass).
        confined_volume_m3: Option<f64>,
    },
    /// Baker–Strehlow–Tang curves.
    Bst {
        /// Flame speed.
        flame: BstFlame,
        /// Congested volume, m³ (`None`: the combustion energy of the flammable mass).
        confined_volume_m3: Option<f64>,
    },
}

impl VceModel {
    /// The multi-energy model.
    ///
    /// # Errors
    /// `strength` outside 1–10; a non-positive or non-finite volume.
    pub fn multi_energy(strength: u8, confined_volume_m3: Option<f64>) -> Result<VceModel> {
        if !(1..=10).contains(&strength) {
            return Err(QraError::invalid(
                "strength",
                strength,
                "must be in [1, 10]",
            ));
        }
        if let Some(v) = confined_volume_m3 {
            check::positive("confined_volume_m3", v)?;
        }
        Ok(VceModel::MultiEnergy {
            strength,
            confined_volume_m3,
        })
    }

    /// The BST model.
    ///
    /// # Errors
    /// A flame Mach number outside [`BakerStrehlowTang::MACH_RANGE`] (given, or from the table);
    /// [`QraError::NotImplemented`] for 1-D confinement; a non-positive volume.
    pub fn bst(flame: BstFlame, confined_volume_m3: Option<f64>) -> Result<VceModel> {
        let (lo, hi) = BakerStrehlowTang::MACH_RANGE;
        match flame {
            BstFlame::Mach(m) => {
                check::in_range("flame_mach", m, lo, hi)?;
            }
            BstFlame::Classes {
                reactivity,
                congestion,
                confinement,
            } => {
                let m = flame_speed(reactivity, congestion, confinement)?.mach;
                if !(lo..=hi).contains(&m) {
                    return Err(QraError::invalid(
                        "congestion",
                        format!("{congestion:?} (reactivity {reactivity:?}, {confinement:?}: flame Mach {m})"),
                        format!("the table's flame Mach number is outside the BST curves available to qra [{lo}, {hi}]; give flame_mach"),
                    ));
                }
            }
        }
        if let Some(v) = confined_volume_m3 {
            check::positive("confined_volume_m3", v)?;
        }
        Ok(VceModel::Bst {
            flame,
            confined_volume_m3,
        })
    }

    /// The study-file name of the model.
    pub fn name(&self) -> &'static str {
        match self {
            VceModel::Tnt => "tnt",
            VceModel::MultiEnergy { .. } => "multi-energy",
            VceModel::Bst { .. } => "bst",
        }
    }
}

/// The blast of a vapour-cloud explosion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VceBlast {
    /// TNT equivalence with Kingery–Bulmash curves.
    Tnt(TntBlast),
    /// TNO multi-energy curves.
    MultiEnergy(MultiEnergy),
    /// Baker–Strehlow–Tang curves.
    Bst(BakerStrehlowTang),
}

impl VceBlast {
    /// The blast of `model` for a fuel of heat of combustion `heat_of_combustion_j_kg` (J/kg);
    /// `flammable_mass_kg` is asked only when the model needs the mass (see the module docs).
    /// `None` when there is no flammable mass or energy.
    ///
    /// # Errors
    /// Errors of `flammable_mass_kg` and of the blast models' constructors.
    pub fn new(
        model: &VceModel,
        heat_of_combustion_j_kg: f64,
        flammable_mass_kg: impl FnOnce() -> Result<f64>,
    ) -> Result<Option<VceBlast>> {
        let energy_j = |volume: Option<f64>,
                        mass: Box<dyn FnOnce() -> Result<f64> + '_>|
         -> Result<f64> {
            Ok(match volume {
                Some(v) => check::positive("confined_volume_m3", v)? * MULTI_ENERGY_DENSITY_J_M3,
                None => mass()? * heat_of_combustion_j_kg,
            })
        };
        Ok(match *model {
            VceModel::Tnt => {
                let m = flammable_mass_kg()?;
                if m <= 0.0 {
                    return Ok(None);
                }
                let w = tnt_mass_vce_kg(VCE_TNT_YIELD, m, heat_of_combustion_j_kg)?;
                Some(VceBlast::Tnt(TntBlast::new(w)?))
            }
            VceModel::MultiEnergy {
                strength,
                confined_volume_m3,
            } => {
                let e = energy_j(confined_volume_m3, Box::new(flammable_mass_kg))?;
                if e <= 0.0 {
                    return Ok(None);
                }
                Some(VceBlast::MultiEnergy(MultiEnergy::new(
                    e,
                    u32::from(strength),
                )?))
            }
            VceModel::Bst {
                flame,
                confined_volume_m3,
            } => {
                let mach = flame.mach();
                let e = energy_j(confined_volume_m3, Box::new(flammable_mass_kg))?;
                if e <= 0.0 {
                    return Ok(None);
                }
                Some(VceBlast::Bst(BakerStrehlowTang::new(
                    BST_GROUND_REFLECTION * e,
                    mach,
                )?))
            }
        })
    }
}

impl BlastSource for VceBlast {
    fn overpressure_pa(&self, distance_m: f64) -> f64 {
        match self {
            VceBlast::Tnt(b) => b.overpressure_pa(distance_m),
            VceBlast::MultiEnergy(b) => b.overpressure_pa(distance_m),
            VceBlast::Bst(b) => b.overpressure_pa(distance_m),
        }
    }

    fn reach_m(&self, overpressure_pa: f64) -> f64 {
        match self {
            VceBlast::Tnt(b) => b.reach_m(overpressure_pa),
            VceBlast::MultiEnergy(b) => b.reach_m(overpressure_pa),
            VceBlast::Bst(b) => b.reach_m(overpressure_pa),
        }
    }
}
