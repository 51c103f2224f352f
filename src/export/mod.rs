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
    let problems = std::cell::RefCell::new(Vec::new());
    let items = items(corpus, store, opts, progress, &problems).collect();
    (items, problems.into_inner())
}

/// The documents an export covers, one at a time: each article is read when its turn comes
/// and dropped by the writer, so an export of 100,000 articles holds one in memory. Only the
/// annotator's files are visited unless unreviewed suggestions are asked for (then every
/// document). Problems met on the way go to `problems`.
pub fn items<'a>(
    corpus: &'a Corpus,
    store: &'a Store,
    opts: &'a Options,
    progress: &'a dyn Fn(usize),
    problems: &'a std::cell::RefCell<Vec<String>>,
) -> impl Iterator<Item = Item> + 'a {
    let every = opts.statuses.contains(&Status::Suggested) && !opts.done_only;
    let docs: Vec<usize> = if every {
        (0..corpus.len()).collect()
    } else {
        let mut d: Vec<usize> = store
            .docs_of(&opts.annotator)
            .iter()
            .filter_map(|id| corpus.position(id))
            .collect();
        d.sort_unstable();
        d
    };
    docs.into_iter().enumerate().filter_map(move |(n, i)| {
        progress(n);
        item(corpus, store, opts, i, &mut problems.borrow_mut())
    })
}

/// Document `i`'s item, or `None` when it has nothing to export (problems told).
fn item(
    corpus: &Corpus,
    store: &Store,
    opts: &Options,
    i: usize,
    problems: &mut Vec<String>,
) -> Option<Item> {
    let doc = match corpus.read(i) {
        Ok(d) => d,
        Err(e) => {
            problems.push(e.to_string());
            return None;
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
        Ok(None) => return None,
        Err(e) => {
            problems.push(e.to_string());
            return None;
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
    // A gold file with nothing taken into it is no document of the gold set.
    if opts.annotator == "gold" && file.spans.is_empty() && file.review.is_none() {
        return None;
    }
    if opts.done_only && file.status != DocStatus::Done {
        return None;
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
    Some(Item {
        doc,
        spans,
        status: file.status,
        annotator: opts.annotator.clone(),
    })
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
    // Documents are read, written and dropped one at a time.
    let found = std::cell::RefCell::new(Vec::new());
    let (documents, spans) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let mut items = items(corpus, store, opts, progress, &found)
        .inspect(|i| {
            documents.set(documents.get() + 1);
            spans.set(spans.get() + i.spans.len());
        })
        .peekable();
    if items.peek().is_none() {
        drop(items);
        return Err(ExportError::Nothing {
            annotator: opts.annotator.clone(),
            root: store.root.clone(),
            problems: found.into_inner(),
        });
    }
    let mut problems = Vec::new();
    let io = |source| ExportError::Write {
        path: out.to_path_buf(),
        source,
    };
    // Spans actually written: CSV holds figures only, CoNLL leaves overlaps out.
    let spans = match format {
        Format::Brat => {
            brat::write(&mut items, out)?;
            spans.get()
        }
        Format::Jsonl | Format::Conll | Format::Csv => {
            let mut w = crate::store::Output::create(out)?;
            let written = match format {
                Format::Conll => {
                    let skipped = conll::write(&mut items, &mut w).map_err(io)?;
                    if skipped > 0 {
                        problems.push(format!(
                            "{skipped} overlapping spans cannot be written as BIO and were left out"
                        ));
                    }
                    spans.get() - skipped
                }
                Format::Csv => {
                    csv::write(&mut items, schema, &mut w).map_err(|source| ExportError::Csv {
                        path: out.to_path_buf(),
                        source,
                    })?
                }
                _ => {
                    jsonl::write(&mut items, &mut w).map_err(io)?;
                    spans.get()
                }
            };
            w.finish(out)?;
            written
        }
    };
    drop(items);
    progress(corpus.len());
    let mut all = found.into_inner();
    all.append(&mut problems);
    Ok(Summary {
        documents: documents.get(),
        spans,
        problems: all,
    })
}
