//! The system tools doctriage calls as processes (poppler's `pdftotext`, `pdfinfo`, `pdftoppm`;
//! `tesseract`): each run is a child process of its own with a timeout, fed on its standard
//! input, so a tool that crashes, hangs or is missing costs one file a clear reason and never the
//! app. No tool is ever given a URL or a path inside the cache folder it could write to.

use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one tool run may take before it is stopped.
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(60);

/// The Debian package that installs a tool.
pub fn package_of(program: &str) -> &'static str {
    match program {
        "pdftotext" | "pdfinfo" | "pdftoppm" => "poppler-utils",
        "tesseract" => "tesseract-ocr",
        _ => "its package",
    }
}

/// Why a tool gave no output.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ToolError {
    /// The program is not installed.
    #[error("{0} is not installed (Debian package {pkg})", pkg = package_of(.0))]
    Missing(&'static str),
    /// It ran longer than the timeout and was stopped.
    #[error("{0} took longer than {1} s and was stopped")]
    Timeout(&'static str, u64),
    /// It failed; its first error line.
    #[error("{0} could not read it: {1}")]
    Failed(&'static str, String),
    /// The PDF needs a user password to be opened.
    #[error("encrypted: a user password is needed to read it")]
    Encrypted,
}

/// True when a file's reason to be unread is one that can go away without the file changing: a
/// tool not installed, or stopped at its time limit (the messages of [`ToolError::Missing`] and
/// [`ToolError::Timeout`], also when a member's path is put before them).
pub fn is_transient_failure(message: &str) -> bool {
    (message.contains(" is not installed (Debian package "))
        || (message.contains(" took longer than ") && message.ends_with(" s and was stopped"))
}

/// True when an executable file of this name is in a folder of the `PATH` (no process is run).
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let file = dir.join(program);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::metadata(&file)
                    .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            }
            #[cfg(not(unix))]
            {
                file.is_file() || file.with_extension("exe").is_file()
            }
        })
    })
}

/// Runs `program ARGS` with `input` on its standard input: its standard output, or why not.
pub fn run_tool(
    program: &'static str,
    args: &[&str],
    input: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, ToolError> {
    run_tool_with(program, args, &[], input, timeout)
}

/// [`run_tool`] with environment variables set for the child (for example
/// `OMP_THREAD_LIMIT=1` for tesseract).
pub fn run_tool_with(
    program: &'static str,
    args: &[&str],
    env: &[(&str, &str)],
    input: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, ToolError> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ToolError::Missing(program),
        _ => ToolError::Failed(program, e.to_string()),
    })?;
    let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        return Err(ToolError::Failed(program, "no pipes".into()));
    };
    // Writing and reading on threads of their own: a tool that stops reading (or writes a lot
    // before reading everything) never blocks the other side.
    let input = input.to_vec();
    let writer = std::thread::Builder::new()
        .name(format!("doctriage-{program}-in"))
        .spawn(move || {
            let _ = stdin.write_all(&input);
        });
    let reader = std::thread::Builder::new()
        .name(format!("doctriage-{program}-out"))
        .spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.read_to_end(&mut out);
            let mut err = String::new();
            let _ = stderr.read_to_string(&mut err);
            (out, err)
        });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ToolError::Timeout(program, timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(ToolError::Failed(program, e.to_string())),
        }
    };
    if let Ok(w) = writer {
        let _ = w.join();
    }
    let (out, err) = reader.ok().and_then(|r| r.join().ok()).unwrap_or_default();
    if status.success() {
        Ok(out)
    } else {
        let first = err
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("Syntax Warning"))
            .unwrap_or("no reason given")
            .to_owned();
        Err(ToolError::Failed(program, first))
    }
}
