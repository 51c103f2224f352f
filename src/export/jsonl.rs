//! doccano-compatible JSONL: `{"id", "text", "label": [[start, end, "LABEL"], ...]}` per
//! document, plus values, statuses and provenance in keys doccano ignores; and the import of
//! the same layout into an annotator's RON files.

use std::io::Write;

use serde_json::{Value, json};

use super::{Item, last_change};
use crate::corpus::Corpus;
use crate::model::span::{Change, ChangeKind, DocStatus, Normalized, Origin, Span, Status};
use crate::store::Store;

/// One span as a JSON object: offsets, label, text, status, provenance, value.
pub fn span(s: &Span) -> Value {
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
        m.insert(
            "unit".into(),
            v.unit.clone().map_or(Value::Null, Value::String),
        );
        m.insert("approx".into(), v.approx.into());
    }
    if let Some(sug) = &s.suggested {
        m.insert(
            "suggested".into(),
            json!({"rule": sug.rule, "start": sug.start, "end": sug.end, "label": sug.label}),
        );
    }
    if let Some(n) = &s.note {
        m.insert("note".into(), n.clone().into());
    }
    o
}

/// One document as a JSON object (what [`write`] writes as one line).
pub fn document(item: &Item) -> Value {
    let label: Vec<Value> = item
        .spans
        .iter()
        .map(|s| json!([s.start, s.end, s.label]))
        .collect();
    let spans: Vec<Value> = item.spans.iter().map(span).collect();
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

/// Writes one line per document, span by span: memory stays that of one span, however many
/// a document has (the same bytes as [`document`] printed).
pub fn write<I: std::borrow::Borrow<Item>>(
    items: impl IntoIterator<Item = I>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    fn put(out: &mut dyn Write, v: &impl serde::Serialize) -> std::io::Result<()> {
        serde_json::to_writer(out, v).map_err(std::io::Error::from)
    }
    for item in items {
        let item = item.borrow();
        out.write_all(b"{\"id\":")?;
        put(out, &item.doc.id)?;
        out.write_all(b",\"text\":")?;
        put(out, &item.doc.text)?;
        out.write_all(b",\"label\":[")?;
        for (i, s) in item.spans.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            put(out, &(s.start, s.end, &s.label))?;
        }
        out.write_all(b"],\"fingerprint\":")?;
        put(out, &item.doc.fingerprint)?;
        out.write_all(b",\"annotator\":")?;
        put(out, &item.annotator)?;
        out.write_all(b",\"status\":")?;
        put(out, &item.status.name())?;
        out.write_all(b",\"spans\":[")?;
        for (i, s) in item.spans.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            put(out, &span(s))?;
        }
        out.write_all(b"]}\n")?;
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
    /// What reading the annotator's files found (a file that said it was someone else's,
    /// spans moved because the article changed); nothing was skipped for these.
    pub notes: Vec<String>,
    /// The text and label of each span added (in files that were written), in order.
    pub added: Vec<(String, String)>,
}

/// The spans of one JSONL line: doccano's `label` (or `labels`) list of `[start, end, "LABEL"]`
/// and its `entities` list of `{"start_offset", "end_offset", "label"}`. `Err` says why the
/// line cannot be imported.
fn line_spans(
    v: &Value,
    len: usize,
    known: &[String],
) -> Result<Vec<(usize, usize, String)>, String> {
    let triples = v.get("label").or_else(|| v.get("labels"));
    let entities = v.get("entities");
    if triples.is_none() && entities.is_none() {
        return Err("no \"label\" or \"entities\" list: nothing to import".into());
    }
    let mut out = Vec::new();
    let mut add = |raw: &Value, s: Option<u64>, e: Option<u64>, label: Option<&str>| {
        let (Some(s), Some(e), Some(label)) = (s, e, label) else {
            return Err(format!("{raw} is not [start, end, \"LABEL\"]"));
        };
        if s >= e || e > len as u64 {
            return Err(format!("{raw} does not fit the document ({len} chars)"));
        }
        if let Some(why) = crate::store::label_error(label, known) {
            return Err(format!("{raw}: {why}"));
        }
        out.push((s as usize, e as usize, label.to_owned()));
        Ok(())
    };
    if let Some(t) = triples {
        let list = t.as_array().ok_or("\"label\" is not a list")?;
        for l in list {
            let get = |i: usize| l.as_array().and_then(|a| a.get(i));
            add(
                l,
                get(0).and_then(Value::as_u64),
                get(1).and_then(Value::as_u64),
                get(2).and_then(Value::as_str),
            )?;
        }
    }
    if let Some(t) = entities {
        let list = t.as_array().ok_or("\"entities\" is not a list")?;
        for l in list {
            add(
                l,
                l.get("start_offset").and_then(Value::as_u64),
                l.get("end_offset").and_then(Value::as_u64),
                l.get("label").and_then(Value::as_str),
            )?;
        }
    }
    Ok(out)
}

/// Reads doccano-style JSONL into `annotator`'s files as accepted spans, each file changed
/// under the folder's lock (a second writer at the same time waits, nothing is lost). A line
/// whose `text` differs from the corpus document, whose offsets do not fit it, or whose labels
/// are neither in the schema nor of the form `[A-Z0-9_]+`, is reported and skipped.
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
    /// The only labels a span may have, matched without regard to case and written as given
    /// here (the schema's); a line with another label is skipped. Empty: the checks of
    /// [`import`].
    pub labels: Vec<String>,
    /// Suggestions for a document that has no file yet: kept (unreviewed) where no imported
    /// span overlaps, so that the rest of the document is suggested as usual.
    pub suggest: Option<Suggester<'a>>,
}

