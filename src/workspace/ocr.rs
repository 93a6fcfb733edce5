//! The OCR side of a review: documents whose pages were OCR'd after the cache was read (the
//! window runs OCR while the analyst reviews) take the place of the documents they were read
//! from; the cache's OCR languages (saved with the session); quotes whose page reads otherwise
//! since they were taken (another OCR engine or languages), moved to where their exact text
//! now is.

use crate::model::Document;
use crate::ocr::LanguageSetting;
use crate::session::Command;

use super::{Workspace, next_revision};

impl Workspace {
    /// Puts documents in place of the cache's documents of the same ids (OCR'd pages with their
    /// new text), keeping the cache's order, and drops their suggestions so they are computed
    /// again from the new text. Answers the positions replaced (documents the cache does not
    /// hold are ignored). The documents' revision changes; the session is untouched.
    pub fn replace_documents(&mut self, documents: Vec<Document>) -> Vec<usize> {
        let positions: Vec<Option<usize>> = documents
            .iter()
            .map(|d| self.cache.position(&d.id))
            .collect();
        if positions.iter().all(Option::is_none) {
            return Vec::new();
        }
        let cache = std::sync::Arc::make_mut(&mut self.cache);
        let mut replaced = Vec::new();
        for (doc, at) in documents.into_iter().zip(positions) {
            let Some(at) = at else { continue };
            self.suggestions.remove(&doc.id);
            if let Some(slot) = cache.documents.get_mut(at) {
                *slot = doc;
                replaced.push(at);
            }
        }
        self.documents_rev = next_revision();
        self.suggestions_rev = next_revision();
        replaced
    }

    /// The OCR languages of this cache: the session's setting (chosen per page when unset).
    pub fn ocr_languages(&self) -> LanguageSetting {
        self.session().ocr_languages()
    }

    /// Moves every quote that is no longer at its offsets but whose exact text is still in its
    /// document (the nearest occurrence), as one undoable step. Answers what to tell the analyst:
    /// a line per quote that moved or no longer matches.
    pub fn reanchor_quotes(&mut self) -> Vec<String> {
        let moved = self.session().verify(self.cache()).moved_quotes;
        let moves: Vec<Command> = moved
            .iter()
            .filter_map(|m| {
                m.now.map(|(start, end)| Command::MoveQuote {
                    doc: m.doc.clone(),
                    link: m.link.clone(),
                    start,
                    end,
                })
            })
            .collect();
        let mut said = crate::session::Verification {
            moved_quotes: moved,
            ..crate::session::Verification::default()
        }
        .messages();
        let n = moves.len();
        if n > 0 {
            let batch = Command::Batch {
                label: format!("Move {n} quote(s) to their text"),
                commands: moves,
            };
            if let Err(e) = self.apply(batch) {
                said.push(format!("quotes could not be moved: {e}"));
            }
        }
        said
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Cache, Document, Page, PageSource};

    use super::*;

    fn doc(id: &str, text: &str, source: PageSource) -> Document {
        Document {
            id: id.into(),
            path: format!("{id}.png"),
            text: text.into(),
            pages: vec![Page::new(source)],
            ..Document::default()
        }
    }

    #[test]
    fn replaced_documents_keep_their_place_and_lose_their_suggestions() {
        let mut ws = Workspace::unread(std::path::Path::new("/nonexistent-cache"));
        ws.set_cache(Cache {
            documents: vec![
                doc("a", "", PageSource::Pending),
                doc("b", "kept", PageSource::PdfText),
            ],
            ..Cache::default()
        });
        assert!(ws.suggestions_for("a").is_some());
        let before = ws.revisions();
        let replaced = ws.replace_documents(vec![
            doc("a", "Groza-S 2021", PageSource::Ocr),
            doc("zz", "not in the cache", PageSource::Ocr),
        ]);
        assert_eq!(replaced, [0]);
        assert_eq!(ws.cache().documents[0].text, "Groza-S 2021");
        assert_eq!(ws.cache().documents[1].text, "kept");
        assert_eq!(ws.cache().documents.len(), 2);
        assert!(!ws.suggestions().contains_key("a"), "computed again");
        let after = ws.revisions();
        assert_ne!(before.documents, after.documents);
        assert_ne!(before.suggestions, after.suggestions);
        assert_eq!(before.session, after.session);
        assert!(ws.replace_documents(vec![]).is_empty());
    }
}
