//! Source safety: doctriage never talks to the network, never writes the evidence, never reads
//! outside the cache root because a session says so, and its findings carry exact provenance.
//!
//! Tests whose name starts with `sample_cache_` need the bundled `sample_cache/` (they copy it to
//! a tempdir first and never touch the original). The `strace` checks run only when `strace` is
//! installed: CI installs it (see `.ci/run`) and fails without it; elsewhere they say on stderr
//! that they skip.
#![allow(clippy::unwrap_used)] // Helpers of integration tests unwrap like the tests do.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{BIN, assert_unchanged, run, run_ok, snapshot};
use doctriage::session::{self, DocReview, SESSION_SCHEMA, Session, SessionError};

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the sample cache in a tempdir: `(tempdir, cache folder)`.
fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let src = doctriage::sample_cache_dir();
    assert!(
        src.join("article.md").is_file(),
        "these tests need the sample cache at {}",
        src.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    copy_dir(&src, &cache);
    (dir, cache)
}

/// A full review on the command line over `cache`, with the session and findings in `out_dir`.
/// Returns the commands run (for strace) and the findings path.
fn review_commands(cache: &Path, out_dir: &Path) -> (Vec<Vec<std::ffi::OsString>>, PathBuf) {
    let scanned = common::scan(cache);
    let s_aiming = common::statement_with(&scanned, "puntería").id;
    let s_groza = common::statement_with(&scanned, "Groza-S").id;
    let session = out_dir.join("review.json");
    let findings = out_dir.join("findings.json");
    let c = cache.as_os_str().to_owned();
    let s = session.as_os_str().to_owned();
    let f = findings.as_os_str().to_owned();
    let v = |items: &[&OsStr]| items.iter().map(|x| x.to_os_string()).collect::<Vec<_>>();
    let cmds = vec![
        v(&[os("scan"), &c]),
        v(&[os("scan"), &c, os("--json")]),
        v(&[os("suggest"), &c, os("--json")]),
        v(&[
            os("session"),
            os("new"),
            os("--cache"),
            &c,
            os("--out"),
            &s,
            os("--analyst"),
            os("Tester"),
        ]),
        v(&[
            os("tag"),
            &s,
            os("letters/letter_2019_03_14.txt"),
            os("--status"),
            os("key"),
            os("--date"),
            os("2019-03-14"),
            os("--sender"),
            os("State arms-export agency"),
            os("--equipment"),
            os("OV-7M"),
            os("--tag"),
            os("order"),
            os("--note"),
            os("Order of aiming equipment."),
        ]),
        v(&[
            os("tag"),
            &s,
            os("letters/letter_2019_11_14_ru_cp1251.txt"),
            os("--status"),
            os("relevant"),
            os("--accept-suggestions"),
        ]),
        v(&[
            os("link"),
            &s,
            os("letters/letter_2019_03_14.txt"),
            os(&s_aiming),
            os("--quote"),
            os("state-of-the-art artillery aiming equipment"),
            os("--note"),
            os("same wording"),
        ]),
        v(&[
            os("link"),
            &s,
            os("letters/letter_2019_11_14_ru_cp1251.txt"),
            os(&s_aiming),
            os("--relation"),
            os("context"),
            os("--quote"),
            os("станций помех «Пряжа-4»"),
        ]),
        v(&[
            os("link"),
            &s,
            os("notes/contradicting_note_2021_11_03_groza_withdrawn.txt"),
            os(&s_groza),
            os("--relation"),
            os("contradicts"),
            os("--quote"),
            os("The Groza-S order was withdrawn"),
        ]),
        v(&[
            os("link"),
            &s,
            os("dn-2022-001"),
            os(&s_aiming),
            os("--relation"),
            os("context"),
            os("--quote"),
            os("15 March 2022"),
        ]),
        v(&[os("export"), &s, os("--out"), &f]),
    ];
    (cmds, findings)
}

