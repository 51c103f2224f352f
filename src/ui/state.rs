//! The annotation session without widgets: documents, their annotation files, undo history,
//! the selection and autosave. The window reads it and calls its commands.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::corpus::Corpus;
use crate::model::span::{Change, ChangeKind, DocStatus, Status};
use crate::model::{Action, AnnotationFile, History, Span};
use crate::schema::Schema;
use crate::store::Store;
use crate::suggest::memory::Memory;
use crate::suggest::{LEARNED, Options, entities, suggest};

/// Documents whose background suggestions are kept until they are opened.
pub const PRECOMPUTED_KEPT: usize = 1000;

/// How long after the last edit a document is saved.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(800);

/// One document's annotations in the session.
pub struct DocState {
    /// The annotator's file (from disk, or fresh suggestions).
    pub file: AnnotationFile,
    /// Undo/redo.
    pub history: History,
    /// Revision last written to disk.
    pub saved_revision: u64,
    /// When the file on disk could not be read: the error. Such a document is never saved, so
    /// the file is not overwritten.
    pub load_error: Option<String>,
    /// A notice about re-anchoring after the text changed.
    pub notice: Option<String>,
    /// Suggested before the segmenter was ready: entities still to add.
    pub needs_entities: bool,
    /// The file changed on disk while this document had unsaved edits: the disk version,
    /// until the analyst keeps theirs or takes it. Nothing is saved meanwhile.
    pub conflict: Option<AnnotationFile>,
    /// What the file on disk held when it was read or last saved: a save writes only over
    /// that (else the disk version becomes a conflict).
    pub base: crate::store::Version,
}

impl DocState {
    /// Unsaved edits?
    pub fn dirty(&self) -> bool {
        self.history.revision != self.saved_revision && self.load_error.is_none()
    }

    pub(super) fn loaded(file: AnnotationFile, notice: Option<String>) -> Self {
        Self {
            file,
            history: History::default(),
            saved_revision: 0,
            load_error: None,
            notice,
            needs_entities: false,
            conflict: None,
            base: Default::default(),
        }
    }
}

/// The whole session.
pub struct Session {
    /// The articles (shared with background work such as exports).
    pub corpus: std::sync::Arc<Corpus>,
    /// Where files go.
    pub store: Store,
    /// Labels.
    pub schema: Schema,
    /// Who is annotating.
    pub annotator: String,
    /// Per document, loaded on first open.
    pub docs: Vec<Option<DocState>>,
    /// Open document.
    pub current: usize,
    /// Selected span (index into the open file's spans).
    pub selected: Option<usize>,
    /// Show rejected spans too.
    pub show_rejected: bool,
    /// Last save error, shown in a banner.
    pub save_error: Option<String>,
    /// Last edit time, for debounced saving.
    pub last_edit: Option<Instant>,
    /// Ask the view to scroll the selection into view.
    pub scroll_to_selection: bool,
    /// Text selected with the mouse, waiting for a label (char range).
    pub pending: Option<std::ops::Range<usize>>,
    /// Labels hidden from the article view.
    pub hidden_labels: std::collections::BTreeSet<String>,
    /// The document list's sort, filter and search.
    pub list: super::documents::ListState,
    /// Per document, what the background job found (for documents not opened yet).
    pub summaries: Vec<Option<super::background::Summary>>,
    /// Per document, suggestions made in the background, used when it is opened.
    pub precomputed: Vec<Option<Vec<crate::suggest::Suggestion>>>,
    /// The background suggestion job.
    pub background: Option<super::background::Background>,
    /// How many documents' suggestions are kept in `precomputed`.
    precomputed_kept: usize,
    /// Watching `annotations/` for changes from outside (None when watching failed).
    pub watch: Option<super::watch::Watch>,
    /// Why watching is off, shown once.
    pub watch_error: Option<String>,
    /// What this session last wrote to each file (a hash), to tell its own writes from
    /// changes made by others.
    pub(super) written: std::collections::HashMap<PathBuf, u64>,
    /// Delay between the last edit and the save.
    pub autosave_after: Duration,
    /// Search text (Ctrl+F).
    pub search: String,
    /// Current search hit (char range).
    pub search_hit: Option<std::ops::Range<usize>>,
    /// What the annotator taught the suggester.
    pub memory: Memory,
    /// The memory changed since it was saved.
    pub memory_dirty: bool,
    /// The memory file could not be read: learning is off and the file is left alone.
    pub memory_error: Option<String>,
    /// The consistency panel is open.
    pub show_consistency: bool,
    /// The last consistency check (None until one is run).
    pub consistency: Option<Vec<crate::consistency::Group>>,
    /// A consistency check running on a thread.
    pub consistency_job: Option<std::sync::mpsc::Receiver<Vec<crate::consistency::Group>>>,
    /// Group decisions that can be undone: per decision, (document, revision after it).
    pub group_undo: Vec<Vec<(usize, u64)>>,
    /// Review mode, when on.
    pub review: Option<super::review_state::ReviewSession>,
    /// The agreement panel is open.
    pub show_agreement: bool,
    /// Annotators ticked in the Review menu.
    pub review_choice: std::collections::BTreeSet<String>,
    /// Agreement between the reviewed annotators (computed when review starts).
    pub agreement: Option<crate::review::Agreement>,
}

