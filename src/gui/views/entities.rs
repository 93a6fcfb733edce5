//! Entities: the senders, recipients and equipment the analyst tagged (every review of the
//! session whose document is in the cache, whatever its status), under their canonical names
//! after merges ([`Session::canonical`]), with the documents that name them; who sent which
//! equipment to whom as a sortable table of edges; and the form that merges two spellings
//! (a [`Command::MergeEntity`] returned as an action, so the app's Undo reverts it).

use std::collections::BTreeMap;

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use super::{ViewAction, short, weak};
use crate::model::Cache;
use crate::session::{Command, Field, Session};

/// A kind of entity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// Senders.
    #[default]
    Sender,
    /// Recipients.
    Recipient,
    /// Equipment.
    Equipment,
}

impl EntityKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Sender, Self::Recipient, Self::Equipment];

    /// The plural label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sender => "Senders",
            Self::Recipient => "Recipients",
            Self::Equipment => "Equipment",
        }
    }

    /// The review field that holds it.
    pub fn field(self) -> Field {
        match self {
            Self::Sender => Field::Sender,
            Self::Recipient => Field::Recipient,
            Self::Equipment => Field::Equipment,
        }
    }
}

/// How the edges table is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeSort {
    /// By sender.
    Sender,
    /// By recipient.
    Recipient,
    /// By equipment.
    Equipment,
    /// By number of documents.
    #[default]
    Documents,
}

/// The entities view's settings and merge form (saved).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntitiesSettings {
    /// The edges' sort column.
    pub sort: EdgeSort,
    /// Ascending sort.
    pub ascending: bool,
    /// Which names the merge form lists.
    pub merge_kind: EntityKind,
    /// The spelling to merge.
    pub merge_from: String,
    /// The name it stands for.
    pub merge_into: String,
}

impl Default for EntitiesSettings {
    fn default() -> Self {
        Self {
            sort: EdgeSort::Documents,
            ascending: false,
            merge_kind: EntityKind::Sender,
            merge_from: String::new(),
            merge_into: String::new(),
        }
    }
}

/// An entity with the documents that name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityCount {
    /// Canonical name.
    pub name: String,
    /// Documents that name it (any spelling), in cache order.
    pub documents: Vec<String>,
    /// The spellings tagged that stand for it, sorted.
    pub spellings: Vec<String>,
}

/// Senders, recipients and equipment, each sorted by number of documents (most first), then name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntityTable {
    /// Senders.
    pub senders: Vec<EntityCount>,
    /// Recipients.
    pub recipients: Vec<EntityCount>,
    /// Equipment.
    pub equipment: Vec<EntityCount>,
}

impl EntityTable {
    /// The entities of a kind.
    pub fn of(&self, kind: EntityKind) -> &[EntityCount] {
        match kind {
            EntityKind::Sender => &self.senders,
            EntityKind::Recipient => &self.recipients,
            EntityKind::Equipment => &self.equipment,
        }
    }

    /// The entity of a kind with this canonical name.
    pub fn get(&self, kind: EntityKind, name: &str) -> Option<&EntityCount> {
        self.of(kind).iter().find(|e| e.name == name)
    }
}

/// The reviews of the session whose documents are in the cache, in cache order.
fn reviews<'a>(
    session: &'a Session,
    cache: &'a Cache,
) -> impl Iterator<Item = (&'a str, &'a crate::session::DocReview)> {
    cache
        .documents
        .iter()
        .filter_map(|d| session.review(&d.id).map(|r| (d.id.as_str(), r)))
}

/// The canonical names of a review's field, without repeats, in tagging order.
fn canonical_names(session: &Session, names: &[String]) -> Vec<String> {
    session.canonical_list(names)
}

