//! TNT blast parameters: Kingery & Bulmash (1984) as simplified by Swisdak (1994).
//!
//! Source: M. M. Swisdak, *Simplified Kingery Airblast Calculations*, 26th DoD Explosives Safety
//! Seminar, Miami, Aug 1994 — hemispherical surface burst of TNT, metric form. Each parameter is
//! Y = exp(A + B·L + C·L² + D·L³ + E·L⁴ + F·L⁵ + G·L⁶), L = ln Z, Z = R/W^(1/3) in m/kg^(1/3).
//! Coefficients as transcribed in shared/reference/models.md §3.2 from the PyPI package
//! `kingery-bulmash` 1.0.1 \[S\] (cross-checked against that package in the tests).
//!
//! | parameter | unit of Y | Z range, m/kg^(1/3) |
//! |---|---|---|
//! | incident overpressure P_so | kPa | 0.2 – 198.5 |
//! | reflected overpressure P_r | kPa | 0.06 – 40 |
//! | incident impulse i_s/W^(1/3) | kPa·ms/kg^(1/3) | 0.2 – 158.7 |
//! | reflected impulse i_r/W^(1/3) | kPa·ms/kg^(1/3) | 0.06 – 40 |
//! | arrival time t_a/W^(1/3) | ms/kg^(1/3) | 0.06 – 40 |
//! | positive-phase duration t₊/W^(1/3) | ms/kg^(1/3) | 0.2 – 40 |
//! | shock-front velocity U | km/s | 0.06 – 40 |
//!
//! # Outside the fitted ranges (explicit policy, no silent clamping)
//! * **Near field** (Z below the lowest fitted Z): every parameter is **held** at its value at the
//!   lowest fitted Z (a documented plateau: the fits are not valid inside the fireball).
//! * **Far field** (Z above the highest fitted Z): overpressures and impulses decay **acoustically,
//!   ∝ 1/Z** from their value at the end of the range; the arrival time grows at the ambient sound
//!   speed (340 m/s): t_a(Z) = t_a(Z_max) + (Z − Z_max)/0.340 ms/kg^(1/3); duration and shock
//!   velocity are held at their end values (U → sound speed).
//!
//! The segment fits meet with jumps of a few per cent at their boundaries (Swisdak's fits are
//! independent per segment); tests bound these jumps.

/// One piecewise fit: segments (z_lo, z_hi, coefficients).
struct Fit {
    segs: &'static [(f64, f64, &'static [f64])],
}

impl Fit {
    fn z_min(&self) -> f64 {
        self.segs[0].0
    }
    fn z_max(&self) -> f64 {
        self.segs[self.segs.len() - 1].1
    }
    /// Raw fit inside [z_min, z_max] (caller guarantees range).
    fn raw(&self, z: f64) -> f64 {
        let l = z.ln();
        let mut coeffs = self.segs[self.segs.len() - 1].2;
        for (_, hi, c) in self.segs {
            if z <= *hi {
                coeffs = c;
                break;
            }
        }
        // Horner in L.
        let mut acc = 0.0;
        for c in coeffs.iter().rev() {
            acc = acc * l + c;
        }
        acc.exp()
    }
}

const PSO: Fit = Fit {
    segs: &[
        (0.2, 2.9, &[7.2106, -2.1069, -0.3229, 0.1117, 0.0685]),
        (2.9, 23.8, &[7.5938, -3.0523, 0.40977, 0.0261, -0.01267]),
        (23.8, 198.5, &[6.0536, -1.4066]),
    ],
};
const PR: Fit = Fit {
    segs: &[
        (
            0.06,
            2.0,
            &[9.006, -2.6893, -0.6295, 0.1011, 0.29255, 0.13505, 0.019736],
        ),
        (
            2.0,
            40.0,
            &[8.8396, -1.733, -2.64, 2.293, -0.8232, 0.14247, -0.0099],
        ),
    ],
};
const IS: Fit = Fit {
    segs: &[
        (0.2, 0.96, &[5.522, 1.117, 0.6, -0.292, -0.087]),
        (0.96, 2.38, &[5.465, -0.308, -1.464, 1.362, -0.432]),
        (2.38, 33.7, &[5.2749, -0.4677, -0.2499, 0.0588, -0.00554]),
        (33.7, 158.7, &[5.9825, -1.062]),
    ],
};
const IR: Fit = Fit {
    segs: &[(0.06, 40.0, &[6.7853, -1.3466, 0.101, -0.01123])],
};
const TA: Fit = Fit {
    segs: &[
        (
            0.06,
            1.5,
            &[-0.7604, 1.8058, 0.1257, -0.0437, -0.0310, -0.00669],
        ),
        (
            1.5,
            40.0,
            &[-0.7137, 1.5732, 0.5561, -0.4213, 0.1054, -0.00929],
        ),
    ],
};
const TD: Fit = Fit {
    segs: &[
        (
            0.2,
            1.02,
            &[0.5426, 3.2299, -1.5931, -5.9667, -4.0815, -0.9149],
        ),
        (
            1.02,
            2.8,
            &[0.5440, 2.7082, -9.7354, 14.3425, -9.7791, 2.8535],
        ),
        (
            2.8,
            40.0,
            &[-2.4608, 7.1639, -5.6215, 2.2711, -0.44994, 0.03486],
        ),
    ],
};
const U: Fit = Fit {
    segs: &[
        (
            0.06,
            1.5,
            &[0.1794, -0.956, -0.0866, 0.109, 0.0699, 0.01218],
        ),
        (
            1.5,
            40.0,
            &[0.2597, -1.326, 0.3767, 0.0396, -0.0351, 0.00432],
        ),
    ],
};

