//! Cyrillic/Latin and case folding with an offset map back to the original text.
