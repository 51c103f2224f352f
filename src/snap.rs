//! Selections that snap to sensible units: a mouse selection becomes a whole figure (by the
//! figure rules: numeral, magnitude, unit; qualifiers such as 近/约/超过 stay out), the name
//! the entity rules see there, or whole words (by the segmenter); keyboard widening and
//! narrowing can move by words.

use std::ops::Range;

use crate::corpus::Document;
use crate::model::span::Normalized;
use crate::suggest::{entities, figures};

/// The line (char range, without its line break) around char offset `c`.
pub fn line_around(doc: &Document, c: usize) -> Range<usize> {
    let chars = &doc.chars;
    let b = chars.byte(c.min(doc.char_len()));
    let start_b = doc.text[..b].rfind('\n').map_or(0, |i| i + 1);
    let end_b = doc.text[b..].find('\n').map_or(doc.text.len(), |i| b + i);
    chars.char_of_byte(start_b)..chars.char_of_byte(end_b)
}

/// Word boundaries (char offsets) in the line around `c`, from the segmenter; `None` while it
/// is still loading.
pub fn word_boundaries(doc: &Document, c: usize) -> Option<Vec<usize>> {
    let recognizer = entities::ready()?;
    let line = line_around(doc, c);
    let bytes = doc.chars.byte_range(line.clone());
    let text = &doc.text[bytes.clone()];
    let mut out = vec![line.start];
    for w in recognizer.words(text) {
        out.push(doc.chars.char_of_byte(bytes.start + w.end));
    }
    out.dedup();
    Some(out)
}

/// Snaps a selection (char range) to a whole figure or to whole words. Leading and trailing
/// spaces and punctuation are dropped first. A selection that lies mostly on one figure
/// becomes exactly that figure.
pub fn snap(doc: &Document, sel: Range<usize>) -> Range<usize> {
    let sel = trim(doc, sel);
    if sel.is_empty() {
        return sel;
    }
    let line = line_around(doc, sel.start);
    if sel.end > line.end {
        return sel; // across lines: leave it as drawn
    }
    // Figures on the line.
    let line_text = doc.slice(line.clone());
    let found = figures::find(line_text, &|_| false);
    let best = found
        .iter()
        .map(|f| (line.start + f.start)..(line.start + f.end))
        .filter(|f| f.start < sel.end && sel.start < f.end)
        .max_by_key(|f| sel.end.min(f.end) - sel.start.max(f.start));
    if let Some(f) = best
        && sel.len() <= f.len() + 2
    {
        return f;
    }
    // A name the entity rules see there (陆家村, where the segmenter has 陆家 + 村).
    if let Some(recognizer) = entities::ready() {
        let map = crate::text::CharMap::new(line_text);
        let name = recognizer
            .find(line_text, &map, &|_| false, &[], None)
            .into_iter()
            .map(|e| (line.start + e.start)..(line.start + e.end))
            .find(|e| e.start <= sel.start && sel.end <= e.end);
        if let Some(e) = name {
            return stop_at_joiners(doc, &sel, e);
        }
    }
    // Whole words.
    let Some(bounds) = word_boundaries(doc, sel.start) else {
        return sel;
    };
    let start = bounds
        .iter()
        .copied()
        .filter(|&b| b <= sel.start)
        .max()
        .unwrap_or(sel.start);
    let end = bounds
        .iter()
        .copied()
        .filter(|&b| b >= sel.end)
        .min()
        .unwrap_or(sel.end);
    stop_at_joiners(doc, &sel, trim(doc, start..end))
}

/// Words that join names in a list (皓雨生态牧业等企业, 甲和乙, 甲、乙): a snap does not
/// reach across one outside the selection.
const JOINERS: [char; 3] = ['等', '和', '、'];

/// `snapped` cut back to the nearest joiner on either side of `sel`, and without one at
/// its ends. 等 and 和 count when
/// the segmenter sees them as words of their own (not in 等级 or 和平).
fn stop_at_joiners(doc: &Document, sel: &Range<usize>, snapped: Range<usize>) -> Range<usize> {
    let chars: Vec<char> = doc.slice(snapped.clone()).chars().collect();
    let bounds = word_boundaries(doc, snapped.start);
    let joiner = |c: usize| {
        let ch = chars[c - snapped.start];
        JOINERS.contains(&ch)
            && (ch == '、'
                || bounds
                    .as_ref()
                    .is_none_or(|b| b.contains(&c) && b.contains(&(c + 1))))
    };
    let start = (snapped.start..sel.start.max(snapped.start))
        .rev()
        .find(|&c| joiner(c))
        .map_or(snapped.start, |c| c + 1);
    let mut end = (sel.end.min(snapped.end)..snapped.end)
        .find(|&c| joiner(c))
        .unwrap_or(snapped.end);
    // A joiner at an end of the selection itself is an overshoot of the drag.
    let mut start = start;
    while start < end && joiner(start) {
        start += 1;
    }
    while start < end && joiner(end - 1) {
        end -= 1;
    }
    if start >= end {
        return sel.clone();
    }
    start..end
}

/// How far to move the edges of span `r` (start, end) so that one edge — the start
/// (`start_edge`) or the end — lands on the next word boundary left or right (`forward`).
pub fn word_step(
    doc: &Document,
    r: std::ops::Range<usize>,
    start_edge: bool,
    forward: bool,
) -> Option<(isize, isize)> {
    let c = if start_edge { r.start } else { r.end };
    let d = next_boundary(doc, c, forward)? as isize - c as isize;
    Some(if start_edge { (d, 0) } else { (0, d) })
}