/// The entities of the session's reviews with their document counts.
pub fn entity_counts(session: &Session, cache: &Cache) -> EntityTable {
    // Per kind: canonical name → (documents, spellings).
    type Named = BTreeMap<String, (Vec<String>, Vec<String>)>;
    let mut maps: [Named; 3] = Default::default();
    for (doc, review) in reviews(session, cache) {
        for (i, kind) in EntityKind::ALL.into_iter().enumerate() {
            for raw in review.list(kind.field()) {
                let entry = maps[i]
                    .entry(session.canonical(raw).to_owned())
                    .or_default();
                if !entry.0.iter().any(|d| d == doc) {
                    entry.0.push(doc.to_owned());
                }
                if !entry.1.contains(raw) {
                    entry.1.push(raw.clone());
                }
            }
        }
    }
    let [s, r, e] = maps.map(|m| {
        let mut v: Vec<EntityCount> = m
            .into_iter()
            .map(|(name, (documents, mut spellings))| {
                spellings.sort();
                EntityCount {
                    name,
                    documents,
                    spellings,
                }
            })
            .collect();
        v.sort_by(|a, b| {
            b.documents
                .len()
                .cmp(&a.documents.len())
                .then_with(|| a.name.cmp(&b.name))
        });
        v
    });
    EntityTable {
        senders: s,
        recipients: r,
        equipment: e,
    }
}

/// What an edge shows for a document that names no sender, recipient or equipment.
pub const NONE: &str = "—";

/// Who sent which equipment to whom, and the documents that say so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// Canonical sender, or [`NONE`].
    pub sender: String,
    /// Canonical recipient, or [`NONE`].
    pub recipient: String,
    /// Canonical equipment, or [`NONE`].
    pub equipment: String,
    /// The documents, in cache order.
    pub documents: Vec<String>,
}

/// The edges of the session's reviews: one per (sender, recipient, equipment) a document names
/// (every combination when it names several), documents that name none of the three left out.
/// Sorted by sender, recipient, equipment.
pub fn entity_edges(session: &Session, cache: &Cache) -> Vec<Edge> {
    let mut map: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for (doc, review) in reviews(session, cache) {
        let or_none = |v: Vec<String>| {
            if v.is_empty() {
                vec![NONE.to_owned()]
            } else {
                v
            }
        };
        let (s, r, e) = (
            canonical_names(session, &review.senders),
            canonical_names(session, &review.recipients),
            canonical_names(session, &review.equipment),
        );
        if s.is_empty() && r.is_empty() && e.is_empty() {
            continue;
        }
        let (s, r, e) = (or_none(s), or_none(r), or_none(e));
        for sender in &s {
            for recipient in &r {
                for equipment in &e {
                    let docs = map
                        .entry((sender.clone(), recipient.clone(), equipment.clone()))
                        .or_default();
                    if !docs.iter().any(|d| d == doc) {
                        docs.push(doc.to_owned());
                    }
                }
            }
        }
    }
    map.into_iter()
        .map(|((sender, recipient, equipment), documents)| Edge {
            sender,
            recipient,
            equipment,
            documents,
        })
        .collect()
}

/// Sorts edges by a column (ties by sender, recipient, equipment).
pub fn sort_edges(edges: &mut [Edge], sort: EdgeSort, ascending: bool) {
    let key = |e: &Edge| {
        (
            e.sender.to_lowercase(),
            e.recipient.to_lowercase(),
            e.equipment.to_lowercase(),
        )
    };
    edges.sort_by(|a, b| {
        let primary = match sort {
            EdgeSort::Sender => a.sender.to_lowercase().cmp(&b.sender.to_lowercase()),
            EdgeSort::Recipient => a.recipient.to_lowercase().cmp(&b.recipient.to_lowercase()),
            EdgeSort::Equipment => a.equipment.to_lowercase().cmp(&b.equipment.to_lowercase()),
            EdgeSort::Documents => a.documents.len().cmp(&b.documents.len()),
        };
        let primary = if ascending {
            primary
        } else {
            primary.reverse()
        };
        primary.then_with(|| key(a).cmp(&key(b)))
    });
}

