//! Park-level tools: major-hazard identification and grading (GB 18218-2018), risk capacity and
//! park risk level, domino escalation. Park aggregation and what-if analysis build on the risk
//! engine.

pub mod capacity;
pub mod domino;
pub mod major_hazard;
