//! Generates a synthetic cache for benchmarks: `cargo run --release --example gen_cache -- OUT_DIR N [SEED]`.
//!
//! N records with sizes spread log-uniformly from 200 B to 20 KB, in every input format the
//! ingest reads (`.txt` with a `Key: Value` header, `.md` with front matter, `.json`, `.jsonl`
//! with several records per file, `.eml`), about 5 % of them in Russian (Cyrillic), drawn from a
//! few thousand distinct words plus arms-transfer vocabulary so that benchmark queries hit.
//! Deterministic: the same N and seed give the same bytes. Every record is invented and says so.
//!
//! The benches include this file as a module (`gen_cache::generate`).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// A 64-bit linear congruential generator (Knuth's MMIX constants), high bits used.
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u64::from(self.next_u32()) * n as u64) >> 32) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }

    pub fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "tor", "vas", "ril", "den", "pal", "sor", "gun", "bel", "ast", "ver",
    "mon", "tal", "rin", "dus", "fer", "lak", "sim", "pro", "zen", "mar", "cos", "tiv", "nal",
    "gra", "pen", "hol",
];

const COMMON: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "for",
    "on",
    "with",
    "by",
    "is",
    "was",
    "as",
    "at",
    "from",
    "that",
    "this",
    "be",
    "are",
    "we",
    "our",
    "your",
    "it",
    "will",
    "has",
    "have",
    "not",
    "which",
    "all",
    "per",
    "under",
    "request",
    "confirm",
    "please",
    "regarding",
    "following",
    "attached",
    "according",
    "agreement",
    "meeting",
    "report",
    "letter",
    "office",
    "department",
    "director",
    "general",
    "deputy",
    "minister",
    "government",
    "payment",
    "schedule",
    "shipment",
    "order",
    "supply",
    "technical",
    "documentation",
    "quantity",
    "price",
    "total",
    "units",
    "set",
    "sets",
    "pieces",
    "training",
    "personnel",
    "specialists",
    "service",
    "warranty",
    "spare",
    "parts",
    "repair",
    "maintenance",
    "customs",
    "border",
    "transit",
    "airport",
    "rail",
    "cargo",
    "budget",
    "year",
    "quarter",
    "month",
    "week",
    "date",
    "reference",
    "number",
    "copy",
    "signed",
    "approved",
];

const DOMAIN: &[&str] = &[
    "Groza-S",
    "artillery",
    "sight",
    "sights",
    "export",
    "passport",
    "Azerbaijan",
    "Belarus",
    "Minsk",
    "Baku",
    "modernisation",
    "modernization",
    "counter-drone",
    "electronic-warfare",
    "jamming",
    "station",
    "stations",
    "delivery",
    "contract",
    "invoice",
    "thermal",
    "rangefinder",
    "Polonez",
    "UAV",
    "drone",
    "acceptance",
    "tests",
    "end-user",
    "certificate",
    "licence",
    "embassy",
    "note",
    "verbale",
    "armed",
    "forces",
    "defence",
    "ministry",
    "agency",
    "arms-export",
    "fire-control",
    "panoramic",
    "aiming",
    "equipment",
    "radar",
    "launcher",
    "rocket",
    "ammunition",
    "optics",
    "night-vision",
    "jammer",
    "reconnaissance",
    "deoccupied",
    "territories",
    "Karabakh",
    "consignment",
    "consignee",
    "declaration",
];

const CYR_COMMON: &[&str] = &[
    "и",
    "в",
    "на",
    "по",
    "для",
    "с",
    "о",
    "от",
    "что",
    "не",
    "просим",
    "сообщаем",
    "согласно",
    "договор",
    "письмо",
    "поставка",
    "поставки",
    "станция",
    "станций",
    "прицел",
    "прицелы",
    "министерство",
    "обороны",
    "Азербайджан",
    "Азербайджанской",
    "Республики",
    "Беларусь",
    "Минск",
    "Баку",
    "экспорт",
    "паспорт",
    "модернизация",
    "артиллерии",
    "контракт",
    "счёт",
    "испытания",
    "приёмка",
    "вооружённых",
    "сил",
    "Гроза-С",
    "тепловизионный",
    "дальномер",
    "комплект",
    "запасные",
    "части",
    "таможня",
    "груз",
    "срок",
];

