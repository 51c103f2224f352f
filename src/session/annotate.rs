//! The annotation session: documents and their files, the selection, and the commands that
//! edit the open document. Each command is an [`Edit`] made by [`Session::apply`]; what a
//! decision teaches the suggester joins its undo step.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::background::Summary;
use super::edit::{Context, Edit};
use super::edited::EditedFile;
use super::journal::Journal;
use super::review::ReviewSession;
use super::{Level, Notice};
use crate::corpus::Corpus;
use crate::model::span::{Normalized, Quantity, Status};
use crate::model::{AnnotationFile, Span};
use crate::schema::Schema;
use crate::store::Store;
use crate::suggest::memory::Memory;
use crate::suggest::{Suggestion, suggest};

/// How long after the last edit a document is saved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(800);
/// The longest an edit waits to be saved, however steadily the analyst keeps editing.
pub const AUTOSAVE_AT_MOST: Duration = Duration::from_secs(2);

/// Index entries the window takes in one frame at most.
const INDEX_ENTRIES_PER_FRAME: usize = 4096;

/// The whole session.
pub struct Session {
    /// The articles (shared with background work such as exports).
    pub corpus: Arc<Corpus>,
    /// Where files go.
    pub store: Store,
    /// Labels.
    pub schema: Schema,
    /// Who is annotating.
    pub annotator: String,
    /// Per document, loaded on first open.
    pub docs: Vec<Option<Box<EditedFile>>>,
    /// Documents suggested before the segmenter was ready: their entities are still to come.
    pub(super) awaiting_entities: BTreeSet<usize>,
    /// Their entity suggestions being made on a thread (the window does not wait for them).
    pub(super) entities_coming: Option<std::sync::mpsc::Receiver<(usize, Vec<Suggestion>)>>,
    /// Open document.
    pub current: usize,
    /// Selected span (index into the open file's spans).
    pub selected: Option<usize>,
    /// Text selected with the mouse, waiting for a label (char range).
    pub pending: Option<Range<usize>>,
    /// Text highlighted in the open document (a search hit, an occurrence without a span).
    pub search_hit: Option<Range<usize>>,
    /// The selection moved by a command: the view scrolls it into view (and clears this).
    pub scroll_to_selection: bool,
    /// The last save failed with this (the edits stay in memory).
    pub save_error: Option<String>,
    /// Delay between the last edit and the save.
    pub autosave_after: Duration,
    /// The longest delay between the first unsaved edit and the save.
    pub autosave_at_most: Duration,
    /// Every edit is appended here before it is saved (see [`Journal`]).
    pub journal: Arc<Mutex<Journal>>,
    /// Journal entries of files this session does not edit (a gold file that cannot be read)
    /// that could not be folded in: kept in the journal at every save.
    pub(super) journal_waiting: Vec<(AnnotationFile, Option<AnnotationFile>)>,
    /// What the annotator taught the suggester.
    pub memory: Memory,
    /// The memory changed since it was saved.
    pub memory_dirty: bool,
    /// The memory file could not be read: learning is off and the file is left alone.
    pub memory_error: Option<String>,
    /// Per document, what the background job found (for documents not opened yet).
    pub summaries: Vec<Option<Summary>>,
    /// Per document, suggestions made in the background, used when it is opened.
    pub precomputed: Vec<Option<Vec<Suggestion>>>,
    /// How many documents' suggestions are kept in `precomputed`.
    pub(super) precomputed_kept: usize,
    /// Bumped whenever what the document list shows changes other than by an edit (a summary
    /// arrived, a file was reloaded).
    pub generation: u64,
    /// What this session last wrote to each file (a hash), to tell its own writes from
    /// changes made by others.
    pub(super) written: HashMap<PathBuf, u64>,
    /// The last consistency check (None until one is run).
    pub consistency: Option<Vec<crate::consistency::Group>>,
    /// Group decisions that can be undone: per decision, (document, revision after it).
    pub group_undo: Vec<Vec<(usize, u64)>>,
    /// Mark done was asked for with this many suggestions unreviewed: the app asks whether
    /// to accept them, leave them pending or cancel ([`Session::finish`]).
    pub confirm_done: Option<usize>,
    /// Documents marked done and left for the next one, newest last: undo in the next one
    /// (before any edit there) goes back and takes the mark back.
    pub(super) done_trail: Vec<super::done::DoneStep>,
    /// Review mode, when on.
    pub review: Option<ReviewSession>,
    /// Agreement between the reviewed annotators (computed when review starts).
    pub agreement: Option<crate::review::Agreement>,
    /// Messages for the analyst not yet taken by the app.
    pub(super) notices: Vec<Notice>,
    /// The annotator's entity model and its retraining.
    pub learner: super::retrain::Learner,
    /// The corpus index being built or read from its cache (titles arrive through it).
    pub(super) index: Option<std::sync::mpsc::Receiver<crate::index::Update>>,
    /// How the last index run went, once it has finished.
    pub index_summary: Option<crate::index::Summary>,
}

