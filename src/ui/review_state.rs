//! Review mode without widgets: the chosen annotators' files merged per document, the gold
//! file being adjudicated (with its own undo history and autosave), and the current
//! disagreement. The review panel reads it and calls its commands.

use std::time::Instant;

use crate::corpus::Corpus;
use crate::model::span::{Change, ChangeKind, DocStatus};
use crate::model::{Action, AnnotationFile, History};
use crate::review::{self, GOLD, Item};
use crate::store::Store;

/// One document under review.
pub struct ReviewDoc {
    /// Agreed stretches and disagreements, in text order.
    pub items: Vec<Item>,
    /// The gold file being written.
    pub gold: AnnotationFile,
    /// Undo/redo of the gold file.
    pub history: History,
    /// Revision last written.
    pub saved_revision: u64,
    /// Annotators with no file for this document (their version is empty everywhere).
    pub missing: Vec<String>,
    /// The gold file could not be read: it is never written.
    pub load_error: Option<String>,
    /// What the gold file on disk held when read or last saved (a save writes only over that).
    pub base: crate::store::Version,
    /// Annotators' files that could not be read (treated as empty).
    pub notice: Option<String>,
    /// Agreement on this document (overall, per label), from the items: they do not change
    /// while the document is under review.
    pub agreement: (
        review::Score,
        std::collections::BTreeMap<String, review::Score>,
    ),
}

impl ReviewDoc {
    /// Unsaved gold edits?
    pub fn dirty(&self) -> bool {
        self.history.revision != self.saved_revision && self.load_error.is_none()
    }

    /// Indices of the disagreements.
    pub fn disagreements(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.items.len()).filter(|&i| !self.items[i].agreed())
    }

    /// (resolved, all) disagreements.
    pub fn progress(&self) -> (usize, usize) {
        let all: Vec<usize> = self.disagreements().collect();
        let resolved = all
            .iter()
            .filter(|&&i| review::is_resolved(&self.gold, &self.items[i]))
            .count();
        (resolved, all.len())
    }
}

/// The review session.
pub struct ReviewSession {
    /// Annotators being compared, in the order of their number keys.
    pub annotators: Vec<String>,
    /// Who adjudicates.
    pub reviewer: String,
    /// Per corpus document, loaded on first open.
    pub docs: Vec<Option<ReviewDoc>>,
    /// Document under review.
    pub current: usize,
    /// The selected item (index into the current document's items).
    pub item: Option<usize>,
    /// Last save problem, shown in a banner.
    pub save_error: Option<String>,
    /// Last gold edit, for debounced saving.
    pub last_edit: Option<Instant>,
    /// Ask the view to scroll the selection into view.
    pub scroll_to_item: bool,
    /// The merged article's layout and what it was built from.
    pub galley: Option<(GalleyKey, std::sync::Arc<eframe::egui::Galley>)>,
}

/// What the merged article's layout depends on: document, gold revision, selected item,
/// width, dark mode.
pub type GalleyKey = (usize, u64, Option<usize>, u32, bool);

impl ReviewSession {
    /// Starts reviewing `annotators` on document `current`.
    pub fn new(
        corpus: &Corpus,
        store: &Store,
        annotators: Vec<String>,
        reviewer: String,
        current: usize,
    ) -> Self {
        let mut s = Self {
            annotators,
            reviewer,
            docs: (0..corpus.docs.len()).map(|_| None).collect(),
            current,
            item: None,
            save_error: None,
            last_edit: None,
            scroll_to_item: false,
            galley: None,
        };
        if current < corpus.docs.len() {
            s.open(corpus, store, current);
        }
        s
    }

    /// Opens document `i` for review: merges the annotators' files (read from disk now) and
    /// starts the gold file from the agreed spans unless one exists.
    pub fn open(&mut self, corpus: &Corpus, store: &Store, i: usize) {
        if i >= corpus.docs.len() {
            return;
        }
        if self.docs[i].is_none() {
            self.docs[i] = Some(self.load(corpus, store, i));
        }
        self.current = i;
        self.item = None;
        self.next(true);
    }

