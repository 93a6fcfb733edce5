//! `ingest::parse_file` on a `.txt` file (header block, encodings): never panics; see `check` in fuzz/checks.rs for what else is asserted.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod checks {
    include!("../checks.rs");
}

fuzz_target!(|data: &[u8]| checks::check("parse_text", data));
