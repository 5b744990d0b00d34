//! Park-level tools: major-hazard identification and grading (GB 18218-2018); park aggregation,
//! risk capacity and domino effects build on the risk engine.

pub mod domino;
pub mod major_hazard;
