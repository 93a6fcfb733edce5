//! README's sample review done in the window along the fastest keyboard path README documents,
//! counted action by action (a key press, a click or a drag is one action; typing a value into a
//! field and confirming it is one), and compared with the same review done by README's own
//! command lines: the findings must be the same.

mod common;

use std::path::Path;

use common::gui::harness_builder;
use common::{char_span, s};
use doctriage::gui::App;
use doctriage::session::Status;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use serde_json::Value;

type Window = Harness<'static, App>;

/// The window and the number of actions the analyst has taken in it.
struct Review {
    h: Window,
    actions: usize,
    scrolls: usize,
}

impl Review {
    fn key(&mut self, key: Key) {
        self.actions += 1;
        self.h.key_press(key);
        self.h.run();
    }

    fn key_with(&mut self, modifiers: Modifiers, key: Key) {
        self.actions += 1;
        self.h.key_press_modifiers(modifiers, key);
        self.h.run();
    }

    /// A click on the node with this label; scrolling it into view first counts as an action
    /// when it was not in view (the scroll moved it).
    fn click(&mut self, label: &str) {
        let before = self.h.get_by_label(label).rect();
        self.h.get_by_label(label).scroll_to_me();
        self.h.run();
        if self.h.get_by_label(label).rect() != before {
            self.actions += 1;
            self.scrolls += 1;
        }
        self.actions += 1;
        self.h.get_by_label(label).click();
        self.h.run();
    }

    /// Types into the text field that has the keyboard focus, then presses `confirm` (one action).
    fn type_and(&mut self, text: &str, confirm: Option<Key>) {
        self.actions += 1;
        {
            let field = self
                .h
                .query_all_by_role(Role::TextInput)
                .chain(self.h.query_all_by_role(Role::MultilineTextInput))
                .find(|n| n.is_focused())
                .expect("a text field has the focus");
            field.type_text(text);
        }
        self.h.run();
        if let Some(k) = confirm {
            self.h.key_press(k);
            self.h.run();
        }
    }

    /// A drag over the words of `quote` in the document text (one action): what the drag selects,
    /// as the viewer's text runs report it to AccessKit.
    fn drag_over(&mut self, quote: &str) {
        self.actions += 1;
        let text = self.current_text();
        let (start, end) = char_span(&text, quote);
        common::gui::select_in_viewer(&mut self.h, start, end);
    }

    fn current(&self) -> String {
        self.h
            .state()
            .current_document_id()
            .unwrap_or_default()
            .to_owned()
    }

    fn current_text(&self) -> String {
        let id = self.current();
        self.h
            .state()
            .cache()
            .document(&id)
            .map(|d| d.text.clone())
            .unwrap_or_default()
    }

    #[track_caller]
    fn at(&self, id: &str) {
        assert_eq!(self.current(), id, "the review is not where README says");
    }

    /// Quote, statement, L (and R before it for a contradiction): four or five actions.
    fn link(&mut self, statement: &str, quote: &str, contradicts: bool) {
        self.click(&format!("Select {statement}"));
        self.drag_over(quote);
        if contradicts {
            self.key(Key::R);
        }
        self.key(Key::L);
    }
}

/// The console block of README's "A review from the command line": each `$ doctriage …` line
/// (continuations joined), split into arguments as a shell would for these lines.
fn readme_cli_review() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let section = readme
        .split("## A review from the command line")
        .nth(1)
        .expect("README has the worked example");
    let block = section
        .split("```console")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the worked example's console block");
    let joined = block.replace("\\\n", " ");
    joined
        .lines()
        .filter_map(|l| l.strip_prefix("$ doctriage "))
        .map(shell_words)
        .collect()
}

