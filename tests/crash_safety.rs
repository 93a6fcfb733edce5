//! Sessions survive crashes, corrupt files are left alone, and two processes cannot edit one
//! session at once ([`doctriage::lock::SessionLock`]).
//!
//! The crash test kills the real binary (`doctriage tag`) with SIGKILL at random moments, over a
//! tiny cache made in a tempdir. None of these tests need the sample cache.
#![allow(clippy::unwrap_used)] // Helpers of integration tests unwrap like the tests do.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{BIN, run, run_ok};
use doctriage::fsutil;
use doctriage::lock::{self, LockError, LockInfo, SessionLock};
use doctriage::session::{Session, SessionError};

/// A tiny cache (a few .txt files) and a fresh session over it, outside the cache.
struct Setup {
    _dir: tempfile::TempDir,
    cache: PathBuf,
    session: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    for i in 1..=4 {
        std::fs::write(
            cache.join(format!("letter_{i}.txt")),
            format!("Title: Letter {i}\nDate: 2019-0{i}-14\n\nBody of letter number {i}, about OV-7M sights.\n"),
        )
        .unwrap();
    }
    let session = dir.path().join("review.json");
    run_ok(&[
        "session".as_ref(),
        "new".as_ref(),
        "--cache".as_ref(),
        cache.as_os_str(),
        "--out".as_ref(),
        session.as_os_str(),
    ]);
    Setup {
        _dir: dir,
        cache,
        session,
    }
}

fn tags(session: &Session, doc: &str) -> Vec<String> {
    session
        .reviews()
        .get(doc)
        .map(|r| r.tags.clone())
        .unwrap_or_default()
}