// ------------------------------------------------------------------ (a) dependencies

/// Packages that can talk to the network (HTTP clients and servers, TLS, WebSocket, async
/// sockets). None may be in Cargo.lock at all.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "h2",
    "h3",
    "quinn",
    "native-tls",
    "rustls",
    "openssl",
    "openssl-sys",
    "reqwless",
    "tungstenite",
    "tokio-tungstenite",
    "async-tungstenite",
    "websocket",
    "ws",
    "mio",
    "socket2",
    "async-net",
    "async-std",
    "smol",
    "tokio-util",
    "http-body",
];

/// `(name, dependencies)` of every package in Cargo.lock.
fn lock_packages() -> Vec<(String, Vec<String>)> {
    let lock =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let mut out = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let mut name = None;
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in block.lines() {
            let line = line.trim();
            if let Some(v) = line.strip_prefix("name = ") {
                name = Some(v.trim_matches('"').to_owned());
            } else if line.starts_with("dependencies = [") {
                in_deps = true;
            } else if in_deps && line.starts_with(']') {
                in_deps = false;
            } else if in_deps {
                // `"name"` or `"name version"`
                let dep = line.trim_matches(|c| c == '"' || c == ',');
                deps.push(dep.split(' ').next().unwrap_or(dep).to_owned());
            }
        }
        out.push((name.expect("every package has a name"), deps));
    }
    out
}

#[test]
fn no_network_client_in_cargo_lock() {
    let packages = lock_packages();
    assert!(
        packages.len() > 50,
        "Cargo.lock parsed into only {} packages",
        packages.len()
    );
    assert!(packages.iter().any(|(n, _)| n == "doctriage"));
    let found: Vec<&str> = packages
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| NETWORK_CRATES.contains(n))
        .collect();
    assert!(found.is_empty(), "network crates in Cargo.lock: {found:?}");
    // tokio is in the lock only through wasm-bindgen-futures (wasm targets); built without its
    // I/O driver it cannot open a socket. Keep it that way.
    for (name, deps) in &packages {
        if name == "tokio" {
            let io: Vec<_> = deps
                .iter()
                .filter(|d| ["mio", "socket2", "libc"].contains(&d.as_str()))
                .collect();
            assert!(
                io.is_empty(),
                "tokio is built with an I/O driver ({io:?}); who enables it?"
            );
        }
    }
}

/// The program's own dependency tree (normal dependencies, this platform): no async runtime or
/// network stack at all. Runs `cargo tree`; when cargo is not usable from the test, says so (on
/// CI that is a failure).
#[test]
fn no_async_runtime_or_socket_crate_in_the_programs_dependency_tree() {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--locked",
            "--offline",
            "--quiet",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            common::skip_unless_ci(&format!(
                "cargo tree failed (Cargo.lock is still checked): {}",
                String::from_utf8_lossy(&o.stderr)
            ));
            return;
        }
        Err(e) => {
            common::skip_unless_ci(&format!(
                "cargo is not runnable (Cargo.lock is still checked): {e}"
            ));
            return;
        }
    };
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: std::collections::BTreeSet<&str> =
        tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(
        names.contains("doctriage") && names.contains("serde_json"),
        "{tree}"
    );
    let forbidden: Vec<&&str> = names
        .iter()
        .filter(|n| {
            NETWORK_CRATES.contains(n) || ["tokio", "async-io", "zbus", "async-process"].contains(n)
        })
        .collect();
    assert!(forbidden.is_empty(), "the program depends on {forbidden:?}");
}

// ------------------------------------------------------------------ (b) no network at run time

