//! doccano-compatible JSONL: `{"id", "text", "label": [[start, end, "LABEL"], ...]}` per
//! document, plus values, statuses and provenance in keys doccano ignores; and the import of
//! the same layout into an annotator's RON files.

use std::io::Write;

use serde_json::{Value, json};

use super::{Item, last_change};
use crate::corpus::Corpus;
use crate::model::span::{AnnotationFile, Change, ChangeKind, DocStatus, Origin, Span, Status};
use crate::store::Store;

/// One document as a JSON object.
pub fn document(item: &Item) -> Value {
    let label: Vec<Value> = item
        .spans
        .iter()
        .map(|s| json!([s.start, s.end, s.label]))
        .collect();
    let spans: Vec<Value> = item
        .spans
        .iter()
        .map(|s| {
            let (who, when) = last_change(s);
            let mut o = json!({
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": s.text,
                "status": s.status.name(),
                "provenance": s.provenance(),
                "edited": s.edits(),
                "origin": s.origin.name(),
                "by": who,
                "when": when,
            });
            let m = o.as_object_mut().expect("object");
            if let Some(v) = &s.value {
                m.insert("value".into(), v.value.to_json());
                if let Some(x) = &v.value_max {
                    m.insert("value_max".into(), x.to_json());
                }
                m.insert("unit".into(), v.unit.clone().map_or(Value::Null, Value::String));
                m.insert("approx".into(), v.approx.into());
            }
            if let Some(sug) = &s.suggested {
                m.insert("suggested".into(), json!({"rule": sug.rule, "start": sug.start, "end": sug.end, "label": sug.label}));
            }
            if let Some(n) = &s.note {
                m.insert("note".into(), n.clone().into());
            }
            o
        })
        .collect();
    json!({
        "id": item.doc.id,
        "text": item.doc.text,
        "label": label,
        "fingerprint": item.doc.fingerprint,
        "annotator": item.annotator,
        "status": item.status.name(),
        "spans": spans,
    })
}

/// Writes one line per document.
pub fn write(items: &[Item], out: &mut dyn Write) -> std::io::Result<()> {
    for item in items {
        writeln!(out, "{}", document(item))?;
    }
    Ok(())
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Documents written.
    pub documents: usize,
    /// Spans added.
    pub spans: usize,
    /// Spans already present.
    pub duplicates: usize,
    /// Lines skipped, each with the reason.
    pub skipped: Vec<String>,
}

/// Reads doccano-style JSONL into `annotator`'s files as accepted spans. A line whose `text`
/// differs from the corpus document, or whose offsets do not fit it, is reported and skipped.
pub fn import(
    corpus: &Corpus,
    store: &Store,
    annotator: &str,
    input: &str,
) -> Result<ImportReport, crate::error::StoreError> {
    import_with(corpus, store, annotator, input, &ImportOptions::default())
}

/// What an import checks and adds besides the spans.
#[derive(Default)]
pub struct ImportOptions<'a> {
    /// The labels a span may have, matched without regard to case and written as given
    /// here (the schema's); a line with another label is skipped. Empty: any label.
    pub labels: Vec<String>,
    /// Suggestions for a document that has no file yet: kept (unreviewed) where no imported
    /// span overlaps, so that the rest of the document is suggested as usual.
    pub suggest: Option<Suggester<'a>>,
}

/// Suggestions for a document, as spans.
pub type Suggester<'a> = &'a dyn Fn(&crate::corpus::Document) -> Vec<Span>;

