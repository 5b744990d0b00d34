//! The written tolerance policy (after `statrs::prec`): every test that compares a model with an
//! outside reference uses one of these named relative tolerances and says why it applies.

/// Exact arithmetic identities and round trips (serde, unit conversions): 1e-12.
pub const EXACT: f64 = 1e-12;

/// The grid against the exact evaluation of the same footprints (`risk_at`, the population
/// times the grid): the engine stores each installation's merged direction rasters in single
/// precision (`risk::engine`, summed in double first), so a node's value is rounded once, by at
/// most 2⁻²⁴ of itself, and the grid's bilinear reading of four nodes (a convex combination)
/// by at most 2⁻²⁴ of the largest of them; 2⁻²³ (f32's epsilon) allows for the double-precision
/// sums on top. Relative to the largest value compared.
pub const SINGLE_PRECISION: f64 = f32::EPSILON as f64;

/// Closed-form equations re-evaluated against a published worked example that prints 3–4
/// significant figures: 0.5 %.
pub const WORKED_EXAMPLE: f64 = 5e-3;

/// Values read from handbook data tables (boiling points, heats of combustion): 1 %.
pub const DATA_TABLE: f64 = 1e-2;

/// A tabulated model against the exact model it tabulates (interpolation in a table of the
/// model's own values on its dimensionless parameters, issue 14): 1 % of the value — within the
/// 1 % of handbook data and far inside the uncertainty of the models themselves.
pub const TABULATED_MODEL: f64 = 1e-2;

/// Correlations fitted to other correlations (Antoine fits of vapour pressure): 3 %.
pub const PROPERTY_FIT: f64 = 3e-2;

/// Curves digitised from published figures (blast charts, BST curves): 10 %.
pub const DIGITISED_CURVE: f64 = 0.10;

/// Absolute tolerance on projected coordinates against PROJ/pyproj, m (1 mm: proj4rs aims at
/// 1e-6 m agreement with PROJ; 1 mm is far below any risk-map resolution).
pub const PROJECTION_M: f64 = 1e-3;
