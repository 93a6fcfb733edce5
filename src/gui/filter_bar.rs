//! The filter bar above the document list, as a panel: the query field (the search index's
//! query language), the Exact switch and the facets ([`super::filter::filter_bar_ui`] draws
//! them). It edits a copy of the filter and answers the new one.

use egui::Ui;

use super::filter::{filter_bar_ui, filter_field_id};
use super::panel::{Action, Panel, PanelCtx};

/// The filter bar; owns only the request to focus its query field (F, Ctrl+F).
#[derive(Default)]
pub struct FilterBar {
    focus: bool,
}

impl FilterBar {
    /// Puts the cursor in the query field at the next frame.
    pub fn request_focus(&mut self) {
        self.focus = true;
    }
}

impl Panel for FilterBar {
    fn ui(&mut self, ctx: &PanelCtx<'_>, ui: &mut Ui) -> Vec<Action> {
        if std::mem::take(&mut self.focus) {
            ui.memory_mut(|m| m.request_focus(filter_field_id()));
        }
        let mut filter = ctx.saved.filter.clone();
        let mut facets_open = ctx.saved.facets_open;
        let answer = filter_bar_ui(
            ui,
            &mut filter,
            ctx.counts,
            ctx.list.len(),
            ctx.cache().documents.len(),
            &mut facets_open,
            (&ctx.engine, ctx.query_problems),
        );
        let mut out = Vec::new();
        if facets_open != ctx.saved.facets_open {
            out.push(Action::SetFacetsOpen(facets_open));
        }
        if answer.changed {
            out.push(Action::SetFilter(filter));
        }
        if answer.submitted {
            out.push(Action::OpenFirstInList);
        }
        out
    }
}
