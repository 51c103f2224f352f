//! Review mode: the chosen annotators' files merged per document, the gold file being
//! adjudicated (an [`EditedFile`], edited through the same [`Edit`]s and commit path as an
//! annotator's file), and the selected disagreement.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::edit::{Context, Edit};
use super::edited::EditedFile;
use super::{Level, Notice};
use crate::corpus::{Corpus, Document};
use crate::model::AnnotationFile;
use crate::model::span::{DocStatus, Normalized, Quantity};
use crate::review::{self, DocumentAgreement, GOLD, Item};
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
    /// Agreement on this document (overall, per label, values), from the items: computed
    /// when they are merged (on opening, and when an annotator's file changes on disk).
    pub agreement: DocumentAgreement,
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
    pub docs: Vec<Option<Box<ReviewDoc>>>,
    /// Document under review.
    pub current: usize,
    /// The selected item (index into the current document's items).
    pub item: Option<usize>,
    /// The gold span the reviewer picked among the selected item's (for widening, narrowing
    /// and its value); `None`: the first gold span there.
    pub span: Option<usize>,
    /// The selection moved: the view scrolls it into view (and clears this).
    pub scroll_to_item: bool,
    /// Relative tolerance for figures' values in the agreement figures (0: equal only).
    pub tolerance: f64,
    /// Counts the merges of annotators' files (a file changed on disk merges again): what
    /// the merged article's layout depends on besides the gold file.
    pub revision: u64,
    corpus: Arc<Corpus>,
    store: Store,
    schema: Schema,
    /// Messages for the analyst, taken with the session's.
    pub(super) notices: Vec<Notice>,
    /// The reviewer's edit journal: gold edits are appended to it like any other.
    pub(super) journal: Option<Arc<std::sync::Mutex<super::journal::Journal>>>,
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
            span: None,
            scroll_to_item: false,
            tolerance: 0.0,
            revision: 0,
            corpus,
            store,
            schema,
            notices: Vec::new(),
            journal: None,
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
            self.docs[i] = Some(Box::new(self.load(&doc)));
        }
        self.current = i;
        self.item = None;
        self.span = None;
        self.next(true);
    }

    fn load(&mut self, doc: &Document) -> ReviewDoc {
        let (items, missing) = self.merge(doc);
        let mut gold = match self.store.load(GOLD, doc) {
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
        gold.journal = self.journal.clone();
        ReviewDoc {
            agreement: self.document_agreement(doc, &items),
            items,
            gold,
            missing,
        }
    }

    fn document_agreement(&self, doc: &Document, items: &[Item]) -> DocumentAgreement {
        review::document_agreement(&doc.id, doc.char_len(), items, &self.schema, self.tolerance)
    }

    /// The annotators' files of `doc` (read from disk now) merged into items, and who has no
    /// file for it.
    fn merge(&mut self, doc: &Document) -> (Vec<Item>, Vec<String>) {
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
        (review::merge(&refs), missing)
    }

    /// Handles a file under `annotations/` that changed on disk (a `git pull`): when it is a
    /// reviewed annotator's file of a document open for review, that document's items are
    /// merged again (the gold file and its history stay). True when something was merged.
    pub fn file_changed(&mut self, path: &Path) -> bool {
        let Some(folder) = path.parent() else {
            return false;
        };
        // The watcher may report absolute paths for a relative annotations folder.
        let same = |a: &Path, b: &Path| {
            a == b
                || a.canonicalize()
                    .is_ok_and(|x| b.canonicalize().is_ok_and(|y| x == y))
        };
        let Some(who) = self
            .annotators
            .iter()
            .find(|a| same(folder, &self.store.root.join(a)))
            .cloned()
        else {
            return false;
        };
        let Some(i) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|id| self.corpus.position(id))
        else {
            return false;
        };
        if self.docs.get(i).is_none_or(Option::is_none) {
            return false; // merged when it is opened
        }
        let Ok(doc) = self.corpus.doc(i) else {
            return false;
        };
        let (items, missing) = self.merge(&doc);
        let agreement = self.document_agreement(&doc, &items);
        let Some(Some(d)) = self.docs.get_mut(i) else {
            return false;
        };
        if d.items == items && d.missing == missing {
            return false;
        }
        let selected = (i == self.current)
            .then(|| {
                self.item
                    .and_then(|k| d.items.get(k))
                    .map(|it| it.range.clone())
            })
            .flatten();
        d.items = items;
        d.missing = missing;
        d.agreement = agreement;
        if i == self.current {
            self.item = selected.and_then(|r| d.items.iter().position(|it| it.range == r));
            self.span = None;
        }
        // What is agreed now goes into gold without a click, as on opening (undoable).
        let add = review::agreed_missing(&d.gold.file, &d.items, &self.reviewer);
        d.gold.commit(add, self.item.filter(|_| i == self.current));
        self.revision += 1;
        let id = &doc.id;
        self.notices.push(Notice::new(
            Level::Info,
            format!("{id}: {who}'s file changed on disk; the merged view was updated."),
        ));
        true
    }

    /// The document under review.
    pub fn doc(&self) -> Option<&ReviewDoc> {
        self.docs.get(self.current).and_then(|d| d.as_deref())
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
        self.span = None;
        self.scroll_to_item = pick.is_some();
    }

    /// Selects the item covering char `c`, if any.
    pub fn select_at(&mut self, c: usize) {
        if let Some(d) = self.doc() {
            let item = d.items.iter().position(|i| i.range.contains(&c));
            // A gold span there (perhaps widened past the item) is the one to edit.
            let span = d.gold.spans().iter().position(|g| g.range().contains(&c));
            (self.item, self.span) = (item, span);
        }
    }

    /// The gold span the span commands work on: the one picked, else the first gold span of
    /// the selected item.
    pub fn gold_span(&self) -> Option<usize> {
        let d = self.doc()?;
        if let Some(i) = self.span.filter(|&i| i < d.gold.spans().len()) {
            return Some(i);
        }
        let item = self.current_item()?;
        d.gold.spans().iter().position(|g| g.overlaps(&item.range))
    }

    /// Makes `edit` on the gold file as one undo step (the selected item remembered for undo).
    pub fn apply(&mut self, edit: Edit) -> bool {
        self.commit_edit(edit, false)
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
        self.apply_span(Edit::Relabel(i, label.to_owned()));
    }

    /// Makes `edit` of one gold span; the picked span follows it to where it lands.
    fn apply_span(&mut self, edit: Edit) -> bool {
        self.commit_edit(edit, true)
    }

    /// The one path of gold edits: `edit` planned on the gold file and committed as one undo
    /// step; with `follow`, the picked span follows the edited one.
    fn commit_edit(&mut self, edit: Edit, follow: bool) -> bool {
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
        let changed = d.gold.commit(planned.action, self.item);
        if follow && let Some((_, after)) = planned.span {
            self.span = d.gold.spans().iter().position(|g| *g == after);
        }
        changed
    }

    /// Moves the gold span's boundaries by `ds` (start) and `de` (end) chars (widen, narrow).
    pub fn resize(&mut self, ds: isize, de: isize) {
        let Some(i) = self.gold_span() else { return };
        let Some(g) = self.doc().map(|d| &d.gold.spans()[i]) else {
            return;
        };
        let (start, end) = (g.start as isize + ds, g.end as isize + de);
        if start < 0 || start >= end {
            return;
        }
        self.apply_span(Edit::Resize(i, start as usize..end as usize));
    }

    /// Moves one edge of the gold span to the next word boundary: the start edge
    /// (`start_edge`) or the end edge, left or right (`forward`).
    pub fn resize_by_word(&mut self, start_edge: bool, forward: bool) {
        let Some(g) = self
            .gold_span()
            .and_then(|i| self.doc().map(|d| d.gold.spans()[i].clone()))
        else {
            return;
        };
        let Ok(doc) = self.corpus.doc(self.current) else {
            return;
        };
        if let Some((ds, de)) = crate::snap::word_step(&doc, g.range(), start_edge, forward) {
            self.resize(ds, de);
        }
    }

    /// The value the reviewer typed for the selected item's gold span at `range` with
    /// `label`: `value` (a number or a date; blank clears it), a range's upper bound
    /// `value_max` (blank for none), `unit` (blank for none), `approx`. An unresolved
    /// disagreement is resolved with it (one undo step, recorded in the span's history).
    pub fn set_gold_value(
        &mut self,
        span: (Range<usize>, &str),
        value: &str,
        value_max: &str,
        unit: &str,
        approx: bool,
    ) -> bool {
        let Some(item) = self.current_item().cloned() else {
            return false;
        };
        let unit = unit.trim();
        let value = Quantity::parse_user(value).map(|value| Normalized {
            value,
            value_max: Quantity::parse_user(value_max),
            unit: (!unit.is_empty()).then(|| unit.to_owned()),
            approx,
        });
        let (range, label) = span;
        self.apply_span(Edit::GoldValue(item, range, label.to_owned(), value))
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

    /// Computes the open documents' agreement again (after the tolerance changed).
    pub fn refresh_agreement(&mut self) {
        for i in 0..self.docs.len() {
            if let Some(items) = self.docs[i].as_ref().map(|d| d.items.clone())
                && let Ok(doc) = self.corpus.doc(i)
            {
                let a = self.document_agreement(&doc, &items);
                if let Some(d) = self.docs[i].as_mut() {
                    d.agreement = a;
                }
            }
        }
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
        if let Some(r) = self.review.as_mut() {
            r.journal = Some(self.journal.clone());
            for d in r.docs.iter_mut().flatten() {
                d.gold.journal = r.journal.clone();
            }
        }
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

    /// Agreement between the reviewed annotators over the corpus (files on disk), and the
    /// open documents' again (the tolerance for values may have changed).
    pub fn compute_agreement(&mut self) {
        let Some(r) = self.review.as_mut() else {
            self.agreement = None;
            return;
        };
        self.agreement = Some(review::agreement(
            &self.corpus,
            &self.store,
            &self.schema,
            &r.annotators,
            r.tolerance,
        ));
        r.refresh_agreement();
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
