//! The OCR side of a review: the cache's OCR languages (saved with the session) and quotes
//! whose page reads otherwise since they were taken (another OCR engine or languages), moved
//! to where their exact text now is.

use crate::ocr::LanguageSetting;
use crate::session::Command;

use super::Workspace;

impl Workspace {
    /// The OCR languages of this cache: the session's setting (chosen per page when unset).
    pub fn ocr_languages(&self) -> LanguageSetting {
        self.session().ocr_languages()
    }

    /// Moves every quote that is no longer at its offsets but whose exact text is still in its
    /// document (the nearest occurrence), as one undoable step; says what moved and what no
    /// longer matches. Returns the number of quotes moved.
    pub fn reanchor_quotes(&mut self) -> usize {
        let verification = self.session().verify(self.cache());
        let moves: Vec<Command> = verification
            .moved_quotes
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
        let n = moves.len();
        if n > 0 {
            let batch = Command::Batch {
                label: format!("Move {n} quote(s) to their text"),
                commands: moves,
            };
            if let Err(e) = self.apply(batch) {
                self.warnings
                    .push(format!("quotes could not be moved: {e}"));
                return 0;
            }
        }
        n
    }
}
