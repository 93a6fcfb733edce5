//! Word-processing files (DOCX and ODT) reduced to text: the body with its tables, then the
//! headers, footers, notes, comments and tracked deletions in marked sections, and what the
//! document properties say (author, last editor, dates, application, company).
//!
//! Every XML part is decompressed through a size limit, one part at a time and in all; a part
//! that cannot be read or is over a limit is a warning, not an error.

use std::borrow::Cow;
use std::io::{Cursor, Read};

use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

/// Text of a word-processing file and what its metadata says.
#[derive(Debug, Default)]
pub(crate) struct OfficeText {
    /// Body text: paragraphs one per line, table rows one per line with cells separated by a tab,
    /// then headers, footers, footnotes/endnotes and comments in sections after the body.
    pub text: String,
    /// Title from the document properties, if set.
    pub title: Option<String>,
    /// Creation date as stated (ISO 8601 string as written), if set.
    pub created: Option<String>,
    /// Other metadata as (key, value), keys lower-case like "office author", "office last
    /// modified by", "office created", "office modified", "office application", "office
    /// company", "office subject", "office keywords".
    pub metadata: Vec<(String, String)>,
    /// Visible warnings (a part that could not be read, a part over the size limit, ...).
    pub warnings: Vec<String>,
}

/// The signature of an OLE compound file: a legacy `.doc`/`.xls`, or an encrypted OOXML file.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Longest metadata value kept, in characters.
const MAX_VALUE_CHARS: usize = 1000;

/// Most spaces one `text:s` element stands for (its count is the file's say).
const MAX_SPACES: usize = 100;

/// The text of a DOCX file: `word/document.xml`, then its headers, footers, footnotes,
/// endnotes, comments and tracked deletions in sections, and `docProps/core.xml` and
/// `docProps/app.xml` as metadata.
///
/// `max_part_bytes`: no XML part is decompressed beyond this many bytes (read with `Read::take`,
/// a part over it is a warning, not read); `max_total_bytes`: the sum over parts.
pub(crate) fn docx_text(
    bytes: &[u8],
    max_part_bytes: u64,
    max_total_bytes: u64,
) -> Result<OfficeText, String> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(
            "not a DOCX file: an OLE container (an encrypted DOCX or a legacy .doc)".to_owned(),
        );
    }
    let mut pkg = Package::open(bytes, max_part_bytes, max_total_bytes)?;
    let Some(index) = pkg.zip.index_for_name("word/document.xml") else {
        return Err("not a DOCX file: no word/document.xml".to_owned());
    };
    if pkg.zip.by_index_raw(index).is_ok_and(|f| f.encrypted()) {
        return Err("encrypted document: not read".to_owned());
    }
    let mut out = OfficeText::default();
    let mut deleted = Vec::new();
    let mut body = String::new();
    if let Some(part) = pkg.docx_part("word/document.xml") {
        body = part.text;
        deleted.push(part.deleted);
    }
    let names = pkg.names();
    let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
    for (title, stem) in [("Header", "header"), ("Footer", "footer")] {
        let mut texts = Vec::new();
        for name in numbered_parts(&names, stem) {
            if let Some(part) = pkg.docx_part(&name) {
                texts.push(part.text);
                deleted.push(part.deleted);
            }
        }
        sections.push((title, texts));
    }
    for (title, name) in [
        ("Footnotes", "word/footnotes.xml"),
        ("Endnotes", "word/endnotes.xml"),
        ("Comments", "word/comments.xml"),
    ] {
        if let Some(part) = pkg.docx_part(name) {
            sections.push((title, vec![part.text]));
            deleted.push(part.deleted);
        }
    }
    if deleted.iter().any(|d| !d.trim().is_empty()) {
        pkg.warnings.push("tracked deletions present".to_owned());
    }
    sections.push(("Deleted text (tracked changes)", deleted));
    out.text = assemble(&body, &sections);
    if let Some(xml) = pkg.read("docProps/core.xml") {
        for (name, value) in leaf_fields(&xml, "docProps/core.xml", &mut pkg.warnings) {
            let key = match name.as_str() {
                "title" => {
                    out.title.get_or_insert(value);
                    continue;
                }
                "created" => {
                    out.created.get_or_insert_with(|| value.clone());
                    "office created"
                }
                "creator" => "office author",
                "lastModifiedBy" => "office last modified by",
                "modified" => "office modified",
                "lastPrinted" => "office last printed",
                "subject" => "office subject",
                "keywords" => "office keywords",
                "description" => "office description",
                "category" => "office category",
                "revision" => "office revision",
                _ => continue,
            };
            out.metadata.push((key.to_owned(), value));
        }
    }
    if let Some(xml) = pkg.read("docProps/app.xml") {
        for (name, value) in leaf_fields(&xml, "docProps/app.xml", &mut pkg.warnings) {
            let key = match name.as_str() {
                "Application" => "office application",
                "AppVersion" => "office application version",
                "Company" => "office company",
                "Manager" => "office manager",
                "Template" => "office template",
                "TotalTime" => "office editing minutes",
                _ => continue,
            };
            out.metadata.push((key.to_owned(), value));
        }
    }
    out.warnings = pkg.warnings;
    Ok(out)
}

