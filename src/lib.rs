//! doctriage: offline triage of leaked-document caches against a news article.
//!
//! The core (this crate's modules other than `gui`) reads a cache folder without ever writing it,
//! suggests each record's date, sender and equipment with the exact text they came from, keeps the
//! analyst's review as a session of commands, and exports findings. The window in [`gui`] and the
//! command line both apply the same [`session::Command`] values.
#![deny(missing_docs)]

pub mod article;
pub mod cli;
pub mod export;
pub mod extract;
/// Which documents the list shows, with how many per facet value, and in which order.
pub mod filter;
pub mod fold;
pub mod fsutil;
pub mod gazetteer;
pub mod gui;
pub mod ingest;
pub mod lock;
pub mod model;
pub mod search;
pub mod session;
pub mod workspace;

pub use model::*;

/// SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The bundled sample cache (synthetic), opened when no folder is given.
pub fn sample_cache_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cache")
}
