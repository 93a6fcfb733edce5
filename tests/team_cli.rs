//! A team on one leak, from the command line: whose name signs an edit, a session file whose
//! one tag changes a handful of lines, `session merge` and its exit codes, `session conflicts`,
//! `session resolve`, and git merging two branches through `session merge-driver`.
//!
//! Every child process gets its own configuration folder and an explicit analyst, so the
//! machine's preferences never leak into a test.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on bad fixtures"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, s, sample};
use doctriage::session::{Session, Status};
use serde_json::Value;

const LETTER: &str = "letters/letter_2019_03_14.txt";
const NOTE: &str = "notes/contradicting_note_2021_11_03_groza_withdrawn.txt";
const CAFE: &str = "misc/cafeteria_memo_2021.txt";

/// A folder for one test: its configuration folder (no preferences) and its files.
struct Team {
    dir: tempfile::TempDir,
}

impl Team {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("config")).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `doctriage ARGS` signed by `analyst` (`None`: no `$DOCTRIAGE_ANALYST` at all).
    fn run(&self, analyst: Option<&str>, args: &[&str]) -> Output {
        let mut cmd = common::doctriage();
        cmd.env("DOCTRIAGE_CONFIG_DIR", self.path("config"));
        match analyst {
            Some(a) => cmd.env("DOCTRIAGE_ANALYST", a),
            None => cmd.env_remove("DOCTRIAGE_ANALYST"),
        };
        cmd.args(args).output().unwrap()
    }

    #[track_caller]
    fn ok(&self, analyst: &str, args: &[&str]) -> String {
        let out = self.run(Some(analyst), args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A new session over the sample cache.
    fn session(&self, name: &str) -> PathBuf {
        let p = self.path(name);
        self.ok(
            "base",
            &["session", "new", "--cache", s(&sample()), "--out", s(&p)],
        );
        p
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
}

/// Lines that differ between two texts (removed plus added), by a longest common subsequence.
fn changed_lines(a: &str, b: &str) -> usize {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    a.len() + b.len() - 2 * lcs[0][0]
}

fn last_by(session: &Path, doc: &str, field: &str) -> String {
    let s = Session::load(session).unwrap();
    let r = s.review(doc).unwrap();
    doctriage::session::last_change(r, field)
        .unwrap()
        .by
        .clone()
}

#[test]
fn the_analyst_is_the_flag_then_the_machine_then_the_session() {
    let t = Team::new();
    let p = t.path("s.doctriage.json");
    let out = t.run(
        None,
        &[
            "session",
            "new",
            "--cache",
            s(&sample()),
            "--out",
            s(&p),
            "--analyst",
            "Sam",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(Session::load(&p).unwrap().analyst, "Sam");
    t.ok(
        "Machine",
        &["tag", s(&p), LETTER, "--status", "key", "--analyst", "Flag"],
    );
    assert_eq!(last_by(&p, LETTER, "status"), "Flag");
    t.ok("Machine", &["tag", s(&p), NOTE, "--status", "key"]);
    assert_eq!(last_by(&p, NOTE, "status"), "Machine");
    let out = t.run(None, &["tag", s(&p), CAFE, "--status", "irrelevant"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(last_by(&p, CAFE, "status"), "Sam");
    // The window's preference, in the configuration folder, comes before the session's.
    std::fs::write(
        t.path("config").join("preferences.json"),
        r#"{"analyst": "Pref"}"#,
    )
    .unwrap();
    let out = t.run(None, &["tag", s(&p), CAFE, "--status", "relevant"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(last_by(&p, CAFE, "status"), "Pref");
    // A link records who made it.
    let out = t.run(
        None,
        &[
            "link",
            s(&p),
            LETTER,
            "S5",
            "--quote",
            "order of state-of-the-art artillery aiming equipment",
            "--analyst",
            "Linker",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let session = Session::load(&p).unwrap();
    assert_eq!(session.review(LETTER).unwrap().links[0].by, "Linker");
}

#[test]
fn one_tag_changes_a_handful_of_lines() {
    let t = Team::new();
    let p = t.session("s.doctriage.json");
    for (doc, st) in [(LETTER, "key"), (NOTE, "relevant"), (CAFE, "irrelevant")] {
        t.ok(
            "Ana",
            &["tag", s(&p), doc, "--status", st, "--tag", "batch"],
        );
    }
    t.ok("Ana", &["tag", s(&p), LETTER, "--accept-suggestions"]);
    let before = std::fs::read_to_string(&p).unwrap();
    t.ok("Ana", &["tag", s(&p), NOTE, "--status", "key"]);
    let after = std::fs::read_to_string(&p).unwrap();
    let n = changed_lines(&before, &after);
    assert!((1..=20).contains(&n), "{n} lines changed:\n{after}");
    // The documents are in id order, one field per line.
    let ids: Vec<&str> = after
        .lines()
        .filter(|l| l.starts_with("    \"") && l.ends_with(": {"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert_eq!(ids.len(), 3, "{after}");
}

/// A base with three tagged documents, and two copies Ana and Boris edit.
fn three(t: &Team) -> (PathBuf, PathBuf, PathBuf) {
    let base = t.session("base.doctriage.json");
    t.ok("base", &["tag", s(&base), LETTER, "--status", "relevant"]);
    let (ours, theirs) = (
        t.path("ours.doctriage.json"),
        t.path("theirs.doctriage.json"),
    );
    copy(&base, &ours);
    copy(&base, &theirs);
    (base, ours, theirs)
}

#[test]
fn session_merge_exit_codes_and_conflicts() {
    let t = Team::new();
    let (base, ours, theirs) = three(&t);
    t.ok("Ana", &["tag", s(&ours), LETTER, "--tag", "ana"]);
    t.ok("Boris", &["tag", s(&theirs), LETTER, "--tag", "boris"]);
    let out = t.path("merged.doctriage.json");
    let args = |o: &Path| {
        vec![
            "session".to_owned(),
            "merge".into(),
            s(&base).into(),
            s(&ours).into(),
            s(&theirs).into(),
            "--out".into(),
            s(o).into(),
        ]
    };
    let run = |a: &[String]| {
        t.run(
            Some("Merger"),
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let clean = run(&args(&out));
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    let merged = Session::load(&out).unwrap();
    assert_eq!(merged.review(LETTER).unwrap().tags, ["ana", "boris"]);

    // Conflicting statuses: exit 3, the file is written and lists the conflict.
    t.ok("Ana", &["tag", s(&ours), LETTER, "--status", "key"]);
    t.ok(
        "Boris",
        &["tag", s(&theirs), LETTER, "--status", "irrelevant"],
    );
    let conflicted = t.path("conflicted.doctriage.json");
    let r = run(&args(&conflicted));
    assert_eq!(r.status.code(), Some(3), "{}", text(&r));
    let merged = Session::load(&conflicted).unwrap();
    assert_eq!(
        merged.status(LETTER),
        Status::Relevant,
        "the base value meanwhile"
    );
    common::validate_against_schema("session.schema.json", &conflicted);
    common::validate_against_schema("session.schema.json", &ours);
    let listed = t.ok("x", &["session", "conflicts", s(&conflicted), "--json"]);
    let v: Value = serde_json::from_str(&listed).unwrap();
    let list = v["conflicts"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    assert_eq!(list[0]["document"], LETTER);
    assert_eq!(list[0]["field"], "status");
    assert_eq!(list[0]["ours"]["value"], "key");
    assert_eq!(list[0]["ours"]["by"], "Ana");
    assert_eq!(list[0]["theirs"]["value"], "irrelevant");
    assert_eq!(list[0]["theirs"]["by"], "Boris");
    assert_eq!(list[0]["base"], "relevant");
    let human = t.ok("x", &["session", "conflicts", s(&conflicted)]);
    assert!(
        human.contains("1 conflict(s)") && human.contains("Boris"),
        "{human}"
    );
    // Export warns while it remains.
    let findings = t.path("findings.json");
    let e = t.run(
        Some("x"),
        &["export", s(&conflicted), "--out", s(&findings)],
    );
    assert!(e.status.success(), "{}", text(&e));
    assert!(text(&e).contains("conflict"), "{}", text(&e));
    // Resolved from the command line, an ordinary edit.
    t.ok(
        "Chloé",
        &[
            "session",
            "resolve",
            s(&conflicted),
            LETTER,
            "status",
            "theirs",
        ],
    );
    let resolved = Session::load(&conflicted).unwrap();
    assert_eq!(resolved.status(LETTER), Status::Irrelevant);
    assert!(resolved.conflicts().is_empty());
    assert_eq!(last_by(&conflicted, LETTER, "status"), "Chloé");
    let none = t.ok("x", &["session", "conflicts", s(&conflicted), "--json"]);
    assert_eq!(
        serde_json::from_str::<Value>(&none).unwrap()["conflicts"],
        Value::Array(vec![])
    );
}

#[test]
fn session_merge_refusals_and_bad_usage() {
    let t = Team::new();
    let (base, ours, theirs) = three(&t);
    // Refused: another article; nothing is written.
    let other = t.path("other.doctriage.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&theirs).unwrap()).unwrap();
    v["article_sha256"] = Value::from("0".repeat(64));
    std::fs::write(&other, serde_json::to_string(&v).unwrap()).unwrap();
    let refused_out = t.path("refused.doctriage.json");
    let r = t.run(
        Some("x"),
        &[
            "session",
            "merge",
            s(&base),
            s(&ours),
            s(&other),
            "--out",
            s(&refused_out),
        ],
    );
    assert_eq!(r.status.code(), Some(1), "{}", text(&r));
    assert!(text(&r).contains("different articles"), "{}", text(&r));
    assert!(!refused_out.exists());
    // Bad usage.
    let r = t.run(Some("x"), &["session", "merge", s(&base), s(&ours)]);
    assert_eq!(r.status.code(), Some(2), "{}", text(&r));
    // An unreadable session.
    std::fs::write(t.path("bad.json"), "{not json").unwrap();
    let r = t.run(Some("x"), &["session", "conflicts", s(&t.path("bad.json"))]);
    assert_eq!(r.status.code(), Some(1), "{}", text(&r));
}

#[test]
fn the_merge_driver_leaves_a_refused_merge_alone() {
    let t = Team::new();
    let (base, ours, theirs) = three(&t);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&theirs).unwrap()).unwrap();
    v["article_sha256"] = Value::from("1".repeat(64));
    std::fs::write(&theirs, serde_json::to_string(&v).unwrap()).unwrap();
    let before = std::fs::read(&ours).unwrap();
    let r = t.run(
        Some("x"),
        &["session", "merge-driver", s(&base), s(&ours), s(&theirs)],
    );
    assert_eq!(r.status.code(), Some(1), "{}", text(&r));
    assert_eq!(std::fs::read(&ours).unwrap(), before);
}

// ------------------------------------------------------------------ git

/// A git repository in a temporary folder, with doctriage as the merge driver of session files.
struct Repo {
    team: Team,
    dir: PathBuf,
}

impl Repo {
    fn new() -> Self {
        let team = Team::new();
        let dir = team.path("repo");
        std::fs::create_dir(&dir).unwrap();
        let r = Self { team, dir };
        r.git(&["init", "-q", "-b", "main"]);
        r.git(&[
            "config",
            "merge.doctriage.driver",
            &format!("{BIN} session merge-driver %O %A %B"),
        ]);
        std::fs::write(
            r.dir.join(".gitattributes"),
            "*.doctriage.json merge=doctriage\n",
        )
        .unwrap();
        std::fs::write(r.dir.join(".gitignore"), "*.lock\n*.bak\n").unwrap();
        r
    }

    fn git(&self, args: &[&str]) -> Output {
        let out = Command::new("git")
            .current_dir(&self.dir)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .env("DOCTRIAGE_CONFIG_DIR", self.team.path("config"))
            .env("DOCTRIAGE_ANALYST", "git")
            .output()
            .unwrap();
        let conflict_expected = args.first() == Some(&"merge");
        assert!(
            out.status.success() || conflict_expected,
            "git {args:?}: {}",
            text(&out)
        );
        out
    }

    fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
    }
}

/// A repository whose main holds a session with one tagged document, and branches `ana` and
/// `boris` from it.
fn repo_with_branches() -> (Repo, PathBuf) {
    let repo = Repo::new();
    let session = repo.dir.join("review.doctriage.json");
    repo.team.ok(
        "base",
        &[
            "session",
            "new",
            "--cache",
            s(&sample()),
            "--out",
            s(&session),
        ],
    );
    repo.team.ok(
        "base",
        &["tag", s(&session), LETTER, "--status", "relevant"],
    );
    repo.commit("base");
    repo.git(&["branch", "ana"]);
    repo.git(&["branch", "boris"]);
    (repo, session)
}

#[test]
fn git_merges_two_branches_edits_cleanly() {
    if !git_available() {
        return;
    }
    let (repo, session) = repo_with_branches();
    repo.git(&["checkout", "-q", "ana"]);
    repo.team.ok(
        "Ana",
        &[
            "tag",
            s(&session),
            LETTER,
            "--tag",
            "ana",
            "--status",
            "key",
        ],
    );
    repo.team
        .ok("Ana", &["tag", s(&session), NOTE, "--status", "key"]);
    repo.commit("ana");
    repo.git(&["checkout", "-q", "boris"]);
    repo.team
        .ok("Boris", &["tag", s(&session), LETTER, "--tag", "boris"]);
    repo.team.ok(
        "Boris",
        &["tag", s(&session), CAFE, "--status", "irrelevant"],
    );
    repo.commit("boris");
    repo.git(&["checkout", "-q", "ana"]);
    let out = repo.git(&["merge", "--no-edit", "boris"]);
    assert!(out.status.success(), "git merge: {}", text(&out));
    let merged = Session::load(&session).unwrap();
    let r = merged.review(LETTER).unwrap();
    assert_eq!(r.tags, ["ana", "boris"]);
    assert_eq!(r.status, Status::Key);
    assert_eq!(merged.status(NOTE), Status::Key);
    assert_eq!(merged.status(CAFE), Status::Irrelevant);
    assert!(merged.conflicts().is_empty());
}

#[test]
fn a_conflicting_git_merge_leaves_a_valid_session_with_the_conflict_listed() {
    if !git_available() {
        return;
    }
    let (repo, session) = repo_with_branches();
    repo.git(&["checkout", "-q", "ana"]);
    repo.team
        .ok("Ana", &["tag", s(&session), LETTER, "--status", "key"]);
    repo.commit("ana");
    repo.git(&["checkout", "-q", "boris"]);
    repo.team.ok(
        "Boris",
        &["tag", s(&session), LETTER, "--status", "irrelevant"],
    );
    repo.commit("boris");
    repo.git(&["checkout", "-q", "ana"]);
    let out = repo.git(&["merge", "--no-edit", "boris"]);
    assert!(
        !out.status.success(),
        "git reports the conflict: {}",
        text(&out)
    );
    assert!(text(&out).contains("CONFLICT"), "{}", text(&out));
    let merged = Session::load(&session).unwrap();
    assert_eq!(merged.status(LETTER), Status::Relevant);
    let listed = repo
        .team
        .ok("x", &["session", "conflicts", s(&session), "--json"]);
    let v: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(v["conflicts"][0]["field"], "status", "{v}");
    assert_eq!(v["conflicts"][0]["ours"]["by"], "Ana");
    assert_eq!(v["conflicts"][0]["theirs"]["by"], "Boris");
    // Resolved and committed, the merge is done.
    repo.team.ok(
        "Ana",
        &["session", "resolve", s(&session), LETTER, "status", "ours"],
    );
    repo.commit("merge");
    assert_eq!(Session::load(&session).unwrap().status(LETTER), Status::Key);
}

fn git_available() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        common::skip_unless_ci("git is not installed");
    }
    found
}

#[test]
fn a_lock_from_another_machine_is_named_and_taken_over_on_request() {
    let t = Team::new();
    let p = t.session("s.doctriage.json");
    let lock = doctriage::lock::lock_path(&p);
    std::fs::write(
        &lock,
        r#"{"pid": 4242, "host": "laptop-of-boris.example", "since": "2026-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let refused = t.run(Some("Ana"), &["tag", s(&p), LETTER, "--status", "key"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let msg = text(&refused);
    assert!(
        msg.contains("laptop-of-boris.example") && msg.contains("--take-over-lock"),
        "{msg}"
    );
    assert_eq!(
        Session::load(&p).unwrap().status(LETTER),
        Status::Unreviewed
    );
    let out = t.run(
        Some("Ana"),
        &["tag", s(&p), LETTER, "--status", "key", "--take-over-lock"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(Session::load(&p).unwrap().status(LETTER), Status::Key);
    assert!(!lock.exists(), "the lock taken over is released on exit");
}
