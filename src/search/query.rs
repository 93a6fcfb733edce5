//! The query language: a lenient recursive-descent parser into a small syntax tree.
//!
//! Half-typed queries (an unclosed quote or parenthesis, a dangling `AND`) parse as far as they
//! make sense, so the window's filter bar never fails while the analyst types. Only values that
//! cannot mean anything (a malformed date, an unknown status) are errors.

use crate::model::PartialDate;

/// A field a query term can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum QField {
    Title,
    Text,
    Path,
    /// The container a member is directly in (`parent:`).
    Parent,
    /// Any container a member is inside, at any depth (`in:`).
    Within,
    /// The document id (exact, or a prefix with `*`).
    Id,
    Sender,
    Recipient,
    Kind,
    Equipment,
    Tag,
    Status,
    Date,
}

impl QField {
    fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "title" | "subject" => Self::Title,
            "text" | "body" => Self::Text,
            "path" | "file" => Self::Path,
            "parent" => Self::Parent,
            "in" | "within" => Self::Within,
            "id" | "doc" => Self::Id,
            "sender" | "from" => Self::Sender,
            "recipient" | "to" => Self::Recipient,
            "kind" | "type" => Self::Kind,
            "equipment" | "eq" => Self::Equipment,
            "tag" | "tags" => Self::Tag,
            "status" => Self::Status,
            "date" => Self::Date,
            _ => return None,
        })
    }
}

/// A date range: the first and last day (inclusive) a matching date must lie within.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateRange {
    pub first: Option<chrono::NaiveDate>,
    pub last: Option<chrono::NaiveDate>,
}

impl DateRange {
    /// True when the whole span of `date` lies within the range.
    pub fn contains(&self, date: &PartialDate) -> bool {
        let (a, b) = date.span();
        self.first.is_none_or(|f| a >= f) && self.last.is_none_or(|l| b <= l)
    }

    fn parse(s: &str) -> Result<Self, String> {
        let bad =
            || format!("not a date or date range (YYYY, YYYY-MM, YYYY-MM-DD, A..B, A.., ..B): {s}");
        let one = |p: &str| PartialDate::parse_iso(p).ok_or_else(bad);
        match s.split_once("..") {
            Some((a, b)) => {
                let first = if a.trim().is_empty() {
                    None
                } else {
                    Some(one(a)?.span().0)
                };
                let last = if b.trim().is_empty() {
                    None
                } else {
                    Some(one(b)?.span().1)
                };
                Ok(Self { first, last })
            }
            None => {
                let (first, last) = one(s)?.span();
                Ok(Self {
                    first: Some(first),
                    last: Some(last),
                })
            }
        }
    }
}

/// What a leaf asks for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Term {
    /// A word as typed (analysed into one or more tokens; several tokens form a phrase).
    Word(String),
    /// A quoted phrase.
    Phrase(String),
    /// `word*`: words starting with this.
    Prefix(String),
    /// `word~N`: words within N edits (1 or 2).
    Fuzzy(String, u8),
    /// `date:` value.
    Date(DateRange),
    /// `*` or an empty query: everything.
    All,
}

/// The syntax tree.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(Option<QField>, Term),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Field(QField),
    Word(String),
    Phrase(String),
}

fn lex(q: &str) -> Vec<Tok> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            '"' | '“' | '”' | '«' | '»' => {
                let mut j = i + 1;
                while j < chars.len() && !matches!(chars[j], '"' | '“' | '”' | '«' | '»') {
                    j += 1;
                }
                out.push(Tok::Phrase(chars[i + 1..j].iter().collect()));
                i = (j + 1).min(chars.len());
            }
            _ => {
                let mut j = i;
                while j < chars.len()
                    && !chars[j].is_whitespace()
                    && !matches!(chars[j], '(' | ')' | '"' | '“' | '”' | '«' | '»')
                {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                i = j;
                lex_word(&word, &mut out);
            }
        }
    }
    out
}