/// Suggestions for a document, as spans.
pub type Suggester<'a> = &'a dyn Fn(&crate::corpus::Document) -> Vec<Span>;

/// Gives every label of a line's `label`/`labels`/`entities` lists the case `labels` has.
fn canonical_labels(v: &mut Value, labels: &[String]) {
    let fix = |l: &mut Value| {
        if let Some(t) = l.as_str()
            && let Some(k) = labels.iter().find(|k| k.eq_ignore_ascii_case(t))
        {
            *l = Value::String(k.clone());
        }
    };
    for key in ["label", "labels"] {
        for t in v
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(l) = t.as_array_mut().and_then(|a| a.get_mut(2)) {
                fix(l);
            }
        }
    }
    for e in v
        .get_mut("entities")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(l) = e.get_mut("label") {
            fix(l);
        }
    }
}

/// [`import`] with the schema's labels only (in any case) and suggestions for new files. A
/// document's `status` in the line is taken; without one, a file keeps its status (a new
/// file with spans is in progress).
pub fn import_with(
    corpus: &Corpus,
    store: &Store,
    annotator: &str,
    input: &str,
    opts: &ImportOptions,
) -> Result<ImportReport, crate::error::StoreError> {
    crate::store::check_annotator(annotator)?;
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut report = ImportReport::default();
    for (n, line) in input.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let mut v: Value = match serde_json::from_str(line) {
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
        canonical_labels(&mut v, &opts.labels);
        let parsed = match line_spans(&v, doc.char_len(), store.labels()) {
            Ok(p) => p,
            Err(why) => {
                report
                    .skipped
                    .push(format!("line {n}: {why}; line not imported"));
                continue;
            }
        };
        if let Some((_, _, l)) = parsed
            .iter()
            .find(|(_, _, l)| !opts.labels.is_empty() && !opts.labels.contains(l))
        {
            report.skipped.push(format!(
                "line {n}: unknown label {l:?} (the labels are {}); line not imported",
                opts.labels.join(", ")
            ));
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
        // Values as exported (the `spans` key), else what the figure rules give there.
        let exported = exported_values(&v);
        // The document's figures are found once, when a span first needs a value.
        let figure_values = std::cell::OnceCell::new();
        let (mut added, mut duplicates) = (0, 0);
        let mut texts = Vec::new();
        let updated = store.update(annotator, &doc, |file| {
            let fresh = file.spans.is_empty() && file.status == DocStatus::NotStarted;
            let mut have: std::collections::HashSet<(usize, usize, String)> = file
                .spans
                .iter()
                .map(|s| (s.start, s.end, s.label.clone()))
                .collect();
            let when = crate::model::span::timestamp();
            for (s, e, label) in parsed {
                if !have.insert((s, e, label.clone())) {
                    duplicates += 1;
                    continue;
                }
                let value = match exported.get(&(s, e, label.clone())) {
                    Some(value) => value.clone(),
                    None => figure_values
                        .get_or_init(|| crate::snap::FigureValues::of(&doc))
                        .get(&doc, s..e, &label),
                };
                texts.push((doc.slice(s..e).to_owned(), label.clone()));
                file.spans.push(Span {
                    start: s,
                    end: e,
                    text: doc.slice(s..e).to_owned(),
                    label,
                    status: Status::Accepted,
                    origin: Origin::Imported("jsonl".into()),
                    value,
                    note: None,
                    suggested: None,
                    changes: vec![Change {
                        what: ChangeKind::Imported,
                        who: annotator.to_owned(),
                        when: when.clone(),
                    }],
                    unanchored: false,
                });
                added += 1;
            }
            if fresh && let Some(suggest) = opts.suggest {
                // Suggestions where no imported span is.
                let taken = crate::text::Overlaps::new(file.spans.iter().map(|s| (s.start, s.end)));
                let free: Vec<Span> = suggest(&doc)
                    .into_iter()
                    .filter(|x| !taken.any(x.start, x.end))
                    .collect();
                file.spans.extend(free);
            }
            file.sort();
            match status {
                Some(st) => file.status = st,
                None if fresh && added > 0 => file.status = DocStatus::InProgress,
                None => {}
            }
            true
        });
        match updated {
            Ok(u) => {
                report.notes.extend(u.messages);
                report.spans += added;
                report.duplicates += duplicates;
                report.documents += 1;
                report.added.append(&mut texts);
            }
            Err(e) => report.skipped.push(format!("line {n}: {e}")),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::model::span::{DocStatus, Normalized, Num, Quantity};

    #[test]
    fn streamed_lines_are_the_documents_json() {
        let doc = Document::from_text("d1", "白城市投入5.3亿元,\"引号\"\n第二行");
        let mut m = Span::suggestion(&doc.text, 5, 10, "MONEY", "money", None).unwrap();
        m.value = Some(Normalized {
            value: Quantity::Number(Num(530000000.0)),
            value_max: None,
            unit: Some("元".into()),
            approx: true,
        });
        m.note = Some("note \"q\"".into());
        let l = Span::new(&doc.text, 0, 3, "LOC", Status::Added, Origin::Manual).unwrap();
        for spans in [vec![], vec![l.clone()], vec![l, m]] {
            let item = Item {
                doc: std::sync::Arc::new(doc.clone()),
                spans,
                status: DocStatus::Done,
                annotator: "alice".into(),
            };
            let mut out = Vec::new();
            write(std::slice::from_ref(&item), &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("{}\n", document(&item))
            );
        }
    }
}
