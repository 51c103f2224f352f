//! The annotator's entity model while they work: retrained on a background thread from their
//! saved files after a document is marked done and every [`RETRAIN_EVERY`] entity decisions;
//! the new model suggests for the documents not yet reviewed. The session never waits: it
//! asks, and takes the model when a later frame finds it ready.

use std::sync::Arc;

use super::Level;
use super::annotate::Session;
use crate::model::{DocStatus, Status};
use crate::suggest::ner::{self, Model, learn};

/// Entity decisions (accept, reject, add, relabel) between two retrainings.
pub const RETRAIN_EVERY: usize = 20;

/// The session's entity model and its retraining.
#[derive(Debug, Default)]
pub struct Learner {
    /// The annotator's model (None: the shipped one).
    pub model: Option<Arc<Model>>,
    /// What the analyst is told about it ("entity model retrained on 3 documents").
    pub status: Option<String>,
    /// The background thread (None without a usable shipped model).
    retrainer: Option<learn::Retrainer>,
    /// Entity decisions since the last retraining was asked for.
    decisions: usize,
    /// A retraining should be asked for at the next poll.
    due: bool,
    /// A retraining was asked for and has not come back.
    waiting: bool,
}

impl Learner {
    /// The annotator's saved model when it is up to date; else the shipped one, with a
    /// retraining due (their files may teach it something). Never trains here.
    pub fn start(root: &std::path::Path, annotator: &str) -> Self {
        let Some(base) = ner::base() else {
            return Self::default();
        };
        let model = learn::load_fresh(root, annotator).map(Arc::new);
        Self {
            due: model.is_none(),
            model,
            retrainer: learn::Retrainer::spawn(Arc::new(base.clone())).ok(),
            ..Self::default()
        }
    }

    /// Whether a retraining is under way (the app keeps polling while it is).
    pub fn busy(&self) -> bool {
        self.due || self.waiting
    }
}

impl Session {
    /// Counts an entity decision; every [`RETRAIN_EVERY`] of them a retraining is due.
    pub(super) fn note_decision(&mut self) {
        self.learner.decisions += 1;
        if self.learner.decisions >= RETRAIN_EVERY {
            self.retrain_soon();
        }
    }

    /// Asks for a retraining at the next poll (a document was marked done).
    pub(super) fn retrain_soon(&mut self) {
        self.learner.decisions = 0;
        self.learner.due = true;
    }

    /// Called every frame: asks for a due retraining (after saving, so that the thread reads
    /// the files as they are) and takes a finished model. Returns whether the suggestions of
    /// documents changed.
    pub fn poll_model(&mut self) -> bool {
        if self.learner.retrainer.is_none() {
            return false;
        }
        if self.learner.due && self.review.is_none() {
            self.learner.due = false;
            self.save_all();
            if let Some(r) = &self.learner.retrainer {
                r.request_files(&self.store.root, &self.annotator, self.corpus.clone());
                self.learner.waiting = true;
            }
        }
        let Some(done) = self.learner.retrainer.as_ref().and_then(|r| r.poll()) else {
            return false;
        };
        self.learner.waiting = false;
        match done {
            Ok(t) if t.documents > 0 => {
                self.learner.model = Some(t.model);
                let text = learn::describe(t.documents, t.check);
                self.learner.status = Some(text.clone());
                self.notice(Level::Info, text);
                self.resuggest_unreviewed();
                true
            }
            Ok(_) => false,
            Err(e) => {
                self.notice(
                    Level::Warning,
                    format!("the entity model was not saved: {e}"),
                );
                false
            }
        }
    }

    /// Documents without a decision are suggested again with the new model: those opened
    /// (reloaded), and those suggested in the background (their suggestions dropped, made
    /// again when opened).
    fn resuggest_unreviewed(&mut self) {
        for p in &mut self.precomputed {
            *p = None;
        }
        for i in 0..self.docs.len() {
            let untouched = self.docs[i].as_ref().is_some_and(|d| {
                !d.dirty()
                    && d.file.status == DocStatus::NotStarted
                    && d.file.spans.iter().all(|s| s.status == Status::Suggested)
            });
            if untouched {
                self.docs[i] = None;
                if i == self.current {
                    self.ensure_loaded(i);
                    self.add_learned(i, false);
                    self.selected = None;
                    self.select_next(true);
                }
            }
        }
    }
}
