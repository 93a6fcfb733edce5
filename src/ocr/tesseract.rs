//! The `tesseract` command: which engine and languages this machine has, and reading one page
//! image — its script first, then the languages for that script — into text with word boxes.
//! Tesseract is only ever given the path of a page image of our own, never a URL or a file of
//! the cache.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use super::{LanguageSetting, langs, raster, tsv};
use crate::tool::{ToolError, run_tool_with};

/// How long tesseract may take over one page.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(180);

/// The OCR engine found on this machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Engine {
    /// Its name and version, as results record it (`tesseract 5.3.0`).
    pub version: String,
    /// The installed languages (`eng`, `rus`, ..., `osd`).
    pub languages: Vec<String>,
}

impl Engine {
    /// The tesseract on the `PATH`, asked once per process.
    pub fn detect() -> Result<Engine, ToolError> {
        static ENGINE: OnceLock<Result<Engine, ToolError>> = OnceLock::new();
        ENGINE.get_or_init(Self::probe).clone()
    }

    fn probe() -> Result<Engine, ToolError> {
        let env = [("OMP_THREAD_LIMIT", "1")];
        let out = run_tool_with(
            "tesseract",
            &["--list-langs"],
            &env,
            b"",
            Duration::from_secs(20),
        )?;
        let languages: Vec<String> = String::from_utf8_lossy(&out)
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        // The version from the hOCR of a blank page of our own, not `tesseract --version`: that
        // one initialises libcurl, which looks host names up (a socket to nscd).
        let version = languages
            .first()
            .and_then(|lang| hocr_version(lang))
            .unwrap_or_else(|| "tesseract (unknown version)".to_owned());
        Ok(Engine { version, languages })
    }

    /// True when `lang` is installed.
    pub fn has(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l == lang)
    }

    /// The recommended languages ([`langs::RECOMMENDED`]) that are not installed.
    pub fn missing_recommended(&self) -> Vec<&'static str> {
        langs::RECOMMENDED
            .iter()
            .map(|(code, _)| *code)
            .filter(|c| !self.has(c))
            .collect()
    }

    /// One line for a status bar: the engine and its languages, and what is missing.
    pub fn describe(&self) -> String {
        let langs: Vec<&str> = self
            .languages
            .iter()
            .map(String::as_str)
            .filter(|l| *l != "osd")
            .collect();
        let mut s = format!("{} ({})", self.version, langs.join(", "));
        let missing = self.missing_recommended();
        if !missing.is_empty() {
            let pkgs: Vec<String> = missing.iter().map(|l| langs::package_of(l)).collect();
            s.push_str(&format!("; not installed: {}", pkgs.join(" ")));
        }
        s
    }

    /// Checks a fixed language list against the installed languages.
    pub fn check(&self, setting: &LanguageSetting) -> Result<(), String> {
        if let LanguageSetting::Fixed(list) = setting {
            let missing: Vec<&String> = list.iter().filter(|l| !self.has(l)).collect();
            if !missing.is_empty() {
                let pkgs: Vec<String> = missing.iter().map(|l| langs::package_of(l)).collect();
                return Err(format!(
                    "OCR language not installed: {} (Debian: apt-get install {})",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    pkgs.join(" ")
                ));
            }
        }
        Ok(())
    }
}

/// The `ocr-system` tesseract names in the hOCR of a blank 8 × 8 page (`tesseract 5.3.0`).
fn hocr_version(lang: &str) -> Option<String> {
    let dir = tempfile::Builder::new()
        .prefix("doctriage-ocr-probe-")
        .tempdir()
        .ok()?;
    let blank = raster::GrayImage {
        width: 8,
        height: 8,
        pixels: vec![255; 64],
    };
    let path = dir.path().join("blank.pgm");
    std::fs::write(&path, blank.to_pgm()).ok()?;
    let p = path.to_string_lossy();
    let out = run_tool_with(
        "tesseract",
        &[p.as_ref(), "stdout", "--psm", "6", "-l", lang, "hocr"],
        &[("OMP_THREAD_LIMIT", "1")],
        b"",
        Duration::from_secs(20),
    )
    .ok()?;
    let text = String::from_utf8_lossy(&out);
    let at = text.find("name='ocr-system' content='")? + "name='ocr-system' content='".len();
    let end = text[at..].find('\'')?;
    Some(text[at..at + end].trim().to_owned())
}

