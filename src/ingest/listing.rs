//! Listing a cache folder: the document files, the article and the gazetteer at its top, and
//! what is reported instead of read (hidden names are skipped, symlinks checked).

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use super::{IngestError, io_reason};
use crate::model::ScanError;

/// A file found by the listing.
pub(super) struct Listed {
    /// `/`-separated path relative to the root.
    pub(super) rel: String,
    pub(super) abs: PathBuf,
    /// The name was not UTF-8 (`rel` is lossy).
    pub(super) non_utf8_name: bool,
}

/// What the listing found.
#[derive(Default)]
pub(super) struct Listing {
    /// Document files, in listing order.
    pub(super) documents: Vec<Listed>,
    /// Article candidates at the root.
    pub(super) articles: Vec<Listed>,
    /// `gazetteer.json` at the root.
    pub(super) gazetteer: Option<Listed>,
    /// Entries reported instead of read.
    pub(super) errors: Vec<ScanError>,
    /// Every folder listed (the root is `""`) with its modification time in ns, taken before
    /// its entries were read.
    pub(super) folders: Vec<(String, i64)>,
}

/// `/`-separated path relative to the root (lossy when not UTF-8), and whether it was lossy.
fn relative(root: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut lossy = false;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => {
                lossy |= s.to_str().is_none();
                Some(s.to_string_lossy().into_owned())
            }
            _ => None,
        })
        .collect();
    (parts.join("/"), lossy)
}

/// Lists the folder: document files, article candidates, the gazetteer, and what is reported.
pub(super) fn list(root: &Path, canonical_root: &Path) -> Result<Listing, IngestError> {
    let mut listing = Listing::default();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().as_encoded_bytes().starts_with(b"."));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                if e.depth() == 0 {
                    let source = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot list"));
                    return Err(IngestError::Io {
                        path: root.to_owned(),
                        source,
                    });
                }
                let path = e.path().map_or_else(String::new, |p| relative(root, p).0);
                let error = match e.io_error() {
                    Some(io) => io_reason(io),
                    None => e.to_string(),
                };
                listing.errors.push(ScanError { path, error });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let mtime = entry
                .metadata()
                .ok()
                .map_or(0, |m| super::manifest::FileStat::of(&m).mtime_ns);
            listing
                .folders
                .push((relative(root, entry.path()).0, mtime));
            continue;
        }
        if entry.depth() == 0 {
            continue;
        }
        let (rel, non_utf8_name) = relative(root, entry.path());
        let report = |error: &str| ScanError {
            path: rel.clone(),
            error: error.to_owned(),
        };
        if file_type.is_symlink() {
            match check_symlink(entry.path(), canonical_root) {
                Ok(()) => {}
                Err(reason) => {
                    listing.errors.push(report(&reason));
                    continue;
                }
            }
        } else if !file_type.is_file() {
            listing
                .errors
                .push(report("not a regular file (device, pipe or socket)"));
            continue;
        }
        let item = Listed {
            rel,
            abs: entry.path().to_owned(),
            non_utf8_name,
        };
        if entry.depth() == 1 {
            let name = item.rel.to_lowercase();
            if name == "gazetteer.json" {
                listing.gazetteer = Some(item);
                continue;
            }
            if matches!(
                name.as_str(),
                "article.md" | "article.txt" | "article.markdown"
            ) {
                listing.articles.push(item);
                continue;
            }
            // The cache's own documentation (as in the sample cache) describes the records; it is not one.
            if matches!(name.as_str(), "readme.md" | "readme.txt") {
                continue;
            }
        }
        listing.documents.push(item);
    }
    Ok(listing)
}

/// `ELOOP`: too many levels of symbolic links.
const ELOOP: i32 = if cfg!(any(target_os = "linux", target_os = "android")) {
    40
} else {
    62
};

/// A symlink may be read when it resolves to a regular file inside the root.
fn check_symlink(path: &Path, canonical_root: &Path) -> Result<(), String> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("broken symlink".to_owned());
        }
        Err(e) if e.raw_os_error() == Some(ELOOP) => {
            return Err("symlink loop, not followed".to_owned());
        }
        Err(e) => return Err(format!("cannot resolve symlink: {e}")),
    };
    if !target.starts_with(canonical_root) {
        return Err("symlink points outside the cache".to_owned());
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err("symlink to a folder, not followed".to_owned()),
        Ok(_) => Err("symlink to something that is not a regular file".to_owned()),
        Err(e) => Err(io_reason(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_slash_separated() {
        let root = Path::new("/cache");
        let (rel, lossy) = relative(root, &root.join("letters").join("memo.txt"));
        assert_eq!(rel, "letters/memo.txt");
        assert!(!lossy);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_read_only_to_files_inside_the_cache() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let cache = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(cache.path()).unwrap();
        std::fs::write(root.join("real.txt"), "x").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        let link = |name: &str, to: &Path| {
            std::os::unix::fs::symlink(to, root.join(name)).unwrap();
            check_symlink(&root.join(name), &root)
        };
        assert_eq!(link("ok.txt", &root.join("real.txt")), Ok(()));
        assert_eq!(
            link("out.txt", &outside.path().join("secret.txt")),
            Err("symlink points outside the cache".to_owned())
        );
        assert_eq!(
            link("dir", &root.join("sub")),
            Err("symlink to a folder, not followed".to_owned())
        );
        assert_eq!(
            link("broken.txt", &root.join("missing.txt")),
            Err("broken symlink".to_owned())
        );
    }
}