    fn load(&self, corpus: &Corpus, store: &Store, i: usize) -> ReviewDoc {
        let doc = &corpus.docs[i];
        let mut problems = Vec::new();
        let mut missing = Vec::new();
        let mut files = Vec::new();
        for a in &self.annotators {
            match store.load(a, doc) {
                Ok(Some(l)) => files.push((a.clone(), l.file)),
                Ok(None) => {
                    missing.push(a.clone());
                    files.push((a.clone(), AnnotationFile::new(&doc.id, &doc.fingerprint, a)));
                }
                Err(e) => {
                    problems.push(e.to_string());
                    files.push((a.clone(), AnnotationFile::new(&doc.id, &doc.fingerprint, a)));
                }
            }
        }
        let refs: Vec<(String, &AnnotationFile)> =
            files.iter().map(|(a, f)| (a.clone(), f)).collect();
        let items = review::merge(&refs);
        let mut base = crate::store::Version::default();
        let (gold, saved_revision, gold_error) = match store.load(GOLD, doc) {
            Ok(Some(l)) => {
                base = l.version;
                (l.file, 0, None)
            }
            // A new gold file: the agreed spans are in it, and it is written without a click.
            Ok(None) => (
                review::gold_start(
                    &doc.id,
                    &doc.fingerprint,
                    &items,
                    &self.reviewer,
                    &self.annotators,
                ),
                u64::MAX,
                None,
            ),
            Err(e) => (
                AnnotationFile::new(&doc.id, &doc.fingerprint, GOLD),
                0,
                Some(format!(
                    "{e}. The gold file is not written until it is fixed."
                )),
            ),
        };
        let agreement = review::document_agreement(doc.char_len(), &items);
        ReviewDoc {
            agreement,
            items,
            gold,
            history: History::default(),
            saved_revision,
            missing,
            load_error: gold_error,
            base,
            notice: (!problems.is_empty())
                .then(|| format!("Left out (cannot be read): {}", problems.join("; "))),
        }
    }

    /// The document under review.
    pub fn doc(&self) -> Option<&ReviewDoc> {
        self.docs.get(self.current).and_then(Option::as_ref)
    }

    /// The selected item.
    pub fn current_item(&self) -> Option<&Item> {
        self.doc()?.items.get(self.item?)
    }

    /// Selects the next (or previous) unresolved disagreement, wrapping around; when all are
    /// resolved, the next disagreement of any kind.
    pub fn next(&mut self, forward: bool) {
        let Some(d) = self.doc() else { return };
        let n = d.items.len();
        if n == 0 {
            self.item = None;
            return;
        }
        let order = |step: usize| match (self.item, forward) {
            (Some(f), true) => (f + step) % n,
            (Some(f), false) => (f + n * 2 - step) % n,
            (None, true) => (step - 1) % n,
            (None, false) => (n - step) % n,
        };
        let pick = (1..=n)
            .map(order)
            .find(|&i| !d.items[i].agreed() && !review::is_resolved(&d.gold, &d.items[i]))
            .or_else(|| (1..=n).map(order).find(|&i| !d.items[i].agreed()));
        self.item = pick;
        self.scroll_to_item = pick.is_some();
    }

    /// Selects the item covering char `c`, if any.
    pub fn select_at(&mut self, c: usize) {
        if let Some(d) = self.doc() {
            self.item = d.items.iter().position(|i| i.range.contains(&c));
        }
    }

    fn apply(&mut self, action: Action) {
        let Some(Some(d)) = self.docs.get_mut(self.current) else {
            return;
        };
        let action = if d.gold.status == DocStatus::NotStarted {
            Action::Batch(vec![action, Action::SetStatus(DocStatus::InProgress)])
        } else {
            action
        };
        d.history.apply(&mut d.gold, action);
        self.last_edit = Some(Instant::now());
    }

