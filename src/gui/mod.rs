//! The triage window (egui/eframe). The only module that names egui.
//!
//! Layout: the document list with its filter on the left, the viewer in the centre, the coding
//! panel and the statements (claim ledger and link form) on the right, the status bar below.
//! Every edit is a [`crate::session::Command`] applied through [`crate::session::Editor`]; the
//! window only builds them (`app/command_handling.rs` applies them).

pub mod app;
pub mod autosave;
pub mod coding;
pub mod commands;
pub mod filter;
pub mod filter_bar;
pub mod list;
pub(crate) mod loader;
pub mod ocr_worker;
pub mod panel;
pub mod path_bar;
pub mod statements;
pub mod status_bar;
pub mod viewer;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily, FontId, TextStyle};

pub use app::App;

/// Noto Sans (Latin incl. Azerbaijani ə, Cyrillic, Greek), SIL OFL 1.1, see `assets/fonts/`.
const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Armenian, SIL OFL 1.1.
const NOTO_ARMENIAN: &[u8] = include_bytes!("../../assets/fonts/NotoSansArmenian-Regular.ttf");
/// Noto Sans Georgian, SIL OFL 1.1.
const NOTO_GEORGIAN: &[u8] = include_bytes!("../../assets/fonts/NotoSansGeorgian-Regular.ttf");

/// The fonts of the window: Noto Sans first for text (egui's default font has no ə), then
/// egui's own fonts, then Armenian and Georgian; the monospace family falls back the same way.
pub fn font_definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [
        ("NotoSans", NOTO_SANS),
        ("NotoSansArmenian", NOTO_ARMENIAN),
        ("NotoSansGeorgian", NOTO_GEORGIAN),
    ] {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    let prop = fonts.families.entry(FontFamily::Proportional).or_default();
    prop.insert(0, "NotoSans".to_owned());
    // Hack (egui's monospace) has the geometric shapes (● ○ ◆ ▲ ▼) the list uses.
    let at = prop
        .iter()
        .position(|n| n == "egui-icons")
        .unwrap_or(prop.len());
    for (i, name) in ["Hack", "NotoSansArmenian", "NotoSansGeorgian"]
        .into_iter()
        .enumerate()
    {
        if fonts.font_data.contains_key(name) && !prop.iter().any(|n| n == name) {
            prop.insert(at + i, name.to_owned());
        }
    }
    let mono = fonts.families.entry(FontFamily::Monospace).or_default();
    let at = mono
        .iter()
        .position(|n| n == "egui-icons")
        .unwrap_or(mono.len());
    for (i, name) in ["NotoSans", "NotoSansArmenian", "NotoSansGeorgian"]
        .into_iter()
        .enumerate()
    {
        mono.insert(at + i, name.to_owned());
    }
    fonts
}

/// Installs [`font_definitions`] (takes effect at the next frame).
pub fn install_fonts(ctx: &egui::Context) {
    ctx.set_fonts(font_definitions());
}

/// Text sizes for reading at a desk, and the theme.
pub fn apply_style(ctx: &egui::Context, dark: bool) {
    ctx.set_theme(if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    });
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Small, FontId::proportional(11.5)),
            (TextStyle::Body, FontId::proportional(14.0)),
            (TextStyle::Button, FontId::proportional(14.0)),
            (TextStyle::Heading, FontId::proportional(19.0)),
            (TextStyle::Monospace, FontId::monospace(13.0)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
        // A disabled button must read as disabled at a glance (egui fades to half).
        style.visuals.disabled_alpha = 0.3;
    });
}

/// Opens the window on a cache folder and, optionally, a session file.
pub fn run(
    cache: PathBuf,
    session: Option<PathBuf>,
    reading: crate::workspace::Reading,
    doc: Option<String>,
) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("doctriage")
            .with_app_id("doctriage")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "doctriage",
        options,
        Box::new(move |cc| {
            let mut app = App::new(cache, session, cc.storage);
            app.set_reading(reading);
            if let Some(id) = doc {
                app.open_at_start(id);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}
