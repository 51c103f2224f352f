//! Exports of labelled data in the formats training tools read (doccano JSONL, CoNLL BIO,
//! brat standoff, CSV for spreadsheets), and the JSONL import back into RON files.

pub mod brat;
pub mod conll;
pub mod csv;
pub mod jsonl;

use crate::corpus::{Corpus, Document};
use crate::error::ExportError;
use crate::model::span::{DocStatus, Span, Status};
use crate::store::Store;

/// What to export.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whose annotations (`gold` for the adjudicated set).
    pub annotator: String,
    /// Which statuses (default: accepted and added).
    pub statuses: Vec<Status>,
    /// Only these labels (all when empty).
    pub labels: Vec<String>,
    /// Only documents marked done.
    pub done_only: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            annotator: String::new(),
            statuses: vec![Status::Accepted, Status::Added],
            labels: Vec::new(),
            done_only: false,
        }
    }
}

/// One document with the spans selected for export.
#[derive(Debug, Clone)]
pub struct Item {
    /// The article.
    pub doc: std::sync::Arc<Document>,
    /// Selected spans, in document order.
    pub spans: Vec<Span>,
    /// The annotator's status for it.
    pub status: DocStatus,
    /// Whose annotations.
    pub annotator: String,
}

/// The documents and spans an export covers, and problems met on the way (files that do not
/// parse, spans that lost their anchor) — reported, never exported wrongly.
pub fn collect(corpus: &Corpus, store: &Store, opts: &Options) -> (Vec<Item>, Vec<String>) {
    collect_with_progress(corpus, store, opts, &|_| {})
}

/// [`collect`], calling `progress(documents done)` as it goes.
pub fn collect_with_progress(
    corpus: &Corpus,
    store: &Store,
    opts: &Options,
    progress: &dyn Fn(usize),
) -> (Vec<Item>, Vec<String>) {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (n, doc) in corpus.iter() {
        progress(n);
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let loaded = match store.load(&opts.annotator, &doc) {
            Ok(Some(l)) => l,
            // Not opened yet: when unreviewed suggestions are asked for, they are what it has.
            Ok(None) if opts.statuses.contains(&Status::Suggested) && !opts.done_only => {
                let mut file =
                    crate::model::AnnotationFile::new(&doc.id, &doc.fingerprint, &opts.annotator);
                file.spans = crate::suggest::suggest(&doc, &Default::default())
                    .iter()
                    .map(|s| s.to_span(&doc))
                    .collect();
                crate::store::Loaded {
                    file,
                    reanchor: None,
                    version: Default::default(),
                    problems: Vec::new(),
                    path: store.path(&opts.annotator, &doc.id),
                }
            }
            Ok(None) => continue,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        // Bad spans, labels outside the schema, moved spans (unanchored ones are told below).
        problems.extend(loaded.problems.iter().map(ToString::to_string));
        if let Some(r) = &loaded.reanchor {
            problems.extend(r.moved.iter().map(|m| {
                format!(
                    "{}: the article changed since it was annotated: {m}",
                    loaded.path.display()
                )
            }));
        }
        let file = loaded.file;
        if opts.done_only && file.status != DocStatus::Done {
            continue;
        }
        let mut spans = Vec::new();
        for s in file.spans {
            if !opts.statuses.contains(&s.status)
                || (!opts.labels.is_empty() && !opts.labels.contains(&s.label))
            {
                continue;
            }
            if s.unanchored || s.end > doc.char_len() || doc.slice(s.start..s.end) != s.text {
                problems.push(format!(
                    "{}: {} {:?} at {}..{} lost its place when the article changed (unanchored); left out",
                    loaded.path.display(),
                    s.label,
                    s.text,
                    s.start,
                    s.end
                ));
                continue;
            }
            spans.push(s);
        }
        items.push(Item {
            doc,
            spans,
            status: file.status,
            annotator: opts.annotator.clone(),
        });
    }
    (items, problems)
}

/// The sentence around char range `r`: split at 。！？； and line breaks.
pub fn sentence_of(doc: &Document, r: std::ops::Range<usize>) -> String {
    let is_end = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n');
    let text = &doc.text;
    let (sb, eb) = (doc.chars.byte(r.start), doc.chars.byte(r.end));
    let start = text[..sb].rfind(is_end).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = match text[eb..].find(is_end) {
        Some(i) if text[eb + i..].starts_with('\n') => eb + i,
        Some(i) => eb + i + text[eb + i..].chars().next().map_or(1, char::len_utf8),
        None => text.len(),
    };
    text[start..end].trim().to_owned()
}

/// The span's normalised value as export fields: (value, value_max, unit, approx).
pub fn value_fields(s: &Span) -> (Option<String>, Option<String>, Option<String>, Option<bool>) {
    match &s.value {
        Some(v) => (
            Some(v.value.to_string()),
            v.value_max.as_ref().map(ToString::to_string),
            v.unit.clone(),
            Some(v.approx),
        ),
        None => (None, None, None, None),
    }
}

/// Who last changed a span and when (the annotator, if no change was recorded).
pub fn last_change(s: &Span) -> (Option<&str>, Option<&str>) {
    s.changes.last().map_or((None, None), |c| {
        (Some(c.who.as_str()), Some(c.when.as_str()))
    })
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// doccano JSONL, one document per line.
    Jsonl,
    /// Character-level BIO.
    Conll,
    /// brat standoff (.txt + .ann per document; the output is a folder).
    Brat,
    /// One row per figure, for spreadsheets.
    Csv,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 4] = [Format::Jsonl, Format::Conll, Format::Brat, Format::Csv];

    /// Name and usual file extension.
    pub fn name(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
            Self::Conll => "conll",
            Self::Brat => "brat",
            Self::Csv => "csv",
        }
    }

    /// The format called `name` ([`Format::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents written.
    pub documents: usize,
    /// Spans written.
    pub spans: usize,
    /// Problems reported (left out, never written wrongly).
    pub problems: Vec<String>,
}

