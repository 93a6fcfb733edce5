//! Suggested tags: dates, senders and equipment, each with where it came from.
use crate::model::{Document, Gazetteer, Suggestions};

/// Suggestions for one document.
pub fn suggest(doc: &Document, gazetteer: &Gazetteer) -> Suggestions {
    let _ = (doc, gazetteer);
    Suggestions::default()
}