impl Session {
    /// A session on a corpus folder.
    pub fn open(
        corpus_dir: PathBuf,
        annotations: PathBuf,
        annotator: String,
    ) -> Result<Self, String> {
        let corpus = Corpus::open(&corpus_dir).map_err(|e| e.to_string())?;
        let schema = Schema::load(&annotations).unwrap_or_default();
        let n = corpus.docs.len();
        let (memory, memory_error) = match Memory::load(&annotations, &annotator) {
            Ok(m) => (m, None),
            Err(e) => (
                Memory::default(),
                Some(format!("{e}. Learning is off until the file is fixed.")),
            ),
        };
        let mut s = Self {
            corpus: std::sync::Arc::new(corpus),
            store: Store::open(annotations).0,
            schema,
            annotator,
            docs: (0..n).map(|_| None).collect(),
            current: 0,
            selected: None,
            show_rejected: false,
            save_error: None,
            last_edit: None,
            scroll_to_selection: false,
            pending: None,
            hidden_labels: Default::default(),
            list: Default::default(),
            summaries: (0..n).map(|_| None).collect(),
            precomputed: (0..n).map(|_| None).collect(),
            background: None,
            precomputed_kept: 0,
            watch: None,
            watch_error: None,
            written: Default::default(),
            autosave_after: AUTOSAVE_AFTER,
            search: String::new(),
            search_hit: None,
            memory,
            memory_dirty: false,
            memory_error,
            show_consistency: false,
            consistency: None,
            consistency_job: None,
            group_undo: Vec::new(),
            review: None,
            show_agreement: false,
            review_choice: Default::default(),
            agreement: None,
        };
        match super::watch::Watch::start(&s.store.root) {
            Ok(w) => s.watch = Some(w),
            Err(e) => s.watch_error = Some(format!("{e}: changes from outside are not noticed.")),
        }
        if n > 0 {
            s.open_doc(0);
            s.background = Some(super::background::Background::start(
                s.corpus.clone(),
                s.store.clone(),
                s.annotator.clone(),
                std::sync::Arc::new(s.memory.clone()),
                0,
            ));
        }
        Ok(s)
    }

    /// Loads (or suggests) document `i` and makes it current.
    pub fn open_doc(&mut self, i: usize) {
        if i >= self.docs.len() {
            return;
        }
        self.ensure_loaded(i);
        self.add_learned(i);
        self.current = i;
        self.selected = None;
        self.pending = None;
        self.search_hit = None;
        self.select_next(true);
    }

