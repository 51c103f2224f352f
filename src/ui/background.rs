//! Suggestions for the whole corpus on a background thread (all cores), starting at the open
//! document: the window never waits for the suggester. Results arrive through a channel and
//! the session picks them up once per frame.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use rayon::prelude::*;

use crate::corpus::Corpus;
use crate::model::AnnotationFile;
use crate::model::span::{DocStatus, Status};
use crate::store::Store;
use crate::suggest::memory::Memory;
use crate::suggest::{Options, Suggestion, entities, suggest};

/// Documents handed to the thread pool at a time: small enough that the documents near the
/// open one are done first.
const BATCH: usize = 128;

/// What the document list shows for a document: its status, progress and label counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Review state.
    pub status: DocStatus,
    /// Spans reviewed (accepted, added, rejected).
    pub reviewed: usize,
    /// All spans (suggestions included).
    pub total: usize,
    /// Spans per label, rejected ones left out.
    pub labels: std::collections::BTreeMap<String, usize>,
    /// The file could not be read.
    pub error: bool,
}

impl Summary {
    /// The summary of an annotation file.
    pub fn of_file(f: &AnnotationFile) -> Self {
        let (reviewed, total) = f.progress();
        let mut labels = std::collections::BTreeMap::new();
        for s in f.spans.iter().filter(|s| s.status != Status::Rejected) {
            *labels.entry(s.label.clone()).or_insert(0) += 1;
        }
        Self {
            status: f.status,
            reviewed,
            total,
            labels,
            error: false,
        }
    }

    /// The summary of fresh suggestions.
    pub fn of_suggestions(s: &[Suggestion]) -> Self {
        let mut labels = std::collections::BTreeMap::new();
        for x in s {
            *labels.entry(x.label.clone()).or_insert(0) += 1;
        }
        Self {
            status: DocStatus::NotStarted,
            reviewed: 0,
            total: s.len(),
            labels,
            error: false,
        }
    }
}

/// One document's result.
pub struct Done {
    /// Corpus index.
    pub doc: usize,
    /// For the document list.
    pub summary: Summary,
    /// Fresh suggestions (for documents without a file).
    pub suggestions: Option<Vec<Suggestion>>,
}

/// A running (or finished) background suggestion job.
pub struct Background {
    rx: Receiver<Done>,
    /// Documents to suggest.
    pub total: usize,
    /// Documents suggested so far (received).
    pub done: usize,
    cancel: Arc<AtomicBool>,
}

impl Background {
    /// Starts suggesting every document of `corpus` that `annotator` has no file for, from
    /// document `first` on (wrapping around); documents with a file are read for their
    /// summary.
    pub fn start(
        corpus: Arc<Corpus>,
        store: Store,
        annotator: String,
        memory: Arc<Memory>,
        first: usize,
    ) -> Self {
        let n = corpus.docs.len();
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let todo: Vec<usize> = (0..n).map(|k| (first + k) % n.max(1)).collect();
        let total = todo.len();
        let stop = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name("biaozhu-suggest".into())
            .spawn(move || {
                // Entities need the segmenter: build it first (once per process).
                entities::recognizer();
                let opts = Options {
                    memory: Some(memory),
                    ..Options::default()
                };
                for batch in todo.chunks(BATCH) {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    batch.par_iter().for_each_with(tx.clone(), |tx, &i| {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let doc = &corpus.docs[i];
                        let done = match store.load(&annotator, doc) {
                            Ok(Some(l)) => Done {
                                doc: i,
                                summary: Summary::of_file(&l.file),
                                suggestions: None,
                            },
                            Ok(None) => {
                                let s = suggest(doc, &opts);
                                Done {
                                    doc: i,
                                    summary: Summary::of_suggestions(&s),
                                    suggestions: Some(s),
                                }
                            }
                            Err(_) => Done {
                                doc: i,
                                summary: Summary {
                                    error: true,
                                    ..Summary::default()
                                },
                                suggestions: None,
                            },
                        };
                        let _ = tx.send(done);
                    });
                }
            });
        if spawned.is_err() {
            // No thread: documents are suggested when opened, as before.
            return Self {
                rx: channel().1,
                total: 0,
                done: 0,
                cancel,
            };
        }
        Self {
            rx,
            total,
            done: 0,
            cancel,
        }
    }

    /// Results that arrived since the last call.
    pub fn poll(&mut self) -> Vec<Done> {
        let got: Vec<_> = self.rx.try_iter().collect();
        self.done += got.len();
        got
    }

    /// Everything suggested.
    pub fn finished(&self) -> bool {
        self.done >= self.total
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}
