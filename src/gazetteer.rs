//! The built-in gazetteer and the cache's own `gazetteer.json`, and a matcher that finds
//! gazetteer names in text whatever their case, script (Cyrillic/Latin) or hyphenation.
use std::collections::HashMap;

use crate::fold::{fold, fold_with_map, is_dropped};
use crate::model::{Gazetteer, GazetteerEntry};

/// The built-in arms-transfer vocabulary (`assets/gazetteer.json`).
pub fn builtin() -> Gazetteer {
    parse(include_str!("../assets/gazetteer.json")).unwrap_or_default()
}

/// Parses a gazetteer file: `{"equipment": [{"name", "aliases", "category"}], "organisations": [...]}`.
pub fn parse(json: &str) -> Result<Gazetteer, serde_json::Error> {
    serde_json::from_str(json)
}

/// Merges `extra` into `base`: an entry of `extra` whose folded name equals the folded name of
/// an entry already there adds its aliases (and its category, if the existing one has none)
/// to it; any other entry is appended.
pub fn merge(base: Gazetteer, extra: Gazetteer) -> Gazetteer {
    Gazetteer {
        equipment: merge_list(base.equipment, extra.equipment),
        organisations: merge_list(base.organisations, extra.organisations),
    }
}

fn merge_list(mut base: Vec<GazetteerEntry>, extra: Vec<GazetteerEntry>) -> Vec<GazetteerEntry> {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, e) in base.iter().enumerate() {
        by_name.entry(fold(&e.name)).or_insert(i);
    }
    for e in extra {
        let key = fold(&e.name);
        match by_name.get(&key).and_then(|&i| base.get_mut(i)) {
            Some(existing) => {
                let mut known: Vec<String> = std::iter::once(&existing.name)
                    .chain(existing.aliases.iter())
                    .map(|s| fold(s))
                    .collect();
                for alias in std::iter::once(e.name).chain(e.aliases) {
                    let f = fold(&alias);
                    if !f.is_empty() && !known.contains(&f) {
                        known.push(f);
                        existing.aliases.push(alias);
                    }
                }
                if existing.category.is_none() {
                    existing.category = e.category;
                }
            }
            None => {
                by_name.insert(key, base.len());
                base.push(e);
            }
        }
    }
    base
}

/// The canonical name of a spelling: the `name` of the first entry whose folded name or
/// folded alias equals the folded `name`.
pub fn canonical(entries: &[GazetteerEntry], name: &str) -> Option<String> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    entries
        .iter()
        .find(|e| fold(&e.name) == key || e.aliases.iter().any(|a| fold(a) == key))
        .map(|e| e.name.clone())
}

/// One gazetteer name found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityHit {
    /// Index of the entry in the list the [`Matcher`] was built from.
    pub entry: usize,
    /// The entry's canonical name.
    pub name: String,
    /// Start offset (chars, inclusive) of the matched text.
    pub start: usize,
    /// End offset (chars, exclusive) of the matched text.
    pub end: usize,
}

/// A compiled matcher for a list of gazetteer entries: whole-word, case-, script- and
/// hyphenation-insensitive (everything is compared after [`fold`]). Build it once, use it on
/// many texts.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    names: Vec<String>,
    /// Folded spellings (names and aliases) with their entry index, longest first.
    patterns: Vec<(String, usize)>,
    /// First word of a pattern → indices into `patterns` with that first word.
    by_first_word: HashMap<String, Vec<usize>>,
    /// Patterns that do not start with a letter or digit (searched one by one).
    other: Vec<usize>,
}

/// The leading run of letters and digits of a folded spelling (empty if it starts otherwise).
fn first_word(folded: &str) -> &str {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// A text folded once, to be searched by several matchers.
pub(crate) struct Folded<'t> {
    text: &'t str,
    folded: String,
    map: Vec<usize>,
    /// Byte offset → char offset in `folded`, only when `folded` is not ASCII.
    byte_to_char: Option<Vec<usize>>,
}