/// Far-field behaviour of one parameter.
#[derive(Clone, Copy)]
enum Far {
    Acoustic,
    SoundSpeedTime,
    Hold,
}

fn eval(fit: &Fit, z: f64, far: Far) -> f64 {
    if z.is_nan() {
        return 0.0;
    }
    if z <= fit.z_min() {
        return fit.raw(fit.z_min());
    }
    let zm = fit.z_max();
    if z <= zm {
        return fit.raw(z);
    }
    let end = fit.raw(zm);
    match far {
        Far::Acoustic => {
            if z.is_infinite() {
                0.0
            } else {
                end * zm / z
            }
        }
        Far::SoundSpeedTime => end + (z - zm) / 0.340,
        Far::Hold => end,
    }
}

/// Blast parameters at one point (SI units).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BlastParameters {
    /// Scaled distance Z = R/W^(1/3), m/kg^(1/3).
    pub scaled_distance: f64,
    /// Peak incident (side-on) overpressure, Pa.
    pub incident_overpressure_pa: f64,
    /// Peak normally reflected overpressure, Pa.
    pub reflected_overpressure_pa: f64,
    /// Incident positive-phase impulse, Pa·s.
    pub incident_impulse_pa_s: f64,
    /// Reflected positive-phase impulse, Pa·s.
    pub reflected_impulse_pa_s: f64,
    /// Arrival time, s.
    pub arrival_time_s: f64,
    /// Positive-phase duration, s.
    pub duration_s: f64,
    /// Shock-front velocity, m/s.
    pub shock_velocity_m_s: f64,
}

/// Incident overpressure (Pa) at scaled distance `z` (m/kg^(1/3)); policy outside the range in the
/// module docs. `z` ≤ 0 or NaN behaves as the near-field plateau / 0 respectively; never NaN.
pub fn incident_overpressure_pa(z: f64) -> f64 {
    eval(&PSO, z, Far::Acoustic) * 1e3
}

/// Scaled incident impulse i_s/W^(1/3), Pa·s/kg^(1/3).
pub fn scaled_incident_impulse(z: f64) -> f64 {
    eval(&IS, z, Far::Acoustic)
}

/// All parameters for `tnt_mass_kg` (> 0, validated by the caller) at `distance_m` (≥ 0).
pub fn blast_parameters(tnt_mass_kg: f64, distance_m: f64) -> BlastParameters {
    let w3 = tnt_mass_kg.cbrt();
    let z = distance_m / w3;
    BlastParameters {
        scaled_distance: z,
        incident_overpressure_pa: eval(&PSO, z, Far::Acoustic) * 1e3,
        reflected_overpressure_pa: eval(&PR, z, Far::Acoustic) * 1e3,
        // kPa·ms = Pa·s.
        incident_impulse_pa_s: eval(&IS, z, Far::Acoustic) * w3,
        reflected_impulse_pa_s: eval(&IR, z, Far::Acoustic) * w3,
        arrival_time_s: eval(&TA, z, Far::SoundSpeedTime) * w3 * 1e-3,
        duration_s: eval(&TD, z, Far::Hold) * w3 * 1e-3,
        shock_velocity_m_s: eval(&U, z, Far::Hold) * 1e3,
    }
}