#[test]
fn sample_cache_no_network_syscalls_during_a_full_review() {
    if !common::require_tool("strace") {
        return;
    }
    let (dir, cache) = sample_copy();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let (cmds, findings) = review_commands(&cache, &out_dir);
    // A review with OCR: a fresh OCR cache, so the first command renders and reads the sample
    // scans (pdftoppm, tesseract) under the trace, and the others reuse its pages.
    let ocr_cache = tempfile::tempdir().unwrap();
    let ocr = common::require_tool("tesseract");
    for (i, args) in cmds.iter().enumerate() {
        let trace = dir.path().join(format!("trace-{i}.txt"));
        let out = Command::new("strace")
            .env("DOCTRIAGE_OCR_CACHE", ocr_cache.path())
            .args([
                "-f",
                "-qq",
                "-e",
                "trace=execve,socket,socketpair,connect,sendto,sendmsg,sendmmsg,bind,listen",
                "-o",
            ])
            .arg(&trace)
            .arg(BIN)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "strace doctriage {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&trace).unwrap();
        assert!(text.contains("execve("), "strace recorded nothing: {text}");
        if i == 0 && ocr {
            let ran = |tool: &str, arg: &str| {
                text.lines().any(|l| {
                    l.contains("execve(")
                        && l.contains(tool)
                        && l.contains(arg)
                        && l.contains("= 0")
                })
            };
            assert!(
                ran("/tesseract\"", "\"--psm\", \"1\"") && ran("/pdftoppm\"", "-gray"),
                "the first command OCRs the scans under the trace: {text}"
            );
        }
        let calls: Vec<&str> = text.lines().filter(|l| traced_socket_call(l)).collect();
        let network: Vec<&&str> = calls
            .iter()
            .filter(|l| l.contains("AF_INET") || l.contains("AF_NETLINK"))
            .collect();
        assert!(
            network.is_empty(),
            "doctriage {args:?} made network calls: {network:#?}"
        );
        // Not even a local (AF_UNIX) socket is opened today. Should a libc lookup (nscd) ever
        // need one, allow AF_UNIX here and only here.
        assert!(
            calls.is_empty(),
            "doctriage {args:?} used sockets: {calls:#?}"
        );
    }
    assert!(findings.is_file());
}

/// Whether one line of `strace -f -qq` output records a socket-family system call. strace also
/// writes lines that are not calls — `<... socket resumed>` halves, `???( <detached ...>` when a
/// thread ends while traced, `+++`/`---` notes — which name no call of ours.
fn traced_socket_call(line: &str) -> bool {
    const CALLS: [&str; 8] = [
        "socket",
        "socketpair",
        "connect",
        "sendto",
        "sendmsg",
        "sendmmsg",
        "bind",
        "listen",
    ];
    // "PID name(args…" — the pid is absent when strace follows a single process.
    let rest = line.trim_start();
    let rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start();
    // A "<... connect resumed>" half names no call here: its first half was already recorded.
    let name = rest.split('(').next().unwrap_or("");
    CALLS.contains(&name)
}

#[test]
fn the_strace_line_filter_knows_calls_from_notes() {
    assert!(traced_socket_call(
        "20264 connect(3, {sa_family=AF_INET, sin_port=htons(443)}, 16) = 0"
    ));
    assert!(traced_socket_call("socket(AF_UNIX, SOCK_STREAM, 0) = 3"));
    assert!(!traced_socket_call("20264 ???( <detached ...>"));
    assert!(!traced_socket_call("20264 <... connect resumed>) = 0"));
    assert!(!traced_socket_call(
        "20264 execve(\"/bin/doctriage\", [...]) = 0"
    ));
    assert!(!traced_socket_call("+++ exited with 0 +++"));
    assert!(!traced_socket_call(""));
}

// ------------------------------------------------------------------ (c) the evidence is read-only

#[test]
fn sample_cache_a_full_cli_review_leaves_the_cache_byte_for_byte_unchanged() {
    let (dir, cache) = sample_copy();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let before = snapshot(&cache);
    let (cmds, findings) = review_commands(&cache, &out_dir);
    for args in &cmds {
        let refs: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        run_ok(&refs);
    }
    assert!(findings.is_file());
    assert_unchanged(&before, &snapshot(&cache), "after a full review");
    let mut names: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["findings.json", "review.json", "review.json.bak"]);
}

