//! Scoring suggestions against gold spans: precision, recall and F1 per label for exact spans
//! and for overlapping spans, value accuracy on exact figure matches, and micro scores over
//! figures, entities and all labels — the same arithmetic as `dev/score.py`.
//!
//! The pieces are separate so that other evaluations (cross-validation, learning curves) reuse
//! them: [`read_jsonl`] reads spans grouped per document, [`predict`] runs any suggester (a
//! closure) over documents, [`restrict`] keeps a [`Scope`], and [`score`] is a pure function
//! whose [`Counts`] add up across folds. A cross-validation is: split the gold documents into
//! folds; per fold, train on the others, `predict` the fold with a closure over the trained
//! model, [`evaluate`] it; [`Evaluation::merge`] the folds.

pub mod folds;

use std::collections::BTreeMap;
use std::ops::AddAssign;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::corpus::Document;
use crate::model::span::Quantity;
use crate::schema::{Category, Schema};
use crate::suggest::Suggestion;

/// A file of spans that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A line is not a span object.
    #[error("{path}:{line}: malformed line ({message})")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

/// A normalised value as written in a span file: a number or a string (ISO dates).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A whole number written without a fraction (`2017`).
    Integer(i64),
    /// A number, magnitudes applied.
    Number(f64),
    /// Anything else, as text (a date such as `2016-12-07`).
    Text(String),
}

impl Value {
    /// From a JSON value; `null` is no value.
    pub fn from_json(v: &serde_json::Value) -> Option<Self> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Self::Integer)
                .or_else(|| n.as_f64().map(Self::Number)),
            serde_json::Value::Bool(b) => Some(Self::Integer(i64::from(*b))),
            serde_json::Value::String(s) => Some(Self::Text(s.clone())),
            other => Some(Self::Text(other.to_string())),
        }
    }

    /// From a suggestion's value, as `suggest` prints it.
    pub fn from_quantity(q: &Quantity) -> Option<Self> {
        Self::from_json(&q.to_json())
    }

    fn number(&self) -> Option<f64> {
        match self {
            Self::Integer(i) => Some(*i as f64),
            Self::Number(n) => Some(*n),
            Self::Text(_) => None,
        }
    }

    /// The same value: numbers within a relative 1e-6, anything else compared as text (as
    /// `score.py` does, so the number 2017 equals the string "2017").
    pub fn same(&self, other: &Self) -> bool {
        match (self.number(), other.number()) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * a.abs().max(1.0),
            _ => self.as_text() == other.as_text(),
        }
    }

    /// As Python's `str()` writes it.
    fn as_text(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Integer(i) => i.to_string(),
            Self::Number(n) => {
                let s = format!("{n:?}");
                match s.split_once('e') {
                    Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
                    _ => s,
                }
            }
        }
    }
}

/// One span to score (gold or predicted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalSpan {
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// Label name.
    pub label: String,
    /// Normalised value (figures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// The text as the file gives it (checked against the corpus), if it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl EvalSpan {
    /// A suggestion as a span to score.
    pub fn from_suggestion(s: &Suggestion, doc: &Document) -> Self {
        Self {
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            value: s
                .value
                .as_ref()
                .and_then(|v| Value::from_quantity(&v.value)),
            text: Some(doc.slice(s.start..s.end).to_owned()),
        }
    }

    fn overlaps(&self, other: &Self) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Spans grouped per document id, each document's spans in file order.
pub type SpansByDoc = BTreeMap<String, Vec<EvalSpan>>;

/// Reads a span file in the `suggest` format: one JSON object a line with `doc`, `start`,
/// `end`, `label` and optionally `value` and `text`; blank lines are skipped.
pub fn read_jsonl(path: &Path) -> Result<SpansByDoc, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.into(),
        source,
    })?;
    parse_jsonl(&text).map_err(|(line, message)| EvalError::Malformed {
        path: path.into(),
        line,
        message,
    })
}

/// Parses span lines; an error is (1-based line, what is wrong).
pub fn parse_jsonl(text: &str) -> Result<SpansByDoc, (usize, String)> {
    let mut out = SpansByDoc::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |m: String| (n + 1, m);
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let field = |k: &str| v.get(k).ok_or_else(|| bad(format!("no {k:?}")));
        let offset = |k: &str| -> Result<usize, (usize, String)> {
            field(k)?
                .as_u64()
                .map(|x| x as usize)
                .ok_or_else(|| bad(format!("{k:?} is not an offset")))
        };
        let doc = field("doc")?
            .as_str()
            .ok_or_else(|| bad("\"doc\" is not a string".into()))?;
        let span = EvalSpan {
            start: offset("start")?,
            end: offset("end")?,
            label: field("label")?
                .as_str()
                .ok_or_else(|| bad("\"label\" is not a string".into()))?
                .to_owned(),
            value: v.get("value").and_then(Value::from_json),
            text: v.get("text").and_then(|t| t.as_str()).map(str::to_owned),
        };
        if span.start >= span.end {
            return Err(bad(format!("empty span {}..{}", span.start, span.end)));
        }
        out.entry(doc.to_owned()).or_default().push(span);
    }
    Ok(out)
}

