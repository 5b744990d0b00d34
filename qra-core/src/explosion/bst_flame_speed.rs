//! Baker–Strehlow–Tang flame-speed table: flame Mach number Mf from confinement, congestion
//! (obstacle density) and fuel reactivity.
//!
//! Source: Pierorazio, A.J., Thomas, J.K., Baker, Q.A. & Ketchum, D.E. (2005), "An update to the
//! Baker–Strehlow–Tang vapor cloud explosion prediction methodology flame speed table", Process
//! Safety Progress 24(1), 59–65, Table (new flame-speed table), reproduced in CCPS (2010)
//! *Guidelines for Vapor Cloud Explosion, Pressure Vessel Burst, BLEVE and Flash Fire Hazards*,
//! 2nd ed., ch. 5. **Status \[S\]**: the original table was not available to qra; the values were
//! read in secondary sources — a public worked example (A. E. Farrell, "VCE Example – Butane
//! Vapour Cloud", 2021, citing CCPS 2010: Mf = 0.44 for medium reactivity, medium congestion,
//! 3-D) and a third-party implementation of the full 2-D / 2.5-D / 3-D table. Two internal
//! checks support them: the 2.5-D row is the mean of the 2-D and 3-D rows (the rule Pierorazio et
//! al. state for 2.5-D \[M\]) within the table's rounding, and Mf increases with congestion and
//! reactivity (tested).
//!
//! Entries marked DDT (high reactivity with medium or high congestion) mean a deflagration-to-
//! detonation transition is possible; the table then prescribes the detonation curve, Mf = 5.2.
//!
//! **Not yet:** the 1-D (tunnel, pipe) row — it could not be verified in any source available to
//! qra and gives [`QraError::NotImplemented`].
//!
//! Category definitions (CCPS 2010 \[S\], as quoted by Farrell 2021): reactivity by laminar burning
//! velocity — low < 45 cm/s (e.g. methane, CO), medium 45–75 cm/s (most hydrocarbons),
//! high above 75 cm/s (hydrogen, acetylene, ethylene oxide, propylene oxide; ethylene \[M\]); congestion by
//! blockage ratio — low < 10 % (one or two obstacle layers), medium 10–40 %, high > 40 % (three or
//! more closely spaced layers); confinement — 3-D unconfined, 2.5-D partial (frangible or
//! lightweight roof, tightly packed pipe racks), 2-D platforms / between parallel planes, 1-D
//! tunnels, corridors, sewers.

use crate::error::{QraError, Result};

/// Fuel reactivity class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reactivity {
    /// Laminar burning velocity < 45 cm/s (methane, carbon monoxide).
    Low,
    /// 45–75 cm/s (most hydrocarbons).
    Medium,
    /// Above 75 cm/s (hydrogen, acetylene, ethylene oxide).
    High,
}

/// Congestion (obstacle density) class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Congestion {
    /// Blockage ratio < 10 %, one or two obstacle layers.
    Low,
    /// 10–40 %, two or three layers.
    Medium,
    /// Above 40 %, three or more closely spaced layers.
    High,
}

/// Confinement (flame expansion) class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confinement {
    /// Planar expansion: tunnels, corridors, pipes (**not yet**: row unverified).
    OneD,
    /// Cylindrical expansion: between parallel planes (platforms, under vehicles).
    TwoD,
    /// Partial confinement: frangible / lightweight roof, tightly packed pipe racks.
    TwoAndHalfD,
    /// Unconfined spherical/hemispherical expansion.
    ThreeD,
}

impl Reactivity {
    /// The study-file name (`"low" | "medium" | "high"`).
    pub fn name(self) -> &'static str {
        match self {
            Reactivity::Low => "low",
            Reactivity::Medium => "medium",
            Reactivity::High => "high",
        }
    }
}

impl Congestion {
    /// The study-file name (`"low" | "medium" | "high"`).
    pub fn name(self) -> &'static str {
        match self {
            Congestion::Low => "low",
            Congestion::Medium => "medium",
            Congestion::High => "high",
        }
    }
}