impl Session {
    /// A session on a corpus folder. A `schema.ron` or memory file that cannot be read is
    /// reported (as a notice) and the session goes on with the default labels / without
    /// learning.
    pub fn open(
        corpus_dir: PathBuf,
        annotations: PathBuf,
        annotator: String,
    ) -> Result<Self, String> {
        // The folder is listed, nothing read: titles come from the index as it arrives, texts
        // are read when a document is opened.
        let corpus = Corpus::lazy(&corpus_dir).map_err(|e| e.to_string())?;
        let index = crate::index::spawn(
            corpus_dir.clone(),
            corpus.files().to_vec(),
            Some(crate::index::cache_path(&annotations, &corpus_dir)),
        );
        let mut notices = Vec::new();
        let schema = Schema::load(&annotations).unwrap_or_else(|e| {
            notices.push(Notice::new(
                Level::Error,
                format!("{e}. The default labels are used until it is fixed."),
            ));
            Schema::default()
        });
        let n = corpus.len();
        let store = Store::open(annotations).0;
        // Edits a crash kept from being saved go into the files before anything reads them.
        let recovered = Journal::recover(&store, &annotator);
        if !recovered.written.is_empty() {
            notices.push(Notice::new(
                Level::Info,
                format!(
                    "Recovered unsaved edits from the last session in {}.",
                    recovered.written.join(", ")
                ),
            ));
        }
        for doc in &recovered.set_aside {
            notices.push(Notice::new(Level::Warning, format!("{doc}: the file had changed on disk since your last edit; your version is in place, the other is in {}/.conflicts/.", annotator)));
        }
        for p in &recovered.problems {
            notices.push(Notice::new(Level::Warning, p.clone()));
        }
        let annotations = store.root.clone();
        let (memory, memory_error) = match Memory::load(&annotations, &annotator) {
            Ok(m) => (m, None),
            Err(e) => {
                let m = format!("{e}. Learning is off until the file is fixed.");
                notices.push(Notice::new(Level::Warning, m.clone()));
                (Memory::default(), Some(m))
            }
        };
        let learner = super::retrain::Learner::start(&annotations, &annotator);
        let mut s = Self {
            corpus: Arc::new(corpus),
            journal: Arc::new(Mutex::new(Journal::new(&store.root, &annotator))),
            journal_waiting: Vec::new(),
            store,
            schema,
            annotator,
            docs: (0..n).map(|_| None).collect(),
            awaiting_entities: BTreeSet::new(),
            entities_coming: None,
            current: 0,
            selected: None,
            pending: None,
            search_hit: None,
            scroll_to_selection: false,
            save_error: None,
            autosave_after: AUTOSAVE_AFTER,
            autosave_at_most: AUTOSAVE_AT_MOST,
            memory,
            memory_dirty: false,
            memory_error,
            summaries: (0..n).map(|_| None).collect(),
            precomputed: (0..n).map(|_| None).collect(),
            precomputed_kept: 0,
            generation: 0,
            written: HashMap::new(),
            consistency: None,
            group_undo: Vec::new(),
            confirm_done: None,
            done_trail: Vec::new(),
            review: None,
            agreement: None,
            notices,
            learner,
            index: Some(index),
            index_summary: None,
        };
        // Edits the journal could not fold in (the file is still broken) wait in memory.
        for (file, base) in recovered.kept {
            if file.annotator != s.annotator {
                s.journal_waiting.push((file, base));
                continue;
            }
            if let Some(i) = s.corpus.position(&file.doc) {
                s.ensure_loaded(i);
                if let Some(Some(d)) = s.docs.get_mut(i) {
                    if let Some(base) = base {
                        d.broken_base = Some(base);
                    }
                    let action = super::edited::replace_with(&d.file, &file);
                    d.commit(action, None);
                }
            }
        }
        if n > 0 {
            s.open_doc(0);
        }
        Ok(s)
    }

