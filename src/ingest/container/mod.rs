//! Containers read in memory, never extracted: zip and tar archives (also gzip'd), mailboxes,
//! e-mails with attachments, Outlook messages.
//!
//! A member is a document of its own with `parent` set to its container's id. Its id and path
//! are `<container path>!/<member path>` ([`member_path`]); a mailbox's message is a record
//! (`mail/desk.mbox#3`) like a JSON Lines record. Member names are only ever used as text: a
//! name with `..`, an absolute path or a drive letter gets those parts escaped (`%2E%2E`,
//! `%2F`) and a warning, and nothing here touches the disk.
//!
//! [`Limits`] bound what one file as received may unpack: total uncompressed bytes, bytes per
//! member, the compression ratio, the nesting depth and the number of members. A member over a
//! limit is listed with the reason and not read.

mod archive;
mod mbox;
mod names;

use std::collections::HashSet;

pub(crate) use archive::is_tar_gz;
pub use names::{
    MEMBER_SEPARATOR, containers_of, escape_member_name, member_path, split_mailbox_record,
    split_member_path,
};

/// Limits on what one file as received may unpack, against hostile containers (bombs, deep
/// nesting, millions of members).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Uncompressed bytes of all members of one file together, at every depth (default 1 GiB).
    pub max_total_bytes: u64,
    /// Bytes of one member (default 64 MiB, as for a loose file).
    pub max_member_bytes: u64,
    /// Uncompressed size over compressed size of a member bigger than 1 MiB (default 100).
    pub max_ratio: u64,
    /// Containers inside containers: a member at a deeper level is not opened (default 6).
    pub max_depth: usize,
    /// Members of one file together, at every depth (default 10,000).
    pub max_members: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_total_bytes: 1024 * 1024 * 1024,
            max_member_bytes: 64 * 1024 * 1024,
            max_ratio: 100,
            max_depth: 6,
            max_members: 10_000,
        }
    }
}

/// Members smaller than this are never refused for their compression ratio (small files of
/// repeated bytes compress far beyond any sane ratio).
const RATIO_FLOOR: u64 = 1024 * 1024;

/// The lower-case extensions read as containers.
pub(crate) const CONTAINER_EXTENSIONS: &[&str] = &["zip", "tar", "tgz", "gz", "mbox"];

/// What is left of the limits while one file as received is read.
#[derive(Debug)]
pub(crate) struct Budget {
    pub(crate) limits: Limits,
    bytes_left: u64,
    members_left: usize,
}

impl Budget {
    pub(crate) fn new(limits: &Limits) -> Self {
        Self {
            limits: limits.clone(),
            bytes_left: limits.max_total_bytes,
            members_left: limits.max_members,
        }
    }

    /// Why a member of this declared size (and compressed size, when known) is not read, if it
    /// is not; otherwise the most bytes it may take.
    pub(crate) fn admit(
        &self,
        declared: Option<u64>,
        compressed: Option<u64>,
    ) -> Result<u64, String> {
        if self.members_left == 0 {
            return Err(format!(
                "over the limit of {} members in one file",
                self.limits.max_members
            ));
        }
        if let Some(size) = declared {
            if size > self.limits.max_member_bytes {
                return Err(format!(
                    "{} uncompressed, over the limit of {} per member",
                    human(size),
                    human(self.limits.max_member_bytes)
                ));
            }
            if size > self.bytes_left {
                return Err(format!(
                    "{} uncompressed, over what is left of the limit of {} for one file",
                    human(size),
                    human(self.limits.max_total_bytes)
                ));
            }
            if let Some(packed) = compressed
                && size > RATIO_FLOOR
                && size / packed.max(1) > self.limits.max_ratio
            {
                return Err(format!(
                    "compression ratio {}:1 is over the limit of {}:1 (a zip bomb?)",
                    size / packed.max(1),
                    self.limits.max_ratio
                ));
            }
        }
        Ok(self.limits.max_member_bytes.min(self.bytes_left))
    }

