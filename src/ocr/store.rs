//! The OCR cache: one JSON file per page, keyed by the file's SHA-256, the page, the language
//! setting and the engine version, in the user cache folder (never the evidence folder). Written
//! atomically, and computed under a per-page lock so that two processes (the window and a
//! command, or tests running side by side) never OCR the same page twice.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::OcrPage;

/// Changes when the way a page is rendered or read changes (resolution, text rules): older
/// results are then not reused.
pub const PIPELINE: &str = "p1";

/// What OCR made of one page, as cached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageResult {
    /// The page's text.
    pub text: String,
    /// Engine, languages, boxes and confidences.
    pub ocr: OcrPage,
    /// Anything the analyst should know about this page (downscaled, no language installed for
    /// its script).
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Where the result of `page` (1-based) of the file with `sha256` is kept.
pub fn path_of(dir: &Path, sha256: &str, page: usize, setting: &str, engine: &str) -> PathBuf {
    let slug: String = format!("{engine}-{PIPELINE}-{setting}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '+' || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut sha: String = sha256.chars().filter(char::is_ascii_hexdigit).collect();
    if sha.is_empty() {
        sha = "no-sha256".into();
    }
    let prefix = sha.get(..2).unwrap_or("00");
    dir.join(prefix)
        .join(&sha)
        .join(format!("page-{page}-{slug}.json"))
}

/// The cached result at `path`, if there is a readable one.
pub fn read(path: &Path) -> Option<PageResult> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes a result atomically.
pub fn write(path: &Path, result: &PageResult) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            format!(
                "cannot create the OCR cache folder {}: {e}",
                parent.display()
            )
        })?;
    }
    let json = serde_json::to_vec(result).map_err(|e| e.to_string())?;
    crate::fsutil::write_atomic(path, &json).map_err(|e| {
        format!(
            "cannot write the OCR cache ({}): {}",
            e.source,
            e.path.display()
        )
    })
}

/// Holds the lock of one page's result while it is computed (released on drop).
pub struct PageLock(#[expect(dead_code, reason = "held for its lock")] std::fs::File);

/// Takes the lock of the result at `path` (waiting for another process that holds it); `None`
/// when no lock file can be made (the page is then computed without one).
pub fn lock(path: &Path) -> Option<PageLock> {
    let parent = path.parent()?;
    std::fs::create_dir_all(parent).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_extension("lock"))
        .ok()?;
    file.lock().ok()?;
    Some(PageLock(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_file_page_languages_and_engine() {
        let dir = Path::new("/c");
        let sha = "ab".repeat(32);
        let p = path_of(dir, &sha, 2, "rus+eng", "tesseract 5.3.0");
        assert_eq!(
            p,
            dir.join("ab")
                .join(&sha)
                .join("page-2-tesseract-5.3.0-p1-rus+eng.json")
        );
        assert_ne!(p, path_of(dir, &sha, 2, "auto", "tesseract 5.3.0"));
        assert_ne!(p, path_of(dir, &sha, 2, "rus+eng", "tesseract 5.4.1"));
        // Nothing in a key can climb out of the cache folder.
        let odd = path_of(dir, "../../x", 1, "../eng", "a/b");
        assert!(odd.starts_with(dir), "{odd:?}");
        assert!(
            odd.components()
                .all(|c| c != std::path::Component::ParentDir),
            "{odd:?}"
        );
        assert_eq!(
            odd.parent(),
            Some(dir.join("no").join("no-sha256").as_path())
        );
    }

    #[test]
    fn results_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_of(dir.path(), &"cd".repeat(32), 1, "auto", "tesseract 5.3.0");
        assert_eq!(read(&path), None);
        let r = PageResult {
            text: "Гроза-С".into(),
            ocr: OcrPage {
                languages: "rus".into(),
                ..OcrPage::default()
            },
            warnings: vec![],
        };
        let _lock = lock(&path).unwrap();
        write(&path, &r).unwrap();
        assert_eq!(read(&path), Some(r));
    }
}