/// The names the merge form offers for a kind: every spelling tagged and every name merged into,
/// sorted (ignoring case).
pub fn merge_names(session: &Session, cache: &Cache, kind: EntityKind) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, review) in reviews(session, cache) {
        for raw in review.list(kind.field()) {
            for n in [raw.as_str(), session.canonical(raw)] {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_owned());
                }
            }
        }
    }
    names.sort_by_key(|a| a.to_lowercase());
    names
}

/// Why a merge cannot be made, if it cannot.
pub fn merge_problem(session: &Session, from: &str, into: &str) -> Option<&'static str> {
    let (from, into) = (from.trim(), into.trim());
    if from.is_empty() || into.is_empty() {
        Some("pick two names")
    } else if from == into {
        Some("pick two different names")
    } else if session.canonical(into) == from {
        Some("the second name is already merged into the first")
    } else if session.canonical(from) == session.canonical(into) {
        Some("these names are already merged")
    } else {
        None
    }
}

fn name_combo(
    ui: &mut Ui,
    id: &str,
    label: &str,
    value: &mut String,
    names: &[String],
    session: &Session,
) {
    let l = ui.label(label);
    let shown = if value.is_empty() {
        "(choose)".to_owned()
    } else {
        short(value, 32)
    };
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .width(230.0)
        .height(320.0)
        .show_ui(ui, |ui| {
            for n in names {
                let canonical = session.canonical(n);
                let text = if canonical == n {
                    n.clone()
                } else {
                    format!("{n} → {canonical}")
                };
                ui.selectable_value(value, n.clone(), text);
            }
        })
        .response
        .labelled_by(l.id);
}

fn merge_form(
    ui: &mut Ui,
    settings: &mut EntitiesSettings,
    session: &Session,
    cache: &Cache,
    actions: &mut Vec<ViewAction>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Merge two spellings").strong());
        let label = ui.label("Names of:");
        let before = settings.merge_kind;
        ui.label_inputs_by(label.id, |ui| {
            for kind in EntityKind::ALL {
                ui.selectable_value(&mut settings.merge_kind, kind, kind.label());
            }
        });
        if before != settings.merge_kind {
            settings.merge_from.clear();
            settings.merge_into.clear();
        }
    });
    let names = merge_names(session, cache, settings.merge_kind);
    ui.horizontal_wrapped(|ui| {
        name_combo(
            ui,
            "doctriage-merge-from",
            "Merge spelling:",
            &mut settings.merge_from,
            &names,
            session,
        );
        name_combo(
            ui,
            "doctriage-merge-into",
            "into:",
            &mut settings.merge_into,
            &names,
            session,
        );
        let problem = merge_problem(session, &settings.merge_from, &settings.merge_into);
        let resp = ui.add_enabled(problem.is_none(), egui::Button::new("Merge"));
        let resp = match problem {
            Some(p) => resp.on_disabled_hover_text(p),
            None => resp.on_hover_text(format!(
                "Treat “{}” as “{}” everywhere (Undo reverts it)",
                settings.merge_from, settings.merge_into
            )),
        };
        if resp.clicked() {
            actions.push(ViewAction::Apply(Command::MergeEntity {
                from: settings.merge_from.trim().to_owned(),
                into: settings.merge_into.trim().to_owned(),
            }));
            settings.merge_from.clear();
        }
    });
    if !session.aliases().is_empty() {
        egui::CollapsingHeader::new(format!("{} merges in effect", session.aliases().len()))
            .id_salt("doctriage-merges")
            .show(ui, |ui| {
                for (from, into) in session.aliases() {
                    ui.label(format!("{from} → {into}"));
                }
            });
    }
}