    /// Messages for the analyst since the last call, oldest first.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        let mut out = std::mem::take(&mut self.notices);
        if let Some(r) = self.review.as_mut() {
            out.append(&mut r.notices);
        }
        out
    }

    /// Takes what the corpus index has sent since the last call (titles for the document
    /// list). Returns whether anything arrived; cheap when the index is complete.
    pub fn poll_index(&mut self) -> bool {
        let Some(rx) = &self.index else {
            return false;
        };
        let mut got = false;
        let mut finished = None;
        // A bounded share per frame (the rest waits in the channel for the next frames), so
        // that a cached index of 100,000 entries does not arrive in one long frame.
        let mut taken = 0;
        while taken < INDEX_ENTRIES_PER_FRAME {
            let Ok(u) = rx.try_recv() else { break };
            got = true;
            match u {
                crate::index::Update::Entries(e) => {
                    taken += e.len();
                    self.corpus.set_entries(e);
                }
                crate::index::Update::Finished(s) => finished = Some(s),
            }
        }
        if let Some(s) = finished {
            if let Some(p) = &s.cache_problem {
                self.notices.push(Notice::new(Level::Info, p.clone()));
            }
            self.index = None;
            self.index_summary = Some(s);
        }
        if got {
            self.generation += 1;
        }
        got
    }

    /// Whether the corpus index is still being built.
    pub fn indexing(&self) -> bool {
        self.index.is_some()
    }

    /// The open document's text and structure (read on demand; `None` when it cannot be read).
    pub fn document(&self) -> Option<Arc<crate::corpus::Document>> {
        self.corpus.doc(self.current).ok()
    }

    pub(super) fn notice(&mut self, level: Level, text: impl Into<String>) {
        self.notices.push(Notice::new(level, text));
    }

    /// A message for the analyst from a command (feedback that something happened).
    pub fn say(&mut self, level: Level, text: impl Into<String>) {
        self.notice(level, text);
    }

    /// Loads (or suggests) document `i` and makes it current.
    pub fn open_doc(&mut self, i: usize) {
        if i >= self.docs.len() {
            return;
        }
        self.ensure_loaded(i);
        self.add_learned(i, false);
        self.current = i;
        self.selected = None;
        self.pending = None;
        self.search_hit = None;
        self.select_next(true);
    }

    /// Makes sure document `i` has a file: read from disk, or suggested fresh.
    pub fn ensure_loaded(&mut self, i: usize) {
        if self.docs[i].is_some() {
            return;
        }
        let doc = match self.corpus.doc(i) {
            Ok(d) => d,
            Err(e) => {
                self.notice(Level::Error, e.to_string());
                return;
            }
        };
        let doc = &*doc;
        if let Some(w) = doc.warning() {
            self.notice(Level::Warning, w);
        }
        let opts = self.suggest_options();
        let fresh = |precomputed: Option<Vec<Suggestion>>, memory: &Memory| {
            let mut f = AnnotationFile::new(&doc.id, &doc.fingerprint, &self.annotator);
            // Made in the background if it got there first (with entities); what was rejected
            // since is left out.
            let suggestions = match precomputed {
                Some(s) => s
                    .into_iter()
                    .filter(|x| !memory.is_rejected(doc.slice(x.start..x.end), &x.label))
                    .collect(),
                None => suggest(doc, &opts),
            };
            f.spans = suggestions.iter().map(|s| s.to_span(doc)).collect();
            f
        };
        let precomputed = self.precomputed[i].take();
        let (state, awaiting) = match self.store.load(&self.annotator, doc) {
            Ok(Some(l)) => {
                if let Some(r) = &l.reanchor {
                    self.notice(Level::Warning, format!("{}: the article changed since it was annotated: {} spans moved, {} could not be found (kept, flagged).", doc.id, r.moved.len(), r.lost.len()));
                }
                for p in &l.problems {
                    self.notice(Level::Warning, p.to_string());
                }
                (EditedFile::read(l), false)
            }
            Ok(None) => {
                let file = fresh(precomputed, &self.memory);
                let awaiting = opts.no_entities
                    && !file.spans.iter().any(|s| !self.schema.is_figure(&s.label));
                (EditedFile::loaded(file), awaiting)
            }
            Err(e) => {
                let file = fresh(precomputed, &self.memory);
                let error =
                    format!("{e}. Edits to this document are not saved until the file is fixed.");
                (EditedFile::unreadable(file, error), opts.no_entities)
            }
        };
        if awaiting {
            self.awaiting_entities.insert(i);
        }
        let mut state = state;
        state.journal = Some(self.journal.clone());
        self.docs[i] = Some(Box::new(state));
    }

    /// Makes `edit` on the open document as one undo step, the selection remembered for
    /// undo; what it teaches joins the step, and the selection follows the span it changed.
    /// False when it changed nothing.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let Ok(doc) = self.corpus.doc(self.current) else {
            return false;
        };
        let Some(Some(d)) = self.docs.get_mut(self.current) else {
            return false;
        };
        let cx = Context {
            text: &doc.text,
            schema: &self.schema,
            who: &self.annotator,
        };
        let Some(planned) = edit.plan(&d.file, &cx) else {
            return false;
        };
        let changed = d.commit(planned.action.clone(), self.selected);
        if changed {
            for (text, label, yes) in planned.lessons() {
                self.learn(&text, &label, yes);
            }
            self.generation += 1;
        }
        if let Some((_, span)) = &planned.span {
            self.selected = self
                .doc()
                .and_then(|d| d.spans().iter().position(|x| x == span));
        }
        self.clamp_selection();
        changed
    }

    /// Applies a span edit to the selected span.
    fn apply_selected(&mut self, edit: impl FnOnce(usize) -> Edit) -> bool {
        let Some(i) = self.selected else {
            return false;
        };
        self.apply(edit(i))
    }

    /// Accepts the selected span and moves to the next suggestion.
    pub fn accept(&mut self) {
        self.apply_selected(Edit::Accept);
        self.select_next(true);
    }

    /// Rejects the selected span and moves to the next suggestion.
    pub fn reject(&mut self) {
        self.apply_selected(Edit::Reject);
        self.select_next(true);
    }

    /// Gives the selected span another label (it counts as reviewed).
    pub fn relabel(&mut self, label: &str) {
        self.apply_selected(|i| Edit::Relabel(i, label.to_owned()));
    }

    /// Adds a span over `range` with `label` (status added) and selects it; a span with the
    /// same range and label is selected (and accepted if it was a suggestion) instead.
    pub fn add_span(&mut self, range: Range<usize>, label: &str) {
        self.pending = None;
        self.apply(Edit::Add(range, label.to_owned()));
    }

    /// The label key: labels the pending selection as a new span, else relabels the
    /// selected span.
    pub fn label_key(&mut self, label: &str) {
        match self.pending.clone() {
            Some(r) => self.add_span(r, label),
            None => self.relabel(label),
        }
    }

    /// Sets the selected figure's value (typed text: a number or a date), unit and approx
    /// flag; a range's upper bound is kept.
    pub fn set_value(&mut self, value: &str, unit: &str, approx: bool) {
        let Some(old) = self.selected_span().cloned() else {
            return;
        };
        let unit = unit.trim();
        let new = Quantity::parse_user(value).map(|value| Normalized {
            value,
            value_max: old.value.as_ref().and_then(|v| v.value_max.clone()),
            unit: (!unit.is_empty()).then(|| unit.to_owned()),
            approx,
        });
        self.apply_selected(|i| Edit::SetValue(i, new));
    }

    /// Sets the selected span's note (empty removes it).
    pub fn set_note(&mut self, note: &str) {
        let note = Some(note.to_owned());
        self.apply_selected(|i| Edit::SetNote(i, note));
    }

    /// Moves the selected span's boundaries by `ds` (start) and `de` (end) chars.
    pub fn resize(&mut self, ds: isize, de: isize) {
        let Some(s) = self.selected_span() else {
            return;
        };
        let (start, end) = (s.start as isize + ds, s.end as isize + de);
        if start < 0 || start >= end {
            return;
        }
        let range = start as usize..end as usize;
        self.apply_selected(|i| Edit::Resize(i, range));
    }

    /// Moves one edge of the selected span to the next word boundary: the start edge
    /// (`start_edge`) or the end edge, left or right (`forward`).
    pub fn resize_by_word(&mut self, start_edge: bool, forward: bool) {
        let Some(r) = self.selected_span().map(Span::range) else {
            return;
        };
        let Ok(doc) = self.corpus.doc(self.current) else {
            return;
        };
        if let Some((ds, de)) = crate::snap::word_step(&doc, r, start_edge, forward) {
            self.resize(ds, de);
        }
    }

    /// Accepts every unreviewed suggestion with this label in the open document (one step).
    pub fn accept_all(&mut self, label: &str) {
        self.apply(Edit::AcceptAll(label.to_owned()));
    }

    /// Undo in the open document: the selection comes back, and what the step taught the
    /// suggester is taken back (unless a later decision taught otherwise).
    pub fn undo(&mut self) {
        match self.done_to_undo() {
            Some(t) => self.undo_done(t),
            None => self.step(true),
        }
    }

    /// Redo in the open document.
    pub fn redo(&mut self) {
        self.step(false);
    }

    fn step(&mut self, undo: bool) {
        let Some(Some(d)) = self.docs.get_mut(self.current) else {
            return;
        };
        let lessons = if undo {
            d.undo(&mut self.selected)
        } else {
            d.redo(&mut self.selected)
        };
        let lessons = lessons.unwrap_or_default();
        // Taken back newest first, taught again in the order they were learned.
        if undo {
            for l in lessons.iter().rev() {
                self.memory_dirty |= l.unteach(&mut self.memory);
            }
        } else {
            for l in &lessons {
                self.memory_dirty |= l.reteach(&mut self.memory);
            }
        }
        self.generation += 1;
        self.clamp_selection();
        self.scroll_to_selection = self.selected.is_some();
    }

    pub(super) fn clamp_selection(&mut self) {
        let n = self.doc().map_or(0, |d| d.file.spans.len());
        if self.selected.is_some_and(|i| i >= n) {
            self.selected = None;
        }
    }

    /// Moves to the next occurrence of `query` after the current hit (wrapping).
    pub fn find_next(&mut self, query: &str) {
        let Ok(doc) = self.corpus.doc(self.current) else {
            return;
        };
        if query.is_empty() {
            self.search_hit = None;
            return;
        }
        let hits = crate::text::find_all(&doc.text, &doc.chars, query);
        let after = self.search_hit.as_ref().map_or(0, |h| h.start + 1);
        let n = query.chars().count();
        self.search_hit = hits
            .iter()
            .copied()
            .find(|&h| h >= after)
            .or(hits.first().copied())
            .map(|h| h..h + n);
        self.scroll_to_selection = self.search_hit.is_some();
    }

    /// Selects the next (or previous) unreviewed suggestion, wrapping around.
    pub fn select_next(&mut self, forward: bool) {
        let Some(d) = self.doc() else { return };
        let spans = &d.file.spans;
        let n = spans.len();
        if n == 0 {
            self.selected = None;
            return;
        }
        let from = self.selected;
        for step in 1..=n {
            let i = match (from, forward) {
                (Some(f), true) => (f + step) % n,
                (Some(f), false) => (f + n * 2 - step) % n,
                (None, true) => (step - 1) % n,
                (None, false) => (n - step) % n,
            };
            if spans[i].status == Status::Suggested {
                self.selected = Some(i);
                // The view follows the selection, not an earlier search hit.
                self.search_hit = None;
                self.scroll_to_selection = true;
                return;
            }
        }
    }

    /// Selects the span at char `c` among those `shown`, if any.
    pub fn select_at(&mut self, c: usize, shown: impl Fn(&Span) -> bool) {
        let hit = self.doc().and_then(|d| {
            d.spans()
                .iter()
                .position(|sp| sp.start <= c && c < sp.end && shown(sp))
        });
        if hit.is_some() {
            self.selected = hit;
        }
    }

    /// The open document's file.
    pub fn doc(&self) -> Option<&EditedFile> {
        self.docs.get(self.current).and_then(|d| d.as_deref())
    }

    /// The selected span.
    pub fn selected_span(&self) -> Option<&Span> {
        self.doc()?.spans().get(self.selected?)
    }
}