#[test]
fn sample_cache_writing_inside_the_cache_is_refused() {
    let (dir, cache) = sample_copy();
    let before = snapshot(&cache);
    let inside = [
        cache.join("review.json"),
        cache.join("letters/review.json"),
        cache.join("letters/../notes/review.json"),
        dir.path().join("cache/./misc/review.json"),
    ];
    for out in &inside {
        let res = run(&[
            os("session"),
            os("new"),
            os("--cache"),
            cache.as_os_str(),
            os("--out"),
            out.as_os_str(),
        ]);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert_eq!(
            res.status.code(),
            Some(1),
            "session new --out {}: {stderr}",
            out.display()
        );
        assert!(
            stderr.contains("refusing to write inside the cache folder"),
            "{stderr}"
        );
        assert!(
            stderr.trim_end().ends_with(&out.display().to_string()),
            "{stderr}"
        );
    }
    // Through a symlink that leads into the cache.
    #[cfg(unix)]
    {
        let link = dir.path().join("looks_outside");
        std::os::unix::fs::symlink(cache.join("letters"), &link).unwrap();
        let out = link.join("review.json");
        let res = run(&[
            os("session"),
            os("new"),
            os("--cache"),
            cache.as_os_str(),
            os("--out"),
            out.as_os_str(),
        ]);
        assert_eq!(
            res.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    }
    // A session outside, then an export into the cache.
    let session = dir.path().join("review.json");
    run_ok(&[
        os("session"),
        os("new"),
        os("--cache"),
        cache.as_os_str(),
        os("--out"),
        session.as_os_str(),
    ]);
    for out in [
        cache.join("findings.json"),
        cache.join("notes/findings.json"),
    ] {
        let res = run(&[
            os("export"),
            session.as_os_str(),
            os("--out"),
            out.as_os_str(),
        ]);
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert_eq!(
            res.status.code(),
            Some(1),
            "export --out {}: {stderr}",
            out.display()
        );
        assert!(
            stderr.contains("refusing to write inside the cache folder"),
            "{stderr}"
        );
    }
    assert_unchanged(&before, &snapshot(&cache), "after refused writes");
}

/// A session file that someone placed inside the cache folder must not make `tag` write there
/// (the save would create `review.json.bak` and a temporary file among the evidence).
#[test]
fn sample_cache_tag_refuses_a_session_file_inside_the_cache() {
    let (dir, cache) = sample_copy();
    let outside = dir.path().join("review.json");
    run_ok(&[
        os("session"),
        os("new"),
        os("--cache"),
        cache.as_os_str(),
        os("--out"),
        outside.as_os_str(),
    ]);
    // Move it into the cache by hand, pointing at its own folder.
    let mut session = Session::load(&outside).unwrap();
    session.cache = ".".to_owned();
    let inside = cache.join("review.json");
    std::fs::write(&inside, session.to_json()).unwrap();
    let before = snapshot(&cache);
    let res = run(&[
        os("tag"),
        inside.as_os_str(),
        os("letters/letter_2019_03_14.txt"),
        os("--tag"),
        os("x"),
    ]);
    let after = snapshot(&cache);
    assert_unchanged(&before, &after, "tag with a session inside the cache");
    assert_eq!(
        res.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
}

// ------------------------------------------------------------------ (d) provenance

#[test]
fn sample_cache_exported_quotes_and_hashes_match_the_files() {
    let (dir, cache) = sample_copy();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let (cmds, findings_path) = review_commands(&cache, &out_dir);
    for args in &cmds {
        let refs: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        run_ok(&refs);
    }
    let scanned = common::scan(&cache);
    let file_sha = |path: &str| doctriage::sha256_hex(&std::fs::read(cache.join(path)).unwrap());
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&findings_path).unwrap()).unwrap();
    let mut quotes = 0;
    for statement in findings["statements"].as_array().unwrap() {
        for ev in statement["evidence"].as_array().unwrap() {
            let id = ev["document"].as_str().unwrap();
            let doc = scanned
                .document(id)
                .unwrap_or_else(|| panic!("evidence names unknown document {id}"));
            assert_eq!(
                ev["sha256"].as_str(),
                Some(file_sha(&doc.path).as_str()),
                "sha256 of {id}"
            );
            if let Some(quote) = ev["quote"].as_str() {
                let start = ev["start"].as_u64().unwrap() as usize;
                let end = ev["end"].as_u64().unwrap() as usize;
                assert_eq!(
                    common::chars(&doc.text, start, end),
                    quote,
                    "quote of {id} at {start}..{end}"
                );
                assert_eq!(
                    session::quote_at(&doc.text, start, end).as_deref(),
                    Some(quote)
                );
                quotes += 1;
            }
        }
    }
    assert_eq!(quotes, 4, "every linked quote is exported");
    // `documents` lists the documents given a status (the two tagged ones); linked documents
    // that were never given a status appear only as evidence, with their hash there.
    let documents = findings["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 2, "{documents:?}");
    for d in documents {
        let path = d["path"].as_str().unwrap();
        assert_eq!(
            d["sha256"].as_str(),
            Some(file_sha(path).as_str()),
            "sha256 of {path}"
        );
        let id = d["id"].as_str().unwrap();
        assert_eq!(scanned.document(id).map(|x| x.path.as_str()), Some(path));
    }
    // The non-ASCII quotes: offsets are chars, not bytes.
    let ru = scanned
        .document("letters/letter_2019_11_14_ru_cp1251.txt")
        .unwrap();
    assert_eq!(ru.encoding, "windows-1251");
    let all: Vec<&serde_json::Value> = findings["statements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["evidence"].as_array().unwrap())
        .collect();
    let ru_ev = all
        .iter()
        .find(|e| e["document"] == ru.id.as_str())
        .unwrap();
    assert_eq!(ru_ev["quote"], "станций помех «Пряжа-4»");
}

// ------------------------------------------------------------------ sessions cannot reach outside the root

/// A cache in a tempdir, a secret file beside it (outside the root), and a session whose document
/// ids try to reach the secret.
struct Hostile {
    dir: tempfile::TempDir,
    secret: PathBuf,
    session: PathBuf,
}

const SECRET: &str = "TOP SECRET OUTSIDE THE CACHE";

fn hostile_session() -> Hostile {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(cache.join("letters")).unwrap();
    std::fs::write(
        cache.join("letters/a.txt"),
        "Title: A\n\nA record inside the cache.\n",
    )
    .unwrap();
    std::fs::write(
        cache.join("article.md"),
        "# Article\n\nBelarus supplied sights. Nothing else happened.\n",
    )
    .unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let session_path = dir.path().join("review.json");
    let scanned = common::scan(&cache);
    let session = Session::new(&cache, Some(&session_path), "x", &scanned);
    let review = |tag: &str| {
        serde_json::to_value(DocReview {
            sha256: "0".repeat(64),
            status: session::Status::Key,
            tags: vec![tag.to_owned()],
            ..DocReview::default()
        })
        .unwrap()
    };
    // A hostile session is a file someone hands over: its reviews are written as JSON, never
    // through commands (which refuse ids the cache does not hold).
    let mut json = serde_json::to_value(&session).unwrap();
    let docs = json["documents"].as_object_mut().unwrap();
    for id in [
        "../secret.txt".to_owned(),
        "../../etc/passwd".to_owned(),
        "/etc/passwd".to_owned(),
        secret.display().to_string(),
        "letters/../../secret.txt".to_owned(),
        "../secret.txt#1".to_owned(),
    ] {
        docs.insert(id, review("hostile"));
    }
    docs.insert(
        "letters/a.txt".to_owned(),
        serde_json::to_value(DocReview {
            sha256: scanned.document("letters/a.txt").unwrap().sha256.clone(),
            status: session::Status::Relevant,
            ..DocReview::default()
        })
        .unwrap(),
    );
    docs.insert("letters/gone.txt".to_owned(), review("missing"));
    std::fs::write(&session_path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    // Six ids that leave the root, one record of the cache, one record that is gone.
    assert_eq!(Session::load(&session_path).unwrap().reviews().len(), 8);
    Hostile {
        dir,
        secret,
        session: session_path,
    }
}

#[test]
fn verify_puts_ids_that_leave_the_root_in_outside_root() {
    let h = hostile_session();
    let session = Session::load(&h.session).unwrap();
    assert_eq!(session.cache_root(&h.session), h.dir.path().join("cache"));
    let cache = common::scan(&session.cache_root(&h.session));
    let v = session.verify(&cache);
    let mut outside = v.outside_root.clone();
    outside.sort();
    let mut expected = vec![
        "../../etc/passwd".to_owned(),
        "../secret.txt".to_owned(),
        "../secret.txt#1".to_owned(),
        "/etc/passwd".to_owned(),
        h.secret.display().to_string(),
        "letters/../../secret.txt".to_owned(),
    ];
    expected.sort();
    assert_eq!(outside, expected);
    assert_eq!(v.missing, ["letters/gone.txt"]);
    assert!(v.changed.is_empty(), "{:?}", v.changed);
    assert!(!v.is_clean());
    let messages = v.messages();
    assert!(
        messages
            .iter()
            .any(|m| m
                == "tagged id points outside the cache (kept aside, not followed): /etc/passwd")
    );
}

#[test]
fn a_hostile_session_never_makes_doctriage_read_outside_the_root() {
    let h = hostile_session();
    let findings = h.dir.path().join("findings.json");
    let cmds: Vec<Vec<&OsStr>> = vec![
        vec![
            os("tag"),
            h.session.as_os_str(),
            os("letters/a.txt"),
            os("--tag"),
            os("ok"),
        ],
        vec![
            os("export"),
            h.session.as_os_str(),
            os("--out"),
            findings.as_os_str(),
        ],
    ];
    for args in &cmds {
        let out = run_ok(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "tagged id points outside the cache (kept aside, not followed): /etc/passwd"
            ),
            "{stderr}"
        );
        assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET));
        assert!(!stderr.contains(SECRET));
    }
    // The hostile reviews are kept aside in the session, untouched.
    let session = Session::load(&h.session).unwrap();
    assert_eq!(session.reviews()["../secret.txt"].tags, ["hostile"]);
    assert_eq!(session.reviews()["letters/a.txt"].tags, ["ok"]);
    let exported = std::fs::read_to_string(&findings).unwrap();
    assert!(!exported.contains(SECRET));
    assert!(!exported.contains("root:x:0:0"));
    // No command-line tool can be asked to read a document by a session id: only the trace can
    // prove nothing opened (or even looked at) the secret.
    if !common::require_tool("strace") {
        return;
    }
    for args in &cmds {
        let trace = h.dir.path().join("files.txt");
        let out = Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=%file,%desc", "-o"])
            .arg(&trace)
            .arg(BIN)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&trace).unwrap();
        assert!(
            text.contains("letters/a.txt"),
            "the trace does not show the cache being read"
        );
        for line in text.lines() {
            assert!(
                !line.contains("secret.txt"),
                "doctriage {args:?} touched the secret: {line}"
            );
            assert!(
                !line.contains("/etc/passwd"),
                "doctriage {args:?} touched /etc/passwd: {line}"
            );
        }
        std::fs::remove_file(&trace).unwrap();
    }
}