/// Collects and writes an export to `out` (a file, `-` for standard output, or a folder for
/// brat); `progress(documents done)` is called as documents are read.
pub fn run(
    corpus: &Corpus,
    store: &Store,
    schema: &crate::schema::Schema,
    opts: &Options,
    format: Format,
    out: &std::path::Path,
    progress: &dyn Fn(usize),
) -> Result<Summary, ExportError> {
    if let Some(why) = corpus.overwritten_by(out) {
        return Err(ExportError::Replaces {
            path: out.to_path_buf(),
            why,
        });
    }
    let (items, mut problems) = collect_with_progress(corpus, store, opts, progress);
    if items.is_empty() {
        return Err(ExportError::Nothing {
            annotator: opts.annotator.clone(),
            root: store.root.clone(),
            problems,
        });
    }
    let spans: usize = items.iter().map(|i| i.spans.len()).sum();
    let io = |source| ExportError::Write {
        path: out.to_path_buf(),
        source,
    };
    // Spans actually written: CSV holds figures only, CoNLL leaves overlaps out.
    let spans = match format {
        Format::Brat => {
            brat::write(&items, out)?;
            spans
        }
        Format::Jsonl | Format::Conll | Format::Csv => {
            let mut w = crate::store::Output::create(out)?;
            let written = match format {
                Format::Conll => {
                    let skipped = conll::write(&items, &mut w).map_err(io)?;
                    if skipped > 0 {
                        problems.push(format!(
                            "{skipped} overlapping spans cannot be written as BIO and were left out"
                        ));
                    }
                    spans - skipped
                }
                Format::Csv => {
                    csv::write(&items, schema, &mut w).map_err(|source| ExportError::Csv {
                        path: out.to_path_buf(),
                        source,
                    })?
                }
                _ => {
                    jsonl::write(&items, &mut w).map_err(io)?;
                    spans
                }
            };
            w.finish(out)?;
            written
        }
    };
    progress(corpus.len());
    Ok(Summary {
        documents: items.len(),
        spans,
        problems,
    })
}
