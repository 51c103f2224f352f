//! Reviewing several annotators' work: one merged view per document (what everyone agrees on,
//! and each disagreement by kind with every annotator's version), adjudication into the gold
//! set `annotations/gold/<doc-id>.ron`, and agreement ([`agreement`]: pairwise exact-span F1,
//! Cohen's kappa at character level, and figures' values, [`values`]).

mod agreement;
mod values;

use std::ops::Range;

use serde::Serialize;

pub use agreement::{
    Agreement, Counts, DocumentAgreement, OUTSIDE, Score, agreement, document_agreement, report,
};
pub use values::{
    AnnotatorValue, ValueAgreement, ValueDisagreement, ValueScore, value_text, within,
};

use crate::model::span::{DocStatus, Normalized, Review, Span, timestamp};
use crate::model::{Action, AnnotationFile};

/// The gold set's folder name under `annotations/`.
pub const GOLD: &str = "gold";

/// How annotators disagree on a stretch of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Same boundaries, different labels.
    DifferentLabel,
    /// Overlapping spans with different boundaries.
    DifferentBoundaries,
    /// Only some annotators marked anything here.
    OnlySome,
    /// Same boundaries and labels, but a figure's normalised value (value, value_max, unit
    /// or approx) differs.
    DifferentValue,
}

impl Kind {
    /// Short description.
    pub fn describe(self) -> &'static str {
        match self {
            Self::DifferentLabel => "different label",
            Self::DifferentBoundaries => "different boundaries",
            Self::OnlySome => "only some annotators",
            Self::DifferentValue => "different value",
        }
    }

    /// Every kind, in the legend's order.
    pub const ALL: [Kind; 4] = [
        Self::DifferentLabel,
        Self::DifferentValue,
        Self::DifferentBoundaries,
        Self::OnlySome,
    ];
}

/// A stretch of text where at least one annotator marked something: agreed or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The union of the spans' ranges (char offsets).
    pub range: Range<usize>,
    /// `None` when every annotator has the same single span here.
    pub kind: Option<Kind>,
    /// Each annotator's spans here (empty when they marked nothing), in the annotators' order.
    pub versions: Vec<(String, Vec<Span>)>,
}

impl Item {
    /// Whether everyone agrees.
    pub fn agreed(&self) -> bool {
        self.kind.is_none()
    }
}

/// Merges the annotators' accepted and added spans of one document into items, in text order.
pub fn merge(files: &[(String, &AnnotationFile)]) -> Vec<Item> {
    // Every final span with its annotator, sorted by start.
    let mut all: Vec<(usize, &Span)> = files
        .iter()
        .enumerate()
        .flat_map(|(a, (_, f))| {
            f.spans
                .iter()
                .filter(|s| s.status.is_final() && !s.unanchored)
                .map(move |s| (a, s))
        })
        .collect();
    all.sort_by_key(|(a, s)| (s.start, s.end, *a));
    // Clusters of overlapping spans.
    type Cluster<'a> = (Range<usize>, Vec<(usize, &'a Span)>);
    let mut clusters: Vec<Cluster> = Vec::new();
    for (a, s) in all {
        match clusters.last_mut() {
            Some((r, members)) if s.start < r.end => {
                r.end = r.end.max(s.end);
                members.push((a, s));
            }
            _ => clusters.push((s.start..s.end, vec![(a, s)])),
        }
    }
    clusters
        .into_iter()
        .map(|(range, members)| {
            let versions: Vec<(String, Vec<Span>)> = files
                .iter()
                .enumerate()
                .map(|(a, (name, _))| {
                    let spans = members
                        .iter()
                        .filter(|(m, _)| *m == a)
                        .map(|(_, s)| (*s).clone())
                        .collect();
                    (name.clone(), spans)
                })
                .collect();
            let kind = classify(&versions);
            Item {
                range,
                kind,
                versions,
            }
        })
        .collect()
}

fn classify(versions: &[(String, Vec<Span>)]) -> Option<Kind> {
    if versions.iter().any(|(_, v)| v.is_empty()) {
        return Some(Kind::OnlySome);
    }
    let same = |key: &dyn Fn(&Span) -> Key| {
        let first: Vec<Key> = versions[0].1.iter().map(key).collect();
        versions
            .iter()
            .all(|(_, v)| v.iter().map(key).eq(first.iter().cloned()))
    };
    if !same(&|s| (s.start, s.end, None, None)) {
        Some(Kind::DifferentBoundaries)
    } else if !same(&|s| (s.start, s.end, Some(s.label.clone()), None)) {
        Some(Kind::DifferentLabel)
    } else if !same(&|s| (s.start, s.end, Some(s.label.clone()), s.value.clone())) {
        Some(Kind::DifferentValue)
    } else {
        None
    }
}

/// What versions are compared on: range, then label, then value.
type Key = (usize, usize, Option<String>, Option<Normalized>);

