//! Which tesseract languages read a page.
//!
//! One long language list costs accuracy (OCRmyPDF's English `linn.pdf`: 0.90–0.98 word recall
//! with `eng`, 0.76–0.88 with `rus+aze+eng+spa`) while the mean confidence stays high, so the
//! languages are chosen per page: the script first (tesseract's orientation and script detection,
//! `--psm 0 -l osd`), then a small set for that script — Cyrillic: `rus` with `ukr` and `bel`
//! where installed, and `eng` for the Latin words in them; Armenian: `hye`; Latin: `eng`, then the language the words read
//! as (Azerbaijani, Spanish, French) when it is installed and reads the page with more
//! confidence.

use std::fmt;

/// The languages the analyst asked for: chosen per page, or one fixed list for every page.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum LanguageSetting {
    /// Chosen per page by script (the default).
    #[default]
    Auto,
    /// These tesseract languages on every page (for example `rus`, `eng`).
    Fixed(Vec<String>),
}

impl LanguageSetting {
    /// Parses `auto` or a tesseract language list (`rus+eng`, `rus,eng`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("auto") {
            return Ok(Self::Auto);
        }
        let langs: Vec<String> = s
            .split(['+', ',', ' '])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(bad) = langs.iter().find(|l| {
            !l.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        }) {
            return Err(format!(
                "not a tesseract language code: {bad:?} (give codes such as rus+eng, or auto)"
            ));
        }
        Ok(Self::Fixed(langs))
    }

    /// The key of this setting in the OCR cache (`auto`, `rus+eng`).
    pub fn key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for LanguageSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::Fixed(l) => f.write_str(&l.join("+")),
        }
    }
}

impl From<LanguageSetting> for String {
    fn from(l: LanguageSetting) -> Self {
        l.to_string()
    }
}

impl TryFrom<String> for LanguageSetting {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

/// The writing system of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Script {
    /// Latin letters (English, Azerbaijani, Spanish, French, ...).
    Latin,
    /// Cyrillic letters (Russian, Belarusian, Ukrainian, Azerbaijani in Cyrillic).
    Cyrillic,
    /// Armenian letters.
    Armenian,
    /// Another script, as tesseract names it.
    Other(String),
}

/// The script tesseract's `--psm 0` output names, if it names one.
pub fn parse_osd(out: &str) -> Option<Script> {
    let name = out
        .lines()
        .find_map(|l| l.strip_prefix("Script:"))
        .map(str::trim)?;
    Some(match name {
        "Latin" => Script::Latin,
        "Cyrillic" => Script::Cyrillic,
        "Armenian" => Script::Armenian,
        other => Script::Other(other.to_owned()),
    })
}

/// The script most letters of a text are in (`None` for a text without letters).
pub fn script_of_text(text: &str) -> Option<Script> {
    let (mut latin, mut cyrillic, mut armenian) = (0, 0, 0);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        match c {
            'a'..='z' | 'A'..='Z' | '\u{c0}'..='\u{24f}' => latin += 1,
            '\u{400}'..='\u{52f}' => cyrillic += 1,
            '\u{531}'..='\u{58f}' => armenian += 1,
            _ => {}
        }
    }
    let best = latin.max(cyrillic).max(armenian);
    if best == 0 {
        None
    } else if best == cyrillic {
        Some(Script::Cyrillic)
    } else if best == armenian {
        Some(Script::Armenian)
    } else {
        Some(Script::Latin)
    }
}

/// The Latin-script language a text (read with `eng`) looks most like, by its letters and its
/// most common words: `aze`, `spa`, `fra` or `eng`.
pub fn latin_language(text: &str) -> &'static str {
    const AZE: &[&str] = &[
        "və",
        "ve",
        "ilə",
        "ile",
        "bu",
        "üçün",
        "ucun",
        "olan",
        "il",
        "ci",
        "cu",
        "nazirliyi",
        "respublikası",
        "respublikasi",
        "haqqında",
    ];
    const SPA: &[&str] = &[
        "el", "la", "los", "las", "del", "que", "y", "en", "por", "con", "una", "para", "según",
    ];
    const FRA: &[&str] = &[
        "le", "les", "des", "du", "et", "est", "une", "pour", "au", "aux", "sur", "dans", "qui",
    ];
    const ENG: &[&str] = &[
        "the", "and", "of", "to", "in", "is", "for", "that", "with", "on", "by", "was",
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let count = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
    let letters = |set: &[char]| lower.chars().filter(|c| set.contains(c)).count();
    let scores = [
        ("aze", count(AZE) + 3 * letters(&['ə', 'ğ', 'ı', 'ş'])),
        ("spa", count(SPA) + 3 * letters(&['ñ', '¿', '¡'])),
        ("fra", count(FRA) + 3 * letters(&['œ', 'ç', 'è', 'ê', 'à'])),
        ("eng", count(ENG)),
    ];
    scores
        .iter()
        .max_by_key(|(lang, n)| (*n, *lang == "eng"))
        .map_or("eng", |(l, _)| *l)
}