impl Confinement {
    /// The study-file name (`"1D" | "2D" | "2.5D" | "3D"`).
    pub fn name(self) -> &'static str {
        match self {
            Confinement::OneD => "1D",
            Confinement::TwoD => "2D",
            Confinement::TwoAndHalfD => "2.5D",
            Confinement::ThreeD => "3D",
        }
    }
}

/// A flame-speed table entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlameSpeed {
    /// Flame Mach number (5.2 where the table says DDT).
    pub mach: f64,
    /// Whether the table flags a possible deflagration-to-detonation transition.
    pub ddt: bool,
}

/// Detonation flame Mach number prescribed for DDT entries.
pub const DDT_MACH: f64 = 5.2;

/// Rows [reactivity low, medium, high] × columns [congestion low, medium, high]; `None` = DDT.
type Row = [[Option<f64>; 3]; 3];

const TABLE_2D: Row = [
    [Some(0.079), Some(0.47), Some(0.66)],
    [Some(0.47), Some(0.66), Some(1.6)],
    [Some(0.59), None, None],
];
const TABLE_2_5D: Row = [
    [Some(0.053), Some(0.35), Some(0.50)],
    [Some(0.29), Some(0.55), Some(1.0)],
    [Some(0.47), None, None],
];
const TABLE_3D: Row = [
    [Some(0.026), Some(0.23), Some(0.34)],
    [Some(0.11), Some(0.44), Some(0.50)],
    [Some(0.36), None, None],
];

/// Flame Mach number for the given fuel reactivity, congestion and confinement (Pierorazio et
/// al. 2005 \[S\]; see the module docs). DDT entries return Mf = [`DDT_MACH`] with `ddt = true`.
///
/// Note: several entries (e.g. 3-D low/low, Mf = 0.026) are below the lowest BST blast curve
/// available to qra (Mf = 0.2); [`super::BakerStrehlowTang::new`] rejects them with a typed error.
///
/// # Errors
/// [`QraError::NotImplemented`] for [`Confinement::OneD`].
pub fn flame_speed(
    reactivity: Reactivity,
    congestion: Congestion,
    confinement: Confinement,
) -> Result<FlameSpeed> {
    let table = match confinement {
        Confinement::OneD => {
            return Err(QraError::not_yet(
                "BST flame-speed table, 1-D confinement row (not verified against Pierorazio et al. 2005)",
            ))
        }
        Confinement::TwoD => &TABLE_2D,
        Confinement::TwoAndHalfD => &TABLE_2_5D,
        Confinement::ThreeD => &TABLE_3D,
    };
    let i = match reactivity {
        Reactivity::Low => 0,
        Reactivity::Medium => 1,
        Reactivity::High => 2,
    };
    let j = match congestion {
        Congestion::Low => 0,
        Congestion::Medium => 1,
        Congestion::High => 2,
    };
    Ok(match table[i][j] {
        Some(mach) => FlameSpeed { mach, ddt: false },
        None => FlameSpeed {
            mach: DDT_MACH,
            ddt: true,
        },
    })
}

/// Parses "low" / "medium" / "high" (case-insensitive) for reactivity.
pub fn parse_reactivity(s: &str) -> Result<Reactivity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "low" => Ok(Reactivity::Low),
        "medium" => Ok(Reactivity::Medium),
        "high" => Ok(Reactivity::High),
        _ => Err(QraError::invalid(
            "reactivity",
            s,
            "must be one of low, medium, high",
        )),
    }
}

/// Parses "low" / "medium" / "high" (case-insensitive) for congestion.
pub fn parse_congestion(s: &str) -> Result<Congestion> {
    match s.trim().to_ascii_lowercase().as_str() {
        "low" => Ok(Congestion::Low),
        "medium" => Ok(Congestion::Medium),
        "high" => Ok(Congestion::High),
        _ => Err(QraError::invalid(
            "congestion",
            s,
            "must be one of low, medium, high",
        )),
    }
}