/// The text of an ODT file: `content.xml` (body and tables, with footnotes, comments and tracked
/// deletions in sections), the master pages' headers and footers of `styles.xml`, and `meta.xml`
/// as metadata.
///
/// The limits are those of [`docx_text`].
pub(crate) fn odt_text(
    bytes: &[u8],
    max_part_bytes: u64,
    max_total_bytes: u64,
) -> Result<OfficeText, String> {
    let mut pkg = Package::open(bytes, max_part_bytes, max_total_bytes)?;
    if pkg.zip.index_for_name("content.xml").is_none() {
        return Err("not an ODT file: no content.xml".to_owned());
    }
    if let Some(manifest) = pkg.read("META-INF/manifest.xml")
        && manifest.contains("encryption-data")
    {
        return Err("encrypted document: not read".to_owned());
    }
    let mut content = OdtText::default();
    if let Some(xml) = pkg.read("content.xml") {
        walk(&xml, "content.xml", &mut pkg.warnings, |node| {
            content.visit(node);
        });
    }
    let mut styles = OdtText {
        styles_only: true,
        ..OdtText::default()
    };
    if let Some(xml) = pkg.read("styles.xml") {
        walk(&xml, "styles.xml", &mut pkg.warnings, |node| {
            styles.visit(node)
        });
    }
    if !content.deleted.trim().is_empty() {
        pkg.warnings.push("tracked deletions present".to_owned());
    }
    let mut out = OfficeText {
        text: assemble(
            &content.body,
            &[
                ("Header", styles.headers),
                ("Footer", styles.footers),
                ("Notes", vec![content.notes]),
                ("Comments", vec![content.comments]),
                ("Deleted text (tracked changes)", vec![content.deleted]),
            ],
        ),
        ..OfficeText::default()
    };
    if let Some(xml) = pkg.read("meta.xml") {
        let mut keywords = Vec::new();
        for (name, value) in leaf_fields(&xml, "meta.xml", &mut pkg.warnings) {
            let key = match name.as_str() {
                "title" => {
                    out.title.get_or_insert(value);
                    continue;
                }
                "keyword" => {
                    keywords.push(value);
                    continue;
                }
                "creation-date" => {
                    out.created.get_or_insert_with(|| value.clone());
                    "office created"
                }
                "initial-creator" => "office author",
                "creator" => "office last modified by",
                "date" => "office modified",
                "generator" => "office application",
                "subject" => "office subject",
                "description" => "office description",
                "editing-cycles" => "office revision",
                "print-date" => "office last printed",
                "printed-by" => "office printed by",
                _ => continue,
            };
            out.metadata.push((key.to_owned(), value));
        }
        if !keywords.is_empty() {
            out.metadata
                .push(("office keywords".to_owned(), keywords.join(", ")));
        }
    }
    out.warnings = pkg.warnings;
    Ok(out)
}

/// A zip package whose parts are read through the size limits.
struct Package<'a> {
    /// The archive.
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Most bytes one part may decompress to.
    max_part: u64,
    /// The limit over all parts.
    max_total: u64,
    /// What is left of `max_total`.
    left: u64,
    /// Parts not read, and why.
    warnings: Vec<String>,
}