/// [`import`] with label checks and suggestions for new files. A document's `status` in the
/// line is taken; without one, a file keeps its status (a new file with spans is in
/// progress).
pub fn import_with(
    corpus: &Corpus,
    store: &Store,
    annotator: &str,
    input: &str,
    opts: &ImportOptions,
) -> Result<ImportReport, crate::error::StoreError> {
    crate::store::check_name(annotator)?;
    let mut report = ImportReport::default();
    for (n, line) in input.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                report.skipped.push(format!("line {n}: not JSON: {e}"));
                continue;
            }
        };
        let Some(id) = v.get("id").and_then(|x| {
            x.as_str()
                .map(str::to_owned)
                .or_else(|| x.as_i64().map(|i| i.to_string()))
        }) else {
            report.skipped.push(format!("line {n}: no \"id\""));
            continue;
        };
        let Some(doc) = corpus.get(&id) else {
            report
                .skipped
                .push(format!("line {n}: document {id:?} is not in the corpus"));
            continue;
        };
        if let Some(t) = v.get("text").and_then(Value::as_str)
            && crate::corpus::normalise_newlines(t) != doc.text
        {
            report.skipped.push(format!(
                "line {n}: the text of {id:?} differs from the corpus document; not imported"
            ));
            continue;
        }
        let labels = v
            .get("label")
            .or_else(|| v.get("labels"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut parsed = Vec::new();
        let mut bad = None;
        for l in &labels {
            let t = l.as_array();
            let get = |i: usize| t.and_then(|a| a.get(i));
            match (
                get(0).and_then(Value::as_u64),
                get(1).and_then(Value::as_u64),
                get(2).and_then(Value::as_str),
            ) {
                (Some(s), Some(e), Some(lab)) if s < e && (e as usize) <= doc.char_len() => {
                    let known = opts.labels.iter().find(|k| k.eq_ignore_ascii_case(lab));
                    match known {
                        Some(k) => parsed.push((s as usize, e as usize, k.clone())),
                        None if opts.labels.is_empty() => {
                            parsed.push((s as usize, e as usize, lab.to_owned()))
                        }
                        None => {
                            bad = Some(format!(
                                "line {n}: unknown label {lab:?} (the labels are {}); line not imported",
                                opts.labels.join(", ")
                            ));
                            break;
                        }
                    }
                }
                _ => {
                    bad = Some(format!(
                        "line {n}: label {l} does not fit document {id:?} ({} chars); line not imported",
                        doc.char_len()
                    ));
                    break;
                }
            }
        }
        if let Some(b) = bad {
            report.skipped.push(b);
            continue;
        }
        let status = v.get("status").and_then(Value::as_str).and_then(|t| {
            [
                DocStatus::NotStarted,
                DocStatus::InProgress,
                DocStatus::Done,
            ]
            .into_iter()
            .find(|s| s.name() == t)
        });
        let mut fresh = false;
        let mut file = match store.load(annotator, &doc) {
            Ok(Some(l)) => l.file,
            Ok(None) => {
                fresh = true;
                AnnotationFile::new(&doc.id, &doc.fingerprint, annotator)
            }
            Err(e) => {
                report.skipped.push(format!("line {n}: {e}"));
                continue;
            }
        };
        for (s, e, lab) in parsed {
            if file.has(s, e, &lab) {
                report.duplicates += 1;
                continue;
            }
            let Ok(mut span) = Span::new(
                &doc.text,
                s,
                e,
                &lab,
                Status::Accepted,
                Origin::Imported("jsonl".into()),
            ) else {
                continue;
            };
            span.changes
                .push(Change::now(ChangeKind::Imported, annotator));
            file.spans.push(span);
            report.spans += 1;
        }
        if fresh && let Some(suggest) = opts.suggest {
            let free: Vec<Span> = suggest(&doc)
                .into_iter()
                .filter(|x| {
                    !file
                        .spans
                        .iter()
                        .any(|s| s.start < x.end && x.start < s.end)
                })
                .collect();
            file.spans.extend(free);
        }
        file.sort();
        match status {
            Some(st) => file.status = st,
            None if fresh && report.spans > 0 => file.status = DocStatus::InProgress,
            None => {}
        }
        store.save(&file)?;
        report.documents += 1;
    }
    Ok(report)
}
