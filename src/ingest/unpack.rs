//! One file as received, unpacked in memory: its own documents and, for a container, its
//! members' documents at every depth, each with `parent` set; and back again, from a
//! member's id to its bytes ([`document_bytes`]).

use std::path::Path;

use super::container::{
    self, Budget, CONTAINER_EXTENSIONS, Limits, Member, Namer, Want, human, member_path,
};
use super::email::{self, Attached};
use super::records::{base_document, file_name};
use super::{extension, msg, parse_single};
use crate::model::{Document, ScanError};

/// Reads one file's bytes: its documents (members included) and what could not be read, each
/// reason with the path of the file or member it is about. Members name the file's SHA-256
/// as their `container_sha256`.
pub(crate) fn unpack(
    rel_path: &str,
    bytes: &[u8],
    limits: &Limits,
) -> (Vec<Document>, Vec<ScanError>) {
    let sha = crate::sha256_hex(bytes);
    let mut unpacker = Unpacker {
        budget: Budget::new(limits),
        errors: Vec::new(),
    };
    let mut documents = unpacker.read(rel_path, rel_path, bytes, sha.clone(), 0);
    for d in documents.iter_mut().filter(|d| d.parent.is_some()) {
        d.container_sha256 = Some(sha.clone());
    }
    (documents, unpacker.errors)
}

/// True for the extensions whose files hold members.
pub(crate) fn holds_members(ext: &str) -> bool {
    CONTAINER_EXTENSIONS.contains(&ext) || ext == "eml" || ext == "msg"
}

struct Unpacker {
    budget: Budget,
    errors: Vec<ScanError>,
}

impl Unpacker {
    fn error(&mut self, path: &str, error: String) {
        self.errors.push(ScanError {
            path: path.to_owned(),
            error,
        });
    }

    /// The documents of one file or member at `path` (its id when it is a record, such as a
    /// mailbox's message: `id`), `depth` containers deep.
    fn read(
        &mut self,
        path: &str,
        id: &str,
        bytes: &[u8],
        sha: String,
        depth: usize,
    ) -> Vec<Document> {
        let ext = extension(path);
        let name = file_name(path);
        if CONTAINER_EXTENSIONS.contains(&ext.as_str()) {
            if depth >= self.budget.limits.max_depth {
                self.error(
                    path,
                    format!(
                        "nested deeper than {} containers: not opened",
                        self.budget.limits.max_depth
                    ),
                );
                return Vec::new();
            }
            return match container::members(&ext, name, bytes, &mut self.budget, Want::All) {
                Err(e) => {
                    self.error(path, e);
                    Vec::new()
                }
                Ok(members) if ext == "mbox" => self.mailbox(path, bytes, &sha, members, depth),
                Ok(members) => self.archive(path, bytes, &sha, members, depth),
            };
        }
        if ext == "eml" || ext == "msg" {
            let mut base = base_document(path, bytes, "UTF-8", &sha);
            id.clone_into(&mut base.id);
            let (parsed, attached) = if ext == "eml" {
                email::parse_eml(bytes, &base)
            } else {
                msg::parse_msg(bytes, &base)
            };
            for e in parsed.errors {
                self.error(id, e);
            }
            let Some(mut message) = parsed.documents.into_iter().next() else {
                return Vec::new();
            };
            let members = self.attachments(id, attached, depth);
            return self.with_members(&mut message, id, members, depth, false);
        }
        let (documents, errors) = parse_single(path, bytes, &sha, &ext);
        for e in errors {
            self.error(path, e);
        }
        documents
    }

    /// An e-mail's attachments as members, within the limits.
    fn attachments(&mut self, id: &str, attached: Vec<Attached>, depth: usize) -> Vec<Member> {
        if !attached.is_empty() && depth >= self.budget.limits.max_depth {
            self.error(
                id,
                format!(
                    "attachments nested deeper than {} containers: not opened",
                    self.budget.limits.max_depth
                ),
            );
            return Vec::new();
        }
        attachment_members(attached, &mut self.budget)
    }

