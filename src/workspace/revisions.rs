//! One invalidation mechanism for everything derived from an open review.
//!
//! Each source of data — the documents of the cache, the suggestions computed for them, the
//! session — carries a revision that changes whenever the source changes, and never takes a
//! value it had before in this process (a new cache, a new session, a recovered autosave all get
//! fresh numbers). Whatever is derived (the list, the facet counts, the claim ledger, the
//! reviewed count, the search index's copy of the review) is stored with the [`Revisions`] it was
//! computed from and recomputed when they differ. Nothing else is checked.

use std::sync::atomic::{AtomicU64, Ordering};

/// A fresh revision number: never returned before in this process.
pub fn next_revision() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One state of the session being edited: the editor (a new one for every session opened,
/// created or recovered) and its revision (every edit, undo and redo).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SessionStamp {
    /// [`crate::session::Editor::id`].
    pub editor: u64,
    /// [`crate::session::Editor::revision`].
    pub revision: u64,
}

impl SessionStamp {
    /// True when `self` is the state right after `before` in the same editor (one edit, undo or
    /// redo), so that what changed can be taken from [`crate::session::Editor::last_change`].
    pub fn follows(self, before: SessionStamp) -> bool {
        self.editor == before.editor && before.revision + 1 == self.revision
    }
}

/// The revisions of the sources of an open review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Revisions {
    /// The documents of the cache: a batch read, a cache loaded or opened.
    pub documents: u64,
    /// The suggestions computed for the documents.
    pub suggestions: u64,
    /// The session being edited.
    pub session: SessionStamp,
}

/// A value derived from some revisions (or anything else comparable), kept until they change.
#[derive(Debug)]
pub struct Derived<K, V> {
    key: Option<K>,
    value: V,
}

impl<K: PartialEq, V: Default> Default for Derived<K, V> {
    fn default() -> Self {
        Self {
            key: None,
            value: V::default(),
        }
    }
}

impl<K: PartialEq, V> Derived<K, V> {
    /// The value, recomputed with `compute` when it was computed for another key.
    pub fn get_or_update(&mut self, key: K, compute: impl FnOnce() -> V) -> &V {
        if self.key.as_ref() != Some(&key) {
            self.value = compute();
            self.key = Some(key);
        }
        &self.value
    }

    /// True when the value was computed for `key`.
    pub fn is_fresh(&self, key: &K) -> bool {
        self.key.as_ref() == Some(key)
    }

    /// The value as last computed (possibly for an older key).
    pub fn value(&self) -> &V {
        &self.value
    }

    /// Stores a value computed elsewhere for `key`.
    pub fn set(&mut self, key: K, value: V) {
        self.key = Some(key);
        self.value = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_never_reused() {
        let a = next_revision();
        let b = next_revision();
        assert!(b > a);
    }

    #[test]
    fn derived_recomputes_only_for_a_new_key() {
        let mut d: Derived<u64, usize> = Derived::default();
        let mut calls = 0;
        for key in [1, 1, 2, 2, 1] {
            d.get_or_update(key, || {
                calls += 1;
                calls
            });
        }
        assert_eq!(calls, 3);
        assert_eq!(*d.value(), 3);
        assert!(d.is_fresh(&1));
        assert!(!d.is_fresh(&2));
    }

    #[test]
    fn a_stamp_follows_only_its_own_editor() {
        let a = SessionStamp {
            editor: 1,
            revision: 4,
        };
        assert!(
            SessionStamp {
                editor: 1,
                revision: 5
            }
            .follows(a)
        );
        assert!(
            !SessionStamp {
                editor: 2,
                revision: 5
            }
            .follows(a)
        );
        assert!(
            !SessionStamp {
                editor: 1,
                revision: 6
            }
            .follows(a)
        );
    }
}
