//! Agreement on figures' normalised values: among the spans two annotators marked exactly alike
//! (same start, end and figure label), how many carry the identical value, how many agree
//! within a relative tolerance, and which spans the annotators valued differently.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::model::Span;
use crate::model::span::{Normalized, Quantity};

/// A value as one line of text: `530000000 元`, `2000..3000 户 ≈`, `(none)`.
pub fn value_text(v: Option<&Normalized>) -> String {
    let Some(v) = v else {
        return "(none)".to_owned();
    };
    let mut s = v.value.to_string();
    if let Some(m) = &v.value_max {
        s = format!("{s}..{m}");
    }
    if let Some(u) = &v.unit {
        s.push(' ');
        s.push_str(u);
    }
    if v.approx {
        s.push_str(" ≈");
    }
    s
}

/// Whether two quantities are within relative `tolerance` of each other: numbers that differ by
/// at most `tolerance` × the larger magnitude; dates only when equal.
fn quantity_within(a: &Quantity, b: &Quantity, tolerance: f64) -> bool {
    match (a, b) {
        (Quantity::Number(x), Quantity::Number(y)) => {
            (x.0 - y.0).abs() <= tolerance * x.0.abs().max(y.0.abs())
        }
        _ => a == b,
    }
}

/// Whether two figures' values agree within relative `tolerance`: the same unit and approx
/// flag, and value (and a range's upper bound) within the tolerance. With tolerance 0 this is
/// equality; two spans without a value agree.
pub fn within(a: Option<&Normalized>, b: Option<&Normalized>, tolerance: f64) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.unit == b.unit
                && a.approx == b.approx
                && quantity_within(&a.value, &b.value, tolerance)
                && match (&a.value_max, &b.value_max) {
                    (None, None) => true,
                    (Some(x), Some(y)) => quantity_within(x, y, tolerance),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Value agreement on one label (or all figure labels): pairs of exactly matching spans,
/// pooled over annotator pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ValueScore {
    /// Pairs of spans with the same start, end and label.
    pub matched: usize,
    /// Of those, with the identical normalised value (value, value_max, unit, approx).
    pub identical: usize,
    /// Of those, with values within the tolerance.
    pub within: usize,
    /// `identical / matched` (`None` when nothing matched).
    pub identical_share: Option<f64>,
    /// `within / matched`.
    pub within_share: Option<f64>,
}

impl ValueScore {
    fn add(&mut self, identical: bool, within: bool) {
        self.matched += 1;
        self.identical += usize::from(identical);
        self.within += usize::from(within);
        let share = |k: usize| k as f64 / self.matched as f64;
        self.identical_share = Some(share(self.identical));
        self.within_share = Some(share(self.within));
    }
}

/// One annotator's value for a span, as listed in a disagreement.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotatorValue {
    /// Who.
    pub annotator: String,
    /// Their value (`None`: the span has none).
    pub value: Option<Normalized>,
}

impl Serialize for AnnotatorValue {
    /// `{"annotator", "value", "value_max", "unit", "approx"}`, the value a number or a date
    /// string as in the exports (null when there is none).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.value.as_ref();
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("annotator", &self.annotator)?;
        m.serialize_entry("value", &v.map(|v| v.value.to_json()))?;
        m.serialize_entry(
            "value_max",
            &v.and_then(|v| v.value_max.as_ref().map(Quantity::to_json)),
        )?;
        m.serialize_entry("unit", &v.and_then(|v| v.unit.clone()))?;
        m.serialize_entry("approx", &v.is_some_and(|v| v.approx))?;
        m.end()
    }
}

/// A span that two or more annotators marked exactly alike but valued differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueDisagreement {
    /// Document id.
    pub doc: String,
    /// Char offsets.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The figure label.
    pub label: String,
    /// The span's text.
    pub text: String,
    /// Each annotator who marked exactly this span, with their value.
    pub values: Vec<AnnotatorValue>,
    /// Whether every pair of these values agrees within the tolerance.
    pub within_tolerance: bool,
}

/// Value agreement over documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ValueAgreement {
    /// The relative tolerance of `within` (0: equal values only).
    pub tolerance: f64,
    /// Over all figure labels.
    pub overall: ValueScore,
    /// Per figure label.
    pub per_label: BTreeMap<String, ValueScore>,
    /// Every span valued differently, in document order.
    pub disagreements: Vec<ValueDisagreement>,
}

impl ValueAgreement {
    /// No documents yet, values compared with relative `tolerance`.
    pub fn new(tolerance: f64) -> Self {
        Self {
            tolerance,
            ..Self::default()
        }
    }

    /// Adds one document: `spans[a]` are annotator `names[a]`'s accepted and added spans;
    /// only labels `is_figure` says are figures count.
    pub fn add(
        &mut self,
        doc: &str,
        names: &[String],
        spans: &[Vec<Span>],
        is_figure: &dyn Fn(&str) -> bool,
    ) {
        type Key<'a> = (usize, usize, &'a str);
        let by_key: Vec<BTreeMap<Key, &Span>> = spans
            .iter()
            .map(|v| {
                v.iter()
                    .filter(|s| is_figure(&s.label))
                    .map(|s| ((s.start, s.end, s.label.as_str()), s))
                    .collect()
            })
            .collect();
        let keys: BTreeSet<Key> = by_key.iter().flat_map(|m| m.keys().copied()).collect();
        let tol = self.tolerance;
        for key in keys {
            let have: Vec<(usize, &Span)> = by_key
                .iter()
                .enumerate()
                .filter_map(|(a, m)| m.get(&key).map(|s| (a, *s)))
                .collect();
            let mut all_identical = true;
            let mut all_within = true;
            for (i, (_, x)) in have.iter().enumerate() {
                for (_, y) in &have[i + 1..] {
                    let identical = x.value == y.value;
                    let near = within(x.value.as_ref(), y.value.as_ref(), tol);
                    all_identical &= identical;
                    all_within &= near;
                    self.overall.add(identical, near);
                    self.per_label
                        .entry(key.2.to_owned())
                        .or_default()
                        .add(identical, near);
                }
            }
            if !all_identical {
                self.disagreements.push(ValueDisagreement {
                    doc: doc.to_owned(),
                    start: key.0,
                    end: key.1,
                    label: key.2.to_owned(),
                    text: have[0].1.text.clone(),
                    values: have
                        .iter()
                        .map(|(a, s)| AnnotatorValue {
                            annotator: names[*a].clone(),
                            value: s.value.clone(),
                        })
                        .collect(),
                    within_tolerance: all_within,
                });
            }
        }
    }
}