/// A tiny linear congruential generator: reproducible "random" delays without a crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// Starts `doctriage tag SESSION DOC --tag TAG`, sends SIGKILL after `delay`, and returns how the
/// run ended (it may have finished first).
#[cfg(unix)]
fn tag_killed_after(s: &Setup, doc: &str, tag: &str, delay: Duration) -> std::process::Output {
    let mut child = Command::new(BIN)
        .args([
            "tag".as_ref(),
            s.session.as_os_str(),
            doc.as_ref(),
            "--tag".as_ref(),
            tag.as_ref(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL on unix
    child.wait_with_output().unwrap()
}

/// After run `i` (killed or finished): the session loads and is either the previous one or the
/// previous one plus `tag` (that one if the run finished), and the backup is an earlier state.
/// Returns the session now on disk.
#[cfg(unix)]
fn check_after_run(
    s: &Setup,
    doc: &str,
    (i, delay): (usize, Duration),
    out: &std::process::Output,
    previous: &Session,
    tag: &str,
) -> Session {
    let now = Session::load(&s.session)
        .unwrap_or_else(|e| panic!("run {i} (killed after {delay:?}): session broken: {e}"));
    let before = tags(previous, doc);
    let after = tags(&now, doc);
    let mut expected_new = before.clone();
    expected_new.push(tag.to_owned());
    assert!(
        after == before || after == expected_new,
        "run {i}: session is neither the previous nor the new one: {before:?} -> {after:?}"
    );
    if out.status.success() {
        assert_eq!(
            after, expected_new,
            "run {i}: finished but the tag is not saved"
        );
    }
    let bak = bak_path(&s.session);
    if bak.exists() {
        let backup = Session::load(&bak).unwrap_or_else(|e| panic!("run {i}: backup broken: {e}"));
        let b = tags(&backup, doc);
        assert!(
            after.starts_with(&b),
            "run {i}: backup {b:?} is not an earlier state of {after:?}"
        );
    }
    now
}

/// Temporary files of killed saves beside the session, by name.
#[cfg(unix)]
fn temporaries(s: &Setup) -> usize {
    std::fs::read_dir(s.session.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .count()
}

#[cfg(unix)]
#[test]
fn sigkill_during_tag_never_leaves_a_broken_session() {
    use std::os::unix::process::ExitStatusExt as _;
    const RUNS: usize = 220;
    let s = setup();
    let doc = "letter_2.txt";
    let mut previous = Session::load(&s.session).unwrap();
    let mut rng = Lcg(0x5eed_d0c7_u64);
    let (mut killed, mut finished) = (0, 0);
    for i in 0..RUNS {
        let tag = format!("t{i}");
        let delay = Duration::from_micros(rng.next() % 30_001);
        let out = tag_killed_after(&s, doc, &tag, delay);
        if out.status.signal() == Some(9) {
            killed += 1;
        } else {
            finished += 1;
            assert!(
                out.status.success(),
                "run {i}: tag failed without being killed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        previous = check_after_run(&s, doc, (i, delay), &out, &previous, &tag);
    }
    // Kills must land at many moments: before the scan, during it, during the save, after exit.
    eprintln!("{RUNS} runs: {killed} killed by SIGKILL, {finished} finished first");
    assert!(
        killed >= RUNS / 10,
        "only {killed} of {RUNS} runs were killed; the delays do not reach into the run"
    );
    let saved = tags(&previous, doc).len();
    assert!(saved >= 1, "no run ever saved");
    // Temporary files of killed saves are left beside the session (never inside the cache).
    let leftovers = temporaries(&s);
    eprintln!("{saved} tags saved; {leftovers} temporary files left by killed saves");
    // The next complete save removes what killed saves left behind.
    run_ok(&[
        "tag".as_ref(),
        s.session.as_os_str(),
        doc.as_ref(),
        "--tag".as_ref(),
        "after-the-kills".as_ref(),
    ]);
    assert_eq!(
        temporaries(&s),
        0,
        "temporary files of killed saves are cleaned up by the next save"
    );
    assert!(
        std::fs::read_dir(&s.cache)
            .unwrap()
            .flatten()
            .all(|e| e.file_name().to_string_lossy().starts_with("letter_"))
    );
}

fn bak_path(session: &Path) -> PathBuf {
    let mut name = session.file_name().unwrap().to_os_string();
    name.push(".bak");
    session.with_file_name(name)
}

// ------------------------------------------------------------------ corrupt session files

fn corrupt_variants(valid: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("truncated", valid.as_bytes()[..valid.len() / 2].to_vec()),
        ("empty", Vec::new()),
        (
            "not utf-8",
            b"{\"schema\": \"doctriage.session/1\", \"cache\": \"\xff\xfe\"}".to_vec(),
        ),
        (
            "wrong schema",
            valid
                .replace(doctriage::session::SESSION_SCHEMA, "doctriage.session/99")
                .into_bytes(),
        ),
        ("not a session", b"[1, 2, 3]\n".to_vec()),
        ("binary", (0u8..=255).collect()),
    ]
}

#[test]
fn loading_a_corrupt_session_is_a_clear_error_and_leaves_the_file_unchanged() {
    let s = setup();
    let valid = std::fs::read_to_string(&s.session).unwrap();
    for (what, bytes) in corrupt_variants(&valid) {
        std::fs::write(&s.session, &bytes).unwrap();
        let err = Session::load(&s.session).unwrap_err();
        assert!(
            matches!(err, SessionError::Corrupt { .. }),
            "{what}: {err:?}"
        );
        let msg = err.to_string();
        assert!(msg.starts_with("not a readable session ("), "{what}: {msg}");
        assert!(
            msg.ends_with(&format!(
                "the file was left untouched: {}",
                s.session.display()
            )),
            "{what}: {msg}"
        );
        assert!(!msg.contains('\n'), "{what}: {msg}");
        assert_eq!(
            std::fs::read(&s.session).unwrap(),
            bytes,
            "{what}: file changed"
        );
    }
    let err = Session::load(&s.session.with_file_name("missing.json")).unwrap_err();
    assert!(matches!(err, SessionError::Io { .. }), "{err:?}");
    assert!(err.to_string().ends_with("missing.json"), "{err}");
}

#[test]
fn cli_on_a_corrupt_session_exits_1_with_one_line_and_leaves_it_unchanged() {
    let s = setup();
    let valid = std::fs::read_to_string(&s.session).unwrap();
    let export_out = s.session.with_file_name("findings.json");
    for (what, bytes) in corrupt_variants(&valid) {
        std::fs::write(&s.session, &bytes).unwrap();
        let before = listing(s.session.parent().unwrap());
        let runs: Vec<(&str, Vec<&std::ffi::OsStr>)> = vec![
            (
                "tag",
                vec![
                    "tag".as_ref(),
                    s.session.as_os_str(),
                    "letter_1.txt".as_ref(),
                    "--tag".as_ref(),
                    "x".as_ref(),
                ],
            ),
            (
                "link",
                vec![
                    "link".as_ref(),
                    s.session.as_os_str(),
                    "letter_1.txt".as_ref(),
                    "S1".as_ref(),
                ],
            ),
            (
                "export",
                vec![
                    "export".as_ref(),
                    s.session.as_os_str(),
                    "--out".as_ref(),
                    export_out.as_os_str(),
                ],
            ),
        ];
        for (cmd, args) in runs {
            let out = run(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what} / {cmd}: {stderr}");
            assert_eq!(
                stderr.lines().count(),
                1,
                "{what} / {cmd}: one line expected: {stderr}"
            );
            let line = stderr.trim_end();
            assert!(
                line.starts_with("doctriage: error: "),
                "{what} / {cmd}: {line}"
            );
            assert!(
                line.ends_with(&s.session.display().to_string()),
                "{what} / {cmd}: {line}"
            );
            assert_eq!(
                std::fs::read(&s.session).unwrap(),
                bytes,
                "{what} / {cmd}: session changed"
            );
            assert_eq!(
                listing(s.session.parent().unwrap()),
                before,
                "{what} / {cmd}: files created or removed"
            );
        }
    }
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_save_keeps_the_previous_version_as_bak() {
    let s = setup();
    let first = std::fs::read(&s.session).unwrap();
    let out = run(&[
        "tag".as_ref(),
        s.session.as_os_str(),
        "letter_1.txt".as_ref(),
        "--tag".as_ref(),
        "a".as_ref(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(bak_path(&s.session)).unwrap(), first);
    assert_eq!(
        tags(&Session::load(&s.session).unwrap(), "letter_1.txt"),
        ["a"]
    );
}

// ------------------------------------------------------------------ the session lock

#[test]
fn a_second_lock_in_the_same_process_is_refused_and_drop_releases_it() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    let held = SessionLock::acquire(&session).unwrap();
    let lock_file = dir.path().join("review.json.lock");
    assert_eq!(held.lock_path(), lock_file);
    assert_eq!(held.session_path(), session);
    assert_eq!(lock::lock_path(&session), lock_file);
    let info: LockInfo = serde_json::from_slice(&std::fs::read(&lock_file).unwrap()).unwrap();
    assert_eq!(info.pid, std::process::id());
    assert!(!info.since.is_empty());
    assert_eq!(
        lock::holder(&session).map(|i| i.pid),
        Some(std::process::id())
    );

    let err = SessionLock::acquire(&session).unwrap_err();
    match &err {
        LockError::Held { pid, path, .. } => {
            assert_eq!(*pid, std::process::id());
            assert_eq!(path, &session);
        }
        other => panic!("expected Held, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "session is open in another doctriage (pid {}): {}",
            std::process::id(),
            session.display()
        )
    );
    // The refused attempt left the holder's lock alone.
    assert!(lock_file.exists());
    drop(held);
    assert!(!lock_file.exists(), "the lock file is removed on drop");
    assert!(lock::holder(&session).is_none());
    let again = SessionLock::acquire(&session).unwrap();
    drop(again);
    assert_eq!(listing(dir.path()), Vec::<String>::new());
}

#[test]
fn a_stale_lock_of_a_dead_pid_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    let lock_file = lock::lock_path(&session);
    assert!(!fsutil::pid_alive(999_999));
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    for stale_host in [host.trim(), ""] {
        let stale = LockInfo {
            pid: 999_999,
            host: stale_host.to_owned(),
            since: "2020-01-01T00:00:00Z".to_owned(),
        };
        std::fs::write(&lock_file, serde_json::to_vec(&stale).unwrap()).unwrap();
        assert!(lock::holder(&session).is_none());
        let held = SessionLock::acquire(&session).unwrap();
        let info: LockInfo = serde_json::from_slice(&std::fs::read(&lock_file).unwrap()).unwrap();
        assert_eq!(info.pid, std::process::id());
        assert_eq!(info.host, host.trim());
        drop(held);
    }
    assert_eq!(
        listing(dir.path()),
        Vec::<String>::new(),
        "no lock file and no leftovers"
    );
}

#[test]
fn a_lock_from_another_machine_is_never_judged_stale() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    std::fs::write(
        lock::lock_path(&session),
        r#"{"pid": 999999, "host": "another-machine.example", "since": "2020-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    match SessionLock::acquire(&session) {
        Err(LockError::Held { pid, .. }) => assert_eq!(pid, 999_999),
        other => panic!("expected Held, got {other:?}"),
    }
    assert!(lock::lock_path(&session).exists());
    assert_eq!(lock::holder(&session).map(|h| h.pid), Some(999_999));
}

#[test]
fn a_torn_or_foreign_lock_file_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    for junk in [
        &b""[..],
        b"{\"pid\": 12",
        b"not json at all",
        b"\xff\xfe\x00",
    ] {
        std::fs::write(lock::lock_path(&session), junk).unwrap();
        let held = SessionLock::acquire(&session).unwrap();
        drop(held);
        assert!(!lock::lock_path(&session).exists());
    }
}

#[cfg(unix)]
#[test]
fn a_lock_held_by_another_live_process_is_refused_until_it_dies() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    let mut other = Command::new("sleep").arg("30").spawn().unwrap();
    let info = LockInfo {
        pid: other.id(),
        host: String::new(),
        since: String::new(),
    };
    std::fs::write(
        lock::lock_path(&session),
        serde_json::to_vec(&info).unwrap(),
    )
    .unwrap();
    match SessionLock::acquire(&session) {
        Err(LockError::Held { pid, .. }) => assert_eq!(pid, other.id()),
        other => panic!("expected Held, got {other:?}"),
    }
    other.kill().unwrap();
    other.wait().unwrap();
    let held = SessionLock::acquire(&session).unwrap();
    drop(held);
}

#[cfg(unix)]
#[test]
fn an_exited_but_unreaped_process_does_not_hold_a_lock() {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    // Give it time to exit; it stays a zombie until waited for.
    let mut zombie = false;
    for _ in 0..200 {
        std::thread::sleep(Duration::from_millis(5));
        if !fsutil::pid_alive(pid) {
            zombie = true;
            break;
        }
    }
    child.wait().unwrap();
    assert!(zombie, "a zombie counts as alive");
}

#[test]
fn concurrent_acquires_in_threads_never_give_two_locks_at_once() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    let holders = AtomicUsize::new(0);
    for _ in 0..20 {
        let wins: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| match SessionLock::acquire(&session) {
                        Ok(l) => {
                            assert_eq!(
                                holders.fetch_add(1, Ordering::SeqCst),
                                0,
                                "two holders at once"
                            );
                            std::thread::sleep(Duration::from_millis(2));
                            holders.fetch_sub(1, Ordering::SeqCst);
                            drop(l);
                            1
                        }
                        Err(LockError::Held { .. }) => 0,
                        Err(e) => panic!("{e}"),
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert!(wins >= 1);
        assert!(!lock::lock_path(&session).exists());
    }
}

#[test]
fn a_lock_in_an_unwritable_place_is_an_io_error() {
    let err =
        SessionLock::acquire(Path::new("/nonexistent-folder-doctriage/review.json")).unwrap_err();
    assert!(matches!(err, LockError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("cannot lock the session ("),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("/nonexistent-folder-doctriage/review.json.lock"),
        "{err}"
    );
}

/// Not run by itself: the worker process of
/// [`processes_contending_for_one_lock_never_hold_it_together`]. While it holds the lock it keeps
/// a marker file with its pid; finding a marker of a live process means two holders at once.
#[test]
#[ignore = "worker process for the multi-process lock test"]
fn lock_worker() {
    let Some(session) = std::env::var_os("DOCTRIAGE_LOCK_WORKER") else {
        return;
    };
    let session = PathBuf::from(session);
    let marker = session.with_file_name("holder");
    let me = std::process::id();
    let mut rng = Lcg(u64::from(me));
    let mut wins = 0;
    for _ in 0..400 {
        match SessionLock::acquire(&session) {
            Ok(l) => {
                if let Ok(text) = std::fs::read_to_string(&marker) {
                    let other: u32 = text.trim().parse().unwrap();
                    assert!(
                        !fsutil::pid_alive(other),
                        "pid {other} holds the lock too (I am {me})"
                    );
                }
                // Written whole (temporary file, rename), so a kill never leaves half a marker.
                let tmp = session.with_file_name(format!("holder.tmp-{me}"));
                std::fs::write(&tmp, me.to_string()).unwrap();
                std::fs::rename(&tmp, &marker).unwrap();
                std::thread::sleep(Duration::from_micros(rng.next() % 1500));
                std::fs::remove_file(&marker).unwrap();
                drop(l);
                wins += 1;
            }
            Err(LockError::Held { .. }) => {
                std::thread::sleep(Duration::from_micros(rng.next() % 500))
            }
            Err(e) => panic!("{e}"),
        }
    }
    println!("WINS {wins}");
}

/// Several processes take and release one lock in a loop while some are SIGKILLed while holding
/// it (leaving a stale lock for the others to take over): never two holders at once.
#[cfg(unix)]
#[test]
fn processes_contending_for_one_lock_never_hold_it_together() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("review.json");
    let exe = std::env::current_exe().unwrap();
    let spawn = || {
        Command::new(&exe)
            .args([
                "--exact",
                "lock_worker",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("DOCTRIAGE_LOCK_WORKER", &session)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut rng = Lcg(7);
    let mut workers: Vec<_> = (0..4).map(|_| spawn()).collect();
    // Kill a few workers at random moments (maybe while holding the lock) and start new ones.
    for _ in 0..6 {
        std::thread::sleep(Duration::from_millis(20 + rng.next() % 60));
        let victim = (rng.next() % workers.len() as u64) as usize;
        let mut w = workers.remove(victim);
        let _ = w.kill();
        let _ = w.wait();
        workers.push(spawn());
    }
    let mut total = 0;
    for w in workers {
        let out = w.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "a worker failed: {}\n{}",
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
        let wins: usize = stdout
            .lines()
            .find_map(|l| l.split("WINS ").nth(1))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no WINS line: {stdout}"));
        total += wins;
    }
    assert!(total > 0, "no worker ever got the lock");
    assert!(
        !lock::lock_path(&session).exists(),
        "the last holder removed the lock"
    );
}

/// `export --out` naming the session file itself would replace the review with the findings.
#[test]
fn export_refuses_to_overwrite_the_session_file() {
    let s = setup();
    let out = run(&[
        "tag".as_ref(),
        s.session.as_os_str(),
        "letter_1.txt".as_ref(),
        "--tag".as_ref(),
        "kept".as_ref(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = std::fs::read(&s.session).unwrap();
    let out = run(&[
        "export".as_ref(),
        s.session.as_os_str(),
        "--out".as_ref(),
        s.session.as_os_str(),
    ]);
    assert_eq!(
        std::fs::read(&s.session).unwrap(),
        before,
        "export overwrote the session with the findings"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
