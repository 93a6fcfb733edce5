//! The triage window (egui/eframe). The only module that names egui.

use std::path::PathBuf;

/// Opens the window on a cache folder and, optionally, a session file.
pub fn run(cache: PathBuf, session: Option<PathBuf>) -> anyhow::Result<()> {
    let _ = (cache, session);
    anyhow::bail!("the window is not built yet; use the subcommands (doctriage --help)")
}