    /// A zip or tar archive: a document listing its members, then theirs.
    fn archive(
        &mut self,
        path: &str,
        bytes: &[u8],
        sha: &str,
        members: Vec<Member>,
        depth: usize,
    ) -> Vec<Document> {
        let mut doc = container_document(path, bytes, sha, "archive");
        self.with_members(&mut doc, path, members, depth, true)
    }

    /// A mailbox: a document listing its messages, then each message as a record
    /// (`<path>#<n>`) with its attachments.
    fn mailbox(
        &mut self,
        path: &str,
        bytes: &[u8],
        sha: &str,
        members: Vec<Member>,
        depth: usize,
    ) -> Vec<Document> {
        let mut doc = container_document(path, bytes, sha, "mailbox");
        let mut listing = Vec::new();
        let mut out = Vec::new();
        for m in members {
            let id = format!("{path}#{}", m.name);
            match m.content {
                Err(reason) => {
                    listing.push(format!("#{}\tnot read: {reason}", m.name));
                    self.error(&id, reason);
                }
                Ok(message) => {
                    let msg_sha = crate::sha256_hex(&message);
                    let docs = self.read(&format!("{path}.eml"), &id, &message, msg_sha, depth + 1);
                    for mut d in docs {
                        if d.id == id {
                            path.clone_into(&mut d.path);
                            d.record = m.name.parse().ok();
                            listing.push(format!(
                                "#{}\t{}\t{}\t{}",
                                m.name,
                                d.date.as_deref().unwrap_or("-"),
                                d.sender.as_deref().unwrap_or("-"),
                                d.title
                            ));
                        }
                        if d.parent.is_none() {
                            d.parent = Some(doc.id.clone());
                        }
                        out.push(d);
                    }
                }
            }
        }
        doc.extra
            .insert("messages".to_owned(), listing.len().to_string());
        doc.text = listing.join("\n");
        let mut all = vec![doc];
        all.extend(out);
        all
    }

    /// A container's document (an archive's, or an e-mail's) followed by its members' documents;
    /// `list` writes the members into the container's text.
    fn with_members(
        &mut self,
        container: &mut Document,
        base: &str,
        members: Vec<Member>,
        depth: usize,
        list: bool,
    ) -> Vec<Document> {
        let mut listing = Vec::new();
        let mut out = Vec::new();
        let mut unread = 0;
        for m in members {
            let path = member_path(base, &m.name);
            if m.escaped {
                container.warnings.push(format!(
                    "member {} has a name that leaves its folder (.. or an absolute path): shown escaped, never used on the disk",
                    m.name
                ));
            }
            match m.content {
                Err(reason) => {
                    unread += 1;
                    listing.push(format!("{}\tnot read: {reason}", m.name));
                    self.error(&path, reason);
                }
                Ok(bytes) => {
                    listing.push(format!("{}\t{}", m.name, human(bytes.len() as u64)));
                    let sha = crate::sha256_hex(&bytes);
                    let docs = self.read(&path, &path, &bytes, sha, depth + 1);
                    if docs.is_empty()
                        && let Some(line) = listing.last_mut()
                    {
                        line.push_str("\t(see the errors)");
                    }
                    for mut d in docs {
                        if d.parent.is_none() {
                            d.parent = Some(container.id.clone());
                        }
                        out.push(d);
                    }
                }
            }
        }
        if unread > 0 {
            container.warnings.push(format!(
                "{unread} member{} not read (see the list and the errors)",
                if unread == 1 { "" } else { "s" }
            ));
        }
        if list {
            container
                .extra
                .insert("members".to_owned(), listing.len().to_string());
            container.text = listing.join("\n");
        }
        let mut all = vec![container.clone()];
        all.extend(out);
        all
    }
}

/// The document of an archive or a mailbox itself, titled by its file name.
fn container_document(path: &str, bytes: &[u8], sha: &str, kind: &str) -> Document {
    let mut doc = base_document(path, bytes, "binary", sha);
    kind.clone_into(&mut doc.kind);
    file_name(path).clone_into(&mut doc.title);
    doc
}

