//! What the window shows of a session, kept apart from the session itself: which panels are
//! open, filters, the search text, and the cached layouts of the article.

use std::collections::BTreeSet;
use std::sync::Arc;

use eframe::egui;

use super::article::ArticleKey;
use super::documents::ListState;
use super::inspector::EditBuffers;
use super::review::{GalleyKey, ValueBuffers};
use crate::model::Span;
use crate::model::span::Status;

/// The window's state for one session (reset when another corpus is opened).
#[derive(Default)]
pub struct View {
    /// Show rejected spans too.
    pub show_rejected: bool,
    /// Labels hidden from the article.
    pub hidden_labels: BTreeSet<String>,
    /// Search text (Ctrl+F).
    pub search: String,
    /// Focus the search field on the next frame.
    pub focus_search: bool,
    /// The document list's sort, filter and search.
    pub list: ListState,
    /// The windows open (by name, see [`super::WINDOWS`]).
    pub open_windows: BTreeSet<&'static str>,
    /// The agreement panel is open (review mode).
    pub show_agreement: bool,
    /// The last statistics computed.
    pub stats: Option<crate::stats::Stats>,
    /// Annotators ticked in the Review menu.
    pub review_choice: BTreeSet<String>,
    /// The article's layout and what it was built from: rebuilt only when that changes.
    pub(super) article: Option<(ArticleKey, Arc<egui::Galley>)>,
    /// The merged article's layout in review mode, likewise.
    pub(super) review: Option<(GalleyKey, Arc<egui::Galley>)>,
    /// The inspector's edit fields.
    pub(super) edit: EditBuffers,
    /// The review panel's gold value fields.
    pub(super) review_values: ValueBuffers,
    /// Folder typed in the Corpus menu.
    pub(super) open_path: String,
    /// File (or folder, for brat) typed in the Export menu.
    pub(super) export_path: String,
    /// The search across every article's text.
    pub corpus_search: super::search::SearchState,
}

impl View {
    /// Is span `s` shown?
    pub fn visible(&self, s: &Span) -> bool {
        (self.show_rejected || s.status != Status::Rejected)
            && !self.hidden_labels.contains(&s.label)
    }

    /// Is the window called `name` open?
    pub fn is_open(&self, name: &str) -> bool {
        self.open_windows.contains(name)
    }

    /// Opens or closes the window called `name`; true when it is open now.
    pub fn toggle(&mut self, name: &'static str) -> bool {
        self.open_windows.remove(name) || self.open_windows.insert(name)
    }

    /// Forgets the cached layouts (the text or its spans changed outside an edit).
    pub fn relayout(&mut self) {
        self.article = None;
        self.review = None;
    }
}