/// A suggester to evaluate: anything that turns a document into suggestions (the rules with
/// some options, a trained model, a model trained on the other folds).
pub type Suggester<'a> = dyn Fn(&Document) -> Vec<Suggestion> + Sync + 'a;

/// Runs `suggester` on each document (in parallel) and keeps its suggestions as spans.
pub fn predict(docs: &[&Document], suggester: &Suggester) -> SpansByDoc {
    docs.par_iter()
        .map(|d| {
            let spans = suggester(d)
                .iter()
                .map(|s| EvalSpan::from_suggestion(s, d))
                .collect();
            (d.id.clone(), spans)
        })
        .collect()
}

/// What part of each document is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// What the default suggester looks at: the text outside detected boilerplate (title,
    /// header and body); gold spans in detected boilerplate are counted apart, not scored.
    #[default]
    Body,
    /// The whole text, boilerplate included (the suggester runs everywhere).
    All,
}

impl std::str::FromStr for Scope {
    type Err = String;

    /// `body` or `all`, as the command line writes them.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "body" => Ok(Self::Body),
            "all" => Ok(Self::All),
            other => Err(format!("{other:?} is not a scope: body or all")),
        }
    }
}

impl Scope {
    /// Whether the suggester must look inside detected boilerplate for this scope.
    pub fn include_boilerplate(self) -> bool {
        self == Self::All
    }

    /// Does this span of `doc` lie in the scope?
    pub fn contains(self, doc: &Document, start: usize, end: usize) -> bool {
        match self {
            Self::All => true,
            Self::Body => !doc.structure.overlaps_boilerplate(&(start..end)),
        }
    }
}

/// Keeps the spans of `spans` that lie in `scope` of their document; returns them and the
/// spans left out. Spans of documents not in `docs` are kept.
pub fn restrict(spans: &SpansByDoc, docs: &[&Document], scope: Scope) -> (SpansByDoc, SpansByDoc) {
    let mut kept = SpansByDoc::new();
    let mut out = SpansByDoc::new();
    for (id, list) in spans {
        // Every document stays a key of `kept`: its predictions are still scored.
        kept.entry(id.clone()).or_default();
        let doc = docs.iter().find(|d| &d.id == id);
        for s in list {
            let inside = doc.is_none_or(|d| scope.contains(d, s.start, s.end));
            let to = if inside { &mut kept } else { &mut out };
            to.entry(id.clone()).or_default().push(s.clone());
        }
    }
    (kept, out)
}

/// Keeps only these labels (all when `labels` is empty).
pub fn filter_labels(spans: &SpansByDoc, labels: &[String]) -> SpansByDoc {
    if labels.is_empty() {
        return spans.clone();
    }
    spans
        .iter()
        .map(|(id, list)| {
            let kept = list
                .iter()
                .filter(|s| labels.contains(&s.label))
                .cloned()
                .collect();
            (id.clone(), kept)
        })
        .collect()
}

/// Counts behind the scores of one label or group; they add up over labels, documents, folds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Gold spans.
    pub gold: usize,
    /// Predicted spans.
    pub pred: usize,
    /// Predicted spans equal to a gold span (start, end, label).
    pub exact: usize,
    /// Predicted spans that overlap a gold span of the same label.
    pub overlap_pred: usize,
    /// Gold spans that a predicted span of the same label overlaps.
    pub overlap_gold: usize,
    /// Exact matches whose gold span has a value, …
    pub value_n: usize,
    /// … and of those, the ones predicted with the same value.
    pub value_ok: usize,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Self) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.exact += o.exact;
        self.overlap_pred += o.overlap_pred;
        self.overlap_gold += o.overlap_gold;
        self.value_n += o.value_n;
        self.value_ok += o.value_ok;
    }
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

impl Counts {
    /// Exact span + label. With nothing predicted and nothing to find, precision and recall are 1.
    pub fn exact_prf(&self) -> Prf {
        let ratio = |hit: usize, of: usize, other: usize| {
            if of > 0 {
                hit as f64 / of as f64
            } else if other == 0 {
                1.0
            } else {
                0.0
            }
        };
        let p = ratio(self.exact, self.pred, self.gold);
        let r = ratio(self.exact, self.gold, self.pred);
        Prf { p, r, f1: f1(p, r) }
    }

