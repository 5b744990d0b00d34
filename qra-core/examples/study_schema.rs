//! Prints the JSON Schema of the study file `qra-study/1` (the committed copy is
//! `models/schema/qra-study-1.schema.json`):
//!
//! ```sh
//! cargo run -p qra-core --example study_schema > models/schema/qra-study-1.schema.json
//! ```

fn main() {
    print!("{}", qra_core::risk::study::study_json_schema_text());
}
