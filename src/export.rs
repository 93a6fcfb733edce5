//! Findings export.