    /// Resolves the selected disagreement with annotator `k`'s version (0-based), or drops
    /// every version (`None`); moves to the next unresolved one.
    pub fn take(&mut self, k: Option<usize>) {
        let Some(item) = self.current_item().cloned() else {
            return;
        };
        if item.agreed() {
            return;
        }
        let Some(d) = self.doc() else { return };
        let name = k.and_then(|k| self.annotators.get(k)).map(String::as_str);
        if k.is_some() && name.is_none() {
            return;
        }
        let action = review::resolve(&d.gold, &item, name, &self.reviewer);
        self.apply(action);
        self.next(true);
    }

    /// Gives gold span `i` another label (the reviewer's edit after taking a version).
    pub fn relabel_gold(&mut self, i: usize, label: &str) {
        let Some(d) = self.doc() else { return };
        let Some(old) = d.gold.spans.get(i) else {
            return;
        };
        if old.label == label {
            return;
        }
        let mut s = old.clone();
        s.changes.push(Change::now(
            ChangeKind::Relabeled {
                from: s.label.clone(),
                to: label.to_owned(),
            },
            &self.reviewer,
        ));
        s.label = label.to_owned();
        self.apply(Action::Replace(i, s));
    }

    /// Gives every gold span of the selected item `label` (one undo step): the reviewer's
    /// edit from the keyboard after taking a version.
    pub fn relabel_item(&mut self, label: &str) {
        let Some(item) = self.current_item().cloned() else {
            return;
        };
        let Some(d) = self.doc() else { return };
        let mut actions = Vec::new();
        let mut inserts = Vec::new();
        for (i, g) in d.gold.spans.iter().enumerate().rev() {
            if g.start < item.range.end && item.range.start < g.end && g.label != label {
                let mut s = g.clone();
                s.changes.push(Change::now(
                    ChangeKind::Relabeled {
                        from: s.label.clone(),
                        to: label.to_owned(),
                    },
                    &self.reviewer,
                ));
                s.label = label.to_owned();
                actions.push(Action::Remove(i));
                inserts.push(Action::Insert(s));
            }
        }
        if !actions.is_empty() {
            actions.extend(inserts);
            self.apply(Action::Batch(actions));
        }
    }

    /// Undo in the gold file.
    pub fn undo(&mut self) {
        if let Some(Some(d)) = self.docs.get_mut(self.current)
            && d.history.undo(&mut d.gold)
        {
            self.last_edit = Some(Instant::now());
        }
    }

    /// Redo in the gold file.
    pub fn redo(&mut self) {
        if let Some(Some(d)) = self.docs.get_mut(self.current)
            && d.history.redo(&mut d.gold)
        {
            self.last_edit = Some(Instant::now());
        }
    }

    /// Marks the gold file done.
    pub fn mark_done(&mut self) {
        self.apply(Action::SetStatus(DocStatus::Done));
    }

    /// Writes every gold file with unsaved edits.
    pub fn save_all(&mut self, store: &Store) {
        let mut errors = Vec::new();
        for d in self.docs.iter_mut().flatten() {
            if !d.dirty() {
                continue;
            }
            match store.save(&d.gold, &d.base) {
                Ok(saved) => {
                    d.saved_revision = d.history.revision;
                    d.base = saved.version;
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        self.save_error = (!errors.is_empty()).then(|| {
            format!(
                "Could not save the gold set (kept in memory): {}",
                errors.join("; ")
            )
        });
    }

    /// Saves after a pause; true while something is still unsaved.
    pub fn autosave(&mut self, store: &Store) -> bool {
        let pending = self.docs.iter().flatten().any(ReviewDoc::dirty);
        if pending
            && self
                .last_edit
                .is_none_or(|t| t.elapsed() >= super::state::AUTOSAVE_AFTER)
        {
            self.save_all(store);
        }
        self.docs.iter().flatten().any(ReviewDoc::dirty) && self.save_error.is_none()
    }
}