    /// Makes sure document `i` has a state.
    pub fn ensure_loaded(&mut self, i: usize) {
        if self.docs[i].is_some() {
            return;
        }
        let doc = &self.corpus.docs[i];
        let opts = self.suggest_options();
        let memory = &self.memory;
        let mut precomputed = self.precomputed[i].take();
        let mut fresh = || {
            let mut f = AnnotationFile::new(&doc.id, &doc.fingerprint, &self.annotator);
            // Made in the background if it got there first (with entities); what was rejected
            // since is left out.
            let suggestions = match precomputed.take() {
                Some(s) => s
                    .into_iter()
                    .filter(|x| !memory.is_rejected(doc.slice(x.start..x.end), &x.label))
                    .collect(),
                None => suggest(doc, &opts),
            };
            f.spans = suggestions.iter().map(|s| s.to_span(doc)).collect();
            f
        };
        let state = match self.store.load(&self.annotator, doc) {
            Ok(Some(l)) => {
                let mut notes: Vec<String> = l.problems.iter().map(ToString::to_string).collect();
                notes.extend(doc.warning());
                if let Some(r) = &l.reanchor {
                    notes.insert(0, format!("The article changed since it was annotated: {} spans moved, {} could not be found (kept, flagged).", r.moved.len(), r.lost.len()));
                }
                DocState {
                    base: l.version,
                    ..DocState::loaded(l.file, (!notes.is_empty()).then(|| notes.join("\n")))
                }
            }
            Ok(None) => {
                let file = fresh();
                let needs_entities = opts.no_entities
                    && !file.spans.iter().any(|s| !self.schema.is_figure(&s.label));
                DocState {
                    needs_entities,
                    ..DocState::loaded(file, doc.warning())
                }
            }
            Err(e) => DocState {
                file: fresh(),
                history: History::default(),
                saved_revision: 0,
                load_error: Some(format!(
                    "{e}. Edits to this document are not saved until the file is fixed."
                )),
                notice: None,
                needs_entities: opts.no_entities,
                conflict: None,
                base: Default::default(),
            },
        };
        self.docs[i] = Some(state);
    }

    /// What the document list shows for document `i`: from its state when it is open in the
    /// session, else from the background job (an empty summary until it gets there).
    pub fn summary(&self, i: usize) -> super::background::Summary {
        match &self.docs[i] {
            Some(d) => super::background::Summary::of_file(&d.file),
            None => self.summaries[i].clone().unwrap_or_default(),
        }
    }

    /// Whether anything is known about document `i` yet.
    pub fn known(&self, i: usize) -> bool {
        self.docs[i].is_some() || self.summaries[i].is_some()
    }

    /// (documents done, documents in all) of the background job.
    pub fn background_progress(&self) -> (usize, usize) {
        self.background
            .as_ref()
            .map_or((0, 0), |b| (b.done, b.total))
    }

    /// Takes what the background job finished since the last frame. Returns whether it is
    /// still running.
    pub fn poll_background(&mut self) -> bool {
        let Some(b) = self.background.as_mut() else {
            return false;
        };
        let got = b.poll();
        let running = !b.finished();
        if !got.is_empty() {
            self.list.generation += 1;
        }
        for d in got {
            if self.docs[d.doc].is_none() {
                self.summaries[d.doc] = Some(d.summary);
                // Suggestions are kept for the documents nearest the open one (the job goes
                // on from there); the rest are suggested again when opened (a millisecond),
                // which keeps memory proportional to what is used.
                if self.precomputed_kept < PRECOMPUTED_KEPT {
                    self.precomputed_kept += usize::from(d.suggestions.is_some());
                    self.precomputed[d.doc] = d.suggestions;
                }
            }
        }
        running
    }

    /// Suggestion options: the annotator's memory; entities once the segmenter is loaded
    /// (it loads on a background thread, see [`entities::warm_up`]).
    fn suggest_options(&self) -> Options {
        Options {
            no_entities: entities::ready().is_none(),
            memory: Some(std::sync::Arc::new(self.memory.clone())),
            ..Options::default()
        }
    }

    /// Once the segmenter is ready, adds entity suggestions to documents suggested without
    /// them. Returns whether something changed. Called every frame; cheap when nothing waits.
    pub fn poll_entities(&mut self) -> bool {
        if entities::ready().is_none() {
            return false;
        }
        let waiting: Vec<usize> = (0..self.docs.len())
            .filter(|&i| self.docs[i].as_ref().is_some_and(|d| d.needs_entities))
            .collect();
        if waiting.is_empty() {
            return false;
        }
        let opts = self.suggest_options();
        for i in waiting {
            let doc = &self.corpus.docs[i];
            let Some(d) = self.docs[i].as_mut() else {
                continue;
            };
            d.needs_entities = false;
            let new: Vec<Span> = suggest(doc, &opts)
                .iter()
                .filter(|s| s.value.is_none())
                .map(|s| s.to_span(doc))
                .filter(|s| {
                    !d.file
                        .spans
                        .iter()
                        .any(|x| x.start < s.end && s.start < x.end)
                })
                .collect();
            add_spans(d, new);
        }
        self.clamp_selection();
        if self.selected.is_none() {
            self.select_next(true);
        }
        true
    }

