//! GUI frame-time benchmark: the real window (`App`) driven through egui_kittest on the CPU (no
//! rendering, no GPU) over a synthetic cache of N records, with a text filter active, while the
//! list is scrolled with the mouse wheel and J moves to the next document every few frames.
//!
//! `cargo bench --bench gui_frames -- 100000` (size defaults to 100000). The cache is the one the
//! scale bench generates under `$DOCTRIAGE_BENCH_DIR` (default `/tmp/doctriage-bench`), generated
//! here the same way (examples/gen_cache.rs, seed 42) if missing. Times each `Harness::step` (one
//! frame: the app's UI code, egui's layout and tessellation-free output, and kittest's AccessKit
//! tree update) with `Instant`; frames start after a warm-up. Then every document is tagged and
//! the session saved (Save on the path dialog) while frames go on: the frame of the command
//! (with its snapshot of the session) and the frames during the write are timed.
//! Nothing is written outside the temp folder: the session goes to a temporary folder, the
//! search index to `<temp>/doctriage-test-index-<pid>-<n>` (deleted at the end), and the test
//! constructor's autosaves to `<temp>/doctriage-test-autosave-<pid>` (the simulated clock stays
//! under the 30 s autosave period).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{ensure_cache, ms, percentile};
use doctriage::gui::App;
use doctriage::gui::path_bar::PathAction;
use doctriage::session::{Command, Field, Status};
use egui::{Event, Key, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, TouchPhase, Vec2};
use egui_kittest::Harness;

/// Timed frames.
const FRAMES: usize = 300;
/// Untimed frames first (fonts, first layout, scroll areas settling).
const WARMUP: usize = 30;
/// The filter kept active while frames are timed.
const FILTER: &str = "groza";
/// Filters switched between to time the frame after a change.
const SWITCHES: &[&str] = &[
    "thermal",
    "groza",
    "minsk",
    "groza",
    "artillery",
    "groza",
    "",
    "groza",
];
/// Target for a frame (120 fps).
const TARGET_MS: f64 = 8.0;
/// No frame over this while a session is saved (60 fps).
const SAVE_TARGET_MS: f64 = 16.0;

