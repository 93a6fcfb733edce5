//! The built-in gazetteer and the cache's own `gazetteer.json`.
use crate::model::Gazetteer;

/// The built-in arms-transfer vocabulary (`assets/gazetteer.json`).
pub fn builtin() -> Gazetteer {
    Gazetteer::default()
}