    /// Adds learned suggestions to document `i`: every occurrence of a string the annotator
    /// accepted elsewhere that no span covers yet and that was not rejected.
    fn add_learned(&mut self, i: usize) {
        if self.memory.accepted.is_empty() {
            return;
        }
        let doc = &self.corpus.docs[i];
        let skip = |r: &std::ops::Range<usize>| doc.structure.overlaps_boilerplate(r);
        let Some(d) = self.docs[i].as_mut() else {
            return;
        };
        let mut new: Vec<Span> = Vec::new();
        for (bytes, label) in self.memory.find(&doc.text) {
            let r = doc.chars.char_of_byte(bytes.start)..doc.chars.char_of_byte(bytes.end);
            let covered = d
                .file
                .spans
                .iter()
                .chain(&new)
                .any(|x| x.start < r.end && r.start < x.end);
            if covered || skip(&r) || self.memory.is_rejected(&doc.text[bytes], label) {
                continue;
            }
            if let Ok(mut span) = Span::suggestion(&doc.text, r.start, r.end, label, LEARNED, None)
            {
                span.origin = crate::model::Origin::Learned;
                new.push(span);
            }
        }
        add_spans(d, new);
    }

    /// Learns from a decision on `span` (its text with its label): accepted/added entities are
    /// suggested wherever else they occur, rejected strings are not suggested with that label
    /// again. New suggestions in the open document join the decision's undo step.
    fn learn(&mut self, text: &str, label: &str, accepted: bool) {
        if self.memory_error.is_some() {
            return;
        }
        if accepted {
            if self.schema.is_figure(label) || !self.memory.accept(text, label) {
                return;
            }
        } else if !self.memory.reject(text, label) {
            return;
        }
        self.memory_dirty = true;
        self.last_edit = Some(Instant::now());
        if accepted {
            let before = self.doc().map(|d| d.history.can_undo());
            let revision = self.doc().map_or(0, |d| d.history.revision);
            self.add_learned(self.current);
            if let Some(Some(d)) = self.docs.get_mut(self.current)
                && before == Some(true)
                && d.history.revision != revision
            {
                d.history.merge_last();
            }
        }
    }

    /// Starts review mode on the open document: `annotators`' files merged, the reviewer's
    /// own edits saved first.
    pub fn start_review(&mut self, annotators: Vec<String>) {
        self.save_all();
        self.review = Some(super::review_state::ReviewSession::new(
            &self.corpus,
            &self.store,
            annotators,
            self.annotator.clone(),
            self.current,
        ));
        self.compute_agreement();
        self.show_agreement = true;
    }

    /// Leaves review mode, writing the gold files.
    pub fn stop_review(&mut self) {
        if let Some(r) = self.review.as_mut() {
            r.save_all(&self.store);
            if r.save_error.is_some() {
                self.save_error = r.save_error.clone();
                return;
            }
        }
        self.review = None;
        self.show_agreement = false;
    }

    /// Agreement between the reviewed annotators over the corpus (files on disk).
    pub fn compute_agreement(&mut self) {
        self.agreement = self
            .review
            .as_ref()
            .map(|r| crate::review::agreement(&self.corpus, &self.store, &r.annotators));
    }

    /// The open document's state.
    pub fn doc(&self) -> Option<&DocState> {
        self.docs.get(self.current).and_then(Option::as_ref)
    }

    /// Is span `s` shown?
    pub fn visible(&self, s: &Span) -> bool {
        (self.show_rejected || s.status != Status::Rejected)
            && !self.hidden_labels.contains(&s.label)
    }