    /// Takes a read member's bytes off what is left.
    pub(crate) fn spend(&mut self, bytes: u64) {
        self.bytes_left = self.bytes_left.saturating_sub(bytes);
        self.members_left = self.members_left.saturating_sub(1);
    }

    /// The reason a member read up to `cap` bytes and still not at its end is refused.
    pub(crate) fn over(&self, cap: u64) -> String {
        if cap >= self.limits.max_member_bytes {
            format!(
                "larger than the limit of {} per member (its header said less)",
                human(self.limits.max_member_bytes)
            )
        } else {
            format!(
                "over what is left of the limit of {} for one file",
                human(self.limits.max_total_bytes)
            )
        }
    }
}

/// One member of a container, as listed.
#[derive(Debug)]
pub(crate) struct Member {
    /// The member's part of the id: its name as stored, escaped where it was unsafe.
    pub(crate) name: String,
    /// The name was escaped (it had `..`, an absolute path or a drive letter).
    pub(crate) escaped: bool,
    /// Its bytes, or why they were not read.
    pub(crate) content: Result<Vec<u8>, String>,
}

/// Gives each member of one container a unique escaped name (a second `a.txt` is `a.txt~2`).
#[derive(Default)]
pub(crate) struct Namer {
    seen: HashSet<String>,
}

impl Namer {
    /// The unique escaped name of a member stored as `raw`, and whether it was escaped.
    pub(crate) fn name(&mut self, raw: &str) -> (String, bool) {
        let (escaped, unsafe_name) = escape_member_name(raw);
        let mut name = escaped.clone();
        let mut n = 1;
        while !self.seen.insert(name.clone()) {
            n += 1;
            name = format!("{escaped}~{n}");
        }
        (name, unsafe_name)
    }
}

/// Which members a listing reads: all of them (a scan) or the one asked for by name.
#[derive(Clone, Copy)]
pub(crate) enum Want<'a> {
    All,
    Only(&'a str),
}

impl Want<'_> {
    pub(crate) fn wants(&self, name: &str) -> bool {
        match self {
            Want::All => true,
            Want::Only(n) => *n == name,
        }
    }

    /// True once the one member asked for has been found.
    pub(crate) fn done(&self, found: bool) -> bool {
        matches!(self, Want::Only(_)) && found
    }
}

/// The members of a container's bytes, by its lower-case extension (`zip`, `tar`, `tgz`, `gz`
/// for `.tar.gz` or one gzip'd file, `mbox`); `Err` when the container itself cannot be read.
pub(crate) fn members(
    ext: &str,
    file_name: &str,
    bytes: &[u8],
    budget: &mut Budget,
    want: Want<'_>,
) -> Result<Vec<Member>, String> {
    match ext {
        "zip" => archive::zip_members(bytes, budget, want),
        "tar" => archive::tar_members(bytes, budget, want, false),
        "tgz" => archive::tar_members(bytes, budget, want, true),
        "gz" if is_tar_gz(file_name) => archive::tar_members(bytes, budget, want, true),
        "gz" => archive::gzip_member(file_name, bytes, budget),
        "mbox" => mbox::messages(bytes, budget, want),
        _ => Err(format!("not a container (.{ext})")),
    }
}

/// What holds a document, for the list's facet: `zip`, `tar`, `gzip`, `mailbox`, `e-mail`,
/// `Outlook message`, or `loose file` for a file of the cache itself.
pub fn container_format(doc: &crate::model::Document) -> &'static str {
    let Some(parent) = doc.parent.as_deref() else {
        return "loose file";
    };
    let last = parent
        .rsplit(names::MEMBER_SEPARATOR)
        .next()
        .unwrap_or(parent);
    let name = last.rsplit('/').next().unwrap_or(last).to_lowercase();
    // A mailbox's message (`desk.mbox#3`) holds its attachments as an e-mail does.
    if split_mailbox_record(&name).1.is_some() {
        return "e-mail";
    }
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("zip") => "zip",
        Some("tar" | "tgz") => "tar",
        Some("gz") if is_tar_gz(&name) => "tar",
        Some("gz") => "gzip",
        Some("mbox") => "mailbox",
        Some("eml") => "e-mail",
        Some("msg") => "Outlook message",
        _ => "container",
    }
}

