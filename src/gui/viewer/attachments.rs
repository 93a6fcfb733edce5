//! Where a document sits among containers, under its details: "In" opens the container it is a
//! member of; "Members" (an archive's files, a mailbox's messages) or "Attachments" (an
//! e-mail's) open each member; "Thread" lists the messages linked to this one by replies. Made
//! once per document shown, not per frame.

use egui::{RichText, Ui};

use crate::model::Document;

use super::super::commands::UiCommand;
use super::super::panel::{Action, PanelCtx};

/// Members shown by name; the rest are counted (a zip may hold thousands).
const MAX_SHOWN: usize = 200;

/// The links of one document.
#[derive(Default)]
pub(super) struct AttachmentLinks {
    /// The container's id and title.
    parent: Option<(String, String)>,
    /// "Members" or "Attachments".
    members_label: &'static str,
    /// Each member's name, with the document to open (none: listed but not read, or no record).
    members: Vec<(String, Option<String>)>,
    /// The messages of the thread, in cache order: id, label, is this one.
    thread: Vec<(String, String, bool)>,
}

/// Draws the links; nothing when the document is in no container and has no members.
pub(super) fn attachments_ui(ui: &mut Ui, links: &AttachmentLinks, out: &mut Vec<Action>) {
    let open = |out: &mut Vec<Action>, id: &str| {
        out.push(Action::Ui(UiCommand::OpenDocument {
            id: id.to_owned(),
            span: None,
        }));
    };
    if let Some((id, title)) = &links.parent {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("In").weak());
            if ui
                .link(title)
                .on_hover_text(format!("Open the container {id}"))
                .clicked()
            {
                open(out, id);
            }
        });
    }
    if !links.members.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(links.members_label).weak());
            for (name, record) in links.members.iter().take(MAX_SHOWN) {
                match record {
                    Some(id) => {
                        if ui.link(name).on_hover_text(format!("Open {id}")).clicked() {
                            open(out, id);
                        }
                    }
                    None => {
                        ui.label(name)
                            .on_hover_text("Not read (see the warnings and the errors)");
                    }
                }
            }
            if links.members.len() > MAX_SHOWN {
                ui.label(
                    RichText::new(format!(
                        "… and {} more (the filter `in:` lists them all)",
                        links.members.len() - MAX_SHOWN
                    ))
                    .weak(),
                );
            }
        });
    }
    if !links.thread.is_empty() {
        egui::CollapsingHeader::new(format!("Thread ({} messages)", links.thread.len()))
            .id_salt("viewer-thread")
            .default_open(true)
            .show(ui, |ui| {
                for (id, label, this) in &links.thread {
                    if *this {
                        ui.label(RichText::new(format!("→ {label}")).strong());
                    } else if ui.link(label).on_hover_text(format!("Open {id}")).clicked() {
                        open(out, id);
                    }
                }
            });
    }
}

/// A member's name in its container: what follows the container's id, or `#3 Subject` for a
/// mailbox's message.
fn member_name(container: &Document, member: &Document) -> String {
    if let Some(n) = member.record.filter(|_| member.path == container.path) {
        return format!("#{n} {}", member.title);
    }
    let base = if container.record.is_some() {
        &container.id
    } else {
        &container.path
    };
    member
        .path
        .strip_prefix(base.as_str())
        .and_then(|rest| rest.strip_prefix(crate::ingest::MEMBER_SEPARATOR))
        .map_or_else(|| member.id.clone(), str::to_owned)
}

/// The links of a document, from the cache.
pub(super) fn attachment_records(ctx: &PanelCtx<'_>, doc: &Document) -> AttachmentLinks {
    let docs = &ctx.cache().documents;
    let parent = doc.parent.as_ref().map(|p| {
        let title = docs
            .iter()
            .find(|d| d.id == *p)
            .map_or_else(|| p.clone(), |d| format!("{} ({p})", d.title));
        (p.clone(), title)
    });
    let mut members: Vec<(String, Option<String>)> = docs
        .iter()
        .filter(|d| d.parent.as_deref() == Some(doc.id.as_str()))
        .map(|d| (member_name(doc, d), Some(d.id.clone())))
        .collect();
    // An attachment that was not read as a member (over a limit, say): the record of the same
    // file name if the cache has one, else its name alone.
    for name in &doc.attachments {
        if members.iter().any(|(m, _)| m == name) {
            continue;
        }
        let found = docs
            .iter()
            .find(|d| {
                d.id != doc.id
                    && std::path::Path::new(&d.path)
                        .file_name()
                        .is_some_and(|f| f.to_string_lossy().eq_ignore_ascii_case(name))
            })
            .map(|d| d.id.clone());
        members.push((name.clone(), found));
    }
    let index = docs.iter().position(|d| d.id == doc.id);
    let thread = index
        .map(|i| crate::threads::thread(ctx.cache(), i))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|j| docs.get(j))
        .map(|d| {
            let label = format!(
                "{} · {} · {}",
                d.date.as_deref().unwrap_or("undated"),
                d.sender.as_deref().unwrap_or("unknown sender"),
                d.title
            );
            (d.id.clone(), label, d.id == doc.id)
        })
        .collect();
    AttachmentLinks {
        parent,
        members_label: if doc.kind == "email" {
            "Attachments"
        } else {
            "Members"
        },
        members,
        thread,
    }
}