/// Splits a command line on spaces, keeping "double-quoted" words whole (all README uses).
fn shell_words(line: &str) -> Vec<String> {
    let line = line.split("   #").next().unwrap_or(line);
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

/// README's command-line review, run with its files in `dir` instead of `/tmp`: its findings.
fn cli_findings(dir: &Path) -> Value {
    let commands = readme_cli_review();
    assert!(
        commands.len() >= 20,
        "README's review has {} commands",
        commands.len()
    );
    for args in &commands {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.replace("/tmp/", &format!("{}/", s(dir))))
            .map(|a| {
                if a == "sample_cache" || a.starts_with("sample_cache/") {
                    common::root().join(&a).display().to_string()
                } else {
                    a
                }
            })
            .collect();
        let out = common::doctriage()
            .args(&args)
            .env("DOCTRIAGE_CONFIG_DIR", dir.join("config"))
            .output()
            .expect("run doctriage");
        assert!(
            out.status.success(),
            "doctriage {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    read_json(&dir.join("findings.json"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("the findings")).expect("JSON findings")
}

/// The findings without what differs between two runs of the same review: when and by whom it
/// was made, and where its files were.
fn comparable(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for k in ["generated_at", "by", "at", "history", "root"] {
                    map.remove(k);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    if let Some(a) = v.get_mut("article").and_then(Value::as_object_mut) {
        a.remove("path");
    }
    v
}

const QUERY: &str = "id:(letters/letter_2018_06_05.txt OR letters/letter_2019_03_14.txt OR misc/cafeteria_memo_2021.txt OR ct-2020-003 OR notes/cable_2022_09_16_csto_situation.txt OR notes/contradicting_note_2021_11_03_groza_withdrawn.txt OR notes/note_2021_04_22_deoccupied_en.md OR dn-2022-001 OR dn-2022-003 OR ep-2015-0003)";

#[test]
fn the_sample_review_by_keyboard_takes_at_most_sixty_actions_and_finds_what_the_cli_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let cli_dir = tmp.path().join("cli");
    std::fs::create_dir_all(&cli_dir).unwrap();
    let cli = cli_findings(&cli_dir);
    let cache = common::root().join("sample_cache");
    let session = tmp.path().join("window.doctriage.json");
    let h = harness_builder()
        .with_max_steps(120)
        .build_eframe(move |_cc| App::new_blocking_for_tests(cache, Some(session)));
    let mut r = Review {
        h,
        actions: 0,
        scrolls: 0,
    };
    r.h.run();

    // The ten records of the review, one query; Enter opens the first.
    r.key(Key::Slash);
    r.type_and(QUERY, Some(Key::Enter));
    assert_eq!(r.h.state_mut().visible_document_ids().len(), 10);
    // Once: a status key goes on to the next record.
    r.click("Review");
    r.click("Next document after a status key");
    assert!(r.h.state().preferences().advance_after_status);

    ten_records(&mut r);

    // File ▸ Export findings…, the path typed over the proposed one, Enter.
    let findings = tmp.path().join("window-findings.json");
    r.click("File");
    r.click("Export findings…");
    r.key_with(Modifiers::COMMAND, Key::A);
    r.type_and(s(&findings), Some(Key::Enter));
    for _ in 0..2000 {
        if !r.h.state().is_exporting() && findings.is_file() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        r.h.step();
    }

    assert!(
        r.actions <= 60,
        "the keyboard review took {} actions",
        r.actions
    );
    let window = read_json(&findings);
    assert_eq!(window["cache"]["reviewed"], 10);
    let statuses: Vec<&str> = window["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|st| st["status"].as_str())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "supported").count(), 6);
    assert_eq!(statuses.iter().filter(|s| **s == "contested").count(), 1);
    assert_eq!(comparable(window), comparable(cli));
    eprintln!(
        "keyboard review: {} actions ({} of them scrolls)",
        r.actions, r.scrolls
    );
}

/// README's keyboard path through the ten records, each opened by the status key of the one
/// before (save & next).
fn ten_records(r: &mut Review) {
    r.at("letters/letter_2018_06_05.txt");
    r.key(Key::A);
    r.link("S4", "the modernisation of old artillery equipment", false);
    r.key(Key::Num2);

    r.at("letters/letter_2019_03_14.txt");
    r.key(Key::A);
    r.link(
        "S5",
        "order of state-of-the-art artillery aiming equipment",
        false,
    );
    r.key(Key::Num4);

    r.at("misc/cafeteria_memo_2021.txt");
    r.key(Key::Num3);

    r.at("ct-2020-003");
    r.key(Key::A);
    r.link(
        "S1",
        "four (4) Groza-S mobile counter-drone electronic-warfare stations (Гроза-С)",
        false,
    );
    r.key(Key::Num4);

    r.at("notes/cable_2022_09_16_csto_situation.txt");
    r.link(
        "S7",
        "advanced into the territory of the Republic of Armenia proper",
        false,
    );
    r.link("S8", "agreed only to send a fact-finding mission", false);
    r.key(Key::Num2);

    r.at("notes/contradicting_note_2021_11_03_groza_withdrawn.txt");
    r.key(Key::T);
    r.type_and("contradiction", Some(Key::Enter));
    r.key(Key::Escape);
    r.link(
        "S5",
        "The Groza-S order was withdrawn and no stations were delivered",
        true,
    );
    r.key(Key::Num4);

    r.at("notes/note_2021_04_22_deoccupied_en.md");
    r.key(Key::D);
    r.type_and("2021-04-22", Some(Key::Enter));
    r.link(
        "S6",
        "in the restoration of the de-occupied territories of Azerbaijan",
        false,
    );
    r.key(Key::Num4);

    r.at("dn-2022-001");
    r.key(Key::A);
    r.key(Key::Num2);

    r.at("dn-2022-003");
    r.key(Key::N);
    r.type_and(
        "Azerbaijani note on 2018–2022 cooperation",
        Some(Key::Escape),
    );
    r.link("S3", "2018–2022-ci illərdə göstərilən əməkdaşlığa", false);
    r.key(Key::Num2);

    r.at("ep-2015-0003");
    r.key(Key::T);
    r.type_and("out-of-period", Some(Key::Enter));
    r.key(Key::Escape);
    r.key(Key::Num3);
    assert_eq!(
        r.h.state().session().status("ep-2015-0003"),
        Status::Irrelevant
    );
}
