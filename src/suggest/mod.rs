//! Suggestions: figures (rules with normalised values) for now; each becomes a span with
//! status `suggested` that the analyst confirms or corrects.

pub mod figures;
pub mod numerals;

use serde_json::json;

use crate::corpus::Document;
use crate::model::span::{Normalized, Span};

/// One suggestion for a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// Label name.
    pub label: String,
    /// The rule or source that produced it.
    pub rule: String,
    /// Normalised value (figures only).
    pub value: Option<Normalized>,
}

impl Suggestion {
    /// As the `suggest` command prints it: one JSON object.
    pub fn to_json(&self, doc: &Document) -> serde_json::Value {
        let mut o = json!({
            "doc": doc.id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": doc.slice(self.start..self.end),
        });
        let map = o.as_object_mut().expect("json! object");
        if let Some(v) = &self.value {
            map.insert("value".into(), v.value.to_json());
            if let Some(m) = &v.value_max {
                map.insert("value_max".into(), m.to_json());
            }
            map.insert(
                "unit".into(),
                v.unit
                    .clone()
                    .map_or(serde_json::Value::Null, serde_json::Value::String),
            );
            map.insert("approx".into(), v.approx.into());
        }
        map.insert("rule".into(), self.rule.clone().into());
        o
    }

    /// As a span with status `suggested`.
    pub fn to_span(&self, doc: &Document) -> Span {
        Span::suggestion(
            &doc.text,
            self.start,
            self.end,
            &self.label,
            &self.rule,
            self.value.clone(),
        )
        .expect("suggestions lie inside their document")
    }
}

/// Options of a suggestion run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these labels (all when empty).
    pub labels: Vec<String>,
    /// Suggest inside boilerplate too.
    pub include_boilerplate: bool,
}

/// Suggestions for one document, in document order.
pub fn suggest(doc: &Document, opts: &Options) -> Vec<Suggestion> {
    let structure = &doc.structure;
    let skip =
        |r: &std::ops::Range<usize>| !opts.include_boilerplate && structure.overlaps_boilerplate(r);
    let mut out: Vec<Suggestion> = figures::find(&doc.text, &skip)
        .into_iter()
        .filter(|f| opts.labels.is_empty() || opts.labels.iter().any(|l| l == f.label))
        .map(|f| Suggestion {
            start: f.start,
            end: f.end,
            label: f.label.to_owned(),
            rule: f.rule.to_owned(),
            value: Some(f.value),
        })
        .collect();
    out.sort_by_key(|s| (s.start, s.end));
    out
}