    /// Overlapping span + label: the share of predictions touching a gold span and of gold
    /// spans touched by a prediction (0 when there are none, as `score.py` counts).
    pub fn overlap_prf(&self) -> Prf {
        let ratio = |hit: usize, of: usize| if of > 0 { hit as f64 / of as f64 } else { 0.0 };
        let p = ratio(self.overlap_pred, self.pred);
        let r = ratio(self.overlap_gold, self.gold);
        Prf { p, r, f1: f1(p, r) }
    }

    /// Share of exact matches with the right value, if any gold match has a value.
    pub fn value_accuracy(&self) -> Option<f64> {
        (self.value_n > 0).then(|| self.value_ok as f64 / self.value_n as f64)
    }

    /// As `evaluate --json` prints it: `{"gold", "pred", "exact": {"p", "r", "f1", "matches"},
    /// "overlap": {"p", "r", "f1"}, "value": {"ok", "of", "accuracy"}}`.
    pub fn summary(&self) -> serde_json::Value {
        let (x, o) = (self.exact_prf(), self.overlap_prf());
        serde_json::json!({
            "gold": self.gold,
            "pred": self.pred,
            "exact": {"p": x.p, "r": x.r, "f1": x.f1, "matches": self.exact},
            "overlap": {"p": o.p, "r": o.r, "f1": o.f1},
            "value": {"ok": self.value_ok, "of": self.value_n, "accuracy": self.value_accuracy()},
        })
    }
}

/// Scores of a whole evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Per label, sorted by name.
    pub per_label: BTreeMap<String, Counts>,
    /// Per document, all labels.
    pub per_doc: BTreeMap<String, Counts>,
    /// Micro over figure labels.
    pub figures: Counts,
    /// Micro over entity labels.
    pub entities: Counts,
    /// Micro over every label.
    pub all: Counts,
}

impl AddAssign<&Report> for Report {
    fn add_assign(&mut self, o: &Report) {
        for (k, c) in &o.per_label {
            *self.per_label.entry(k.clone()).or_default() += *c;
        }
        for (k, c) in &o.per_doc {
            *self.per_doc.entry(k.clone()).or_default() += *c;
        }
        self.figures += o.figures;
        self.entities += o.entities;
        self.all += o.all;
    }
}

type Key<'a> = (usize, usize, &'a str);

/// Unique spans by (start, end, label); a repeated key keeps its last value, as a dict would.
fn unique(spans: &[EvalSpan]) -> BTreeMap<Key<'_>, &EvalSpan> {
    spans
        .iter()
        .map(|s| ((s.start, s.end, s.label.as_str()), s))
        .collect()
}

/// Scores `pred` against `gold`. Only documents present in `gold` count (a prediction for
/// another document is ignored); `schema` says which labels are figures and which entities.
pub fn score(gold: &SpansByDoc, pred: &SpansByDoc, schema: &Schema) -> Report {
    let mut report = Report::default();
    let none = Vec::new();
    for (doc, gold_spans) in gold {
        let g = unique(gold_spans);
        let p = unique(pred.get(doc).unwrap_or(&none));
        let mut per_label: BTreeMap<&str, Counts> = BTreeMap::new();
        for (&(_, _, label), gs) in &g {
            let c = per_label.entry(label).or_default();
            c.gold += 1;
            if p.values().any(|ps| ps.label == label && ps.overlaps(gs)) {
                c.overlap_gold += 1;
            }
        }
        for (key, ps) in &p {
            let c = per_label.entry(key.2).or_default();
            c.pred += 1;
            if g.values().any(|gs| gs.label == key.2 && gs.overlaps(ps)) {
                c.overlap_pred += 1;
            }
            if let Some(gs) = g.get(key) {
                c.exact += 1;
                if let Some(gv) = &gs.value {
                    c.value_n += 1;
                    if ps.value.as_ref().is_some_and(|pv| gv.same(pv)) {
                        c.value_ok += 1;
                    }
                }
            }
        }
        let doc_total = report.per_doc.entry(doc.clone()).or_default();
        for (label, c) in per_label {
            *doc_total += c;
            report.all += c;
            match schema.get(label).map(|l| l.category) {
                Some(Category::Figure) => report.figures += c,
                Some(Category::Entity) => report.entities += c,
                None => {}
            }
            *report.per_label.entry(label.to_owned()).or_default() += c;
        }
    }
    report
}

/// A disagreement between gold and prediction, for reading errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mismatch {
    /// Document id.
    pub doc: String,
    /// `missed` (gold without an exact prediction), `spurious` (prediction without exact
    /// gold) or `value` (exact match, different value).
    pub kind: &'static str,
    /// The gold span, if there is one here.
    pub gold: Option<EvalSpan>,
    /// The predicted span, if there is one here.
    pub pred: Option<EvalSpan>,
}

