//! Review mode: the chosen annotators' files merged per document, the gold file being
//! adjudicated (an [`EditedFile`], edited through the same [`Edit`]s and commit path as an
//! annotator's file), and the selected disagreement.

use std::sync::Arc;

use super::edit::{Context, Edit};
use super::edited::EditedFile;
use super::{Level, Notice};
use crate::corpus::Corpus;
use crate::model::AnnotationFile;
use crate::model::span::DocStatus;
use crate::review::{self, GOLD, Item};
use crate::schema::Schema;
use crate::store::Store;

/// One document under review.
pub struct ReviewDoc {
    /// Agreed stretches and disagreements, in text order.
    pub items: Vec<Item>,
    /// The gold file being written.
    pub gold: EditedFile,
    /// Annotators with no file for this document (their version is empty everywhere).
    pub missing: Vec<String>,
    /// Agreement on this document (overall, per label), from the items: they do not change
    /// while the document is under review.
    pub agreement: (
        review::Score,
        std::collections::BTreeMap<String, review::Score>,
    ),
}

impl ReviewDoc {
    /// Indices of the disagreements.
    pub fn disagreements(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.items.len()).filter(|&i| !self.items[i].agreed())
    }

    /// (resolved, all) disagreements.
    pub fn progress(&self) -> (usize, usize) {
        let all: Vec<usize> = self.disagreements().collect();
        let resolved = all
            .iter()
            .filter(|&&i| review::is_resolved(&self.gold.file, &self.items[i]))
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
    /// The selection moved: the view scrolls it into view (and clears this).
    pub scroll_to_item: bool,
    corpus: Arc<Corpus>,
    store: Store,
    schema: Schema,
    /// Messages for the analyst, taken with the session's.
    pub(super) notices: Vec<Notice>,
}

impl ReviewSession {
    /// Starts reviewing `annotators` on document `current`.
    pub fn new(
        corpus: Arc<Corpus>,
        store: Store,
        schema: Schema,
        annotators: Vec<String>,
        reviewer: String,
        current: usize,
    ) -> Self {
        let n = corpus.len();
        let mut s = Self {
            annotators,
            reviewer,
            docs: (0..n).map(|_| None).collect(),
            current,
            item: None,
            scroll_to_item: false,
            corpus,
            store,
            schema,
            notices: Vec::new(),
        };
        s.open(current);
        s
    }

    /// Opens document `i` for review: merges the annotators' files (read from disk now) and
    /// starts the gold file from the agreed spans unless one exists.
    pub fn open(&mut self, i: usize) {
        if i >= self.docs.len() {
            return;
        }
        if self.docs[i].is_none() {
            let doc = match self.corpus.doc(i) {
                Ok(d) => d,
                Err(e) => {
                    self.notices
                        .push(super::Notice::new(super::Level::Error, e.to_string()));
                    return;
                }
            };
            self.docs[i] = Some(self.load(&doc));
        }
        self.current = i;
        self.item = None;
        self.next(true);
    }