/// A size for people: bytes, KiB, MiB or GiB.
pub(crate) fn human(n: u64) -> String {
    const KIB: u64 = 1024;
    let units = [(KIB * KIB * KIB, "GiB"), (KIB * KIB, "MiB"), (KIB, "KiB")];
    for (size, unit) in units {
        if n >= size {
            let value = n as f64 / size as f64;
            return if value.fract() == 0.0 {
                format!("{value:.0} {unit}")
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{n} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_refuse_big_members_bombs_and_too_many() {
        let limits = Limits {
            max_total_bytes: 10 * 1024 * 1024,
            max_member_bytes: 4 * 1024 * 1024,
            max_ratio: 100,
            max_depth: 3,
            max_members: 2,
        };
        let mut budget = Budget::new(&limits);
        assert_eq!(budget.admit(Some(10), Some(10)), Ok(4 * 1024 * 1024));
        let big = budget.admit(Some(5 * 1024 * 1024), Some(5 * 1024 * 1024));
        assert_eq!(
            big,
            Err("5 MiB uncompressed, over the limit of 4 MiB per member".to_owned())
        );
        let bomb = budget.admit(Some(3 * 1024 * 1024), Some(3000));
        assert!(bomb.is_err_and(|e| e.contains("compression ratio 1048:1")));
        // Small members are never refused for their ratio.
        assert!(budget.admit(Some(1000), Some(1)).is_ok());
        budget.spend(4 * 1024 * 1024);
        budget.spend(4 * 1024 * 1024);
        assert_eq!(
            budget.admit(Some(1), Some(1)),
            Err("over the limit of 2 members in one file".to_owned())
        );
    }

    #[test]
    fn what_is_left_of_the_total_caps_a_member() {
        let limits = Limits {
            max_total_bytes: 100,
            max_member_bytes: 80,
            ..Limits::default()
        };
        let mut budget = Budget::new(&limits);
        budget.spend(70);
        assert_eq!(budget.admit(None, None), Ok(30));
        assert!(budget.admit(Some(40), None).is_err());
        assert!(budget.over(30).contains("for one file"));
        assert!(budget.over(80).contains("per member"));
    }

    #[test]
    fn repeated_names_get_a_number() {
        let mut namer = Namer::default();
        assert_eq!(namer.name("a.txt"), ("a.txt".to_owned(), false));
        assert_eq!(namer.name("a.txt"), ("a.txt~2".to_owned(), false));
        assert_eq!(namer.name("../a.txt"), ("%2E%2E/a.txt".to_owned(), true));
    }

    #[test]
    fn a_members_container_format_comes_from_its_parents_name() {
        let member = |parent: Option<&str>| crate::model::Document {
            parent: parent.map(str::to_owned),
            ..crate::model::Document::default()
        };
        assert_eq!(container_format(&member(None)), "loose file");
        assert_eq!(container_format(&member(Some("a/B.ZIP"))), "zip");
        assert_eq!(container_format(&member(Some("a.zip!/x.tar.gz"))), "tar");
        assert_eq!(container_format(&member(Some("notes.txt.gz"))), "gzip");
        assert_eq!(container_format(&member(Some("mail/desk.mbox"))), "mailbox");
        assert_eq!(
            container_format(&member(Some("mail/desk.mbox#3"))),
            "e-mail"
        );
        assert_eq!(
            container_format(&member(Some("a.zip!/m.msg"))),
            "Outlook message"
        );
    }

    #[test]
    fn sizes_read_for_people() {
        assert_eq!(human(12), "12 bytes");
        assert_eq!(human(1536), "1.5 KiB");
        assert_eq!(human(300 * 1024 * 1024), "300 MiB");
        assert_eq!(human(1024 * 1024 * 1024), "1 GiB");
    }
}
