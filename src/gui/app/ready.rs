//! `DOCTRIAGE_BENCH_READY=FILE`: how long the window took from process start to a list that
//! shows the read cache and takes J/K (the bench's "start to interactive"). The first frame
//! drawn after the cache is read writes `ready_ms=N` to FILE (with `first_ms=N`, the first
//! frame whose list showed documents while they were being read) and closes the window.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::App;

/// The file named by `DOCTRIAGE_BENCH_READY`, if any.
fn ready_file() -> Option<&'static PathBuf> {
    static FILE: OnceLock<Option<PathBuf>> = OnceLock::new();
    FILE.get_or_init(|| {
        std::env::var_os("DOCTRIAGE_BENCH_READY")
            .filter(|f| !f.is_empty())
            .map(PathBuf::from)
    })
    .as_ref()
}

/// Milliseconds since this process started (Linux: `/proc/self/stat` against `/proc/uptime`,
/// in the kernel's 10 ms ticks); `None` elsewhere.
fn process_age_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3; starttime is 22.
    let after = stat.rsplit_once(')')?.1;
    let start_ticks: f64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let age = (uptime - start_ticks / 100.0).max(0.0);
    Some((age * 1000.0).round() as u64)
}

impl App {
    /// After a frame: once the cache is read and its list drawn, reports the time and closes.
    pub(crate) fn report_ready(&mut self, ctx: &egui::Context) {
        static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        static FIRST: OnceLock<Option<u64>> = OnceLock::new();
        let Some(file) = ready_file() else { return };
        if self.ws.cache().documents.is_empty() {
            return;
        }
        let first = *FIRST.get_or_init(process_age_ms);
        if !self.loaded {
            return;
        }
        if DONE.swap(true, std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let line = match process_age_ms() {
            Some(ms) => format!(
                "ready_ms={ms}\nfirst_ms={}\ndocuments={}\n",
                first.unwrap_or(ms),
                self.ws.cache().documents.len()
            ),
            None => "ready_ms=unknown\n".to_owned(),
        };
        if let Err(e) = std::fs::write(file, line) {
            self.warn(format!(
                "DOCTRIAGE_BENCH_READY: cannot write {}: {e}",
                file.display()
            ));
        }
        self.allow_close = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}
