//! Consistency across the corpus for one annotator (or the gold set): the same string labelled
//! differently, the same string labelled in one place and rejected or left unlabelled in
//! another, and the same figure text normalised to different values. Each group lists its
//! occurrences; a [`Decision`] on a group becomes one edit per document (see
//! [`crate::session::Edit::ApplyGroup`]).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::corpus::{Corpus, Document};
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
    /// An unreviewed suggestion with `label`, exactly there.
    Suggested,
    /// No span covers it, and it stands on its own (see [`stands_alone`]).
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
            (State::Suggested, Some(l)) => format!("suggested as {l}"),
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
    /// Every occurrence becomes an accepted span with this label: labelled and rejected
    /// spans are relabelled, suggestions accepted (keeping their origin), and a new span is
    /// added where no span overlaps.
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
                    if doc.structure.overlaps_boilerplate(&r) {
                        continue;
                    }
                    let over: Vec<&Span> = f
                        .spans
                        .iter()
                        .filter(|s| s.start < r.end && r.start < s.end && !s.unanchored)
                        .collect();
                    let (state, label) = match over.as_slice() {
                        [] if stands_alone(doc, &r) => (State::Unlabelled, None),
                        [s] if s.status == Status::Suggested && s.range() == r => {
                            (State::Suggested, Some(s.label.clone()))
                        }
                        // Labelled there already (listed above), or part of another span.
                        _ => continue,
                    };
                    missing.push(Occurrence {
                        doc: doc.id.clone(),
                        doc_index: *i,
                        start: r.start,
                        end: r.end,
                        state,
                        label,
                        value: None,
                        sentence: sentence_of(doc, r.clone()),
                    });
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

/// Whether the text at `r` is a whole unit of its own, not part of a longer one: not inside
/// a 《…》 title, not glued to digits (14亿元 in 3.14亿元), not inside a longer figure or a
/// longer name the rules see there (吉林 in 吉林省委), and — once the segmenter is loaded —
/// starting and ending on word boundaries (白城市 in 白城市委组织部).
pub fn stands_alone(doc: &Document, r: &Range<usize>) -> bool {
    let line = crate::snap::line_around(doc, r.start);
    if r.end > line.end {
        return false;
    }
    let line_text = doc.slice(line.clone());
    let chars: Vec<char> = line_text.chars().collect();
    let (a, b) = (r.start - line.start, r.end - line.start);
    let opened = chars[..a].iter().rposition(|&c| c == '《');
    let closed = chars[..a].iter().rposition(|&c| c == '》');
    if opened.is_some_and(|o| closed.is_none_or(|c| c < o)) && chars[b..].contains(&'》') {
        return false;
    }
    let glued = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | '．'));
    let digit = |c: Option<&char>| c.is_some_and(char::is_ascii_digit);
    if (digit(chars.get(a)) && a > 0 && glued(chars.get(a - 1)))
        || (digit(chars.get(b.wrapping_sub(1))) && glued(chars.get(b)))
    {
        return false;
    }
    let longer = |f: Range<usize>| f.start <= a && b <= f.end && f.len() > b - a;
    if crate::suggest::figures::find(line_text, &|_| false)
        .iter()
        .any(|f| longer(f.start..f.end))
    {
        return false;
    }
    if let Some(rec) = crate::suggest::entities::ready() {
        let map = crate::text::CharMap::new(line_text);
        if rec
            .find(line_text, &map, &|_| false, &[], None)
            .iter()
            .any(|e| longer(e.start..e.end))
        {
            return false;
        }
    }
    crate::snap::word_boundaries(doc, r.start)
        .is_none_or(|w| w.contains(&r.start) && w.contains(&r.end))
}

/// What one decision does in one file: spans removed, changed (index, new version) and
/// added, and the occurrences it leaves alone.
#[derive(Debug, Default)]
pub struct Plan {
    /// Spans to remove (indices).
    pub removed: Vec<usize>,
    /// Spans to change: (index, new version).
    pub changed: Vec<(usize, Span)>,
    /// Spans to add.
    pub added: Vec<Span>,
    /// Occurrences left alone: another span overlaps, or the file no longer matches.
    pub skipped: Vec<Occurrence>,
}

/// What `decision` does to `occurrences` in `file` (the document's text `text`), decided by
/// `who`: labelled and rejected spans are relabelled (or rejected, or given the value), an
/// unreviewed suggestion is accepted with the label (its origin and original form kept), and
/// a new span is added only where no span overlaps; what cannot be done is skipped.
pub fn plan(
    file: &AnnotationFile,
    occurrences: &[Occurrence],
    decision: &Decision,
    text: &str,
    schema: &crate::schema::Schema,
    who: &str,
) -> Plan {
    let mut out = Plan::default();
    for o in occurrences {
        let found = file.spans.iter().position(|s| {
            s.start == o.start
                && s.end == o.end
                && Some(&s.label) == o.label.as_ref()
                && match o.state {
                    State::Labelled => s.status.is_final(),
                    State::Rejected => s.status == Status::Rejected,
                    State::Suggested => s.status == Status::Suggested,
                    State::Unlabelled => false,
                }
        });
        if let Some(k) = found {
            let mut s = file.spans[k].clone();
            let done = match decision {
                Decision::Label(l) => s.relabel(l, schema, who),
                Decision::Reject => s.reject(who),
                Decision::Value(v) => s.status.is_final() && s.set_value(Some(v.clone()), who),
            };
            if done {
                out.changed.push((k, s));
            }
            continue;
        }
        match (decision, o.state) {
            (Decision::Label(l), State::Unlabelled) => {
                let free = !file
                    .spans
                    .iter()
                    .any(|s| s.start < o.end && o.start < s.end);
                match Span::added(text, o.start..o.end, l, who) {
                    Ok(span) if free => out.added.push(span),
                    _ => out.skipped.push(o.clone()),
                }
            }
            (_, State::Unlabelled) | (Decision::Value(_), _) => {}
            _ => out.skipped.push(o.clone()),
        }
    }
    out
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
