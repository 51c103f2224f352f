//! Consistency across the corpus for one annotator (or the gold set): the same string labelled
//! differently, the same string labelled in one place and rejected or left unlabelled in
//! another, and the same figure text normalised to different values. Each group lists its
//! occurrences; a [`Decision`] on a group becomes one edit per document (see
//! [`crate::session::Edit::ApplyGroup`]).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::corpus::Corpus;
use crate::export::sentence_of;
use crate::model::AnnotationFile;
use crate::model::span::{DocStatus, Normalized, Span, Status};

/// What is inconsistent about a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The same string with different labels (白城市 as LOC here and ORG there).
    DifferentLabels,
    /// The same string labelled in one place, rejected or left unlabelled in another.
    Unlabelled,
    /// The same figure text normalised to different values.
    DifferentValues,
}

impl Kind {
    /// Short description for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Self::DifferentLabels => "different labels",
            Self::Unlabelled => "labelled here, not there",
            Self::DifferentValues => "different values",
        }
    }
}

/// How an occurrence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Accepted or added with `label`.
    Labelled,
    /// Rejected with `label`.
    Rejected,
    /// No span (or only an unreviewed suggestion) covers it.
    Unlabelled,
}

/// One occurrence of a group's string.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occurrence {
    /// Document id.
    pub doc: String,
    /// Index of the document in the corpus.
    #[serde(skip)]
    pub doc_index: usize,
    /// Char offset.
    pub start: usize,
    /// Char offset past the end.
    pub end: usize,
    /// How it stands.
    pub state: State,
    /// Its label (none when unlabelled).
    pub label: Option<String>,
    /// Its value, as text (figures).
    pub value: Option<String>,
    /// The sentence around it.
    pub sentence: String,
}

impl Occurrence {
    /// One line: document, offsets, how it stands (label, rejected, unlabelled), value,
    /// sentence.
    pub fn describe(&self) -> String {
        let what = match (self.state, &self.label) {
            (State::Labelled, Some(l)) => l.clone(),
            (State::Rejected, Some(l)) => format!("rejected {l}"),
            _ => "unlabelled".to_owned(),
        };
        let value = self
            .value
            .as_deref()
            .map_or(String::new(), |v| format!(" = {v}"));
        format!(
            "{} {}..{}  {what}{value}  {}",
            self.doc,
            self.start,
            self.end,
            self.sentence.replace('\n', " ")
        )
    }
}

/// A group of occurrences of one string that disagree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// What disagrees.
    pub kind: Kind,
    /// The string.
    pub text: String,
    /// Labels given to it, with counts.
    pub labels: BTreeMap<String, usize>,
    /// Every occurrence, in corpus order.
    pub occurrences: Vec<Occurrence>,
}

/// One decision for a whole group.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Every occurrence becomes an accepted span with this label.
    Label(String),
    /// Every labelled occurrence is rejected.
    Reject,
    /// Every labelled occurrence gets this value (figures).
    Value(Normalized),
}

/// Shortest string checked for unlabelled occurrences: one char matches everywhere.
const MIN_CHARS: usize = 2;

fn value_text(v: &Option<Normalized>) -> Option<String> {
    v.as_ref().map(|v| {
        let mut s = v.value.to_string();
        if let Some(m) = &v.value_max {
            s = format!("{s}..{m}");
        }
        if let Some(u) = &v.unit {
            s.push(' ');
            s.push_str(u);
        }
        s
    })
}

