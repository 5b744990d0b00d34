//! Flash fire: the Purple Book / AQ/T 3046 lethality rule on a cloud footprint.
//!
//! Rule (Purple Book CPR 18E 1999 §4.7 \[M\]; AQ/T 3046-2013 cl. 10.4.1 as cited in standards.md
//! §3.1 \[S\]): a person **outdoors inside the LFL envelope** of the cloud at ignition dies
//! (P = 1); outside it P = 0; **indoors P = 0**.
//!
//! The footprint is given in the cloud's frame (x downwind from the source, y crosswind) as the
//! half-width of the LFL contour at ground level versus x — from another model (dispersion). It may
//! be a table of (x, half_width) with linear interpolation ([`FlashFire::from_table`]), or any
//! closure ([`lethality_with_footprint`]).

use crate::error::{check, QraError, Result};

/// A flash-fire envelope given as a table of (x, half-width).
#[derive(Debug, Clone, PartialEq)]
pub struct FlashFire {
    x_m: Vec<f64>,
    half_width_m: Vec<f64>,
}

impl FlashFire {
    /// From a table: `x_m` strictly increasing (≥ 2 points), `half_width_m` ≥ 0, same length.
    pub fn from_table(x_m: Vec<f64>, half_width_m: Vec<f64>) -> Result<Self> {
        if x_m.len() != half_width_m.len() || x_m.len() < 2 {
            return Err(QraError::invalid(
                "x_m/half_width_m",
                format!("lengths {}/{}", x_m.len(), half_width_m.len()),
                "must have the same length, at least 2",
            ));
        }
        check::all_finite("x_m", &x_m)?;
        check::all_finite("half_width_m", &half_width_m)?;
        check::all_non_negative("half_width_m", &half_width_m)?;
        for i in 1..x_m.len() {
            if x_m[i] <= x_m[i - 1] {
                return Err(QraError::invalid(
                    format!("x_m[{i}]"),
                    x_m[i],
                    format!("must be > x_m[{}] = {}", i - 1, x_m[i - 1]),
                ));
            }
        }
        Ok(FlashFire { x_m, half_width_m })
    }

    /// Half-width (m) of the envelope at `x` (linear interpolation, 0 outside the table).
    pub fn half_width_m(&self, x: f64) -> f64 {
        let n = self.x_m.len();
        if x.is_nan() || x < self.x_m[0] || x > self.x_m[n - 1] {
            return 0.0;
        }
        crate::numerics::interp_table(&self.x_m, &self.half_width_m, x)
    }

    /// Outdoor lethality at (x, y): 1 inside the envelope (|y| ≤ half-width(x)), else 0.
    pub fn lethality_outdoor(&self, x: f64, y: f64) -> f64 {
        lethality_with_footprint(|xx| self.half_width_m(xx), x, y)
    }

    /// Indoor lethality: 0 (Purple Book).
    pub fn lethality_indoor(&self, _x: f64, _y: f64) -> f64 {
        0.0
    }

    /// Reach, m: the largest distance from the source of any point of the envelope
    /// (max over the table vertices of √(x² + w²), exact for the piecewise-linear envelope).
    pub fn reach_m(&self) -> f64 {
        self.x_m
            .iter()
            .zip(&self.half_width_m)
            .map(|(x, w)| (x * x + w * w).sqrt())
            .fold(0.0, f64::max)
    }
}

/// Outdoor flash-fire lethality at (x, y) for a footprint given as a closure x ↦ half-width
/// (m): 1 if |y| ≤ half_width(x) and half_width(x) > 0, else 0. A NaN half-width counts as 0.
pub fn lethality_with_footprint(half_width: impl Fn(f64) -> f64, x: f64, y: f64) -> f64 {
    let w = half_width(x);
    if w > 0.0 && y.abs() <= w {
        1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope() {
        let f = FlashFire::from_table(vec![0.0, 50.0, 100.0], vec![5.0, 20.0, 0.0]).unwrap();
        assert_eq!(f.lethality_outdoor(25.0, 12.0), 1.0);
        assert_eq!(f.lethality_outdoor(25.0, 13.0), 0.0);
        assert_eq!(f.lethality_outdoor(-1.0, 0.0), 0.0);
        assert_eq!(f.lethality_outdoor(f64::NAN, 0.0), 0.0);
        assert_eq!(f.lethality_indoor(25.0, 0.0), 0.0);
        assert_eq!(f.reach_m(), 100.0);
        assert!(FlashFire::from_table(vec![0.0, 0.0], vec![1.0, 1.0]).is_err());
        assert!(FlashFire::from_table(vec![0.0, 1.0], vec![1.0, -1.0]).is_err());
        assert_eq!(lethality_with_footprint(|x| 10.0 - x, 5.0, 4.0), 1.0);
    }
}
