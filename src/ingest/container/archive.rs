//! Zip (stored and deflate), tar, tar.gz and single gzip'd files, read from memory with every
//! member's bytes bounded by the [`Budget`].

use std::io::{Cursor, Read};

use super::{Budget, Member, Namer, Want};

/// True for `x.tar.gz` (and `X.TAR.GZ`).
pub(crate) fn is_tar_gz(file_name: &str) -> bool {
    file_name.to_lowercase().ends_with(".tar.gz")
}

/// The one member of `notes.txt.gz`: `notes.txt`.
pub(crate) fn gzip_member_name(file_name: &str) -> String {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    match base.len().checked_sub(3) {
        Some(cut) if cut > 0 && base.is_char_boundary(cut) => base[..cut].to_owned(),
        _ => "contents".to_owned(),
    }
}

/// Reads at most `cap` bytes; `Err` with the budget's reason when there is more.
fn read_capped(reader: impl Read, cap: u64, budget: &Budget) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot be read ({e})"))?;
    if bytes.len() as u64 > cap {
        return Err(budget.over(cap));
    }
    Ok(bytes)
}

/// Keeps a listed member, taking its bytes off the budget; true when it was the one wanted.
pub(super) fn keep(out: &mut Vec<Member>, budget: &mut Budget, want: Want<'_>, m: Member) -> bool {
    if let Ok(b) = &m.content {
        budget.spend(b.len() as u64);
    }
    let found = m.content.is_ok();
    out.push(m);
    want.done(found)
}

/// The members of a zip archive (directories left out).
pub(super) fn zip_members(
    bytes: &[u8],
    budget: &mut Budget,
    want: Want<'_>,
) -> Result<Vec<Member>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable zip archive ({e})"))?;
    let mut namer = Namer::default();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let entry = match archive.by_index_raw(i) {
            Ok(entry) => entry,
            Err(e) => {
                let (name, escaped) = namer.name(&format!("member {}", i + 1));
                out.push(Member {
                    name,
                    escaped,
                    content: Err(format!("corrupt entry ({e})")),
                });
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let raw_name = entry
            .name()
            .map_or_else(|_| format!("member {}", i + 1), |n| n.into_owned());
        let (declared, packed, encrypted) =
            (entry.size(), entry.compressed_size(), entry.encrypted());
        let method = entry.compression();
        drop(entry);
        let (name, escaped) = namer.name(&raw_name);
        if !want.wants(&name) {
            continue;
        }
        let content = if encrypted {
            Err("encrypted: not read".to_owned())
        } else {
            match budget.admit(Some(declared), Some(packed)) {
                Err(reason) => Err(reason),
                Ok(cap) => match archive.by_index(i) {
                    Ok(file) => read_capped(file, cap, budget),
                    Err(zip::result::ZipError::UnsupportedArchive(why)) => Err(format!(
                        "compressed with a method not read here ({method}: {why})"
                    )),
                    Err(e) => Err(format!("cannot be read ({e})")),
                },
            }
        };
        if keep(
            &mut out,
            budget,
            want,
            Member {
                name,
                escaped,
                content,
            },
        ) {
            break;
        }
    }
    Ok(out)
}

/// A reader that fails once more than `cap` bytes came out of it (a gzip bomb stops there).
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other("over the uncompressed size limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The members of a tar archive, gzip'd or not (only regular files are read; links and devices
/// are listed as not read).
pub(super) fn tar_members(
    bytes: &[u8],
    budget: &mut Budget,
    want: Want<'_>,
    gzipped: bool,
) -> Result<Vec<Member>, String> {
    // The whole stream is bounded: a gzip'd tar may not unpack beyond the total limit, nor beyond
    // the ratio limit when it is big.
    let stream_cap = if gzipped {
        let by_ratio = (bytes.len() as u64)
            .saturating_mul(budget.limits.max_ratio)
            .max(super::RATIO_FLOOR);
        // Tar headers and padding come on top of the members' bytes.
        budget.bytes_left.min(by_ratio).saturating_add(1024 * 1024)
    } else {
        u64::MAX
    };
    let reader: Box<dyn Read> = if gzipped {
        Box::new(flate2::read::MultiGzDecoder::new(Cursor::new(bytes)))
    } else {
        Box::new(Cursor::new(bytes))
    };
    let mut archive = tar::Archive::new(Capped {
        inner: reader,
        left: stream_cap,
    });
    let entries = archive
        .entries()
        .map_err(|e| format!("not a readable tar archive ({e})"))?;
    let mut namer = Namer::default();
    let mut out = Vec::new();
    let mut any = false;
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if !any => return Err(format!("not a readable tar archive ({e})")),
            Err(e) => {
                let (name, escaped) = namer.name("(the rest of the archive)");
                out.push(Member {
                    name,
                    escaped,
                    content: Err(format!("cannot be read ({e})")),
                });
                break;
            }
        };
        any = true;
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let (name, escaped) = namer.name(&raw_name);
        if !want.wants(&name) {
            continue;
        }
        let content = if kind.is_file() {
            let declared = entry.header().size().ok();
            budget
                .admit(declared, None)
                .and_then(|cap| read_capped(entry, cap, budget))
        } else {
            Err("a link or special file: not read".to_owned())
        };
        if keep(
            &mut out,
            budget,
            want,
            Member {
                name,
                escaped,
                content,
            },
        ) {
            break;
        }
    }
    if !any {
        return Err("not a readable tar archive (no entries)".to_owned());
    }
    Ok(out)
}