    /// Adds a span over `range` with `label` (status added) and selects it. A span with the
    /// same range and label is selected (and accepted if it was a suggestion) instead.
    pub fn add_span(&mut self, range: std::ops::Range<usize>, label: &str) {
        self.pending = None;
        let Some(d) = self.doc() else { return };
        if let Some(i) = d
            .file
            .spans
            .iter()
            .position(|s| s.start == range.start && s.end == range.end && s.label == label)
        {
            let reviewed = d.file.spans[i].status.is_final();
            self.selected = Some(i);
            if !reviewed {
                let new = self.change_selected(|s, who| {
                    s.status = Status::Accepted;
                    s.changes.push(Change::now(ChangeKind::Accepted, who));
                });
                if let Some(span) = new {
                    self.learn(&span.text, &span.label, true);
                    self.reselect(&span);
                }
            }
            return;
        }
        let doc = &self.corpus.docs[self.current];
        let Ok(mut span) = Span::new(
            &doc.text,
            range.start,
            range.end,
            label,
            Status::Added,
            crate::model::Origin::Manual,
        ) else {
            return;
        };
        span.changes
            .push(Change::now(ChangeKind::Added, &self.annotator));
        let key = (span.start, span.end, span.label.clone());
        let text = span.text.clone();
        self.edit(Action::Insert(span));
        self.learn(&text, label, true);
        self.selected = self.doc().and_then(|d| {
            d.file
                .spans
                .iter()
                .position(|s| (s.start, s.end, s.label.clone()) == key)
        });
    }

    /// Sets the selected figure's value (typed text: a number or a date) and unit.
    pub fn set_value(&mut self, value: &str, unit: &str, approx: bool) {
        let q = crate::model::Quantity::parse_user(value);
        let unit = unit.trim().to_owned();
        self.change_selected(|s, who| {
            let new = q.map(|value| crate::model::Normalized {
                value,
                value_max: s.value.as_ref().and_then(|v| v.value_max.clone()),
                unit: (!unit.is_empty()).then_some(unit),
                approx,
            });
            if new != s.value {
                s.value = new;
                s.changes.push(Change::now(ChangeKind::ValueEdited, who));
            }
        });
    }

    /// Sets the selected span's note (empty removes it).
    pub fn set_note(&mut self, note: &str) {
        let note = note.trim().to_owned();
        self.change_selected(|s, who| {
            let new = (!note.is_empty()).then_some(note);
            if new != s.note {
                s.note = new;
                s.changes.push(Change::now(ChangeKind::NoteEdited, who));
            }
        });
    }

