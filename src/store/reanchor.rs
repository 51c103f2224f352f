//! Re-anchoring a file to an article whose text changed: each span is looked for by its text,
//! and what moved or could not be found is reported span by span, for the analyst to confirm.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::corpus::Document;
use crate::model::span::{AnnotationFile, Change, ChangeKind};

/// One span that re-anchoring moved or could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reanchored {
    /// Its label.
    pub label: String,
    /// Its text.
    pub text: String,
    /// Where it was.
    pub from: Range<usize>,
    /// Where it is now; `None` when its text is gone (kept where it was, flagged
    /// `unanchored`).
    pub to: Option<Range<usize>>,
}

impl std::fmt::Display for Reanchored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            label, text, from, ..
        } = self;
        match &self.to {
            Some(to) => write!(
                f,
                "{label} {text:?} moved from {}..{} to {}..{}",
                from.start, from.end, to.start, to.end
            ),
            None => write!(
                f,
                "{label} {text:?} at {}..{} is gone from the text; kept, flagged unanchored",
                from.start, from.end
            ),
        }
    }
}

/// Outcome of re-anchoring a file to a changed text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReanchorReport {
    /// Spans whose text is still at the same offsets.
    pub unchanged: usize,
    /// Spans moved to another occurrence of their text.
    pub moved: Vec<Reanchored>,
    /// Spans whose text is gone: kept and flagged `unanchored`.
    pub lost: Vec<Reanchored>,
}

impl ReanchorReport {
    /// One line per moved or lost span.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.moved
            .iter()
            .chain(&self.lost)
            .map(|r| format!("the article changed since it was annotated: {r}"))
    }
}

/// Re-anchors spans to a changed text. A span still at its place stays; any other is moved to
/// the occurrence of its text nearest its old place (shifted by how far the previous span
/// moved) that no span of the same label covers yet; a span whose text is nowhere free keeps
/// its offsets (clamped) and is flagged `unanchored`, never dropped. Spans must have
/// `start < end` (see `store::validate`).
pub fn reanchor(file: &mut AnnotationFile, doc: &Document) -> ReanchorReport {
    let mut report = ReanchorReport::default();
    let len = doc.char_len();
    file.sort();
    let in_place: Vec<bool> = file
        .spans
        .iter()
        .map(|s| s.start < s.end && s.end <= len && doc.slice(s.range()) == s.text)
        .collect();
    // Per label, the places spans hold (start → end): those in place first, then each moved
    // one as it lands.
    let mut taken: HashMap<String, Places> = HashMap::new();
    for (s, _) in file.spans.iter().zip(&in_place).filter(|(_, p)| **p) {
        taken.entry(s.label.clone()).or_default().insert(s.range());
    }
    let mut occurrences: HashMap<String, Vec<usize>> = HashMap::new();
    let mut delta: isize = 0;
    for (span, here) in file.spans.iter_mut().zip(in_place) {
        if here {
            report.unchanged += 1;
            delta = 0;
            span.unanchored = false;
            continue;
        }
        let n = span.text.chars().count();
        let found = occurrences
            .entry(span.text.clone())
            .or_insert_with(|| crate::text::find_all(&doc.text, &doc.chars, &span.text));
        let places = taken.entry(span.label.clone()).or_default();
        let free = |o: usize| !places.covers(o..o + n);
        let target = (span.start as isize + delta).max(0) as usize;
        let best = nearest_free(found, target, free).filter(|_| n > 0);
        let from = span.range();
        match best {
            Some(o) => {
                delta = o as isize - span.start as isize;
                span.start = o;
                span.end = o + n;
                span.unanchored = false;
                span.changes.push(Change::now(
                    ChangeKind::Reanchored {
                        from: (from.start, from.end),
                        to: (span.start, span.end),
                    },
                    "biaozhu",
                ));
                places.insert(o..o + n);
                report.moved.push(Reanchored {
                    label: span.label.clone(),
                    text: span.text.clone(),
                    from,
                    to: Some(span.range()),
                });
            }
            None => {
                if !span.unanchored {
                    span.changes
                        .push(Change::now(ChangeKind::Unanchored, "biaozhu"));
                }
                span.unanchored = true;
                span.end = span.end.min(len);
                span.start = span.start.min(span.end.saturating_sub(1));
                report.lost.push(Reanchored {
                    label: span.label.clone(),
                    text: span.text.clone(),
                    from,
                    to: None,
                });
            }
        }
    }
    file.fingerprint = doc.fingerprint.clone();
    file.sort();
    report
}

/// The places the spans of one label hold.
#[derive(Default)]
struct Places {
    /// start → the furthest end of a span starting there.
    ends: BTreeMap<usize, usize>,
    /// The longest span: no place starting further before `r` than this can reach it.
    longest: usize,
}

impl Places {
    fn insert(&mut self, r: Range<usize>) {
        self.longest = self.longest.max(r.len());
        let e = self.ends.entry(r.start).or_insert(r.end);
        *e = (*e).max(r.end);
    }

    /// Does a place overlap `r`?
    fn covers(&self, r: Range<usize>) -> bool {
        let from = r.start.saturating_sub(self.longest);
        self.ends.range(from..r.end).any(|(_, &e)| e > r.start)
    }
}

/// The occurrence nearest `target` that is free, looking outwards from it.
fn nearest_free(found: &[usize], target: usize, free: impl Fn(usize) -> bool) -> Option<usize> {
    let split = found.partition_point(|&o| o < target);
    let (mut lo, mut hi) = (split, split);
    loop {
        let left = lo.checked_sub(1).map(|i| found[i]);
        let right = found.get(hi).copied();
        let pick = match (left, right) {
            (None, None) => return None,
            (Some(l), Some(r)) if target - l <= r - target => (l, true),
            (Some(l), None) => (l, true),
            (_, Some(r)) => (r, false),
        };
        if free(pick.0) {
            return Some(pick.0);
        }
        if pick.1 {
            lo -= 1;
        } else {
            hi += 1;
        }
    }
}