fn lex_word(word: &str, out: &mut Vec<Tok>) {
    match word {
        "AND" | "&&" => return out.push(Tok::And),
        "OR" | "||" => return out.push(Tok::Or),
        "NOT" | "!" => return out.push(Tok::Not),
        _ => {}
    }
    let mut rest = word;
    if let Some(r) = rest.strip_prefix('-').filter(|r| !r.is_empty()) {
        out.push(Tok::Not);
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+').filter(|r| !r.is_empty()) {
        rest = r;
    }
    if let Some((name, value)) = rest.split_once(':')
        && let Some(field) = QField::parse(name)
    {
        out.push(Tok::Field(field));
        if !value.is_empty() {
            out.push(Tok::Word(value.to_owned()));
        }
        return;
    }
    out.push(Tok::Word(rest.to_owned()));
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

/// Parses a query. An empty query matches everything.
pub(crate) fn parse(q: &str) -> Result<Node, String> {
    let mut p = Parser {
        toks: lex(q),
        pos: 0,
    };
    let mut items = Vec::new();
    while p.pos < p.toks.len() {
        let node = p.and(None)?;
        if let Node::And(v) = node {
            items.extend(v);
        }
        // A stray closing parenthesis ends a group that was never opened: skip it.
        if p.peek() == Some(&Tok::RParen) {
            p.pos += 1;
        }
    }
    Ok(match items.len() {
        0 => Node::Leaf(None, Term::All),
        1 => items.remove(0),
        _ => Node::And(items),
    })
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    /// A sequence of terms joined by `AND` or juxtaposition. Always returns `Node::And`.
    fn and(&mut self, field: Option<QField>) -> Result<Node, String> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen) => break,
                Some(Tok::And | Tok::Or) => {
                    self.pos += 1;
                }
                _ => {
                    if let Some(n) = self.or(field)? {
                        items.push(n);
                    }
                }
            }
        }
        Ok(Node::And(items))
    }

    /// Terms joined by `OR` (binds tighter than `AND`: `a b OR c` is `a AND (b OR c)`).
    fn or(&mut self, field: Option<QField>) -> Result<Option<Node>, String> {
        let Some(first) = self.unary(field)? else {
            return Ok(None);
        };
        let mut items = vec![first];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            match self.unary(field)? {
                Some(n) => items.push(n),
                None => break,
            }
        }
        Ok(Some(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        }))
    }

    fn unary(&mut self, field: Option<QField>) -> Result<Option<Node>, String> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(self.unary(field)?.map(|n| Node::Not(Box::new(n))));
        }
        self.primary(field)
    }

    fn primary(&mut self, field: Option<QField>) -> Result<Option<Node>, String> {
        match self.next() {
            None => Ok(None),
            Some(Tok::LParen) => {
                let inner = self.and(field)?;
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                }
                Ok(match inner {
                    Node::And(mut v) if v.len() == 1 => Some(v.remove(0)),
                    Node::And(v) if v.is_empty() => None,
                    other => Some(other),
                })
            }
            Some(Tok::Field(f)) => match self.peek() {
                Some(Tok::Word(_) | Tok::Phrase(_) | Tok::LParen) => self.primary(Some(f)),
                // `sender:` with nothing after it (still being typed): ignored.
                _ => Ok(None),
            },
            Some(Tok::Word(w)) => leaf(field, &w, false).map(Some),
            Some(Tok::Phrase(p)) => leaf(field, &p, true).map(Some),
            // Stray operators and parentheses are handled by the callers; skip them here.
            Some(Tok::RParen) => {
                self.pos -= 1;
                Ok(None)
            }
            Some(Tok::And | Tok::Or | Tok::Not) => Ok(None),
        }
    }
}

fn leaf(field: Option<QField>, s: &str, quoted: bool) -> Result<Node, String> {
    if field == Some(QField::Date) {
        return Ok(Node::Leaf(field, Term::Date(DateRange::parse(s.trim())?)));
    }
    if field == Some(QField::Status) {
        let value = s.trim().trim_end_matches('*');
        let ok = crate::session::Status::ALL
            .iter()
            .any(|st| st.as_str().starts_with(&value.to_lowercase()));
        if value.is_empty() || !ok {
            return Err(format!(
                "unknown status (unreviewed, relevant, irrelevant, key): {s}"
            ));
        }
    }
    if quoted {
        return Ok(Node::Leaf(field, Term::Phrase(s.to_owned())));
    }
    if s == "*" {
        return Ok(Node::Leaf(field, Term::All));
    }
    if let Some(p) = s.strip_suffix('*') {
        return Ok(Node::Leaf(
            field,
            Term::Prefix(p.trim_end_matches('*').to_owned()),
        ));
    }
    if let Some(i) = s.rfind('~') {
        let (w, d) = (&s[..i], &s[i + 1..]);
        let distance = match d {
            "" => Some(1),
            "0" => Some(0),
            "1" => Some(1),
            "2" => Some(2),
            _ => None,
        };
        if let Some(d) = distance
            && !w.is_empty()
        {
            return Ok(Node::Leaf(field, Term::Fuzzy(w.to_owned(), d)));
        }
    }
    Ok(Node::Leaf(field, Term::Word(s.to_owned())))
}

