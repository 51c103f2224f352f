//! The analyst's correction of a detected structure: the title, the body range, ranges marked
//! as boilerplate or as the article's text. It is data to keep beside the annotations (RON:
//! `(title: Some(Some((start: 0, end: 12))), body: Some((start: 20, end: 900)), boilerplate:
//! [], text: [(start: 3, end: 9)])`) and to apply over each fresh detection, so that a better
//! detector never undoes what the analyst decided. Setting one is a value swap, so an edit that
//! replaces the old correction by the new one is undone by swapping back.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::Structure;

/// What the analyst changed in a document's structure; `None` and empty fields keep the
/// detection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// The title: `Some(Some(range))` a chosen line, `Some(None)` no title at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Option<Range<usize>>>,
    /// The body's range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Range<usize>>,
    /// Ranges marked as boilerplate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boilerplate: Vec<Range<usize>>,
    /// Ranges marked as the article's text: detected boilerplate there is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<Range<usize>>,
}

/// A correction that does not fit its document (made for another version of the text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("structure correction: range {start}..{end} does not fit a text of {len} chars")]
pub struct CorrectionError {
    /// The range's start.
    pub start: usize,
    /// The range's end.
    pub end: usize,
    /// The text's length in chars.
    pub len: usize,
}

impl Correction {
    /// Does it change nothing?
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn ranges(&self) -> impl Iterator<Item = &Range<usize>> {
        let title = self.title.as_ref().and_then(Option::as_ref);
        title
            .into_iter()
            .chain(&self.body)
            .chain(&self.boilerplate)
            .chain(&self.text)
    }
}

impl Structure {
    /// This structure with `c` applied, for a text of `len` chars. The analyst's title and
    /// text are never boilerplate; the notes are dropped, since a person has looked.
    pub fn corrected(&self, c: &Correction, len: usize) -> Result<Structure, CorrectionError> {
        if let Some(r) = c.ranges().find(|r| r.start > r.end || r.end > len) {
            return Err(CorrectionError {
                start: r.start,
                end: r.end,
                len,
            });
        }
        let mut s = self.clone();
        if c.is_empty() {
            return Ok(s);
        }
        if let Some(t) = &c.title {
            s.title = t.clone();
        }
        if let Some(b) = &c.body {
            s.body = b.clone();
        }
        let mut boiler: Vec<Range<usize>> = s.boilerplate.clone();
        boiler.extend(c.boilerplate.iter().cloned());
        let keep: Vec<Range<usize>> = c.text.iter().cloned().chain(s.title.clone()).collect();
        s.boilerplate = normalise(subtract(boiler, &keep));
        s.notes.clear();
        Ok(s)
    }
}

/// `ranges` without any char of `holes`.
fn subtract(ranges: Vec<Range<usize>>, holes: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = ranges;
    for h in holes.iter().filter(|h| !h.is_empty()) {
        out = out
            .into_iter()
            .flat_map(|r| {
                let left = r.start..r.end.min(h.start);
                let right = r.start.max(h.end)..r.end;
                [left, right].into_iter().filter(|x| !x.is_empty())
            })
            .collect();
    }
    out
}

/// Sorted, with overlapping and touching ranges merged, empty ones dropped.
fn normalise(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::Note;

    fn detected() -> Structure {
        Structure {
            title: Some(10..20),
            body: 25..100,
            boilerplate: vec![0..8, 40..50, 100..120],
            notes: vec![Note::TitleUnsure],
            ..Structure::default()
        }
    }

    #[test]
    fn nothing_to_correct_keeps_the_detection() {
        let s = detected();
        assert_eq!(s.corrected(&Correction::default(), 120), Ok(s));
    }

    #[test]
    fn title_body_and_ranges_override_the_detection() {
        let c = Correction {
            title: Some(Some(0..6)),
            body: Some(10..118),
            boilerplate: vec![118..120, 60..70],
            text: std::iter::once(42..45).collect(),
        };
        let s = detected().corrected(&c, 120).unwrap();
        assert_eq!(s.title, Some(0..6));
        assert_eq!(s.body, 10..118);
        // The chosen title is not boilerplate; 42..45 marked as text splits 40..50; the marked
        // 118..120 merges into 100..120.
        assert_eq!(s.boilerplate, [6..8, 40..42, 45..50, 60..70, 100..120]);
        assert!(s.notes.is_empty());
        // No title at all.
        let none = Correction {
            title: Some(None),
            ..Correction::default()
        };
        assert_eq!(detected().corrected(&none, 120).unwrap().title, None);
    }

    #[test]
    fn a_correction_for_another_text_is_refused() {
        let c = Correction {
            body: Some(10..500),
            ..Correction::default()
        };
        assert_eq!(
            detected().corrected(&c, 120),
            Err(CorrectionError {
                start: 10,
                end: 500,
                len: 120
            })
        );
    }

    #[test]
    fn round_trips_through_ron() {
        let c = Correction {
            title: Some(None),
            body: Some(3..40),
            boilerplate: std::iter::once(0..2).collect(),
            text: vec![],
        };
        let text = ron::to_string(&c).unwrap();
        assert_eq!(ron::from_str::<Correction>(&text).unwrap(), c);
        assert_eq!(
            ron::from_str::<Correction>("()").unwrap(),
            Correction::default()
        );
    }
}