    fn load(&mut self, doc: &crate::corpus::Document) -> ReviewDoc {
        let mut problems = Vec::new();
        let mut missing = Vec::new();
        let mut files = Vec::new();
        for a in &self.annotators {
            let empty = || AnnotationFile::new(&doc.id, &doc.fingerprint, a);
            match self.store.load(a, doc) {
                Ok(Some(l)) => files.push((a.clone(), l.file)),
                Ok(None) => {
                    missing.push(a.clone());
                    files.push((a.clone(), empty()));
                }
                Err(e) => {
                    problems.push(e.to_string());
                    files.push((a.clone(), empty()));
                }
            }
        }
        if !problems.is_empty() {
            self.notices.push(Notice::new(
                Level::Warning,
                format!("Left out (cannot be read): {}", problems.join("; ")),
            ));
        }
        let refs: Vec<(String, &AnnotationFile)> =
            files.iter().map(|(a, f)| (a.clone(), f)).collect();
        let items = review::merge(&refs);
        let gold = match self.store.load(GOLD, doc) {
            Ok(Some(l)) => EditedFile::read(l),
            // A new gold file: the agreed spans are in it, and it is written without a click.
            Ok(None) => EditedFile::unsaved(review::gold_start(
                &doc.id,
                &doc.fingerprint,
                &items,
                &self.reviewer,
                &self.annotators,
            )),
            Err(e) => EditedFile::unreadable(
                AnnotationFile::new(&doc.id, &doc.fingerprint, GOLD),
                format!("{e}. The gold file is not written until it is fixed."),
            ),
        };
        ReviewDoc {
            agreement: review::document_agreement(doc.char_len(), &items),
            items,
            gold,
            missing,
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
        let open = |i: usize| !d.items[i].agreed();
        let pick = (1..=n)
            .map(order)
            .find(|&i| open(i) && !review::is_resolved(&d.gold.file, &d.items[i]))
            .or_else(|| (1..=n).map(order).find(|&i| open(i)));
        self.item = pick;
        self.scroll_to_item = pick.is_some();
    }

    /// Selects the item covering char `c`, if any.
    pub fn select_at(&mut self, c: usize) {
        if let Some(d) = self.doc() {
            self.item = d.items.iter().position(|i| i.range.contains(&c));
        }
    }

    /// Makes `edit` on the gold file as one undo step (the selected item remembered for undo).
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
            who: &self.reviewer,
        };
        let Some(planned) = edit.plan(&d.gold.file, &cx) else {
            return false;
        };
        d.gold.commit(planned.action, self.item)
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
        let name = match k {
            Some(k) => match self.annotators.get(k) {
                Some(n) => Some(n.clone()),
                None => return,
            },
            None => None,
        };
        self.apply(Edit::TakeVersion(item, name));
        self.next(true);
    }

    /// Gives gold span `i` another label (the reviewer's edit after taking a version).
    pub fn relabel_gold(&mut self, i: usize, label: &str) {
        self.apply(Edit::Relabel(i, label.to_owned()));
    }

    /// Gives every gold span of the selected item `label` (one undo step).
    pub fn relabel_item(&mut self, label: &str) {
        if let Some(item) = self.current_item().cloned() {
            self.apply(Edit::RelabelAt(item.range, label.to_owned()));
        }
    }

    /// Undo in the gold file (the selected item comes back).
    pub fn undo(&mut self) {
        if let Some(Some(d)) = self.docs.get_mut(self.current) {
            d.gold.undo(&mut self.item);
        }
    }

    /// Redo in the gold file.
    pub fn redo(&mut self) {
        if let Some(Some(d)) = self.docs.get_mut(self.current) {
            d.gold.redo(&mut self.item);
        }
    }

    /// Marks the gold file done.
    pub fn mark_done(&mut self) {
        self.apply(Edit::SetStatus(DocStatus::Done));
    }

    /// Unsaved gold edits?
    pub fn dirty(&self) -> bool {
        self.docs.iter().flatten().any(|d| d.gold.dirty())
    }

    /// Writes every gold file with unsaved edits; returns what failed.
    pub fn save_all(&mut self) -> Vec<String> {
        let mut errors = Vec::new();
        for d in self.docs.iter_mut().flatten() {
            if let Err(e) = d.gold.save(&self.store) {
                errors.push(e.to_string());
            }
        }
        errors
    }
}

impl super::Session {
    /// Starts review mode on the open document: `annotators`' files merged, the reviewer's
    /// own edits saved first.
    pub fn start_review(&mut self, annotators: Vec<String>) {
        self.save_all();
        self.review = Some(ReviewSession::new(
            self.corpus.clone(),
            self.store.clone(),
            self.schema.clone(),
            annotators,
            self.annotator.clone(),
            self.current,
        ));
        self.compute_agreement();
    }

    /// Leaves review mode, writing the gold files; stays in it when they cannot be written.
    pub fn stop_review(&mut self) -> bool {
        if let Some(r) = self.review.as_mut() {
            let errors = r.save_all();
            if !errors.is_empty() {
                self.report_save(errors);
                return false;
            }
        }
        self.review = None;
        true
    }

    /// Agreement between the reviewed annotators over the corpus (files on disk).
    pub fn compute_agreement(&mut self) {
        self.agreement = self
            .review
            .as_ref()
            .map(|r| crate::review::agreement(&self.corpus, &self.store, &r.annotators));
    }
}
