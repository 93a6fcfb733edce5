//! The e-mail's attachment line: each name opens the record of the same file name when the cache
//! has one (computed once per document shown, not per frame).

use egui::{RichText, Ui};

use crate::model::Document;

use super::super::commands::UiCommand;
use super::super::panel::{Action, PanelCtx};

/// An e-mail's attachment names, each with the id of the record of that file name, if any.
pub(super) type AttachmentLinks = Vec<(String, Option<String>)>;

/// The e-mail's attachments: each opens the record of the same file name when the cache has one.
pub(super) fn attachments_ui(ui: &mut Ui, attachments: &AttachmentLinks, out: &mut Vec<Action>) {
    if attachments.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Attachments").weak());
        for (name, record) in attachments {
            match record {
                Some(id) => {
                    if ui
                        .link(name)
                        .on_hover_text(format!("Open the record {id}"))
                        .clicked()
                    {
                        out.push(Action::Ui(UiCommand::OpenDocument {
                            id: id.clone(),
                            span: None,
                        }));
                    }
                }
                None => {
                    ui.label(name).on_hover_text("Not a record of this cache");
                }
            }
        }
    });
}

/// Each attachment name with the first record whose file has that name.
pub(super) fn attachment_records(ctx: &PanelCtx<'_>, doc: &Document) -> AttachmentLinks {
    doc.attachments
        .iter()
        .map(|name| {
            let found = ctx
                .cache()
                .documents
                .iter()
                .find(|d| {
                    d.id != doc.id
                        && std::path::Path::new(&d.path)
                            .file_name()
                            .is_some_and(|f| f.to_string_lossy().eq_ignore_ascii_case(name))
                })
                .map(|d| d.id.clone());
            (name.clone(), found)
        })
        .collect()
}