fn key(key: Key, pressed: bool) -> Event {
    Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

fn wheel(dy: f32) -> Event {
    Event::MouseWheel {
        unit: MouseWheelUnit::Point,
        delta: Vec2::new(0.0, dy),
        phase: TouchPhase::Move,
        source: MouseWheelSource::Unknown,
        modifiers: Modifiers::NONE,
    }
}

/// One frame with `events` in its input (pushed straight into the raw input, so that one `step`
/// is one frame), timed.
fn frame(h: &mut Harness<'_, App>, events: Vec<Event>) -> f64 {
    h.input_mut().events.extend(events);
    let t = Instant::now();
    h.step();
    ms(t.elapsed())
}

type Window = Harness<'static, App>;

/// The window over the cache of `n` records, loaded, with the filter on and its first document
/// open; the number of documents the filter shows.
fn open(base: &Path, n: usize) -> (Window, usize) {
    let dir = ensure_cache(base, n);
    let t = Instant::now();
    // The window of the GUI tests: its size, 1/60 s per frame, the app's fonts.
    let mut h = common::gui::harness_builder()
        .build_eframe(move |_cc| App::new_blocking_for_tests(dir, None));
    h.state_mut().wait_for_load();
    let docs = h.state().cache().documents.len();
    let load_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    h.state_mut().set_filter_text(FILTER);
    let first_filter_ms = ms(t.elapsed());
    let shown = h.state_mut().visible_document_ids();
    assert!(!shown.is_empty(), "filter {FILTER:?} matches nothing");
    let first = shown[0].clone();
    assert!(h.state_mut().select_document(&first));
    eprintln!(
        "N={n}: {docs} documents loaded in {load_s:.1} s; filter {FILTER:?} shows {} ({first_filter_ms:.1} ms)",
        shown.len()
    );
    (h, shown.len())
}

/// Frame times of the review, by what the frame had in its input.
struct Frames {
    all: Vec<f64>,
    j: Vec<f64>,
    wheel: Vec<f64>,
    quiet: Vec<f64>,
    after_j: Vec<f64>,
    status: Vec<f64>,
    /// How many J presses moved to another document.
    moved: usize,
}

/// After a warm-up, FRAMES frames of a review; in every six, J once, the wheel twice, key 2 once.
fn review_frames(h: &mut Window) -> Frames {
    // The pointer rests over the list (left panel) so that the wheel scrolls it.
    h.input_mut()
        .events
        .push(Event::PointerMoved(Pos2::new(300.0, 600.0)));
    for _ in 0..WARMUP {
        h.step();
    }

    let mut times = Vec::with_capacity(FRAMES);
    let mut j_times = Vec::new();
    let mut wheel_times = Vec::new();
    let mut quiet_times = Vec::new();
    let mut after_j_times = Vec::new();
    let mut status_times = Vec::new();
    let mut moved = 0;
    for i in 0..FRAMES {
        let before = h.state().current_document_id().map(str::to_owned);
        let (events, is_j) = match i % 6 {
            0 => (vec![key(Key::J, true), key(Key::J, false)], true),
            2 | 4 => (vec![wheel(-120.0)], false),
            // Mark the document relevant (key 2), as a reviewer does on the way.
            3 => (vec![key(Key::Num2, true), key(Key::Num2, false)], false),
            _ => (Vec::new(), false),
        };
        let dt = frame(h, events);
        times.push(dt);
        match i % 6 {
            2 | 4 => wheel_times.push(dt),
            0 => {}
            1 => after_j_times.push(dt),
            3 => status_times.push(dt),
            _ => quiet_times.push(dt),
        }
        if is_j {
            j_times.push(dt);
            if h.state().current_document_id().map(str::to_owned) != before {
                moved += 1;
            }
        }
    }
    Frames {
        all: times,
        j: j_times,
        wheel: wheel_times,
        quiet: quiet_times,
        after_j: after_j_times,
        status: status_times,
        moved,
    }
}

/// The frame right after each filter change of SWITCHES (recompute + frame), in ms.
fn filter_switches(h: &mut Window) -> Vec<f64> {
    // The recompute of the filtered view (done by `set_filter_text`, as the window does once
    // typing pauses) plus the next frame.
    let mut switch = Vec::new();
    for f in SWITCHES {
        let t = Instant::now();
        h.state_mut().set_filter_text(f);
        let recompute = ms(t.elapsed());
        let frame_ms = frame(h, Vec::new());
        let shown = h.state_mut().visible_document_ids().len();
        eprintln!(
            "  filter {f:?}: {shown} shown, recompute {recompute:.1} ms + frame {frame_ms:.1} ms"
        );
        switch.push(recompute + frame_ms);
    }

    switch
}

/// A Save of the window's session with every document tagged.
struct Save {
    docs: usize,
    bytes: u64,
    snapshot_ms: f64,
    written_ms: f64,
    /// The frames from the command's until the file is written.
    frames: Vec<f64>,
}

/// Tags every document (status and tag), then saves while frames go on: the window takes the
/// snapshot in the frame of the command; serialising and writing happen on `doctriage-save`.
fn tag_and_save(h: &mut Window) -> Save {
    let ids: Vec<String> = h
        .state()
        .cache()
        .documents
        .iter()
        .map(|d| d.id.clone())
        .collect();
    let t = Instant::now();
    for (i, id) in ids.iter().enumerate() {
        let app = h.state_mut();
        app.apply_edit(Command::SetStatus {
            doc: id.clone(),
            status: Status::ALL[i % 4],
        })
        .unwrap();
        app.apply_edit(Command::Add {
            doc: id.clone(),
            field: Field::Tag,
            value: format!("batch-{}", i % 50),
        })
        .unwrap();
    }
    eprintln!(
        "  tagged {} documents ({} edits) in {:.1} s",
        ids.len(),
        2 * ids.len(),
        t.elapsed().as_secs_f64()
    );
    frame(h, Vec::new());
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("session.json");
    let t = Instant::now();
    h.state_mut()
        .submit_path(PathAction::SaveSession, &path)
        .unwrap();
    let snapshot_ms = ms(t.elapsed());
    // The command's own frame: the snapshot plus a frame.
    let mut save_frames = vec![snapshot_ms + frame(h, Vec::new())];
    while h.state().is_saving() {
        save_frames.push(frame(h, Vec::new()));
        std::thread::sleep(Duration::from_millis(2));
    }
    let written_ms = ms(t.elapsed());
    assert!(!h.state().is_dirty(), "{:?}", h.state().last_error());
    let size = std::fs::metadata(&path).unwrap().len();

    Save {
        docs: ids.len(),
        bytes: size,
        snapshot_ms,
        written_ms,
        frames: save_frames,
    }
}

/// The figures on stderr and the table rows of README on stdout.
fn report(n: usize, shown: usize, f: &Frames, switch: &[f64], save: &Save) {
    let moved = f.moved;
    let (snapshot_ms, written_ms) = (save.snapshot_ms, save.written_ms);
    let save_max = percentile(&save.frames, 1.0);
    let (p50, p95, p99) = (
        percentile(&f.all, 0.5),
        percentile(&f.all, 0.95),
        percentile(&f.all, 0.99),
    );
    let max = percentile(&f.all, 1.0);
    println!(
        "N={n}, filter {FILTER:?} ({} shown), {FRAMES} frames ({} with J, moved {moved}×; wheel every 3rd):",
        shown,
        f.j.len()
    );
    println!("  frame median {p50:.2} ms, p95 {p95:.2} ms, p99 {p99:.2} ms, max {max:.2} ms");
    println!(
        "  frames with J: median {:.2} ms, max {:.2} ms",
        percentile(&f.j, 0.5),
        percentile(&f.j, 1.0)
    );
    println!(
        "  frames with a wheel scroll: median {:.2} ms, max {:.2} ms; other frames without input: median {:.2} ms, max {:.2} ms",
        percentile(&f.wheel, 0.5),
        percentile(&f.wheel, 1.0),
        percentile(&f.quiet, 0.5),
        percentile(&f.quiet, 1.0)
    );
    println!(
        "  frames right after a J (the new document's first frame): median {:.2} ms, max {:.2} ms",
        percentile(&f.after_j, 0.5),
        percentile(&f.after_j, 1.0)
    );
    println!(
        "  frames with a status key (2): median {:.2} ms, max {:.2} ms",
        percentile(&f.status, 0.5),
        percentile(&f.status, 1.0)
    );
    println!(
        "  filter change (recompute + next frame), {} changes: median {:.1} ms, max {:.1} ms",
        switch.len(),
        percentile(switch, 0.5),
        percentile(switch, 1.0)
    );
    println!(
        "  save of {} tagged documents ({:.0} MB): snapshot on the UI thread {snapshot_ms:.1} ms, written after {written_ms:.0} ms; {} frames meanwhile, max {save_max:.1} ms",
        save.docs,
        save.bytes as f64 / 1e6,
        save.frames.len()
    );
    println!("| measure | figure | floor | ratio | target | met? |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| GUI frame p99 ({n} docs, filter active) | {p99:.2} ms | - | - | ≤ {TARGET_MS:.0} ms | {} |",
        if p99 <= TARGET_MS { "yes" } else { "NO" }
    );
    println!(
        "| GUI filter change, recompute + frame, max ({n} docs) | {:.1} ms | - | - | - (no target) | - |",
        percentile(switch, 1.0)
    );
    println!(
        "| GUI frame max while saving {} tagged docs | {save_max:.1} ms | - | - | ≤ {SAVE_TARGET_MS:.0} ms | {} |",
        save.docs,
        if save_max <= SAVE_TARGET_MS {
            "yes"
        } else {
            "NO"
        }
    );
}

fn run(base: &Path, n: usize) {
    let (mut h, shown) = open(base, n);
    let frames = review_frames(&mut h);
    assert!(frames.moved > 0, "J never moved to another document");
    assert_eq!(h.state().filter_text(), FILTER);
    let switch = filter_switches(&mut h);
    let save = tag_and_save(&mut h);
    report(n, shown, &frames, &switch, &save);
}

fn main() {
    let base = common::bench_dir();
    for n in common::sizes(100_000) {
        run(&base, n);
    }
}
