//! The review session.
