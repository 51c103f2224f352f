//! Marking a document done: asked first when suggestions are unreviewed (accept them all,
//! leave them pending, or cancel), then the next unfinished document opens; undo there, before
//! any edit, goes back and takes the mark back.

use super::Level;
use super::annotate::Session;
use super::edit::Edit;
use crate::model::span::{DocStatus, Status};

/// A document marked done and the one opened after it, with their revisions then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct DoneStep {
    from: usize,
    from_revision: u64,
    to: usize,
    to_revision: u64,
}

impl Session {
    /// Unreviewed suggestions in the open document.
    pub fn pending_suggestions(&self) -> usize {
        self.doc().map_or(0, |d| {
            d.spans()
                .iter()
                .filter(|s| s.status == Status::Suggested)
                .count()
        })
    }

    /// Marks the open document done and opens the next unfinished one; with suggestions
    /// still unreviewed it asks first ([`Session::confirm_done`]) and does nothing yet.
    pub fn mark_done_and_next(&mut self) {
        match self.pending_suggestions() {
            0 => self.finish(Some(false)),
            n => self.confirm_done = Some(n),
        }
    }

    /// Answers the question of [`Session::mark_done_and_next`]: accept the pending
    /// suggestions (`Some(true)`), leave them (`Some(false)`), or cancel (`None`). Done is
    /// one undo step, which undo takes back from the next document too.
    pub fn finish(&mut self, accept_pending: Option<bool>) {
        self.confirm_done = None;
        let Some(accept) = accept_pending else {
            return;
        };
        let from = self.current;
        self.apply(Edit::Finish(accept));
        self.save_all();
        // A finished document is what the entity model learns from best.
        self.retrain_soon();
        let from_revision = self.revision_of(from);
        self.open_next_unfinished();
        if self.current != from
            && let (Some(from_revision), Some(to_revision)) =
                (from_revision, self.revision_of(self.current))
        {
            self.done_trail.push(DoneStep {
                from,
                from_revision,
                to: self.current,
                to_revision,
            });
        }
    }

    fn revision_of(&self, i: usize) -> Option<u64> {
        self.docs.get(i)?.as_ref().map(|d| d.history.revision)
    }

    /// Whether undo has something to take back: in the open document, or the mark done
    /// that led here.
    pub fn can_undo(&self) -> bool {
        self.doc().is_some_and(|d| d.history.can_undo()) || self.done_to_undo().is_some()
    }

    /// The mark done that led to the open document, when nothing was edited since.
    pub(super) fn done_to_undo(&self) -> Option<DoneStep> {
        let t = *self.done_trail.last()?;
        (t.to == self.current
            && self.revision_of(t.to) == Some(t.to_revision)
            && self.revision_of(t.from) == Some(t.from_revision))
        .then_some(t)
    }

    /// Goes back to the document marked done and takes the mark back.
    pub(super) fn undo_done(&mut self, t: DoneStep) {
        self.done_trail.pop();
        let mut selection = None;
        let Some(Some(d)) = self.docs.get_mut(t.from) else {
            return;
        };
        let _ = d.undo(&mut selection);
        self.open_doc(t.from);
        self.selected = selection;
        self.clamp_selection();
        self.scroll_to_selection = self.selected.is_some();
        self.generation += 1;
        let id = self.corpus.id(t.from).to_owned();
        self.notice(Level::Info, format!("{id}: no longer done (undo)."));
    }

    /// Opens the next document that is not done (wrapping around).
    fn open_next_unfinished(&mut self) {
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
}