/// A recognised page, the languages that read it and warnings.
type Recognised = (tsv::TsvPage, String, Vec<String>);

/// Reads a page image with the languages of `setting` (chosen per page for [`LanguageSetting::Auto`]).
pub(super) fn recognise(
    engine: &Engine,
    setting: &LanguageSetting,
    image: &Path,
    dpi: Option<u32>,
) -> Result<Recognised, String> {
    let mut warnings = Vec::new();
    let langs = match setting {
        LanguageSetting::Fixed(list) => list.join("+"),
        LanguageSetting::Auto => {
            let script = detect_script(engine, image, dpi);
            match script
                .as_ref()
                .and_then(|s| langs::for_script(s, &engine.languages))
            {
                Some(l) => l,
                None => {
                    if let Some(langs::Script::Other(name)) = &script {
                        warnings.push(format!(
                            "no OCR language installed for the {name} script: read as English"
                        ));
                    }
                    "eng".to_owned()
                }
            }
        }
    };
    let mut page = tesseract_tsv(image, &langs, dpi)?;
    let mut used = langs;
    if *setting == LanguageSetting::Auto && used == "eng" {
        let guess = langs::latin_language(&page.text);
        if guess != "eng" && engine.has(guess) {
            let other = tesseract_tsv(image, guess, dpi)?;
            if other.confidence().unwrap_or(0.0) > page.confidence().unwrap_or(0.0) {
                page = other;
                used = guess.to_owned();
            }
        }
    }
    Ok((page, used, warnings))
}

/// The page's script: tesseract's orientation and script detection, else the letters of a quick
/// read with one language of each main script.
fn detect_script(engine: &Engine, image: &Path, dpi: Option<u32>) -> Option<langs::Script> {
    let path = image.to_string_lossy();
    let dpi_s = dpi.map(|d| d.to_string());
    let mut args = vec![path.as_ref(), "stdout", "--psm", "0", "-l", "osd"];
    if let Some(d) = &dpi_s {
        args.extend(["--dpi", d]);
    }
    if engine.has("osd")
        && let Ok(out) = run_tool_with(
            "tesseract",
            &args,
            &[("OMP_THREAD_LIMIT", "1")],
            b"",
            PAGE_TIMEOUT,
        )
        && let Some(script) = langs::parse_osd(&String::from_utf8_lossy(&out))
    {
        return Some(script);
    }
    let probe = tesseract_tsv(image, &langs::probe_languages(&engine.languages), dpi).ok()?;
    langs::script_of_text(&probe.text)
}

/// Runs `tesseract IMAGE stdout --psm 1 -l LANGS tsv` on one of our own page images.
fn tesseract_tsv(image: &Path, langs: &str, dpi: Option<u32>) -> Result<tsv::TsvPage, String> {
    let path = image.to_string_lossy();
    let dpi_s = dpi.map(|d| d.to_string());
    let mut args = vec![path.as_ref(), "stdout", "--psm", "1", "-l", langs];
    if let Some(d) = &dpi_s {
        args.extend(["--dpi", d]);
    }
    args.push("tsv");
    let out = run_tool_with(
        "tesseract",
        &args,
        &[("OMP_THREAD_LIMIT", "1")],
        b"",
        PAGE_TIMEOUT,
    )
    .map_err(|e| e.to_string())?;
    Ok(tsv::parse(&String::from_utf8_lossy(&out)))
}