/// Parses "1D" / "2D" / "2.5D" / "3D" (case-insensitive) for confinement.
pub fn parse_confinement(s: &str) -> Result<Confinement> {
    match s.trim().to_ascii_uppercase().as_str() {
        "1D" => Ok(Confinement::OneD),
        "2D" => Ok(Confinement::TwoD),
        "2.5D" => Ok(Confinement::TwoAndHalfD),
        "3D" => Ok(Confinement::ThreeD),
        _ => Err(QraError::invalid(
            "confinement",
            s,
            "must be one of 1D, 2D, 2.5D, 3D",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: [Reactivity; 3] = [Reactivity::Low, Reactivity::Medium, Reactivity::High];
    const C: [Congestion; 3] = [Congestion::Low, Congestion::Medium, Congestion::High];

    #[test]
    fn farrell_2021_worked_example() {
        // Farrell (2021), butane (medium reactivity), medium congestion, 3-D: Mf = 0.44.
        let f = flame_speed(Reactivity::Medium, Congestion::Medium, Confinement::ThreeD).unwrap();
        assert_eq!(
            f,
            FlameSpeed {
                mach: 0.44,
                ddt: false
            }
        );
    }

    #[test]
    fn two_and_a_half_d_is_mean_of_2d_and_3d() {
        for (i, r) in R.iter().enumerate() {
            for (j, c) in C.iter().enumerate() {
                let f2 = flame_speed(*r, *c, Confinement::TwoD).unwrap();
                let f3 = flame_speed(*r, *c, Confinement::ThreeD).unwrap();
                let f25 = flame_speed(*r, *c, Confinement::TwoAndHalfD).unwrap();
                assert_eq!(f25.ddt, f2.ddt && f3.ddt, "{i} {j}");
                if !f25.ddt {
                    let mean = 0.5 * (f2.mach + f3.mach);
                    // The table rounds to two significant figures (1.05 → 1.0).
                    assert!(
                        (f25.mach / mean - 1.0).abs() < 0.06,
                        "{i} {j}: {} vs {mean}",
                        f25.mach
                    );
                }
            }
        }
    }

    #[test]
    fn monotone_in_congestion_reactivity_confinement() {
        for conf in [
            Confinement::ThreeD,
            Confinement::TwoAndHalfD,
            Confinement::TwoD,
        ] {
            for r in R {
                let m: Vec<f64> = C
                    .iter()
                    .map(|&c| flame_speed(r, c, conf).unwrap().mach)
                    .collect();
                assert!(m.windows(2).all(|w| w[1] >= w[0]), "{conf:?} {r:?}");
            }
            for c in C {
                let m: Vec<f64> = R
                    .iter()
                    .map(|&r| flame_speed(r, c, conf).unwrap().mach)
                    .collect();
                assert!(m.windows(2).all(|w| w[1] >= w[0]), "{conf:?} {c:?}");
            }
        }
        for r in R {
            for c in C {
                let m3 = flame_speed(r, c, Confinement::ThreeD).unwrap().mach;
                let m25 = flame_speed(r, c, Confinement::TwoAndHalfD).unwrap().mach;
                let m2 = flame_speed(r, c, Confinement::TwoD).unwrap().mach;
                assert!(m3 <= m25 && m25 <= m2);
            }
        }
    }

    #[test]
    fn ddt_and_errors() {
        let f = flame_speed(Reactivity::High, Congestion::High, Confinement::ThreeD).unwrap();
        assert!(f.ddt && f.mach == DDT_MACH);
        assert!(matches!(
            flame_speed(Reactivity::Low, Congestion::Low, Confinement::OneD),
            Err(QraError::NotImplemented { .. })
        ));
        assert_eq!(parse_confinement("2.5d").unwrap(), Confinement::TwoAndHalfD);
        assert_eq!(parse_reactivity("HIGH").unwrap(), Reactivity::High);
        assert!(parse_congestion("dense").is_err());
        assert!(parse_confinement("4D").is_err());
    }
}