const CYR_SYLLABLES: &[&str] = &[
    "ка", "ло", "ми", "не", "тор", "вас", "рил", "ден", "пал", "сор", "гун", "бел", "аст", "вер",
    "мон", "жу", "щи", "ёл",
];

const ORGS: &[&str] = &[
    "State arms-export agency",
    "Ministry of Defence of Azerbaijan",
    "Ministry of Defence Industry of Azerbaijan",
    "Ministry of Foreign Affairs of Belarus",
    "Embassy of Belarus in Baku",
    "Customs authority of Belarus",
    "Optoval Instruments JSC (fictional)",
    "Minsk Aiming Systems Works (fictional)",
    "Pryazha-Signal OJSC (fictional)",
    "Nemanvek Drone Works (fictional)",
    "Listoval Office Supply (fictional)",
];

const CYR_ORGS: &[&str] = &[
    "Государственный комитет военной промышленности",
    "Министерство обороны Азербайджанской Республики",
    "Посольство Республики Беларусь в Баку",
    "ОАО «Оптовал» (вымышл.)",
];

const KINDS: &[&str] = &[
    "letter",
    "invoice",
    "export_passport",
    "diplomatic_note",
    "contract",
    "memo",
    "customs_declaration",
    "other",
];

const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The vocabulary: a few thousand invented words plus common and domain words.
pub struct Vocab {
    latin: Vec<String>,
    cyrillic: Vec<String>,
}

impl Default for Vocab {
    fn default() -> Self {
        Self::new()
    }
}

