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
    /// Create a session.
    #[command(subcommand)]
    Session(SessionCmd),
    /// Tag a document in a session.
    Tag(TagArgs),
    /// Link a document to a statement of the article.
    Link(LinkArgs),
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
        /// The analyst's name.
        #[arg(long, default_value = "")]
        analyst: String,
        /// Replace an existing session file.
        #[arg(long)]
        force: bool,
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
