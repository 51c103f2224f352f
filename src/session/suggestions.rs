//! Suggestions arriving in the session after a document was opened: the background job's
//! results, entities once the segmenter is ready, strings the annotator taught it — and the
//! teaching itself, which joins the undo step of the decision that taught it.

use std::sync::Arc;

use super::Level;
use super::annotate::Session;
use super::background::{Done, Summary};
use super::lessons::Lesson;
use crate::model::{Action, Origin, Span, Status};
use crate::suggest::{LEARNED, Options, Suggestion, entities, suggest};

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

    /// Once the segmenter is ready, suggests entities for the documents suggested without
    /// them, on a thread, and adds them as they come (what the analyst marked meanwhile wins:
    /// a suggestion overlapping a span is dropped). Returns whether something changed; cheap
    /// when nothing waits.
    pub fn add_entities(&mut self) -> bool {
        if self.entities_coming.is_none() {
            if self.awaiting_entities.is_empty() || entities::ready().is_none() {
                return false;
            }
            let opts = self.suggest_options();
            let corpus = self.corpus.clone();
            let todo = std::mem::take(&mut self.awaiting_entities);
            let (tx, rx) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("biaozhu-entities-open".into())
                .spawn(move || {
                    for i in todo {
                        let Ok(doc) = corpus.doc(i) else { continue };
                        let found: Vec<Suggestion> = suggest(&doc, &opts)
                            .into_iter()
                            .filter(|s| s.value.is_none())
                            .collect();
                        if tx.send((i, found)).is_err() {
                            return;
                        }
                    }
                });
            if let Err(e) = spawned {
                self.notice(
                    Level::Warning,
                    format!("entity suggestions could not be started: {e}"),
                );
                return false;
            }
            self.entities_coming = Some(rx);
        }
        let Some(rx) = &self.entities_coming else {
            return false;
        };
        let mut arrived = Vec::new();
        let finished = loop {
            match rx.try_recv() {
                Ok(x) => arrived.push(x),
                Err(std::sync::mpsc::TryRecvError::Empty) => break false,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => break true,
            }
        };
        if finished {
            self.entities_coming = None;
        }
        if arrived.is_empty() {
            return false;
        }
        for (i, found) in arrived {
            let Ok(doc) = self.corpus.doc(i) else {
                continue;
            };
            let Some(d) = self.docs[i].as_mut() else {
                continue;
            };
            let new: Vec<Span> = found
                .iter()
                .map(|s| s.to_span(&doc))
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

    /// Entity suggestions are on their way to documents already open.
    pub fn entities_coming(&self) -> bool {
        self.entities_coming.is_some()
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
        let mut instead: Vec<(usize, Span)> = Vec::new();
        for (bytes, label) in self.memory.find(&doc.text) {
            let r = doc.chars.char_of_byte(bytes.start)..doc.chars.char_of_byte(bytes.end);
            let over: Vec<usize> = (0..d.file.spans.len())
                .filter(|&k| d.file.spans[k].overlaps(&r))
                .collect();
            // A pending suggestion of the very same string with another label gives way (桃李坊
            // suggested as a name, then added as an organisation elsewhere).
            let stale = match over[..] {
                [k] => {
                    let x = &d.file.spans[k];
                    (x.status == Status::Suggested
                        && x.start == r.start
                        && x.end == r.end
                        && x.label != label)
                        .then_some(k)
                }
                _ => None,
            };
            let covered = !over.is_empty() && stale.is_none();
            if covered
                || new.iter().any(|x| x.overlaps(&r))
                || structure.overlaps_boilerplate(&r)
                || self.memory.is_rejected(&doc.text[bytes], label)
            {
                continue;
            }
            if let Ok(mut span) = Span::suggestion(&doc.text, r.start, r.end, label, LEARNED, None)
            {
                span.origin = Origin::Learned;
                match stale {
                    Some(k) => instead.push((k, span)),
                    None => new.push(span),
                }
            }
        }
        if amend {
            let replace = instead.into_iter().map(|(k, s)| Action::Replace(k, s));
            let inserts = replace.chain(new.into_iter().map(Action::Insert)).collect();
            d.amend(Action::Batch(inserts));
        } else {
            d.suggest_instead(instead, new);
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
