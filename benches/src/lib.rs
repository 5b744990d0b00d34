//! Criterion benchmarks of qra live in `benches/benches/`; run them with `make bench`.