/// The languages for a page of `script`, from the installed ones (`None`: none of that script's
/// languages is installed).
pub fn for_script(script: &Script, installed: &[String]) -> Option<String> {
    let have = |l: &str| installed.iter().any(|i| i == l);
    let list: Vec<&str> = match script {
        Script::Latin => vec!["eng"],
        // English too: Cyrillic records carry Latin model names, addresses and markings, which
        // `rus` alone reads as Cyrillic look-alikes (`5УМТНЕТС` for `SYNTHETIC`). Not
        // `aze_cyrl`: on a Russian letter it turned `ЭКСПОРТЁР` into `ӘКСПОРТЕР` (its Ә is a
        // look-alike of Э); set the languages by hand for Azerbaijani in Cyrillic.
        Script::Cyrillic => ["rus", "ukr", "bel", "eng"]
            .into_iter()
            .filter(|l| have(l))
            .collect(),
        Script::Armenian => vec!["hye"],
        Script::Other(name) => other_script_language(name).into_iter().collect(),
    };
    let list: Vec<&str> = list.into_iter().filter(|l| have(l)).collect();
    (!list.is_empty()).then(|| list.join("+"))
}

/// The tesseract language of a few other scripts tesseract's OSD names.
fn other_script_language(script: &str) -> Option<&'static str> {
    Some(match script {
        "Georgian" => "kat",
        "Greek" => "ell",
        "Arabic" => "ara",
        "Hebrew" => "heb",
        "Han" => "chi_sim",
        "Japanese" => "jpn",
        "Hangul" => "kor",
        "Devanagari" => "hin",
        _ => return None,
    })
}

/// The languages of the quick first pass when the script cannot be detected: one of each
/// script's main language, where installed.
pub fn probe_languages(installed: &[String]) -> String {
    let list: Vec<&str> = ["eng", "rus", "hye"]
        .into_iter()
        .filter(|l| installed.iter().any(|i| i == l))
        .collect();
    if list.is_empty() {
        "eng".to_owned()
    } else {
        list.join("+")
    }
}

/// The languages that serve this domain, and which of them are not installed.
pub const RECOMMENDED: &[(&str, &str)] = &[
    ("rus", "Russian"),
    ("aze", "Azerbaijani"),
    ("hye", "Armenian"),
    ("eng", "English"),
    ("spa", "Spanish"),
    ("fra", "French"),
];

/// The Debian package of a tesseract language.
pub fn package_of(lang: &str) -> String {
    format!("tesseract-ocr-{}", lang.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_auto_and_lists() {
        assert_eq!(LanguageSetting::parse("auto"), Ok(LanguageSetting::Auto));
        assert_eq!(LanguageSetting::parse(""), Ok(LanguageSetting::Auto));
        assert_eq!(
            LanguageSetting::parse("rus+eng"),
            Ok(LanguageSetting::Fixed(vec!["rus".into(), "eng".into()]))
        );
        assert_eq!(LanguageSetting::parse("rus, eng").unwrap().key(), "rus+eng");
        assert!(LanguageSetting::parse("http://x").is_err());
        assert!(LanguageSetting::parse("../eng").is_err());
    }

    #[test]
    fn scripts_come_from_osd_or_from_letters() {
        let osd = "Page number: 0\nOrientation in degrees: 0\nRotate: 0\nScript: Cyrillic\nScript confidence: 2.04\n";
        assert_eq!(parse_osd(osd), Some(Script::Cyrillic));
        assert_eq!(parse_osd("Too few characters"), None);
        assert_eq!(script_of_text("Гроза-С, 2020 г."), Some(Script::Cyrillic));
        assert_eq!(script_of_text("Գրոզա"), Some(Script::Armenian));
        assert_eq!(script_of_text("Müdafiə Nazirliyi"), Some(Script::Latin));
        assert_eq!(script_of_text("12 34"), None);
    }

    #[test]
    fn latin_pages_are_told_apart_by_words_and_letters() {
        assert_eq!(
            latin_language("The order of the sights and the rangefinders"),
            "eng"
        );
        assert_eq!(
            latin_language("Azərbaycan Respublikası Müdafiə Nazirliyi və Qroza-S"),
            "aze"
        );
        assert_eq!(
            latin_language("La factura de los equipos para el ministerio"),
            "spa"
        );
        assert_eq!(
            latin_language("Le ministère des affaires et la note pour le délégué"),
            "fra"
        );
        assert_eq!(latin_language("12345"), "eng");
    }

    #[test]
    fn each_script_gets_its_installed_languages() {
        let installed: Vec<String> = ["eng", "rus", "aze", "aze_cyrl", "hye", "osd"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            for_script(&Script::Cyrillic, &installed).as_deref(),
            Some("rus+eng")
        );
        assert_eq!(
            for_script(&Script::Armenian, &installed).as_deref(),
            Some("hye")
        );
        assert_eq!(
            for_script(&Script::Latin, &installed).as_deref(),
            Some("eng")
        );
        assert_eq!(
            for_script(&Script::Other("Georgian".into()), &installed),
            None
        );
        assert_eq!(probe_languages(&installed), "eng+rus+hye");
        assert_eq!(package_of("aze_cyrl"), "tesseract-ocr-aze-cyrl");
    }
}