fn entity_list(ui: &mut Ui, kind: EntityKind, list: &[EntityCount], actions: &mut Vec<ViewAction>) {
    ui.label(RichText::new(format!("{} ({})", kind.label(), list.len())).strong());
    if list.is_empty() {
        weak(ui, "none tagged");
        return;
    }
    egui::Grid::new(("doctriage-entities", kind.label()))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for e in list {
                let mut hover = e.documents.join("\n");
                if e.spellings.len() > 1 || e.spellings.first().is_some_and(|s| *s != e.name) {
                    hover = format!("spellings: {}\n\n{hover}", e.spellings.join(", "));
                }
                ui.add(egui::Label::new(short(&e.name, 34)).extend())
                    .on_hover_text(hover);
                let n = e.documents.len();
                let name = format!("Open the first document of {} ({n})", e.name);
                if ui
                    .add(egui::Button::new(n.to_string()).small())
                    .on_hover_text(format!(
                        "{n} document{}: click to open the first",
                        if n == 1 { "" } else { "s" }
                    ))
                    .accessible_name(name)
                    .clicked()
                    && let Some(doc) = e.documents.first()
                {
                    actions.push(ViewAction::OpenDocument {
                        doc: doc.clone(),
                        quote: None,
                    });
                }
                ui.end_row();
            }
        });
}

fn sort_header(ui: &mut Ui, settings: &mut EntitiesSettings, sort: EdgeSort, label: &str) {
    let on = settings.sort == sort;
    let arrow = match (on, settings.ascending) {
        (false, _) => "",
        (true, true) => " ▲",
        (true, false) => " ▼",
    };
    let resp = ui
        .add(egui::Button::new(RichText::new(format!("{label}{arrow}")).strong()).frame(false))
        .on_hover_text(format!("Sort by {}", label.to_lowercase()))
        .accessible_name(format!("Sort edges by {}", label.to_lowercase()));
    if resp.clicked() {
        if on {
            settings.ascending = !settings.ascending;
        } else {
            settings.sort = sort;
            settings.ascending = sort != EdgeSort::Documents;
        }
    }
}

/// The entities view.
pub(crate) fn entities_ui(
    ui: &mut Ui,
    settings: &mut EntitiesSettings,
    session: &Session,
    cache: &Cache,
    actions: &mut Vec<ViewAction>,
) {
    merge_form(ui, settings, session, cache, actions);
    ui.separator();
    let table = entity_counts(session, cache);
    let mut edges = entity_edges(session, cache);
    sort_edges(&mut edges, settings.sort, settings.ascending);
    let area = egui::ScrollArea::vertical()
        .id_salt("doctriage-entities-scroll")
        .auto_shrink([false, false]);
    super::capture::view_scroll_area(ui, area, |ui| {
        ui.columns(3, |cols| {
            for (col, kind) in cols.iter_mut().zip(EntityKind::ALL) {
                entity_list(col, kind, table.of(kind), actions);
            }
        });
        ui.separator();
        ui.label(RichText::new(format!("Who sent what to whom ({} edges)", edges.len())).strong());
        if edges.is_empty() {
            weak(
                ui,
                "No document is tagged with a sender, recipient or equipment yet.",
            );
            return;
        }
        egui::Grid::new("doctriage-edges")
            .num_columns(4)
            .striped(true)
            .show(ui, |ui| {
                sort_header(ui, settings, EdgeSort::Sender, "Sender");
                sort_header(ui, settings, EdgeSort::Recipient, "Recipient");
                sort_header(ui, settings, EdgeSort::Equipment, "Equipment");
                sort_header(ui, settings, EdgeSort::Documents, "Documents");
                ui.end_row();
                for e in &edges {
                    for name in [&e.sender, &e.recipient, &e.equipment] {
                        ui.add(egui::Label::new(short(name, 36)).extend())
                            .on_hover_text(name.as_str());
                    }
                    ui.horizontal_wrapped(|ui| {
                        for doc in &e.documents {
                            let resp = ui
                                .add(
                                    egui::Button::new(RichText::new(doc).monospace())
                                        .small()
                                        .frame(false),
                                )
                                .on_hover_text(format!("Open {doc}"))
                                .accessible_name(format!(
                                    "Open {doc}: {} → {} ({})",
                                    e.sender, e.recipient, e.equipment
                                ));
                            if resp.clicked() {
                                actions.push(ViewAction::OpenDocument {
                                    doc: doc.clone(),
                                    quote: None,
                                });
                            }
                        }
                    });
                    ui.end_row();
                }
            });
    });
}