impl Vocab {
    pub fn new() -> Self {
        let mut latin = Vec::new();
        for a in SYLLABLES {
            for b in SYLLABLES {
                latin.push(format!("{a}{b}"));
                for c in &SYLLABLES[..4] {
                    latin.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut cyrillic = Vec::new();
        for a in CYR_SYLLABLES {
            for b in CYR_SYLLABLES {
                cyrillic.push(format!("{a}{b}"));
            }
        }
        Self { latin, cyrillic }
    }

    /// A word: common words most often, domain words often, invented words with a skewed (Zipf-like) rank.
    fn word<'a>(&'a self, rng: &mut Lcg, russian: bool) -> &'a str {
        let r = rng.unit();
        if russian {
            if r < 0.6 {
                return rng.pick(CYR_COMMON);
            }
            let u = rng.unit();
            return &self.cyrillic[((u * u * u) * self.cyrillic.len() as f64) as usize];
        }
        if r < 0.45 {
            rng.pick(COMMON)
        } else if r < 0.60 {
            rng.pick(DOMAIN)
        } else {
            let u = rng.unit();
            &self.latin[((u * u * u) * self.latin.len() as f64) as usize]
        }
    }

    /// Body text of about `bytes` bytes, in sentences and paragraphs.
    pub fn body(
        &self,
        rng: &mut Lcg,
        bytes: usize,
        russian: bool,
        date: &str,
        sender: &str,
    ) -> String {
        let mut s = String::with_capacity(bytes + 64);
        let _ = write!(
            s,
            "SYNTHETIC BENCHMARK RECORD - invented.\n{sender}, {date}\n\n"
        );
        let mut sentence = 0;
        while s.len() < bytes {
            let n = 6 + rng.below(14);
            for i in 0..n {
                let w = self.word(rng, russian);
                if i == 0 {
                    let mut cs = w.chars();
                    if let Some(f) = cs.next() {
                        s.extend(f.to_uppercase());
                        s.push_str(cs.as_str());
                    }
                } else {
                    s.push(' ');
                    s.push_str(w);
                }
            }
            s.push_str(if rng.below(8) == 0 { ",\n" } else { ". " });
            sentence += 1;
            if sentence % 5 == 0 {
                s.push_str("\n\n");
            }
        }
        s
    }
}

/// A record's metadata.
struct Meta {
    id: String,
    kind: &'static str,
    title: String,
    date: String,
    sender: &'static str,
    recipient: &'static str,
    language: &'static str,
    reference: String,
}

fn meta(rng: &mut Lcg, vocab: &Vocab, n: usize, russian: bool) -> Meta {
    let year = 2016 + rng.below(8);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let date = match rng.below(10) {
        0 => format!("{year}"),
        1 | 2 => format!("{year}-{month:02}"),
        _ => format!("{year}-{month:02}-{day:02}"),
    };
    let kind = KINDS[rng.below(KINDS.len())];
    let (sender, recipient) = if russian {
        (
            CYR_ORGS[rng.below(CYR_ORGS.len())],
            CYR_ORGS[rng.below(CYR_ORGS.len())],
        )
    } else {
        (ORGS[rng.below(ORGS.len())], ORGS[rng.below(ORGS.len())])
    };
    let mut title = String::new();
    for i in 0..(3 + rng.below(5)) {
        if i > 0 {
            title.push(' ');
        }
        title.push_str(vocab.word(rng, russian));
    }
    Meta {
        id: format!("rec-{n:07}"),
        kind,
        title,
        date,
        sender,
        recipient,
        language: if russian { "ru" } else { "en" },
        reference: format!("REF/{year}/{n}"),
    }
}

/// Log-uniform size in [200, 20000] bytes.
fn size(rng: &mut Lcg) -> usize {
    let (lo, hi) = (200f64.ln(), 20000f64.ln());
    (lo + rng.unit() * (hi - lo)).exp() as usize
}

fn json_record(m: &Meta, text: &str) -> serde_json::Value {
    serde_json::json!({
        "id": m.id, "kind": m.kind, "title": m.title, "date": m.date, "sender": m.sender,
        "recipient": m.recipient, "language": m.language, "reference": m.reference, "text": text,
    })
}

fn rfc2822(rng: &mut Lcg, date: &str) -> String {
    let mut parts = date.split('-').map(|p| p.parse::<usize>().unwrap_or(1));
    let y = parts.next().unwrap_or(2020);
    let m = parts.next().unwrap_or(1 + rng.below(12));
    let d = parts.next().unwrap_or(1 + rng.below(28));
    let wd = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][rng.below(7)];
    format!(
        "{wd}, {d} {} {y} {:02}:{:02}:00 +0300",
        MONTHS[m - 1],
        rng.below(24),
        rng.below(60)
    )
}

/// Statistics of a generated cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct GenStats {
    pub records: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes `n` records under `out` (created). Deterministic for a given `seed`.
pub fn generate(out: &Path, n: usize, seed: u64) -> std::io::Result<GenStats> {
    std::fs::create_dir_all(out)?;
    let vocab = Vocab::new();
    let mut rng = Lcg::new(seed);
    let mut stats = GenStats::default();
    let mut i = 0;
    let mut file_no = 0usize;
    while i < n {
        let bucket = format!("{:04}", file_no / 1000);
        let russian = rng.below(20) == 0;
        let fmt = rng.below(100);
        let (folder, name, bytes, records): (&str, String, Vec<u8>, usize) =
            if fmt < 15 && n - i >= 3 {
                // JSON Lines: 3 to 8 records.
                let k = (3 + rng.below(6)).min(n - i);
                let mut s = String::new();
                for j in 0..k {
                    let m = meta(&mut rng, &vocab, i + j, russian);
                    let len = size(&mut rng);
                    let text = vocab.body(&mut rng, len, russian, &m.date, m.sender);
                    s.push_str(&json_record(&m, &text).to_string());
                    s.push('\n');
                }
                (
                    "records",
                    format!("batch_{file_no:07}.jsonl"),
                    s.into_bytes(),
                    k,
                )
            } else {
                let m = meta(&mut rng, &vocab, i, russian);
                let len = size(&mut rng);
                let text = vocab.body(&mut rng, len, russian, &m.date, m.sender);
                let (folder, name, bytes) = one_record_file(&mut rng, &m, &text, fmt, file_no);
                (folder, name, bytes, 1)
            };
        let dir = out.join(folder).join(&bucket);
        std::fs::create_dir_all(&dir)?;
        let mut f = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
        f.write_all(&bytes)?;
        f.flush()?;
        stats.bytes += bytes.len() as u64;
        stats.files += 1;
        stats.records += records;
        i += records;
        file_no += 1;
    }
    Ok(stats)
}

