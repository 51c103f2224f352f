//! Suggestions arriving in the session after a document was opened: the background job's
//! results, entities once the segmenter is ready, strings the annotator taught it — and the
//! teaching itself, which joins the undo step of the decision that taught it.

use std::sync::Arc;

use super::annotate::Session;
use super::background::{Done, Summary};
use super::lessons::Lesson;
use crate::model::{Action, Origin, Span};
use crate::suggest::{LEARNED, Options, entities, suggest};

/// Documents whose background suggestions are kept until they are opened.
pub const PRECOMPUTED_KEPT: usize = 1000;

impl Session {
    /// What the document list shows for document `i`: from its file when it is open in the
    /// session, else from the background job (an empty summary until it gets there).
    pub fn summary(&self, i: usize) -> Summary {
        match &self.docs[i] {
            Some(d) => Summary::of_file(&d.file),
            None => self.summaries[i].clone().unwrap_or_default(),
        }
    }

    /// Whether anything is known about document `i` yet.
    pub fn known(&self, i: usize) -> bool {
        self.docs[i].is_some() || self.summaries[i].is_some()
    }

    /// Takes what the background suggestion job finished: summaries for the list, and the
    /// suggestions of the documents nearest the open one.
    pub fn receive(&mut self, done: Vec<Done>) {
        if !done.is_empty() {
            self.generation += 1;
        }
        for d in done {
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
    }

    /// Suggestion options: the annotator's memory; entities once the segmenter is loaded
    /// (it loads on a background thread, see [`entities::warm_up`]).
    pub(super) fn suggest_options(&self) -> Options {
        Options {
            no_entities: entities::ready().is_none(),
            memory: Some(Arc::new(self.memory.clone())),
            model: self.learner.model.clone(),
            ..Options::default()
        }
    }

    /// Once the segmenter is ready, adds entity suggestions to documents suggested without
    /// them. Returns whether something changed; cheap when nothing waits.
    pub fn add_entities(&mut self) -> bool {
        if self.awaiting_entities.is_empty() || entities::ready().is_none() {
            return false;
        }
        let opts = self.suggest_options();
        for i in std::mem::take(&mut self.awaiting_entities) {
            let Ok(doc) = self.corpus.doc(i) else {
                continue;
            };
            let doc = &*doc;
            let Some(d) = self.docs[i].as_mut() else {
                continue;
            };
            let new: Vec<Span> = suggest(doc, &opts)
                .iter()
                .filter(|s| s.value.is_none())
                .map(|s| s.to_span(doc))
                .filter(|s| !d.file.spans.iter().any(|x| x.overlaps(&s.range())))
                .collect();
            d.suggest_more(new);
        }
        self.clamp_selection();
        if self.selected.is_none() {
            self.select_next(true);
        }
        true
    }

    /// Adds learned suggestions to document `i`: every occurrence of a string the annotator
    /// accepted elsewhere that no span covers yet and that was not rejected. With `amend`
    /// they join the last undo step (the decision that taught them).
    pub(super) fn add_learned(&mut self, i: usize, amend: bool) {
        if self.memory.accepted.is_empty() {
            return;
        }
        let Ok(doc) = self.corpus.doc(i) else {
            return;
        };
        let doc = &*doc;
        let Some(structure) = self.structure(i) else {
            return;
        };
        let Some(d) = self.docs[i].as_mut() else {
            return;
        };
        let mut new: Vec<Span> = Vec::new();
        for (bytes, label) in self.memory.find(&doc.text) {
            let r = doc.chars.char_of_byte(bytes.start)..doc.chars.char_of_byte(bytes.end);
            let covered = d.file.spans.iter().chain(&new).any(|x| x.overlaps(&r));
            if covered
                || structure.overlaps_boilerplate(&r)
                || self.memory.is_rejected(&doc.text[bytes], label)
            {
                continue;
            }
            if let Ok(mut span) = Span::suggestion(&doc.text, r.start, r.end, label, LEARNED, None)
            {
                span.origin = Origin::Learned;
                new.push(span);
            }
        }
        if amend {
            let inserts = new.into_iter().map(Action::Insert).collect();
            d.amend(Action::Batch(inserts));
        } else {
            d.suggest_more(new);
        }
    }

    /// Learns from a decision (its string with its label): accepted or added entities are
    /// suggested wherever else they occur, rejected strings are not suggested with that label
    /// again. The lesson and the suggestions it adds to the open document join the decision's
    /// undo step.
    pub(super) fn learn(&mut self, text: &str, label: &str, accepted: bool) {
        if !self.schema.is_figure(label) {
            self.note_decision();
        }
        if self.memory_error.is_some() || (accepted && self.schema.is_figure(label)) {
            return;
        }
        let Some(lesson) = Lesson::teach(&mut self.memory, text, label, accepted) else {
            return;
        };
        self.memory_dirty = true;
        if let Some(Some(d)) = self.docs.get_mut(self.current) {
            d.note_lesson(lesson);
        }
        if accepted {
            self.add_learned(self.current, true);
        }
    }
}