/// Every exact-span disagreement, in document and offset order; a missed gold span and a
/// spurious prediction that overlap (a boundary or label error) are paired in one entry.
pub fn mismatches(gold: &SpansByDoc, pred: &SpansByDoc) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let none = Vec::new();
    for (doc, gold_spans) in gold {
        let g = unique(gold_spans);
        let p = unique(pred.get(doc).unwrap_or(&none));
        let spurious: Vec<&EvalSpan> = p
            .iter()
            .filter(|(k, _)| !g.contains_key(*k))
            .map(|(_, s)| *s)
            .collect();
        let mut paired = vec![false; spurious.len()];
        let mut here = Vec::new();
        for (key, gs) in &g {
            match p.get(key) {
                Some(ps) => {
                    let wrong = gs
                        .value
                        .as_ref()
                        .is_some_and(|gv| !ps.value.as_ref().is_some_and(|pv| gv.same(pv)));
                    if wrong {
                        here.push((gs.start, "value", Some(*gs), Some(*ps)));
                    }
                }
                None => {
                    let near = spurious
                        .iter()
                        .enumerate()
                        .find(|(i, ps)| !paired[*i] && ps.overlaps(gs));
                    let pred = near.map(|(i, ps)| {
                        paired[i] = true;
                        *ps
                    });
                    here.push((gs.start, "missed", Some(*gs), pred));
                }
            }
        }
        for (i, ps) in spurious.iter().enumerate() {
            if !paired[i] {
                here.push((ps.start, "spurious", None, Some(*ps)));
            }
        }
        here.sort_by_key(|m| m.0);
        out.extend(here.into_iter().map(|(_, kind, g, p)| Mismatch {
            doc: doc.clone(),
            kind,
            gold: g.cloned(),
            pred: p.cloned(),
        }));
    }
    out
}

/// A gold span that does not fit the corpus text (a different file, another decoding).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextMismatch {
    /// Document id.
    pub doc: String,
    /// The gold span.
    pub span: EvalSpan,
    /// What the corpus has at those offsets (`None` past its end).
    pub found: Option<String>,
}

/// Gold spans whose `text` differs from the document's text at their offsets.
pub fn check_texts(gold: &SpansByDoc, docs: &[&Document]) -> Vec<TextMismatch> {
    let mut out = Vec::new();
    for doc in docs {
        for s in gold.get(&doc.id).into_iter().flatten() {
            let found = (s.end <= doc.char_len()).then(|| doc.slice(s.start..s.end).to_owned());
            let fits = match (&s.text, &found) {
                (Some(t), Some(f)) => t == f,
                (None, f) => f.is_some(),
                (Some(_), None) => false,
            };
            if !fits {
                out.push(TextMismatch {
                    doc: doc.id.clone(),
                    span: s.clone(),
                    found,
                });
            }
        }
    }
    out
}

/// Everything `biaozhu evaluate` reports about one run.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// What part of each document was scored.
    pub scope: Scope,
    /// The scores.
    pub report: Report,
    /// Gold spans outside the scope (in detected boilerplate), per label: not scored, shown so
    /// that text the detector hides is never hidden from the evaluation too.
    pub out_of_scope: Report,
    /// Gold spans whose text differs from the corpus at their offsets.
    pub text_mismatches: Vec<TextMismatch>,
    /// Every exact-span disagreement.
    pub mismatches: Vec<Mismatch>,
}

impl Evaluation {
    /// Adds another evaluation of the same scope (another fold of a cross-validation).
    pub fn merge(&mut self, other: Evaluation) {
        self.report += &other.report;
        self.out_of_scope += &other.out_of_scope;
        self.text_mismatches.extend(other.text_mismatches);
        self.mismatches.extend(other.mismatches);
    }
}

/// Scores `pred` against `gold` on the documents of `gold`: both kept to `labels` (all when
/// empty) and to `scope` of each document in `docs` (a document not in `docs` is scored whole).
pub fn evaluate(
    gold: &SpansByDoc,
    pred: &SpansByDoc,
    docs: &[&Document],
    scope: Scope,
    labels: &[String],
    schema: &Schema,
) -> Evaluation {
    let (gold_in, gold_out) = restrict(&filter_labels(gold, labels), docs, scope);
    let (pred_in, _) = restrict(&filter_labels(pred, labels), docs, scope);
    Evaluation {
        scope,
        report: score(&gold_in, &pred_in, schema),
        out_of_scope: score(&gold_out, &SpansByDoc::new(), schema),
        text_mismatches: check_texts(gold, docs),
        mismatches: mismatches(&gold_in, &pred_in),
    }
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
