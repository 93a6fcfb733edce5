//! The claim ledger: each statement of the article, supported, contested or unsupported.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Link, Relation, Session};
use crate::model::Cache;

/// The standing of a statement in the claim ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// At least one supporting link and none contradicting.
    Supported,
    /// Any contradicting link.
    Contested,
    /// Neither.
    Unsupported,
}

impl ClaimStatus {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supported => "supported",
            Self::Contested => "contested",
            Self::Unsupported => "unsupported",
        }
    }
}

/// One piece of evidence of the ledger: a document's link to a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence<'a> {
    /// Document id.
    pub doc: &'a str,
    /// The link.
    pub link: &'a Link,
}

/// A statement with its status and evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow<'a> {
    /// Statement id.
    pub id: &'a str,
    /// Statement text.
    pub text: &'a str,
    /// Supported, contested or unsupported.
    pub status: ClaimStatus,
    /// Links to this statement (document order, then link order).
    pub evidence: Vec<Evidence<'a>>,
}

/// The claim ledger: every statement of the article with its status and evidence.
/// Links whose statement text differs from the article's (an edited article) count for nothing.
pub fn ledger<'a>(session: &'a Session, cache: &'a Cache) -> Vec<LedgerRow<'a>> {
    let Some((_, article)) = &cache.article else {
        return Vec::new();
    };
    let mut rows: Vec<LedgerRow<'a>> = article
        .statements
        .iter()
        .map(|s| LedgerRow {
            id: &s.id,
            text: &s.text,
            status: ClaimStatus::Unsupported,
            evidence: Vec::new(),
        })
        .collect();
    let index: BTreeMap<&str, usize> = article
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    for (doc, review) in &session.documents {
        for link in &review.links {
            if let Some(&i) = index.get(link.statement.as_str())
                && rows[i].text == link.statement_text
            {
                rows[i].evidence.push(Evidence { doc, link });
            }
        }
    }
    for row in &mut rows {
        let contradicted = row
            .evidence
            .iter()
            .any(|e| e.link.relation == Relation::Contradicts);
        let supported = row
            .evidence
            .iter()
            .any(|e| e.link.relation == Relation::Supports);
        row.status = if contradicted {
            ClaimStatus::Contested
        } else if supported {
            ClaimStatus::Supported
        } else {
            ClaimStatus::Unsupported
        };
    }
    rows
}