#[test]
fn a_session_whose_cache_is_not_a_folder_is_a_clear_error() {
    let h = hostile_session();
    let mut session = Session::load(&h.session).unwrap();
    for cache in ["/etc/passwd", "/nonexistent/doctriage-cache"] {
        session.cache = cache.to_owned();
        session.save(&h.session).unwrap();
        let out = run(&[
            os("tag"),
            h.session.as_os_str(),
            os("letters/a.txt"),
            os("--tag"),
            os("x"),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr
                .trim_end()
                .ends_with(&format!("not a folder: {cache}")),
            "{stderr}"
        );
    }
}

#[test]
fn check_outside_cache_refuses_paths_inside_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(cache.join("sub")).unwrap();
    let refused = [
        cache.join("s.json"),
        cache.join("sub/s.json"),
        cache.join("sub/../s.json"),
        cache.join("./sub/./s.json"),
        cache.join("new_folder_not_yet_there/s.json"),
        cache.clone(),
    ];
    for p in &refused {
        let err = session::check_outside_cache(&cache, p).unwrap_err();
        assert!(matches!(err, SessionError::Command(_)));
        assert_eq!(
            err.to_string(),
            format!(
                "refusing to write inside the cache folder (evidence is read-only): {}",
                p.display()
            )
        );
    }
    let allowed = [
        dir.path().join("s.json"),
        dir.path().join("cache2/s.json"),
        dir.path().join("cache.json"),
        cache.join("../s.json"),
    ];
    for p in &allowed {
        assert!(
            session::check_outside_cache(&cache, p).is_ok(),
            "{} was refused",
            p.display()
        );
    }
    #[cfg(unix)]
    {
        let link = dir.path().join("alias");
        std::os::unix::fs::symlink(&cache, &link).unwrap();
        assert!(
            session::check_outside_cache(&cache, &link.join("s.json")).is_err(),
            "a symlink into the cache"
        );
        assert!(
            session::check_outside_cache(&link, &cache.join("sub/s.json")).is_err(),
            "a cache given by a symlink"
        );
    }
    // A relative path, resolved against the working folder.
    let here = std::env::current_dir().unwrap();
    assert!(session::check_outside_cache(&here, Path::new("s.json")).is_err());
    assert!(session::check_outside_cache(&here, Path::new("sub/s.json")).is_err());
}