/// The next word boundary left (`forward == false`) or right of `c` on its line.
pub fn next_boundary(doc: &Document, c: usize, forward: bool) -> Option<usize> {
    let bounds = word_boundaries(doc, c.saturating_sub(usize::from(!forward)))?;
    if forward {
        bounds.into_iter().find(|&b| b > c)
    } else {
        bounds.into_iter().rev().find(|&b| b < c)
    }
}

fn trim(doc: &Document, sel: Range<usize>) -> Range<usize> {
    let text: Vec<char> = doc.slice(sel.clone()).chars().collect();
    let junk = |c: &char| {
        c.is_whitespace()
            || (c.is_ascii_punctuation() && *c != '%')
            || "，。、；：！？“”‘’（）【】,".contains(*c)
    };
    let lead = text.iter().take_while(|c| junk(c)).count();
    let trail = text.iter().rev().take_while(|c| junk(c)).count();
    if lead == text.len() {
        return sel.start..sel.start;
    }
    sel.start + lead..sel.end - trail
}

/// The values the figure rules give the figures of a whole document, by (start, end, label):
/// found once for a document whose many spans need a value (an import), where
/// [`figure_value`] per span would read the text again for each.
pub struct FigureValues(std::collections::HashMap<(usize, usize), Vec<LabelledValue>>);

/// A figure's label and the value the rules read for it.
type LabelledValue = (&'static str, Option<Normalized>);

impl FigureValues {
    /// The figures of `doc`, each read with its line.
    pub fn of(doc: &Document) -> Self {
        let mut by_range = std::collections::HashMap::<_, Vec<_>>::new();
        for f in figures::find(&doc.text, &|_| false) {
            by_range
                .entry((f.start, f.end))
                .or_default()
                .push((f.label, f.value));
        }
        Self(by_range)
    }

    /// As [`figure_value`]: the value at exactly `range` labelled `label`, else read from the
    /// span's own text.
    pub fn get(&self, doc: &Document, range: Range<usize>, label: &str) -> Option<Normalized> {
        let found = self
            .0
            .get(&(range.start, range.end))
            .and_then(|fs| fs.iter().find(|(l, _)| *l == label))
            .map(|(_, v)| v);
        match found {
            Some(v) => v.clone(),
            None => figures::find(doc.slice(range.clone()), &|_| false)
                .into_iter()
                .find(|f| f.start == 0 && range.start + f.end == range.end && f.label == label)
                .and_then(|f| f.value),
        }
    }
}

/// The value the figure rules give a figure at exactly `range` labelled `label`, read with
/// its line (so that 近 or 超过 before it marks it approximate), else from its own text;
/// `None` where the rules see no such figure.
pub fn figure_value(doc: &Document, range: Range<usize>, label: &str) -> Option<Normalized> {
    let line = line_around(doc, range.start);
    let exact = |offset: usize, text: &str| {
        figures::find(text, &|_| false)
            .into_iter()
            .find(|f| offset + f.start == range.start && offset + f.end == range.end)
            .filter(|f| f.label == label)
            .and_then(|f| f.value)
    };
    (range.end <= line.end)
        .then(|| exact(line.start, doc.slice(line.clone())))
        .flatten()
        .or_else(|| exact(range.start, doc.slice(range.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        Document::from_text(
            "d",
            "标题\n\n白城市近年来投资近5.3亿元建设陆家村。\n第二行\n",
        )
    }

    fn pos(d: &Document, t: &str) -> Range<usize> {
        let s = d.chars.char_of_byte(d.text.find(t).unwrap());
        s..s + t.chars().count()
    }

    #[test]
    fn a_selection_inside_a_figure_becomes_the_figure() {
        entities::recognizer();
        let d = doc();
        let fig = pos(&d, "5.3亿元");
        for t in ["3亿", "5.3", "亿元", "近5.3亿元", "5.3亿元建"] {
            let r = pos(&d, t);
            assert_eq!(snap(&d, r), fig, "{t}");
        }
    }

    #[test]
    fn a_selection_inside_words_becomes_whole_words() {
        entities::recognizer();
        let d = doc();
        assert_eq!(d.slice(snap(&d, pos(&d, "城市近"))), "白城市近年来");
        assert_eq!(d.slice(snap(&d, pos(&d, "家"))), "陆家村");
        // Punctuation at the ends is dropped.
        assert_eq!(d.slice(snap(&d, pos(&d, "陆家村。"))), "陆家村");
    }

    #[test]
    fn a_snap_stops_at_joiners_between_names() {
        entities::recognizer();
        let d = Document::from_text(
            "d",
            "标题\n\n皓雨生态牧业等企业和白城市合作社、陆家村参加。\n",
        );
        for t in [
            "生态",
            "牧业",
            "牧业等",
            "皓雨生态牧业等",
            "白城",
            "合作",
            "和白城",
            "陆家",
        ] {
            let got = d.slice(snap(&d, pos(&d, t))).to_owned();
            assert!(got.contains(t.trim_matches(['等', '和'])), "{t}: {got}");
            assert!(!got.contains(['等', '和', '、']), "{t}: {got}");
        }
    }

    #[test]
    fn word_steps() {
        entities::recognizer();
        let d = doc();
        let r = pos(&d, "陆家村");
        assert_eq!(next_boundary(&d, r.end, true), Some(r.end + 1));
        let left = next_boundary(&d, r.start, false).unwrap();
        assert_eq!(d.slice(left..r.start), "建设");
    }
}