/// The segment boundaries of every fit (for continuity tests): (name, z).
pub fn segment_boundaries() -> Vec<(&'static str, f64)> {
    let mut v = Vec::new();
    for (name, fit) in [
        ("pso", &PSO),
        ("pr", &PR),
        ("is", &IS),
        ("ta", &TA),
        ("td", &TD),
        ("u", &U),
    ] {
        for w in fit.segs.windows(2) {
            v.push((name, w[0].1));
        }
    }
    v
}

/// Raw value of a named fit just below and just above `z` (for continuity tests).
pub fn jump_at(name: &str, z: f64) -> (f64, f64) {
    let fit = match name {
        "pso" => &PSO,
        "pr" => &PR,
        "is" => &IS,
        "ta" => &TA,
        "td" => &TD,
        _ => &U,
    };
    (fit.raw(z * (1.0 - 1e-12)), fit.raw(z * (1.0 + 1e-9)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// Values computed with the independent PyPI package `kingery-bulmash` 1.0.1 (MIT; installed
    /// with `pip install --ignore-requires-python kingery-bulmash`):
    /// `kb.Blast_Parameters(unit_system=kb.Units.METRIC, neq=W, distance=R)` — fields
    /// incident_pressure (kPa), incident_impulse (kPa·ms), reflected_pressure (kPa),
    /// time_of_arrival (ms), positive_phase_duration (ms). Same Swisdak (1994) fits, so agreement
    /// should be to rounding (tolerance WORKED_EXAMPLE, 0.5 %).
    #[test]
    fn against_kingery_bulmash_package() {
        use crate::tolerance::WORKED_EXAMPLE as TOL;
        for &(w, r, pso_kpa, is_kpa_ms, pr_kpa, ta_ms, td_ms) in KB_PACKAGE {
            let b = blast_parameters(w, r);
            assert_relative_eq!(
                b.incident_overpressure_pa,
                pso_kpa * 1e3,
                max_relative = TOL
            );
            assert_relative_eq!(b.incident_impulse_pa_s, is_kpa_ms, max_relative = TOL);
            if b.scaled_distance <= 40.0 {
                assert_relative_eq!(
                    b.reflected_overpressure_pa,
                    pr_kpa * 1e3,
                    max_relative = TOL
                );
                assert_relative_eq!(b.arrival_time_s, ta_ms * 1e-3, max_relative = TOL);
                assert_relative_eq!(b.duration_s, td_ms * 1e-3, max_relative = TOL);
            }
        }
    }

    include!("kb_package_values.rs");

    #[test]
    fn continuity_at_segment_boundaries() {
        // Swisdak's segments are fitted independently: the jumps are small but not zero.
        for (name, z) in segment_boundaries() {
            let (a, b) = jump_at(name, z);
            assert!(
                (b / a - 1.0).abs() < 0.05,
                "{name} jumps by {} at Z = {z}",
                b / a - 1.0
            );
        }
    }

    #[test]
    fn far_field_is_acoustic_and_monotone() {
        let p1 = incident_overpressure_pa(400.0);
        let p2 = incident_overpressure_pa(800.0);
        assert_relative_eq!(p1 / p2, 2.0, max_relative = 1e-12);
        // Continuous at the end of the range.
        let end = incident_overpressure_pa(198.5);
        assert_relative_eq!(
            incident_overpressure_pa(198.5 * (1.0 + 1e-9)),
            end,
            max_relative = 1e-6
        );
        let mut last = f64::INFINITY;
        let mut z = 0.05;
        while z < 1e4 {
            let p = incident_overpressure_pa(z);
            assert!(p <= last * (1.0 + 0.05), "not decreasing at {z}");
            assert!(p.is_finite() && p >= 0.0);
            last = p;
            z *= 1.05;
        }
        assert_eq!(incident_overpressure_pa(f64::INFINITY), 0.0);
        // Near field: plateau at the Z = 0.2 value.
        assert_eq!(
            incident_overpressure_pa(0.01),
            incident_overpressure_pa(0.2)
        );
    }

    #[test]
    fn handbook_point() {
        // models.md / shared/data/bst_curves/README.md: Kingery–Bulmash gives 295.9 kPa·ms for
        // 10 t TNT at 500 m (incident impulse).
        let b = blast_parameters(1e4, 500.0);
        assert_relative_eq!(
            b.incident_impulse_pa_s,
            295.9,
            max_relative = crate::tolerance::WORKED_EXAMPLE
        );
    }
}