/// A gold file for a document: the agreed spans, ready for the disagreements to be resolved.
pub fn gold_start(
    doc_id: &str,
    fingerprint: &str,
    items: &[Item],
    reviewer: &str,
    annotators: &[String],
) -> AnnotationFile {
    let mut gold = AnnotationFile::new(doc_id, fingerprint, GOLD);
    for item in items.iter().filter(|i| i.agreed()) {
        for s in &item.versions[0].1 {
            gold.spans.push(s.adjudicated(reviewer));
        }
    }
    gold.sort();
    gold.status = DocStatus::InProgress;
    gold.review = Some(Review {
        reviewer: reviewer.to_owned(),
        annotators: annotators.to_vec(),
        when: timestamp(),
        resolved: Vec::new(),
    });
    gold
}

/// The edit that adds to gold the spans of agreed items it lacks: where gold has nothing and
/// no decision is recorded for the item's range (an annotator's file changed on disk, and
/// what was a disagreement is now agreed). A no-op when there are none.
pub fn agreed_missing(gold: &AnnotationFile, items: &[Item], reviewer: &str) -> Action {
    let decided = |i: &Item| {
        gold.review
            .as_ref()
            .is_some_and(|r| r.resolved.contains(&(i.range.start, i.range.end)))
    };
    Action::Batch(
        items
            .iter()
            .filter(|i| i.agreed() && !decided(i))
            .filter(|i| !gold.spans.iter().any(|g| g.overlaps(&i.range)))
            .flat_map(|i| i.versions[0].1.iter())
            .map(|s| Action::Insert(s.adjudicated(reviewer)))
            .collect(),
    )
}

/// Whether the gold file records `item` as resolved (agreed items always are).
pub fn is_resolved(gold: &AnnotationFile, item: &Item) -> bool {
    item.agreed()
        || gold
            .review
            .as_ref()
            .is_some_and(|r| r.resolved.contains(&(item.range.start, item.range.end)))
}

/// The edit that resolves `item` in `gold`: the spans of `take` (an annotator's version, or
/// `None` to drop them all) replace whatever gold has there; the item is recorded as resolved.
pub fn resolve(gold: &AnnotationFile, item: &Item, take: Option<&str>, reviewer: &str) -> Action {
    let spans = take
        .and_then(|name| item.versions.iter().find(|(n, _)| n == name))
        .map(|(_, spans)| spans.iter().map(|s| s.adjudicated(reviewer)).collect())
        .unwrap_or_default();
    resolution(gold, item, spans, reviewer)
}

/// The edit that gives the gold span at `range` with `label` the value the reviewer typed.
/// When gold has no such span yet (a disagreement not resolved), the first version that has
/// it is taken, with this value, and the item is recorded as resolved, in the same step.
/// `None` when no gold span and no version has that range and label.
pub fn resolve_value(
    gold: &AnnotationFile,
    item: &Item,
    span: (Range<usize>, &str),
    value: Option<Normalized>,
    reviewer: &str,
) -> Option<Action> {
    let same = |s: &Span| s.range() == span.0 && s.label == span.1;
    if let Some(i) = gold.spans.iter().position(same) {
        let mut g = gold.spans[i].clone();
        let mut actions = Vec::new();
        if g.set_value(value, reviewer) {
            actions.push(Action::Replace(i, g));
        }
        if !is_resolved(gold, item) {
            actions.push(Action::SetReview(Some(resolved(gold, item, reviewer))));
        }
        return Some(Action::Batch(actions));
    }
    let (_, version) = item.versions.iter().find(|(_, v)| v.iter().any(same))?;
    let spans = version
        .iter()
        .map(|s| {
            let mut g = s.adjudicated(reviewer);
            if same(s) {
                g.set_value(value.clone(), reviewer);
            }
            g
        })
        .collect();
    Some(resolution(gold, item, spans, reviewer))
}

/// Gold's spans overlapping `item` replaced by `spans`, and `item` recorded as resolved.
fn resolution(gold: &AnnotationFile, item: &Item, spans: Vec<Span>, reviewer: &str) -> Action {
    let mut actions: Vec<Action> = gold
        .spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.start < item.range.end && item.range.start < s.end)
        .map(|(i, _)| i)
        .rev()
        .map(Action::Remove)
        .collect();
    actions.extend(spans.into_iter().map(Action::Insert));
    actions.push(Action::SetReview(Some(resolved(gold, item, reviewer))));
    Action::Batch(actions)
}

/// Gold's review record with `item` among the resolved, by `reviewer` now.
fn resolved(gold: &AnnotationFile, item: &Item, reviewer: &str) -> Review {
    let mut review = gold.review.clone().unwrap_or(Review {
        reviewer: reviewer.to_owned(),
        annotators: item.versions.iter().map(|(n, _)| n.clone()).collect(),
        when: timestamp(),
        resolved: Vec::new(),
    });
    review.reviewer = reviewer.to_owned();
    review.when = timestamp();
    let key = (item.range.start, item.range.end);
    if !review.resolved.contains(&key) {
        review.resolved.push(key);
        review.resolved.sort_unstable();
    }
    review
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "review_values_tests.rs"]
mod values_tests;
