//! doccano-compatible JSONL: `{"id", "text", "label": [[start, end, "LABEL"], ...]}` per
//! document, plus values, statuses and provenance in keys doccano ignores; and the import of
//! the same layout into an annotator's RON files.

use std::io::Write;

use serde_json::{Value, json};

use super::{Item, last_change};
use crate::corpus::Corpus;
use crate::model::span::{AnnotationFile, Change, ChangeKind, Normalized, Origin, Span, Status};
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
                    parsed.push((s as usize, e as usize, lab.to_owned()))
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
        let mut file = match store.load(annotator, &doc) {
            Ok(Some(l)) => l.file,
            Ok(None) => AnnotationFile::new(&doc.id, &doc.fingerprint, annotator),
            Err(e) => {
                report.skipped.push(format!("line {n}: {e}"));
                continue;
            }
        };
        // Values as exported (the `spans` key), else what the figure rules give there.
        let exported = exported_values(&v);
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
            span.value = match exported.get(&(s, e, lab.clone())) {
                Some(value) => value.clone(),
                None => crate::snap::figure_value(&doc, s..e, &lab),
            };
            span.changes
                .push(Change::now(ChangeKind::Imported, annotator));
            file.spans.push(span);
            report.spans += 1;
        }
        store.save(&file)?;
        report.documents += 1;
    }
    Ok(report)
}

/// The values of a line's `spans` (as [`document`] writes them), by (start, end, label);
/// a span listed without a value has none.
fn exported_values(
    line: &Value,
) -> std::collections::HashMap<(usize, usize, String), Option<Normalized>> {
    let spans = line.get("spans").and_then(Value::as_array);
    spans
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let n = |k: &str| s.get(k).and_then(Value::as_u64).map(|x| x as usize);
            let label = s.get("label").and_then(Value::as_str)?.to_owned();
            Some(((n("start")?, n("end")?, label), Normalized::from_json(s)))
        })
        .collect()
}