/// The one member of a gzip'd file that is not a tar.
pub(super) fn gzip_member(
    file_name: &str,
    bytes: &[u8],
    budget: &mut Budget,
) -> Result<Vec<Member>, String> {
    let (name, escaped) = Namer::default().name(&gzip_member_name(file_name));
    let content = budget.admit(None, None).and_then(|cap| {
        let by_ratio = (bytes.len() as u64)
            .saturating_mul(budget.limits.max_ratio)
            .max(super::RATIO_FLOOR);
        let mut decoder = flate2::read::MultiGzDecoder::new(Cursor::new(bytes));
        let mut first = [0u8; 1];
        // Not gzip at all: say so about the file rather than about a member.
        if let Err(e) = decoder.read(&mut first) {
            return Err(format!("gzip: {e}"));
        }
        let rest =
            read_capped(decoder, cap.min(by_ratio).saturating_sub(1), budget).map_err(|e| {
                if cap > by_ratio {
                    format!(
                        "unpacks to more than {}:1 of its compressed size (a gzip bomb?)",
                        budget.limits.max_ratio
                    )
                } else {
                    e
                }
            })?;
        let mut all = Vec::with_capacity(rest.len() + 1);
        all.push(first[0]);
        all.extend(rest);
        Ok(all)
    });
    match content {
        Err(e) if e.starts_with("gzip: ") => Err(format!("not a readable gzip file ({})", &e[6..])),
        content => {
            if let Ok(b) = &content {
                budget.spend(b.len() as u64);
            }
            Ok(vec![Member {
                name,
                escaped,
                content,
            }])
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::super::Limits;
    use super::*;

    fn zip_of(members: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn zip_members_are_read_in_order_with_their_names() {
        let bytes = zip_of(
            &[
                ("a.txt", b"alpha"),
                ("../up.txt", b"up"),
                ("dir/b.txt", b"beta"),
            ],
            zip::CompressionMethod::Deflated,
        );
        let mut budget = Budget::new(&Limits::default());
        let members = zip_members(&bytes, &mut budget, Want::All).unwrap();
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "%2E%2E/up.txt", "dir/b.txt"]);
        assert!(members[1].escaped);
        assert_eq!(members[2].content.as_deref(), Ok(&b"beta"[..]));
        let one = zip_members(&bytes, &mut budget, Want::Only("%2E%2E/up.txt")).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].content.as_deref(), Ok(&b"up"[..]));
    }

    #[test]
    fn a_member_over_the_limit_is_listed_not_read() {
        let big = vec![0u8; 3 * 1024 * 1024];
        let bytes = zip_of(
            &[("zeros.bin", &big), ("ok.txt", b"ok")],
            zip::CompressionMethod::Deflated,
        );
        let mut budget = Budget::new(&Limits::default());
        let members = zip_members(&bytes, &mut budget, Want::All).unwrap();
        let reason = members[0].content.as_ref().unwrap_err();
        assert!(reason.contains("compression ratio"), "{reason}");
        assert_eq!(members[1].content.as_deref(), Ok(&b"ok"[..]));
    }

    #[test]
    fn broken_archives_give_reasons() {
        let mut budget = Budget::new(&Limits::default());
        let err = zip_members(b"PK\x03\x04 not really", &mut budget, Want::All).unwrap_err();
        assert!(err.starts_with("not a readable zip archive"), "{err}");
        let err = tar_members(b"not a tar at all", &mut budget, Want::All, false).unwrap_err();
        assert!(err.starts_with("not a readable tar archive"), "{err}");
        let err = gzip_member("x.txt.gz", b"plain", &mut budget).unwrap_err();
        assert!(err.starts_with("not a readable gzip file"), "{err}");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_ratio() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![0u8; 8 * 1024 * 1024]).unwrap();
        let bytes = gz.finish().unwrap();
        let mut budget = Budget::new(&Limits::default());
        let members = gzip_member("zeros.bin.gz", &bytes, &mut budget).unwrap();
        assert_eq!(members[0].name, "zeros.bin");
        let reason = members[0].content.as_ref().unwrap_err();
        assert!(reason.contains("gzip bomb"), "{reason}");
    }

    #[test]
    fn gzip_names_drop_the_suffix() {
        assert_eq!(gzip_member_name("dir/notes.txt.gz"), "notes.txt");
        assert_eq!(gzip_member_name(".gz"), "contents");
        assert!(is_tar_gz("a/B.TAR.GZ"));
        assert!(!is_tar_gz("a/b.gz"));
    }
}