impl<'a> Package<'a> {
    /// Opens the zip; a file that is no zip is an error.
    fn open(bytes: &'a [u8], max_part: u64, max_total: u64) -> Result<Self, String> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("corrupt zip: {e}"))?;
        Ok(Self {
            zip,
            max_part,
            max_total,
            left: max_total,
            warnings: Vec::new(),
        })
    }

    /// The names of the parts (those not valid text left out).
    fn names(&self) -> Vec<String> {
        self.zip
            .file_names()
            .filter_map(Result::ok)
            .map(Cow::into_owned)
            .collect()
    }

    /// The part `name` as text; `None` when it is absent, and with a warning when it cannot be
    /// read or is over a limit.
    fn read(&mut self, name: &str) -> Option<String> {
        let index = self.zip.index_for_name(name)?;
        let cap = self.max_part.min(self.left);
        let mut file = match self.zip.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                self.warnings.push(format!("{name}: not read: {e}"));
                return None;
            }
        };
        let declared = file.size();
        if declared > self.max_part {
            self.warnings.push(format!(
                "{name}: {declared} bytes uncompressed, over the limit of {} bytes for one part: not read",
                self.max_part
            ));
            return None;
        }
        if declared > cap {
            self.warnings.push(format!(
                "{name}: not read, the document's parts are over the limit of {} bytes in all",
                self.max_total
            ));
            return None;
        }
        let mut buf = Vec::new();
        if let Err(e) = (&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut buf)
        {
            self.warnings.push(format!("{name}: not read: {e}"));
            return None;
        }
        let read = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        if read > cap {
            self.warnings.push(format!(
                "{name}: decompresses to more than its limit of {cap} bytes: not read"
            ));
            return None;
        }
        self.left = self.left.saturating_sub(read);
        let text = String::from_utf8_lossy(&buf);
        Some(text.trim_start_matches('\u{feff}').to_owned())
    }

    /// The DOCX part `name` reduced to text, if it could be read.
    fn docx_part(&mut self, name: &str) -> Option<DocxText> {
        let xml = self.read(name)?;
        let mut part = DocxText::default();
        walk(&xml, name, &mut self.warnings, |node| part.visit(node));
        Some(part)
    }
}