    /// Moves to the next occurrence of the search text after the current hit (wrapping).
    pub fn find_next(&mut self) {
        let doc = &self.corpus.docs[self.current];
        if self.search.is_empty() {
            self.search_hit = None;
            return;
        }
        let hits = crate::text::find_all(&doc.text, &doc.chars, &self.search);
        let after = self.search_hit.as_ref().map_or(0, |h| h.start + 1);
        let n = self.search.chars().count();
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
                self.scroll_to_selection = true;
                return;
            }
        }
    }

    /// Applies an edit to the open document as one undo step; starts the document if new.
    pub fn edit(&mut self, action: Action) {
        let Some(Some(d)) = self.docs.get_mut(self.current) else {
            return;
        };
        let action = if d.file.status == DocStatus::NotStarted {
            Action::Batch(vec![action, Action::SetStatus(DocStatus::InProgress)])
        } else {
            action
        };
        d.history.apply(&mut d.file, action);
        self.last_edit = Some(Instant::now());
        self.list.generation += 1;
    }

    fn change_selected(&mut self, f: impl FnOnce(&mut Span, &str)) -> Option<Span> {
        let i = self.selected?;
        let d = self.doc()?;
        let mut s = d.file.spans.get(i)?.clone();
        f(&mut s, &self.annotator);
        let new = s.clone();
        self.edit(Action::Replace(i, s));
        // Keep the same span selected after re-sorting.
        self.selected = self
            .doc()
            .and_then(|d| d.file.spans.iter().position(|x| *x == new));
        Some(new)
    }

    /// Accepts the selected span and moves to the next suggestion.
    pub fn accept(&mut self) {
        let new = self.change_selected(|s, who| {
            if s.status != Status::Added {
                s.status = Status::Accepted;
            }
            s.changes.push(Change::now(ChangeKind::Accepted, who));
        });
        if let Some(span) = new {
            self.learn(&span.text, &span.label, true);
            self.reselect(&span);
        }
        self.select_next(true);
    }

    /// Selects `span` again after spans were added around it.
    fn reselect(&mut self, span: &Span) {
        self.selected = self
            .doc()
            .and_then(|d| d.file.spans.iter().position(|x| x == span));
    }

    /// Rejects the selected span and moves to the next suggestion.
    pub fn reject(&mut self) {
        let new = self.change_selected(|s, who| {
            s.status = Status::Rejected;
            s.changes.push(Change::now(ChangeKind::Rejected, who));
        });
        if let Some(span) = new {
            self.learn(&span.text, &span.label, false);
        }
        self.select_next(true);
    }

    /// Gives the selected span another label (it counts as reviewed).
    pub fn relabel(&mut self, label: &str) {
        let is_figure = self.schema.is_figure(label);
        let old = self
            .selected
            .and_then(|i| self.doc()?.file.spans.get(i))
            .map(|s| s.label.clone());
        let label = label.to_owned();
        let new = self.change_selected(|s, who| {
            if s.label == label {
                return;
            }
            s.changes.push(Change::now(
                ChangeKind::Relabeled {
                    from: s.label.clone(),
                    to: label.clone(),
                },
                who,
            ));
            s.label = label;
            if !is_figure {
                s.value = None;
            }
            if s.status == Status::Suggested || s.status == Status::Rejected {
                s.status = Status::Accepted;
            }
        });
        // A correction: the old label was wrong for this string, the new one is right.
        if let (Some(span), Some(old)) = (new, old)
            && old != span.label
        {
            self.learn(&span.text, &old, false);
            self.learn(&span.text, &span.label, true);
            self.reselect(&span);
        }
    }

    /// Moves the selected span's boundaries by `ds` (start) and `de` (end) chars.
    pub fn resize(&mut self, ds: isize, de: isize) {
        let Some(d) = self.doc() else { return };
        let len = self.corpus.docs[self.current].char_len();
        let Some(s) = self.selected.and_then(|i| d.file.spans.get(i)) else {
            return;
        };
        let start = s.start as isize + ds;
        let end = s.end as isize + de;
        if start < 0 || end as usize > len || start >= end {
            return;
        }
        let (start, end) = (start as usize, end as usize);
        let text = self.corpus.docs[self.current].slice(start..end).to_owned();
        self.change_selected(|s, who| {
            s.changes.push(Change::now(
                ChangeKind::Resized {
                    from: (s.start, s.end),
                    to: (start, end),
                },
                who,
            ));
            s.start = start;
            s.end = end;
            s.text = text;
        });
    }

    /// Moves one edge of the selected span to the next word boundary: the start edge
    /// (`start_edge`) or the end edge, left or right (`forward`).
    pub fn resize_by_word(&mut self, start_edge: bool, forward: bool) {
        let Some(span) = self
            .selected
            .and_then(|i| self.doc()?.file.spans.get(i))
            .cloned()
        else {
            return;
        };
        let doc = &self.corpus.docs[self.current];
        let c = if start_edge { span.start } else { span.end };
        let Some(b) = crate::snap::next_boundary(doc, c, forward) else {
            return;
        };
        let d = b as isize - c as isize;
        if start_edge {
            self.resize(d, 0);
        } else {
            self.resize(0, d);
        }
    }

    /// Accepts every unreviewed suggestion with this label in the open document (one step).
    pub fn accept_all(&mut self, label: &str) {
        let Some(d) = self.doc() else { return };
        let who = self.annotator.clone();
        let actions: Vec<Action> = d
            .file
            .spans
            .iter()
            .enumerate()
            .filter(|(_, s)| s.label == label && s.status == Status::Suggested)
            .map(|(i, s)| {
                let mut s = s.clone();
                s.status = Status::Accepted;
                s.changes.push(Change::now(ChangeKind::Accepted, &who));
                Action::Replace(i, s)
            })
            .collect();
        if !actions.is_empty() {
            // Replacing keeps positions (same start/end/label), so indices stay valid.
            self.edit(Action::Batch(actions));
        }
    }

    /// Undo in the open document.
    pub fn undo(&mut self) {
        if let Some(Some(d)) = self.docs.get_mut(self.current)
            && d.history.undo(&mut d.file)
        {
            self.last_edit = Some(Instant::now());
        }
        self.clamp_selection();
    }

    /// Redo in the open document.
    pub fn redo(&mut self) {
        if let Some(Some(d)) = self.docs.get_mut(self.current)
            && d.history.redo(&mut d.file)
        {
            self.last_edit = Some(Instant::now());
        }
        self.clamp_selection();
    }

    pub(super) fn clamp_selection(&mut self) {
        let n = self.doc().map_or(0, |d| d.file.spans.len());
        if self.selected.is_some_and(|i| i >= n) {
            self.selected = None;
        }
    }

    /// Marks the open document done and opens the next unfinished one.
    pub fn mark_done_and_next(&mut self) {
        self.edit(Action::SetStatus(DocStatus::Done));
        self.save_all();
        let n = self.docs.len();
        for step in 1..n {
            let i = (self.current + step) % n;
            // What the background job already read says whether it is done; only documents
            // it has not reached yet are read here.
            let done = match (&self.docs[i], &self.summaries[i]) {
                (Some(d), _) => d.file.status == DocStatus::Done,
                (None, Some(sum)) => sum.status == DocStatus::Done,
                (None, None) => {
                    self.ensure_loaded(i);
                    self.docs[i]
                        .as_ref()
                        .is_none_or(|d| d.file.status == DocStatus::Done)
                }
            };
            if !done {
                self.open_doc(i);
                return;
            }
        }
    }

    /// Saves every document with unsaved edits; errors go to the banner and edits stay.
    pub fn save_all(&mut self) {
        let mut errors = Vec::new();
        for (i, d) in self.docs.iter_mut().enumerate() {
            let Some(d) = d.as_mut().filter(|d| d.dirty() && d.conflict.is_none()) else {
                continue;
            };
            match self.store.save(&d.file, &d.base) {
                Ok(saved) => {
                    d.saved_revision = d.history.revision;
                    d.base = saved.version;
                    self.written
                        .insert(saved.path, hash(crate::store::to_ron(&d.file).as_bytes()));
                }
                // Written by someone else since it was read: their version becomes a conflict
                // to resolve (keep mine / take theirs), nothing is overwritten.
                Err(crate::error::StoreError::Conflict { .. }) => {
                    match self.store.load(&self.annotator, &self.corpus.docs[i]) {
                        Ok(Some(l)) => {
                            d.base = l.version;
                            d.conflict = Some(l.file);
                        }
                        Ok(None) => d.base = Default::default(),
                        Err(e) => errors.push(e.to_string()),
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        if self.memory_dirty && self.memory_error.is_none() {
            match self.memory.save(&self.store.root, &self.annotator) {
                Ok(()) => {
                    self.memory_dirty = false;
                    let path = Memory::path(&self.store.root, &self.annotator);
                    if let Ok(bytes) = std::fs::read(&path) {
                        self.written.insert(path, hash(&bytes));
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        if let Some(r) = self.review.as_mut() {
            r.save_all(&self.store);
            if let Some(e) = &r.save_error {
                errors.push(e.clone());
            }
        }
        self.save_error = (!errors.is_empty()).then(|| {
            format!(
                "Could not save (your edits are kept in memory): {}",
                errors.join("; ")
            )
        });
    }

    /// Saves when the last edit is older than [`AUTOSAVE_AFTER`]; true when something is still pending.
    pub fn autosave(&mut self) -> bool {
        let pending = self.dirty();
        if pending
            && self
                .last_edit
                .is_none_or(|t| t.elapsed() >= self.autosave_after)
        {
            self.save_all();
        }
        self.dirty() && self.save_error.is_none()
    }

    /// Any unsaved edits?
    pub fn dirty(&self) -> bool {
        self.docs.iter().flatten().any(DocState::dirty)
            || (self.memory_dirty && self.memory_error.is_none())
    }
}

/// A hash of file contents, to recognise the session's own writes.
pub(super) fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Adds suggestions to a document: directly when it has no edits yet (the suggestions are
/// part of what was loaded), else as one undo step.
fn add_spans(d: &mut DocState, spans: Vec<Span>) {
    if spans.is_empty() {
        return;
    }
    if d.history.is_pristine() {
        d.file.spans.extend(spans);
        d.file.sort();
        // Changes the layout; not an edit (the revision drives the view's cache).
        d.history.revision += 1;
        d.saved_revision += 1;
    } else {
        let action = Action::Batch(spans.into_iter().map(Action::Insert).collect());
        d.history.apply(&mut d.file, action);
    }
}
