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

/// How many occurrences on each side of a span's old place are considered.
const NEAREST: usize = 16;

/// Re-anchors spans to a changed text. A span still at its place stays. The others are taken
/// in runs (the spans between two that stayed): an edit shifts what follows it by one amount,
/// so the shift most spans of a run agree on is applied first, to every span whose text is
/// found shifted so; the rest go to the occurrence of their text nearest their shifted place.
/// A span never lands where a span of the same label already is; one whose text is nowhere
/// free keeps its offsets (clamped) and is flagged `unanchored`, never dropped. Spans must have
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
    // Per label, the places spans hold: those in place first, then each moved one.
    let mut taken: HashMap<String, Places> = HashMap::new();
    for (s, _) in file.spans.iter().zip(&in_place).filter(|(_, p)| **p) {
        taken.entry(s.label.clone()).or_default().insert(s.range());
    }
    report.unchanged = in_place.iter().filter(|p| **p).count();
    let mut occurrences: HashMap<String, Vec<usize>> = HashMap::new();
    for s in file
        .spans
        .iter()
        .zip(&in_place)
        .filter(|(_, p)| !**p)
        .map(|(s, _)| s)
    {
        occurrences
            .entry(s.text.clone())
            .or_insert_with(|| crate::text::find_all(&doc.text, &doc.chars, &s.text));
    }
    let mut target: Vec<Option<usize>> = vec![None; file.spans.len()];
    let mut k = 0;
    while k < file.spans.len() {
        if in_place[k] {
            file.spans[k].unanchored = false;
            k += 1;
            continue;
        }
        let run_start = k;
        while k < file.spans.len() && !in_place[k] {
            k += 1;
        }
        place_run(
            &file.spans,
            run_start..k,
            &occurrences,
            &mut taken,
            &mut target,
        );
    }
    for (span, to) in file
        .spans
        .iter_mut()
        .zip(target)
        .zip(&in_place)
        .filter(|(_, p)| !**p)
        .map(|(x, _)| x)
    {
        let from = span.range();
        let n = span.text.chars().count();
        match to {
            Some(o) => {
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

/// Places the spans `run` (none of them in place): the shifts most of them agree on first,
/// then each remaining one at its nearest free occurrence. Sets `target[k]`.
fn place_run(
    spans: &[crate::model::Span],
    run: Range<usize>,
    occurrences: &HashMap<String, Vec<usize>>,
    taken: &mut HashMap<String, Places>,
    target: &mut [Option<usize>],
) {
    let near = |k: usize| -> &[usize] {
        let found = &occurrences[&spans[k].text];
        let at = found.partition_point(|&o| o < spans[k].start);
        &found[at.saturating_sub(NEAREST)..(at + NEAREST).min(found.len())]
    };
    let mut left: Vec<usize> = run.filter(|&k| !spans[k].text.is_empty()).collect();
    let mut shift: isize = 0;
    // A few rounds: one per edit that shifted a part of the run.
    for _ in 0..8 {
        let mut support: HashMap<isize, usize> = HashMap::new();
        for &k in &left {
            let mut seen: Vec<isize> = near(k)
                .iter()
                .map(|&o| o as isize - spans[k].start as isize)
                .collect();
            seen.dedup();
            for d in seen {
                *support.entry(d).or_default() += 1;
            }
        }
        let Some((&best, &count)) = support.iter().max_by_key(|(d, c)| {
            (
                **c,
                std::cmp::Reverse(d.unsigned_abs()),
                std::cmp::Reverse(**d),
            )
        }) else {
            break;
        };
        if count < 2 {
            break;
        }
        let before = left.len();
        left.retain(|&k| {
            let s = &spans[k];
            let o = s.start as isize + best;
            let n = s.text.chars().count();
            let places = taken.entry(s.label.clone()).or_default();
            if o >= 0
                && near(k).contains(&(o as usize))
                && !places.covers(o as usize..o as usize + n)
            {
                places.insert(o as usize..o as usize + n);
                target[k] = Some(o as usize);
                false
            } else {
                true
            }
        });
        shift = best;
        if left.len() == before {
            break;
        }
    }
    for k in left {
        let s = &spans[k];
        let n = s.text.chars().count();
        let places = taken.entry(s.label.clone()).or_default();
        let want = (s.start as isize + shift).max(0) as usize;
        if let Some(o) = nearest_free(&occurrences[&s.text], want, |o| !places.covers(o..o + n)) {
            places.insert(o..o + n);
            target[k] = Some(o);
            shift = o as isize - s.start as isize;
        }
    }
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