/// The parts `word/{stem}N.xml` in the order of their number N.
fn numbered_parts(names: &[String], stem: &str) -> Vec<String> {
    let prefix = format!("word/{stem}");
    let mut found: Vec<(u64, String)> = names
        .iter()
        .filter_map(|name| {
            let number = name.strip_prefix(&prefix)?.strip_suffix(".xml")?;
            if !number.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((number.parse().unwrap_or(0), name.clone()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, name)| name).collect()
}

/// One step of an XML part: an element opens (an empty element opens and closes), an element
/// closes (its local name), or text (entities resolved).
enum Node<'e, 'x> {
    /// A start tag.
    Open(&'e BytesStart<'x>),
    /// The end of the element with this local name.
    Close(&'e [u8]),
    /// Character data.
    Text(&'e str),
}

/// Calls `visit` for each step of `xml`; an XML error ends the walk with a warning naming `part`
/// (what was read before it is kept).
fn walk(xml: &str, part: &str, warnings: &mut Vec<String>, mut visit: impl FnMut(Node<'_, '_>)) {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => visit(Node::Open(&e)),
            Ok(Event::End(e)) => visit(Node::Close(e.local_name().as_ref())),
            Ok(Event::Empty(e)) => {
                visit(Node::Open(&e));
                visit(Node::Close(e.local_name().as_ref()));
            }
            Ok(Event::Text(t)) => {
                if let Ok(text) = t.decode() {
                    visit(Node::Text(&text));
                }
            }
            Ok(Event::CData(t)) => {
                if let Ok(text) = t.decode() {
                    visit(Node::Text(&text));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    visit(Node::Text(c.encode_utf8(&mut [0; 4])));
                } else if let Some(text) = r.decode().ok().and_then(|n| resolve_xml_entity(&n)) {
                    visit(Node::Text(text));
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                warnings.push(format!(
                    "{part}: XML error at byte {}: {e}; the rest of the part is not read",
                    reader.error_position()
                ));
                break;
            }
        }
    }
}

/// The local name of an element.
fn local<'e>(e: &'e BytesStart<'_>) -> &'e [u8] {
    e.local_name().into_inner()
}

/// The value of the attribute with local name `name`.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

/// The elements of a property part that hold text and no other element, as (local name, text
/// trimmed), empty ones left out, in document order.
fn leaf_fields(xml: &str, part: &str, warnings: &mut Vec<String>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut open: Option<(String, String)> = None;
    walk(xml, part, warnings, |node| match node {
        Node::Open(e) => {
            open = Some((
                String::from_utf8_lossy(local(e)).into_owned(),
                String::new(),
            ));
        }
        Node::Text(t) => {
            if let Some((_, text)) = open.as_mut()
                && text.len() < MAX_VALUE_CHARS * 4
            {
                text.push_str(t);
            }
        }
        Node::Close(name) => {
            if let Some((open_name, text)) = open.take() {
                let value: String = text.trim().chars().take(MAX_VALUE_CHARS).collect();
                if open_name.as_bytes() == name && !value.is_empty() {
                    fields.push((open_name, value));
                }
            }
        }
    });
    fields
}

/// Removes the spaces at the end of `s` (before a tab or a line end is added).
fn trim_spaces(s: &mut String) {
    let kept = s.trim_end_matches(' ').len();
    s.truncate(kept);
}

/// Ends a paragraph in `s`: a line end, or a space inside a table cell (a row stays one line).
fn end_paragraph(s: &mut String, in_cell: bool) {
    if in_cell {
        if !s.is_empty() && !s.ends_with([' ', '\t', '\n']) {
            s.push(' ');
        }
    } else {
        trim_spaces(s);
        s.push('\n');
    }
}

/// Table layout shared by both formats: cells of a row separated by a tab, a row one line.
#[derive(Default)]
struct Table {
    /// For each open row (tables nest), the cells seen so far.
    rows: Vec<usize>,
    /// How many cells are open.
    cells: usize,
}

impl Table {
    /// A row opens.
    fn open_row(&mut self) {
        self.rows.push(0);
    }

    /// A row closes: its line ends.
    fn close_row(&mut self, s: &mut String) {
        self.rows.pop();
        trim_spaces(s);
        s.push('\n');
    }

    /// A cell opens: a tab before it unless it is the row's first.
    fn open_cell(&mut self, s: &mut String) {
        if let Some(n) = self.rows.last_mut() {
            if *n > 0 {
                trim_spaces(s);
                s.push('\t');
            }
            *n += 1;
        }
        self.cells += 1;
    }

    /// A cell closes.
    fn close_cell(&mut self) {
        self.cells = self.cells.saturating_sub(1);
    }
}

/// The text of one DOCX part and its tracked deletions.
#[derive(Default)]
struct DocxText {
    /// The text as it stands.
    text: String,
    /// Deleted runs (`w:delText`), a paragraph per line.
    deleted: String,
    /// Inside `w:t`.
    in_text: bool,
    /// Inside `w:delText`.
    in_deleted_text: bool,
    /// Open `w:r` elements.
    runs: usize,
    /// Open `w:del` elements.
    deletions: usize,
    /// Depth inside an element whose content is skipped (`mc:Fallback`, `w:moveFrom`,
    /// separator notes); 0 outside.
    skip: usize,
    /// Table state.
    table: Table,
}

impl DocxText {
    /// The buffer a tab or line break goes to: the deleted text inside `w:del`.
    fn target(&mut self) -> &mut String {
        if self.deletions > 0 {
            &mut self.deleted
        } else {
            &mut self.text
        }
    }

    /// One step of the part.
    fn visit(&mut self, node: Node<'_, '_>) {
        if self.skip > 0 {
            match node {
                Node::Open(_) => self.skip += 1,
                Node::Close(_) => self.skip -= 1,
                Node::Text(_) => {}
            }
            return;
        }
        match node {
            Node::Open(e) => self.open(e),
            Node::Close(name) => self.close(name),
            Node::Text(t) => {
                if self.in_deleted_text {
                    self.deleted.push_str(t);
                } else if self.in_text {
                    self.text.push_str(t);
                }
            }
        }
    }

    /// An element opens.
    fn open(&mut self, e: &BytesStart<'_>) {
        let in_run = self.runs > 0;
        match local(e) {
            b"t" => self.in_text = true,
            b"delText" => self.in_deleted_text = true,
            b"r" => self.runs += 1,
            b"del" => self.deletions += 1,
            b"tab" if in_run => self.target().push('\t'),
            b"br" | b"cr" if in_run => self.target().push('\n'),
            b"noBreakHyphen" if in_run => self.target().push('-'),
            b"tr" => self.table.open_row(),
            b"tc" => self.table.open_cell(&mut self.text),
            b"Fallback" | b"moveFrom" => self.skip = 1,
            b"footnote" | b"endnote"
                if attr(e, b"type").is_some_and(|t| {
                    matches!(
                        t.as_str(),
                        "separator" | "continuationSeparator" | "continuationNotice"
                    )
                }) =>
            {
                self.skip = 1;
            }
            b"comment" => {
                if let Some(author) = attr(e, b"author").filter(|a| !a.trim().is_empty()) {
                    self.text.push_str(author.trim());
                    self.text.push_str(": ");
                }
            }
            _ => {}
        }
    }

    /// An element closes.
    fn close(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = false,
            b"delText" => self.in_deleted_text = false,
            b"r" => self.runs = self.runs.saturating_sub(1),
            b"del" => {
                self.deletions = self.deletions.saturating_sub(1);
                if !self.deleted.is_empty() && !self.deleted.ends_with([' ', '\n']) {
                    self.deleted.push(' ');
                }
            }
            b"p" => {
                end_paragraph(&mut self.text, self.table.cells > 0);
                if !self.deleted.is_empty() && !self.deleted.ends_with('\n') {
                    end_paragraph(&mut self.deleted, false);
                }
            }
            b"tc" => self.table.close_cell(),
            b"tr" => self.table.close_row(&mut self.text),
            b"comment" | b"footnote" | b"endnote" => self.text.push('\n'),
            _ => {}
        }
    }
}

/// Where ODT text goes.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    /// The body (`content.xml`), or nowhere in `styles.xml`.
    Base,
    /// A footnote or endnote body.
    Notes,
    /// An annotation.
    Comments,
    /// A tracked deletion.
    Deleted,
    /// A master page's header.
    Header,
    /// A master page's footer.
    Footer,
}

/// The text of an ODT part, sorted by where it came from.
#[derive(Default)]
struct OdtText {
    /// Reading `styles.xml`: only headers and footers are kept.
    styles_only: bool,
    /// Body text.
    body: String,
    /// Footnotes and endnotes.
    notes: String,
    /// Annotations, each after its author.
    comments: String,
    /// Tracked deletions.
    deleted: String,
    /// Each header of the master pages.
    headers: Vec<String>,
    /// Each footer of the master pages.
    footers: Vec<String>,
    /// Open elements that change the target, innermost last.
    targets: Vec<Target>,
    /// Open `text:p` and `text:h` elements.
    paragraphs: usize,
    /// Inside an annotation's `dc:creator`.
    in_author: bool,
    /// Depth inside an element whose content is skipped; 0 outside.
    skip: usize,
    /// Table state.
    table: Table,
}

impl OdtText {
    /// The buffer text goes to now; `None` where text is not kept.
    fn target(&mut self) -> Option<&mut String> {
        match self.targets.last().copied().unwrap_or(Target::Base) {
            Target::Base if self.styles_only => None,
            Target::Base => Some(&mut self.body),
            Target::Notes => Some(&mut self.notes),
            Target::Comments => Some(&mut self.comments),
            Target::Deleted => Some(&mut self.deleted),
            Target::Header => self.headers.last_mut(),
            Target::Footer => self.footers.last_mut(),
        }
    }

    /// Adds `s` to the current target.
    fn push(&mut self, s: &str) {
        if let Some(buf) = self.target() {
            buf.push_str(s);
        }
    }

    /// One step of the part.
    fn visit(&mut self, node: Node<'_, '_>) {
        if self.skip > 0 {
            match node {
                Node::Open(_) => self.skip += 1,
                Node::Close(_) => self.skip -= 1,
                Node::Text(_) => {}
            }
            return;
        }
        match node {
            Node::Open(e) => self.open(e),
            Node::Close(name) => self.close(name),
            Node::Text(t) => {
                if self.paragraphs > 0 || self.in_author {
                    self.push(t);
                }
            }
        }
    }

    /// An element opens.
    fn open(&mut self, e: &BytesStart<'_>) {
        match local(e) {
            b"p" | b"h" => self.paragraphs += 1,
            b"s" => {
                let count = attr(e, b"c")
                    .and_then(|c| c.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(MAX_SPACES);
                self.push(&" ".repeat(count));
            }
            b"tab" => self.push("\t"),
            b"line-break" => self.push("\n"),
            b"note-citation" | b"change-info" => self.skip = 1,
            b"note-body" => self.targets.push(Target::Notes),
            b"annotation" => self.targets.push(Target::Comments),
            b"deletion" => self.targets.push(Target::Deleted),
            b"creator" if self.targets.last() == Some(&Target::Comments) => self.in_author = true,
            b"header" | b"header-left" | b"header-first" if self.styles_only => {
                self.headers.push(String::new());
                self.targets.push(Target::Header);
            }
            b"footer" | b"footer-left" | b"footer-first" if self.styles_only => {
                self.footers.push(String::new());
                self.targets.push(Target::Footer);
            }
            b"table-row" => self.table.open_row(),
            b"table-cell" | b"covered-table-cell" => {
                let mut table = std::mem::take(&mut self.table);
                if let Some(buf) = self.target() {
                    table.open_cell(buf);
                }
                self.table = table;
            }
            _ => {}
        }
    }

    /// An element closes.
    fn close(&mut self, name: &[u8]) {
        match name {
            b"p" | b"h" => {
                self.paragraphs = self.paragraphs.saturating_sub(1);
                let in_cell = self.table.cells > 0;
                if let Some(buf) = self.target() {
                    end_paragraph(buf, in_cell);
                }
            }
            b"creator" if self.in_author => {
                self.in_author = false;
                self.push(": ");
            }
            b"note-body" | b"deletion" => {
                self.targets.pop();
            }
            b"annotation" => {
                self.push("\n");
                self.targets.pop();
            }
            b"header" | b"header-left" | b"header-first" | b"footer" | b"footer-left"
            | b"footer-first"
                if self.styles_only =>
            {
                self.targets.pop();
            }
            b"table-cell" | b"covered-table-cell" => self.table.close_cell(),
            b"table-row" => {
                let mut table = std::mem::take(&mut self.table);
                if let Some(buf) = self.target() {
                    table.close_row(buf);
                } else {
                    table.rows.pop();
                }
                self.table = table;
            }
            _ => {}
        }
    }
}

/// Each line's trailing whitespace removed, runs of blank lines made one, no blank lines at the
/// start or end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// The body, then each section that has text under a line `--- Title ---`, after a blank line;
/// identical texts within a section (the same header on several pages) kept once.
fn assemble(body: &str, sections: &[(&str, Vec<String>)]) -> String {
    let mut out = tidy(body);
    for (title, texts) in sections {
        let mut kept: Vec<String> = Vec::new();
        for text in texts.iter().map(|t| tidy(t)) {
            if !text.is_empty() && !kept.contains(&text) {
                kept.push(text);
            }
        }
        if kept.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str("--- ");
        out.push_str(title);
        out.push_str(" ---\n");
        out.push_str(&kept.join("\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    const LIMIT: u64 = 16 << 20;

    fn fixture(name: &str) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/office/");
        std::fs::read(format!("{dir}{name}")).unwrap()
    }

    fn meta<'a>(t: &'a OfficeText, key: &str) -> Option<&'a str> {
        t.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A zip of the given (name, content) parts, deflated.
    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            w.start_file(*name, options).unwrap();
            w.write_all(content).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn document(body: &str) -> String {
        format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn docx_fixture_body_table_sections_and_properties() {
        let t = docx_text(&fixture("report.docx"), LIMIT, LIMIT).unwrap();
        let lines: Vec<&str> = t.text.lines().collect();
        assert_eq!(lines[0], "Body text alpha");
        assert_eq!(lines[1], "Cell beta\tCell beta two");
        assert_eq!(lines[2], "Row two left\tRow two right");
        assert_eq!(lines[3], "Kept words");
        assert_eq!(lines[4], "Commented paragraph");
        assert!(
            t.text
                .contains("\n\n--- Header ---\nHeader gamma\n\n--- Footer ---\nFooter delta"),
            "{}",
            t.text
        );
        assert!(
            t.text
                .contains("--- Comments ---\nFixture Reviewer: Comment mu")
        );
        assert!(
            t.text
                .ends_with("--- Deleted text (tracked changes) ---\nDeleted words omega"),
            "{}",
            t.text
        );
        assert!(!t.text.contains("Kept words Deleted"));
        assert_eq!(t.title.as_deref(), Some("Fixture title"));
        assert_eq!(t.created.as_deref(), Some("2021-05-14T10:30:00Z"));
        assert_eq!(meta(&t, "office author"), Some("Fixture Author"));
        assert_eq!(meta(&t, "office last modified by"), Some("Fixture Editor"));
        assert_eq!(meta(&t, "office created"), Some("2021-05-14T10:30:00Z"));
        assert_eq!(meta(&t, "office subject"), Some("Fixture subject"));
        assert_eq!(meta(&t, "office keywords"), Some("alpha, beta"));
        assert!(meta(&t, "office application").is_some());
        assert_eq!(t.warnings, vec!["tracked deletions present".to_owned()]);
    }

    #[test]
    fn odt_fixture_body_table_header_note_comment_and_properties() {
        let t = odt_text(&fixture("report.odt"), LIMIT, LIMIT).unwrap();
        assert_eq!(
            t.text,
            "ODT heading\nODT body epsilon\nODT cell zeta\tright\nsecond\trow\nODT commented\n\n\
             --- Header ---\nODT header eta\n\n--- Footer ---\nODT footer\n\n\
             --- Notes ---\nODT note theta\n\n--- Comments ---\nFixture Reviewer: ODT comment nu"
        );
        assert_eq!(t.title.as_deref(), Some("ODT fixture title"));
        assert_eq!(t.created.as_deref(), Some("2021-05-14T10:30:00"));
        assert_eq!(meta(&t, "office author"), Some("Fixture Author"));
        assert_eq!(meta(&t, "office last modified by"), Some("Fixture Editor"));
        assert_eq!(meta(&t, "office modified"), Some("2021-05-15T09:00:00"));
        assert_eq!(meta(&t, "office application"), Some("ODFPY/1.4.1"));
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn docx_runs_tabs_breaks_entities_and_skipped_content() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
            <w:r><w:t>a</w:t><w:tab/><w:t>b&amp;c&#233;</w:t><w:br/><w:t>d</w:t><w:noBreakHyphen/><w:t>e</w:t></w:r>
            <w:r><w:instrText>PAGE</w:instrText></w:r>
            <mc:AlternateContent xmlns:mc="m"><mc:Choice><w:r><w:t>shape</w:t></w:r></mc:Choice>
            <mc:Fallback><w:r><w:t>shape</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>
            <w:p><w:r><w:t xml:space="preserve">  indented</w:t></w:r></w:p><w:p/><w:p/><w:p/><w:p><w:r><w:t>after</w:t></w:r></w:p>"#;
        let bytes = zip_of(&[("word/document.xml", document(body).as_bytes())]);
        let t = docx_text(&bytes, LIMIT, LIMIT).unwrap();
        assert_eq!(t.text, "a\tb&c\u{e9}\nd-eshape\n  indented\n\nafter");
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    #[test]
    fn docx_headers_in_numeric_order_and_duplicates_dropped() {
        let header =
            |s: &str| format!(r#"<w:hdr xmlns:w="w"><w:p><w:r><w:t>{s}</w:t></w:r></w:p></w:hdr>"#);
        let (h2, h10, h3) = (header("two"), header("ten"), header("two"));
        let notes = r#"<w:footnotes xmlns:w="w"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>SEP</w:t></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Note one</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        let bytes = zip_of(&[
            ("word/document.xml", document("").as_bytes()),
            ("word/header10.xml", h10.as_bytes()),
            ("word/header2.xml", h2.as_bytes()),
            ("word/header3.xml", h3.as_bytes()),
            ("word/footnotes.xml", notes.as_bytes()),
        ]);
        let t = docx_text(&bytes, LIMIT, LIMIT).unwrap();
        assert_eq!(
            t.text,
            "--- Header ---\ntwo\nten\n\n--- Footnotes ---\nNote one"
        );
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        let docx = fixture("report.docx");
        let truncated = docx_text(&docx[..docx.len() / 2], LIMIT, LIMIT).unwrap_err();
        assert!(truncated.starts_with("corrupt zip"), "{truncated}");
        let random: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(docx_text(&random, LIMIT, LIMIT).is_err());
        assert!(odt_text(&random, LIMIT, LIMIT).is_err());
        assert!(docx_text(&[], LIMIT, LIMIT).is_err());
        let other = zip_of(&[("word/other.xml", b"<x/>")]);
        assert_eq!(
            docx_text(&other, LIMIT, LIMIT).unwrap_err(),
            "not a DOCX file: no word/document.xml"
        );
        assert_eq!(
            odt_text(&other, LIMIT, LIMIT).unwrap_err(),
            "not an ODT file: no content.xml"
        );
        let mut ole = OLE_MAGIC.to_vec();
        ole.resize(4096, 0);
        assert!(docx_text(&ole, LIMIT, LIMIT).unwrap_err().contains("OLE"));
        // Broken XML keeps what came before the error, with a warning.
        let broken = zip_of(&[(
            "word/document.xml",
            b"<w:document xmlns:w='w'><w:body><w:p><w:r><w:t>kept</w:t></w:r></w:p><w:p <<<",
        )]);
        let t = docx_text(&broken, LIMIT, LIMIT).unwrap();
        assert_eq!(t.text, "kept");
        assert!(t.warnings[0].contains("XML error"), "{:?}", t.warnings);
    }

    #[test]
    fn parts_over_the_limits_are_warnings() {
        let big = document(&format!(
            "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
            "x".repeat(200_000)
        ));
        let header = r#"<w:hdr xmlns:w="w"><w:p><w:r><w:t>small header</w:t></w:r></w:p></w:hdr>"#;
        let bytes = zip_of(&[
            ("word/document.xml", big.as_bytes()),
            ("word/header1.xml", header.as_bytes()),
        ]);
        let t = docx_text(&bytes, 100_000, LIMIT).unwrap();
        assert_eq!(t.text, "--- Header ---\nsmall header");
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        assert!(
            t.warnings[0].starts_with("word/document.xml: 200"),
            "{:?}",
            t.warnings
        );
        // Within the part limit but over the total: the header is not read.
        let total = u64::try_from(big.len()).unwrap() + 10;
        let t = docx_text(&bytes, LIMIT, total).unwrap();
        assert!(t.text.starts_with("xxx"));
        assert!(!t.text.contains("small header"));
        assert!(t.warnings[0].contains("in all"), "{:?}", t.warnings);
    }

    #[test]
    fn odt_spaces_tabs_line_breaks_and_deletions() {
        let content = r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>
            <text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator xmlns:dc="d">Ed</dc:creator></office:change-info><text:p>gone words</text:p></text:deletion></text:changed-region></text:tracked-changes>
            <text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/>d<text:s/>e<text:s text:c="99999999"/></text:p>
            </office:text></office:body></office:document-content>"#;
        let bytes = zip_of(&[("content.xml", content.as_bytes())]);
        let t = odt_text(&bytes, LIMIT, LIMIT).unwrap();
        assert_eq!(
            t.text,
            "a   b\tc\nd e\n\n--- Deleted text (tracked changes) ---\ngone words"
        );
        assert_eq!(t.warnings, vec!["tracked deletions present".to_owned()]);
    }

    #[test]
    fn encrypted_odt_is_an_error() {
        let manifest = br#"<manifest:manifest xmlns:manifest="m"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
        let bytes = zip_of(&[
            ("content.xml", b"\x01\x02garbage"),
            ("META-INF/manifest.xml", manifest),
        ]);
        assert_eq!(
            odt_text(&bytes, LIMIT, LIMIT).unwrap_err(),
            "encrypted document: not read"
        );
    }
}