/// One file holding one record, in the format `fmt` (0–99) picks: a text letter with a header,
/// a Markdown note with front matter, a JSON record or an e-mail.
fn one_record_file(
    rng: &mut Lcg,
    m: &Meta,
    text: &str,
    fmt: usize,
    file_no: usize,
) -> (&'static str, String, Vec<u8>) {
    match fmt {
        0..=54 => {
            let s = format!(
                "Title: {}\nDate: {}\nFrom: {}\nTo: {}\nKind: {}\nReference: {}\nLanguage: {}\n\n{}",
                m.title, m.date, m.sender, m.recipient, m.kind, m.reference, m.language, text
            );
            (
                "letters",
                format!("{}_{file_no:07}.txt", m.kind),
                s.into_bytes(),
            )
        }
        55..=69 => {
            let s = format!(
                "---\ntitle: \"{}\"\ndate: {}\nsender: \"{}\"\nrecipient: \"{}\"\ntype: {}\nreference: {}\nlanguage: {}\n---\n\n# {}\n\n{}",
                m.title,
                m.date,
                m.sender,
                m.recipient,
                m.kind,
                m.reference,
                m.language,
                m.title,
                text
            );
            ("notes", format!("note_{file_no:07}.md"), s.into_bytes())
        }
        70..=84 => {
            let s = serde_json::to_string_pretty(&json_record(m, text)).unwrap_or_default();
            (
                "records",
                format!("{}_{file_no:07}.json", m.kind),
                s.into_bytes(),
            )
        }
        _ => {
            let user = m.id.replace('-', ".");
            let s = format!(
                "From: Export Desk <{user}@saea.example>\r\nTo: Office <office@mod-az.example>\r\nDate: {}\r\nSubject: {}\r\nMessage-ID: <{}@bench.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
                rfc2822(rng, &m.date),
                m.title,
                m.id,
                text.replace('\n', "\r\n")
            );
            ("emails", format!("mail_{file_no:07}.eml"), s.into_bytes())
        }
    }
}

/// The benchmark cache of `n` records under `base` (`cache-N`, seed 42), generated on first use
/// and reused afterwards (a `cache-N.done` marker records that generation finished).
pub fn ensure_cache(base: &Path, n: usize) -> std::io::Result<std::path::PathBuf> {
    let dir = base.join(format!("cache-{n}"));
    let done = base.join(format!("cache-{n}.done"));
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let t = std::time::Instant::now();
        let s = generate(&dir, n, 42)?;
        std::fs::write(&done, format!("{s:?}\n"))?;
        eprintln!(
            "generated {} records in {} files ({:.0} MB) in {:.1} s: {}",
            s.records,
            s.files,
            s.bytes as f64 / 1e6,
            t.elapsed().as_secs_f64(),
            dir.display()
        );
    }
    Ok(dir)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(out), Some(n)) = (
        args.first(),
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen_cache OUT_DIR N [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let t = std::time::Instant::now();
    match generate(Path::new(out), n, seed) {
        Ok(s) => println!(
            "{} records in {} files, {:.1} MB, in {:.1} s: {out}",
            s.records,
            s.files,
            s.bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("gen_cache: error: {e}: {out}");
            std::process::exit(1);
        }
    }
}