/// Finds the groups in `files` (document index in `corpus`, file). Only documents with a file
/// that was worked on (a decision made or a status set) count.
pub fn find(corpus: &Corpus, files: &[(usize, AnnotationFile)]) -> Vec<Group> {
    let worked: Vec<&(usize, AnnotationFile)> = files
        .iter()
        .filter(|(_, f)| {
            f.status != DocStatus::NotStarted
                || f.spans.iter().any(|s| s.status != Status::Suggested)
        })
        .collect();
    // Decided spans by text.
    let mut by_text: BTreeMap<&str, Vec<(usize, &Span)>> = BTreeMap::new();
    for (i, f) in &worked {
        for s in &f.spans {
            if s.unanchored {
                continue;
            }
            if matches!(
                s.status,
                Status::Accepted | Status::Added | Status::Rejected
            ) {
                by_text.entry(s.text.as_str()).or_default().push((*i, s));
            }
        }
    }
    // The worked documents, read once each.
    let docs: BTreeMap<usize, std::sync::Arc<crate::corpus::Document>> = worked
        .iter()
        .filter_map(|(i, _)| corpus.doc(*i).ok().map(|d| (*i, d)))
        .collect();
    let occurrence = |i: usize, s: &Span, state: State| Occurrence {
        doc: corpus.id(i).to_owned(),
        doc_index: i,
        start: s.start,
        end: s.end,
        state,
        label: Some(s.label.clone()),
        value: value_text(&s.value),
        sentence: docs
            .get(&i)
            .map(|d| sentence_of(d, s.start..s.end))
            .unwrap_or_default(),
    };
    let mut groups = Vec::new();
    for (text, spans) in &by_text {
        let labelled: Vec<&(usize, &Span)> =
            spans.iter().filter(|(_, s)| s.status.is_final()).collect();
        if labelled.is_empty() {
            continue;
        }
        let labels: BTreeMap<String, usize> =
            labelled.iter().fold(BTreeMap::new(), |mut m, (_, s)| {
                *m.entry(s.label.clone()).or_default() += 1;
                m
            });
        let all_labelled: Vec<Occurrence> = labelled
            .iter()
            .map(|(i, s)| occurrence(*i, s, State::Labelled))
            .collect();
        if labels.len() > 1 {
            groups.push(Group {
                kind: Kind::DifferentLabels,
                text: (*text).to_owned(),
                labels: labels.clone(),
                occurrences: all_labelled.clone(),
            });
        }
        // Values: per label, distinct normalised values.
        for label in labels.keys() {
            let values: BTreeSet<Option<String>> = labelled
                .iter()
                .filter(|(_, s)| &s.label == label && s.value.is_some())
                .map(|(_, s)| value_text(&s.value))
                .collect();
            if values.len() > 1 {
                groups.push(Group {
                    kind: Kind::DifferentValues,
                    text: (*text).to_owned(),
                    labels: BTreeMap::from([(label.clone(), labels[label])]),
                    occurrences: all_labelled
                        .iter()
                        .filter(|o| o.label.as_ref() == Some(label) && o.value.is_some())
                        .cloned()
                        .collect(),
                });
            }
        }
        // Rejected with a label it has elsewhere, or not labelled at all elsewhere.
        let mut missing: Vec<Occurrence> = spans
            .iter()
            .filter(|(_, s)| s.status == Status::Rejected && labels.contains_key(&s.label))
            .map(|(i, s)| occurrence(*i, s, State::Rejected))
            .collect();
        if text.chars().count() >= MIN_CHARS {
            for (i, f) in &worked {
                let Some(doc) = docs.get(i) else {
                    continue;
                };
                let n = text.chars().count();
                for start in crate::text::find_all(&doc.text, &doc.chars, text) {
                    let r: Range<usize> = start..start + n;
                    let covered = f.spans.iter().any(|s| {
                        s.start < r.end
                            && r.start < s.end
                            && matches!(
                                s.status,
                                Status::Accepted | Status::Added | Status::Rejected
                            )
                    });
                    if !covered && !doc.structure.overlaps_boilerplate(&r) {
                        missing.push(Occurrence {
                            doc: doc.id.clone(),
                            doc_index: *i,
                            start: r.start,
                            end: r.end,
                            state: State::Unlabelled,
                            label: None,
                            value: None,
                            sentence: sentence_of(doc, r.clone()),
                        });
                    }
                }
            }
        }
        if !missing.is_empty() {
            let mut occurrences = all_labelled.clone();
            occurrences.extend(missing);
            occurrences.sort_by_key(|o| (o.doc_index, o.start));
            groups.push(Group {
                kind: Kind::Unlabelled,
                text: (*text).to_owned(),
                labels,
                occurrences,
            });
        }
    }
    groups.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
    groups
}

/// The plain-text report `biaozhu consistency` prints.
pub fn report(groups: &[Group]) -> String {
    let mut out = String::new();
    for g in groups {
        let labels: Vec<String> = g.labels.iter().map(|(l, n)| format!("{l}×{n}")).collect();
        out.push_str(&format!(
            "{}  [{}]  {}  ({} occurrences)\n",
            g.text,
            g.kind.describe(),
            labels.join(" "),
            g.occurrences.len()
        ));
        for o in &g.occurrences {
            out.push_str(&format!("  {}\n", o.describe()));
        }
    }
    if groups.is_empty() {
        out.push_str("No inconsistencies.\n");
    }
    out
}

#[cfg(test)]
#[path = "consistency_tests.rs"]
mod tests;
