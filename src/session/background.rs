//! Suggestions for the whole corpus, on all cores, starting at the open document: what the
//! document list shows for each document, and fresh suggestions for those without a file.
//! The app runs [`suggest_corpus`] on a background job and hands the results to
//! [`super::Session::receive`].

use std::sync::Arc;

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

/// Suggests every document of `corpus` that `annotator` has no file for, from document
/// `first` on (wrapping around), and reads the others for their summary; each result goes to
/// `send` as it is ready. Stops early when `cancelled` says so.
pub fn suggest_corpus(
    corpus: &Corpus,
    store: &Store,
    annotator: &str,
    memory: Arc<Memory>,
    first: usize,
    send: &(dyn Fn(Done) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) {
    let n = corpus.len();
    let todo: Vec<usize> = (0..n).map(|k| (first + k) % n.max(1)).collect();
    // Entities need the segmenter: build it first (once per process).
    entities::recognizer();
    let opts = Options {
        memory: Some(memory),
        ..Options::default()
    };
    for batch in todo.chunks(BATCH) {
        if cancelled() {
            return;
        }
        // A batch at a time in the background pool, which leaves the window a core.
        crate::pool::background(|| {
            batch.par_iter().for_each(|&i| {
                if cancelled() {
                    return;
                }
                // Read, suggested and dropped: only a batch of texts is in memory at a time.
                let doc = match corpus.read(i) {
                    Ok(d) => d,
                    Err(_) => {
                        send(Done {
                            doc: i,
                            summary: Summary {
                                error: true,
                                ..Summary::default()
                            },
                            suggestions: None,
                        });
                        return;
                    }
                };
                let doc = &*doc;
                let done = match store.load(annotator, doc) {
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
                send(done);
            })
        });
    }
}