// ------------------------------------------------------------------ session schemas

/// A one-record cache (`cache/a.txt`) in a tempdir, for session files beside it.
fn schema_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "cache/a.txt", "Title: A\n\nA record.\n");
    dir
}

/// A session file over `dir/cache` whose `schema` is this value (absent when `None`), and
/// nothing else wrong with it.
fn session_with_schema(dir: &Path, name: &str, schema: Option<serde_json::Value>) -> PathBuf {
    let mut v = serde_json::json!({
        "cache": "cache",
        "created": "2020-01-01T00:00:00Z",
        "modified": "2020-01-01T00:00:00Z",
    });
    if let Some(schema) = schema {
        v["schema"] = schema;
    }
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

fn listing(dir: &Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names
}

/// `doctriage tag` on a session file it must refuse: exit 1, one line on stderr (returned), the
/// file and its folder left as they were.
#[track_caller]
fn refused_by_the_cli(path: &Path, what: &str) -> String {
    let dir = path.parent().unwrap();
    let (bytes, names) = (std::fs::read(path).unwrap(), listing(dir));
    let out = run(&[
        os("tag"),
        path.as_os_str(),
        os("a.txt"),
        os("--tag"),
        os("x"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{what}: {stderr}");
    assert!(
        stderr.contains("not a readable session"),
        "{what}: {stderr}"
    );
    assert_eq!(std::fs::read(path).unwrap(), bytes, "{what}: file changed");
    assert_eq!(listing(dir), names, "{what}: files left beside it");
    stderr.into_owned()
}

/// `Session::load` refuses the file as corrupt, naming it; the message is returned.
#[track_caller]
fn refused_by_load(path: &Path, what: &str) -> String {
    let err = Session::load(path).unwrap_err();
    assert!(
        matches!(&err, SessionError::Corrupt { path: p, .. } if p == path),
        "{what}: {err:?}"
    );
    let msg = err.to_string();
    assert!(msg.ends_with(&path.display().to_string()), "{msg}");
    msg
}

/// Wrong or unknown schema strings are refused, by the library and the command line, naming the
/// schema found and the one expected; the file is left as it was.
#[test]
fn session_schema_is_checked_on_load() {
    let dir = schema_dir();
    for (i, bad) in [
        "doctriage.session/4",
        "doctriage.session/0",
        "doctriage.session/10",
        "doctriage-session/1",
        "DOCTRIAGE.SESSION/1",
        " doctriage.session/1",
        "doctriage.session/1\n",
        "doctriage.session",
        "doctriage.findings/1",
        "https://example.org/session.schema.json",
        "",
    ]
    .into_iter()
    .enumerate()
    {
        let path = session_with_schema(dir.path(), &format!("bad-{i}.json"), Some(bad.into()));
        let bytes = std::fs::read(&path).unwrap();
        let reason = format!("unsupported schema {bad:?} (expected {SESSION_SCHEMA:?})");
        let msg = refused_by_load(&path, bad);
        assert!(msg.contains(&reason), "{bad:?}: {msg}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{bad:?}: file changed"
        );
        let stderr = refused_by_the_cli(&path, bad);
        assert!(stderr.contains(&reason), "{bad:?}: {stderr}");
    }
}

/// A session file without a schema, or with one that is not a string, is refused too.
#[test]
fn a_session_without_a_schema_string_is_refused() {
    let dir = schema_dir();
    for (i, (what, schema)) in [
        ("no schema", None),
        ("a number", Some(serde_json::json!(1))),
        ("null", Some(serde_json::Value::Null)),
        ("a list", Some(serde_json::json!([SESSION_SCHEMA]))),
    ]
    .into_iter()
    .enumerate()
    {
        let path = session_with_schema(dir.path(), &format!("odd-{i}.json"), schema);
        refused_by_load(&path, what);
        refused_by_the_cli(&path, what);
    }
}

/// The supported schema loads, the command line edits such a file and writes it back, and a new
/// session is saved with it.
#[test]
fn the_supported_session_schema_loads_and_is_written_back() {
    let dir = schema_dir();
    let good = session_with_schema(dir.path(), "good.json", Some(SESSION_SCHEMA.into()));
    assert_eq!(Session::load(&good).unwrap().schema, SESSION_SCHEMA);
    run_ok(&[
        os("tag"),
        good.as_os_str(),
        os("a.txt"),
        os("--tag"),
        os("x"),
    ]);
    let tagged = Session::load(&good).unwrap();
    assert_eq!(tagged.schema, SESSION_SCHEMA);
    assert_eq!(tagged.reviews()["a.txt"].tags, ["x"]);

    let cache = common::scan(&dir.path().join("cache"));
    let new = dir.path().join("new.json");
    Session::new(&cache.root, Some(&new), "t", &cache)
        .save(&new)
        .unwrap();
    assert_eq!(Session::load(&new).unwrap().schema, SESSION_SCHEMA);

    // The schemas before it load too, and are written back as the current one.
    for (i, old) in ["doctriage.session/1", "doctriage.session/2"]
        .iter()
        .enumerate()
    {
        let path = session_with_schema(dir.path(), &format!("old-{i}.json"), Some((*old).into()));
        assert_eq!(
            Session::load(&path).unwrap().schema,
            SESSION_SCHEMA,
            "{old}"
        );
        run_ok(&[
            os("tag"),
            path.as_os_str(),
            os("a.txt"),
            os("--tag"),
            os("y"),
        ]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(&format!("\"schema\": \"{SESSION_SCHEMA}\"")),
            "{old}: {text}"
        );
    }
}