/// The field names the query language knows, as the bar lists them.
pub(crate) const FIELD_NAMES: &str =
    "title, text, path, id, sender, recipient, kind, equipment, tag, status, date";

/// What is wrong with a query that still parses leniently: unknown field names (searched as
/// words), unbalanced parentheses, an unclosed quote. Empty when nothing is.
pub(crate) fn problems(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut stray, mut in_quote) = (0usize, 0usize, false);
    let mut word = String::new();
    let mut words = Vec::new();
    for c in q.chars().chain(std::iter::once(' ')) {
        if in_quote {
            in_quote = !matches!(c, '"' | '”' | '»');
            continue;
        }
        match c {
            '"' | '“' | '«' => in_quote = true,
            '(' => depth += 1,
            ')' if depth == 0 => stray += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '«') {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        } else {
            word.push(c);
        }
    }
    for w in &words {
        let w = w.trim_start_matches(['-', '+']);
        if let Some((name, _)) = w.split_once(':')
            && !name.is_empty()
            && name.chars().all(|c| c.is_alphabetic() || c == '_')
            && QField::parse(name).is_none()
        {
            out.push(format!(
                "unknown field {name}: (fields: {FIELD_NAMES}); “{w}” is searched as a word"
            ));
        }
    }
    if in_quote {
        out.push("a quote is not closed: the phrase runs to the end of the query".into());
    }
    if depth > 0 {
        out.push(format!(
            "{depth} “(” not closed: the group runs to the end of the query"
        ));
    }
    if stray > 0 {
        out.push(format!("{stray} “)” without its “(”: ignored"));
    }
    out
}

/// The `id:` values of a query, as typed (a prefix keeps its `*`).
pub(crate) fn id_values(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::And(items) | Node::Or(items) => items.iter().for_each(|n| id_values(n, out)),
        Node::Not(inner) => id_values(inner, out),
        Node::Leaf(Some(QField::Id), Term::Word(w) | Term::Phrase(w) | Term::Fuzzy(w, _)) => {
            out.push(w.trim().to_owned());
        }
        Node::Leaf(Some(QField::Id), Term::Prefix(p)) => out.push(format!("{p}*")),
        Node::Leaf(..) => {}
    }
}

impl Node {
    /// True when any leaf names a field whose value can come from the analyst's review
    /// (`status:`, `tag:`, and `sender:`, `recipient:`, `equipment:`, `date:`, which also match
    /// the analyst's values): the matches then change with the session.
    pub(crate) fn uses_review(&self) -> bool {
        match self {
            Node::And(items) | Node::Or(items) => items.iter().any(Node::uses_review),
            Node::Not(inner) => inner.uses_review(),
            Node::Leaf(field, _) => matches!(
                field,
                Some(
                    QField::Status
                        | QField::Tag
                        | QField::Sender
                        | QField::Recipient
                        | QField::Equipment
                        | QField::Date
                )
            ),
        }
    }

    /// The words and phrases that match the title or body (no field, `title:` or `text:`), not
    /// under a `NOT`, as typed (a prefix without its `*`, a fuzzy word without its `~N`).
    pub(crate) fn text_terms(&self, negated: bool, out: &mut Vec<String>) {
        match self {
            Node::And(items) | Node::Or(items) => {
                for n in items {
                    n.text_terms(negated, out);
                }
            }
            Node::Not(inner) => inner.text_terms(!negated, out),
            Node::Leaf(None | Some(QField::Title | QField::Text), term) if !negated => match term {
                Term::Word(w) | Term::Phrase(w) | Term::Prefix(w) | Term::Fuzzy(w, _) => {
                    out.push(w.clone());
                }
                Term::Date(_) | Term::All => {}
            },
            Node::Leaf(..) => {}
        }
    }
}
