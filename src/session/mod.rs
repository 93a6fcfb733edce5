//! The review session: the analyst's tags and evidence links, edited only through [`Command`] values.
//!
//! One function, [`apply`], applies a command to a session; the window and the command line both
//! call it (through [`Editor`] for undo and redo), so the same actions give the same session.
//!
//! By concern: `types` holds the data ([`Session`], [`DocReview`], [`Link`], ...) and
//! [`SessionError`]; `store` the file ([`SESSION_SCHEMA`], [`Session::load`], [`Session::save`],
//! [`Session::verify`]); `commands` the edits ([`Command`], [`apply`]); `editor` undo and redo
//! ([`Editor`]); `ledger` the claim ledger ([`ledger`]); `quote` the quotes ([`quote_at`],
//! [`locate_quote`]). Everything is re-exported here: `doctriage::session::X` is the path to use.

mod commands;
mod conflict;
mod editor;
mod history;
mod json;
mod ledger;
mod merge;
mod quote;
mod store;
mod types;

pub use commands::{Command, accept_suggestions, apply, apply_as, link_command};
pub use conflict::{Choice, Conflict, ConflictEntry, Side, link_field};
pub use editor::{Editor, UNDO_LIMIT};
pub use history::{
    Change, HISTORY_LIMIT, REVIEW_FIELDS, Stamp, field_value, last_change, link_id, set_field,
};
pub use ledger::{ClaimStatus, Evidence, LedgerRow, ledger};
pub use merge::{MergeError, MergeOutcome, merge};
pub use quote::{locate_quote, quote_at, snap_to_words, trim_span};
pub use store::{
    MovedQuote, SESSION_SCHEMA, SESSION_SCHEMA_V1, SESSION_SCHEMA_V2, Verification,
    cache_reference, check_outside_cache, rfc3339,
};
pub use types::{DocReview, Field, Link, Quote, QuoteOcr, Relation, Session, SessionError, Status};
