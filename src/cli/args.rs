//! The command line's arguments (clap): the subcommands and their options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::PartialDate;
use crate::session::{Relation, Status};

/// Offline triage of a leaked-document cache against a news article.
#[derive(Debug, Parser)]
#[command(name = "doctriage", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without one, the window opens on the sample cache.
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// The analyst's name that signs the edits (`tag`, `link`, `session new`, `session merge`,
    /// `session resolve`); else $DOCTRIAGE_ANALYST, the window's preference, the session's
    /// analyst, the login name.
    #[arg(long, global = true)]
    pub analyst: Option<String>,
    /// Take over the lock of a session left by a doctriage on another machine (only when it
    /// is no longer running there).
    #[arg(long, global = true)]
    pub take_over_lock: bool,
    /// Do not OCR pages without text (scans): they stay `pending`.
    #[arg(long, global = true)]
    pub no_ocr: bool,
    /// OCR languages: `auto` (chosen per page by script, the default) or a tesseract list such
    /// as `rus+eng`.
    #[arg(long, global = true, value_name = "LANGS")]
    pub ocr_lang: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Open the window on a cache folder (default: the sample cache).
    Open {
        /// The cache folder.
        dir: Option<PathBuf>,
        /// A session file to open (or create on first save).
        #[arg(long)]
        session: Option<PathBuf>,
        /// The document to show first (its id).
        #[arg(long)]
        doc: Option<String>,
    },
    /// List a cache's documents and the files that could not be read.
    Scan {
        /// The cache folder.
        dir: PathBuf,
        /// Output options.
        #[command(flatten)]
        out: Output,
    },
    /// Suggest dates, senders and equipment, with where each came from.
    Suggest {
        /// The cache folder.
        dir: PathBuf,
        /// Only this document.
        #[arg(long)]
        doc: Option<String>,
        /// Output options.
        #[command(flatten)]
        out: Output,
    },
    /// Print a document's text, or one page of a paged document (a PDF).
    Text {
        /// The cache folder.
        dir: PathBuf,
        /// The document id.
        doc: String,
        /// Only this page (1-based).
        #[arg(long)]
        page: Option<usize>,
    },
    /// Search a cache with the query language (phrases, AND/OR/NOT, prefix*, fuzzy~, field:value, date:2019..2020).
    Search {
        /// The cache folder.
        dir: PathBuf,
        /// The query.
        query: String,
        /// Match exactly: no Cyrillic/Latin or diacritic folding.
        #[arg(long)]
        exact: bool,
        /// At most this many hits.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// A session whose statuses and tags `status:` and `tag:` filter on.
        #[arg(long)]
        session: Option<PathBuf>,
        /// Output options.
        #[command(flatten)]
        out: Output,
    },
    /// Split an article into statements.
    Statements {
        /// The article file.
        file: PathBuf,
        /// Output options.
        #[command(flatten)]
        out: Output,
    },
    /// Create, merge a session, list and resolve its conflicts.
    #[command(subcommand)]
    Session(SessionCmd),
    /// Tag a document in a session.
    Tag(TagArgs),
    /// Link a document to a statement of the article.
    Link(LinkArgs),
    /// Read and hash every file of a cache again and report what changed since the last scan
    /// on this machine (also what a file's size and times do not show); with `--session`, also
    /// what changed under the session's tags and quotes. Exit status 3 when anything changed.
    Verify {
        /// The cache folder.
        dir: PathBuf,
        /// A session file over this cache to check as well.
        #[arg(long)]
        session: Option<PathBuf>,
        /// Output options.
        #[command(flatten)]
        out: Output,
    },
    /// Export a session's findings.
    Export {
        /// The session file.
        session: PathBuf,
        /// Where to write.
        #[arg(long)]
        out: PathBuf,
        /// Output format: json, md, csv, ftm, w3c or timelinejs.
        #[arg(long, default_value = "json")]
        format: crate::export::Format,
        /// Also write the metadata that can expose a source (PDF author and producer, EXIF
        /// camera, serial numbers and GPS, absolute paths) into the findings JSON.
        #[arg(long)]
        include_sensitive_metadata: bool,
    },
}

/// `doctriage session …`
#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// Create a new session file over a cache.
    New {
        /// The cache folder.
        #[arg(long)]
        cache: PathBuf,
        /// The session file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace an existing session file.
        #[arg(long)]
        force: bool,
    },
    /// Merge two analysts' sessions from their common base: exit 0 clean, 3 when conflicts
    /// remain (the file is written and loads), 1 when refused (nothing written).
    Merge {
        /// The common base.
        base: PathBuf,
        /// Our side.
        ours: PathBuf,
        /// Their side.
        theirs: PathBuf,
        /// Where to write the merged session.
        #[arg(long)]
        out: PathBuf,
    },
    /// git's merge driver: merges into OURS (`%O %A %B`); exit 0 clean, 1 when conflicts remain
    /// or the merge is refused (then OURS is left as it was).
    MergeDriver {
        /// The common base (`%O`).
        base: PathBuf,
        /// Our side, replaced by the merge (`%A`).
        ours: PathBuf,
        /// Their side (`%B`).
        theirs: PathBuf,
    },
    /// List the conflicts a merge left: document, field, each side's value and analyst.
    Conflicts {
        /// The session file.
        file: PathBuf,
        /// Output options.
        #[command(flatten)]
        out: Output,
    },
    /// Resolve a conflict: the field takes our value, theirs, the base one, or the one given.
    Resolve {
        /// The session file.
        file: PathBuf,
        /// The document (`-` for a conflict of the entity merges).
        doc: String,
        /// The field (as `session conflicts` lists it).
        field: String,
        /// `ours`, `theirs`, `base`, or a value (JSON, or plain text).
        choice: crate::session::Choice,
    },
}

/// `--json`
#[derive(Debug, Args)]
pub struct Output {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `doctriage tag …`
#[derive(Debug, Args)]
pub struct TagArgs {
    /// The session file.
    pub session: PathBuf,
    /// The document id.
    pub doc: String,
    /// unreviewed, relevant, irrelevant or key.
    #[arg(long)]
    pub status: Option<Status>,
    /// The date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<PartialDate>,
    /// A sender (repeatable).
    #[arg(long)]
    pub sender: Vec<String>,
    /// A recipient (repeatable).
    #[arg(long)]
    pub recipient: Vec<String>,
    /// Equipment (repeatable).
    #[arg(long)]
    pub equipment: Vec<String>,
    /// A free tag (repeatable).
    #[arg(long)]
    pub tag: Vec<String>,
    /// A note, appended to the document's notes.
    #[arg(long)]
    pub note: Option<String>,
    /// Accept the document's suggestions (first date, senders, equipment).
    #[arg(long)]
    pub accept_suggestions: bool,
}

/// `doctriage link …`
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The session file.
    pub session: PathBuf,
    /// The document id.
    pub doc: String,
    /// The statement id (S1, S2, …).
    pub statement: String,
    /// supports, contradicts or context.
    #[arg(long, default_value = "supports")]
    pub relation: Relation,
    /// An exact quote of the document (an error if it is not in the document).
    #[arg(long)]
    pub quote: Option<String>,
    /// A note on the link.
    #[arg(long)]
    pub note: Option<String>,
}