impl<'t> Folded<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let (folded, map) = fold_with_map(text);
        let byte_to_char = (!folded.is_ascii()).then(|| {
            let mut t = vec![0; folded.len() + 1];
            let mut n = 0;
            for (ci, (bi, c)) in folded.char_indices().enumerate() {
                for slot in t.iter_mut().skip(bi).take(c.len_utf8()) {
                    *slot = ci;
                }
                n = ci + 1;
            }
            if let Some(last) = t.last_mut() {
                *last = n;
            }
            t
        });
        Self {
            text,
            folded,
            map,
            byte_to_char,
        }
    }

    fn char_at(&self, byte: usize) -> usize {
        match &self.byte_to_char {
            None => byte,
            Some(t) => t.get(byte).copied().unwrap_or(0),
        }
    }
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

impl Matcher {
    /// Compiles the names and aliases of `entries`. A spelling shared by two entries belongs
    /// to the first.
    pub fn new(entries: &[GazetteerEntry]) -> Self {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut patterns = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for spelling in std::iter::once(&e.name).chain(e.aliases.iter()) {
                let f = fold(spelling);
                if f.is_empty() || seen.contains_key(&f) {
                    continue;
                }
                seen.insert(f.clone(), i);
                patterns.push((f, i));
            }
        }
        patterns.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        let mut by_first_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut other = Vec::new();
        for (k, (p, _)) in patterns.iter().enumerate() {
            match first_word(p) {
                "" => other.push(k),
                w => by_first_word.entry(w.to_string()).or_default().push(k),
            }
        }
        Self {
            names: entries.iter().map(|e| e.name.clone()).collect(),
            patterns,
            by_first_word,
            other,
        }
    }

    /// True when there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Every non-overlapping whole-word occurrence of a name or alias in `text`, in text order;
    /// at one position the longest spelling wins. Offsets cover exactly the original text.
    pub fn find(&self, text: &str) -> Vec<EntityHit> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        self.find_folded(&Folded::new(text))
    }

    pub(crate) fn find_folded(&self, f: &Folded<'_>) -> Vec<EntityHit> {
        let hay = f.folded.as_str();
        // (byte start, byte end, entry)
        let mut raw: Vec<(usize, usize, usize)> = Vec::new();
        let mut consider = |bs: usize, pat: &str, entry: usize| {
            let be = bs + pat.len();
            let after = hay.get(be..).and_then(|s| s.chars().next());
            if !is_word_char(after) && hay.get(bs..).is_some_and(|s| s.starts_with(pat)) {
                raw.push((bs, be, entry));
            }
        };
        // One pass over the words of the text; patterns are looked up by their first word.
        let mut word_start: Option<usize> = None;
        for (bi, c) in hay.char_indices().chain(std::iter::once((hay.len(), ' '))) {
            if c.is_alphanumeric() {
                word_start.get_or_insert(bi);
            } else if let Some(ws) = word_start.take()
                && let Some(list) = hay.get(ws..bi).and_then(|w| self.by_first_word.get(w))
            {
                for &k in list {
                    if let Some((pat, entry)) = self.patterns.get(k) {
                        consider(ws, pat, *entry);
                    }
                }
            }
        }
        for &k in &self.other {
            if let Some((pat, entry)) = self.patterns.get(k) {
                for (bs, _) in hay.match_indices(pat.as_str()) {
                    let before = hay.get(..bs).and_then(|s| s.chars().next_back());
                    if !is_word_char(before) {
                        consider(bs, pat, *entry);
                    }
                }
            }
        }
        raw.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut hits = Vec::new();
        let mut last_end = 0;
        // Walks the original text once to extend ends over characters that fold to nothing.
        let mut chars = f.text.chars().enumerate().peekable();
        for (bs, be, entry) in raw {
            if bs < last_end {
                continue;
            }
            last_end = be;
            let (fs, fe) = (f.char_at(bs), f.char_at(be));
            let (Some(&start), Some(&last)) = (f.map.get(fs), f.map.get(fe.saturating_sub(1)))
            else {
                continue;
            };
            let mut end = last + 1;
            while chars.next_if(|&(i, _)| i < end).is_some() {}
            while let Some((i, _)) = chars.next_if(|&(i, c)| i == end && is_dropped(c)) {
                end = i + 1;
            }
            hits.push(EntityHit {
                entry,
                name: self.names.get(entry).cloned().unwrap_or_default(),
                start,
                end,
            });
        }
        hits
    }
}