/// Attachments as members: unique escaped names, bytes within the budget.
fn attachment_members(attached: Vec<Attached>, budget: &mut Budget) -> Vec<Member> {
    let mut namer = Namer::default();
    attached
        .into_iter()
        .map(|a| {
            let (name, escaped) = namer.name(&a.name);
            let size = a.bytes.len() as u64;
            let content = budget.admit(Some(size), None).map(|_| a.bytes);
            if content.is_ok() {
                budget.spend(size);
            }
            Member {
                name,
                escaped,
                content,
            }
        })
        .collect()
}

/// The bytes of one member of a container's bytes, found by its escaped name. `container_name`
/// is the container's path or name (its extension says how to read it).
fn member_bytes(
    container_name: &str,
    bytes: &[u8],
    member: &str,
    limits: &Limits,
) -> Result<Vec<u8>, String> {
    let ext = extension(container_name);
    let mut budget = Budget::new(limits);
    let members = match ext.as_str() {
        "eml" => attachment_members(email::eml_attachments(bytes), &mut budget),
        "msg" => attachment_members(msg::msg_attachments(bytes), &mut budget),
        _ => container::members(
            &ext,
            file_name(container_name),
            bytes,
            &mut budget,
            Want::Only(member),
        )?,
    };
    members
        .into_iter()
        .find(|m| m.name == member)
        .ok_or_else(|| format!("{member} is no longer in {container_name}"))?
        .content
}

/// The bytes of a document's file as received, read again (read-only) from the cache: for a
/// member, the file that holds it is read and unpacked in memory down to the member. `Err`
/// when they cannot be read or no longer have the SHA-256 the scan saw.
pub fn document_bytes(root: &Path, doc: &Document, limits: &Limits) -> Result<Vec<u8>, String> {
    let bytes = if doc.parent.is_none() {
        std::fs::read(root.join(&doc.path))
            .map_err(|e| format!("cannot read the file again ({e})"))?
    } else {
        member_chain_bytes(root, doc, limits)?
    };
    if crate::sha256_hex(&bytes) == doc.sha256 {
        Ok(bytes)
    } else {
        Err("the file changed since it was scanned (rescan the cache)".to_owned())
    }
}

/// Walks a member's path (`a.zip!/b.eml!/c.pdf`, `desk.mbox#3!/d.pdf`) from the file in the cache.
fn member_chain_bytes(root: &Path, doc: &Document, limits: &Limits) -> Result<Vec<u8>, String> {
    let parts = container::split_member_path(&doc.path);
    // The file in the cache is the longest prefix of parts that is a file (a folder's name may
    // hold `!/` itself).
    let (file_parts, first_file) = (1..=parts.len())
        .rev()
        .map(|n| (n, parts[..n].join(container::MEMBER_SEPARATOR)))
        .find(|(_, p)| {
            let (plain, _) = container::split_mailbox_record(p);
            root.join(plain).is_file()
        })
        .ok_or_else(|| format!("{} is no longer in the cache", parts[0]))?;
    let (plain, record) = container::split_mailbox_record(&first_file);
    let mut bytes =
        std::fs::read(root.join(plain)).map_err(|e| format!("cannot read the file again ({e})"))?;
    // The findings name the file as received: it must still be the one the scan saw.
    if doc
        .container_sha256
        .as_ref()
        .is_some_and(|outer| *outer != crate::sha256_hex(&bytes))
    {
        return Err(format!(
            "the file that holds it ({plain}) changed since it was scanned (rescan the cache)"
        ));
    }
    let mut name = plain.to_owned();
    if let Some(n) = record {
        bytes = member_bytes(&name, &bytes, n, limits)?;
        name = format!("{name}.eml");
    }
    for part in &parts[file_parts..] {
        let (member, record) = container::split_mailbox_record(part);
        bytes = member_bytes(&name, &bytes, member, limits)?;
        name = member.to_owned();
        if let Some(n) = record {
            bytes = member_bytes(&name, &bytes, n, limits)?;
            name = format!("{name}.eml");
        }
    }
    // A mailbox's message is a record of the mailbox.
    if extension(&name) == "mbox"
        && let Some(n) = doc.record
    {
        bytes = member_bytes(&name, &bytes, &n.to_string(), limits)?;
    }
    Ok(bytes)
}
