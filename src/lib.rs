//! doctriage: offline triage of leaked-document caches against a news article.
//!
//! The core (this crate's modules other than `gui`, `cli` and `workspace`) reads a cache folder
//! without ever writing it, suggests each record's date, sender and equipment with the exact text
//! they came from, keeps the analyst's review as a session of commands, and exports findings.
//! [`workspace`] is the application layer: the use cases the window in [`gui`] and the command
//! line in [`cli`] both call, so that both apply the same [`session::Command`] values through the
//! same flows. `ARCHITECTURE.md` names the file of each behaviour.
//!
//! The names most callers need are re-exported here:
//!
//! ```no_run
//! use doctriage::{Command, Format, Status, Workspace};
//!
//! # fn main() -> Result<(), doctriage::WorkspaceError> {
//! let mut ws = Workspace::open_session(std::path::Path::new("review.json"))?;
//! ws.apply(Command::SetStatus { doc: "letters/letter_2018_06_05.txt".into(), status: Status::Key })?;
//! ws.save()?;
//! let summary = ws.export(std::path::Path::new("findings.json"), Format::Json)?;
//! println!("{} of {} statements supported", summary.supported, summary.statements);
//! # Ok(())
//! # }
//! ```
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
pub mod ocr;
pub mod prefs;
pub mod search;
pub mod session;
pub mod threads;
pub mod tool;
pub mod workspace;

pub use export::Format;
pub use model::*;
pub use session::{ClaimStatus, Command, Editor, Field, Link, Quote, Relation, Session, Status};
pub use workspace::{Workspace, WorkspaceError};

/// SHA-256 of bytes as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The bundled sample cache (synthetic), opened when no folder is given.
pub fn sample_cache_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cache")
}
