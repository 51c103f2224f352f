//! Char offsets. Every offset the product stores or prints is a Unicode scalar (char) offset;
//! this module is the only place that converts between char offsets and byte offsets.

use std::ops::Range;

/// Maps char offsets to byte offsets (and back) for one text.
///
/// Built once per document; lookups are O(1) for char→byte and O(log n) for byte→char.
#[derive(Debug, Clone, Default)]
pub struct CharMap {
    /// `bytes[i]` is the byte offset of char `i`; the last entry is the text's byte length.
    bytes: Vec<u32>,
}

impl CharMap {
    /// Builds the map for `text`.
    pub fn new(text: &str) -> Self {
        let mut bytes: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        bytes.push(text.len() as u32);
        Self { bytes }
    }

    /// Number of chars in the text.
    pub fn char_len(&self) -> usize {
        self.bytes.len() - 1
    }

    /// Byte offset of char offset `c` (clamped to the text's end).
    pub fn byte(&self, c: usize) -> usize {
        self.bytes[c.min(self.char_len())] as usize
    }

    /// Byte range of a char range (clamped to the text; a reversed range becomes empty, so
    /// slicing with it never panics).
    pub fn byte_range(&self, r: Range<usize>) -> Range<usize> {
        let start = self.byte(r.start);
        start..self.byte(r.end).max(start)
    }

    /// Char offset of byte offset `b`; a byte inside a char maps to that char.
    pub fn char_of_byte(&self, b: usize) -> usize {
        match self.bytes.binary_search(&(b as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// Number of chars in `s`.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The chars `r` of `text`, by char offsets (clamped to the text).
pub fn char_slice(text: &str, r: Range<usize>) -> &str {
    let mut it = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let start = it.nth(r.start).unwrap_or(text.len());
    let end = if r.end > r.start {
        it.nth(r.end - r.start - 1).unwrap_or(text.len())
    } else {
        start
    };
    &text[start..end.max(start)]
}

/// Byte offset → char offset for a single conversion (use [`CharMap`] for many).
pub fn byte_to_char(text: &str, b: usize) -> usize {
    text[..b.min(text.len())].chars().count()
}

/// Char offsets of every occurrence of `needle` in `text` (non-overlapping, in order);
/// `map` is the text's [`CharMap`], built once by the caller.
pub fn find_all(text: &str, map: &CharMap, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .map(|(b, _)| map.char_of_byte(b))
        .collect()
}

/// Line start offsets (char offsets) and each line's char range, without the `\n`.
pub fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    for ch in text.chars() {
        if ch == '\n' {
            out.push(start..i);
            start = i + 1;
        }
        i += 1;
    }
    out.push(start..i);
    out
}

/// Ranges sorted by start, with the furthest end reached so far: whether any of them
/// overlaps a range is a binary search (a text may bring 100,000 spans).
#[derive(Debug, Clone, Default)]
pub struct Overlaps {
    spans: Vec<(usize, usize)>,
    reach: Vec<usize>,
}

impl Overlaps {
    /// The index of `ranges` (start, end exclusive).
    pub fn new(ranges: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut spans: Vec<(usize, usize)> = ranges.into_iter().collect();
        spans.sort_unstable();
        let reach = spans
            .iter()
            .scan(0, |m, &(_, e)| {
                *m = (*m).max(e);
                Some(*m)
            })
            .collect();
        Self { spans, reach }
    }

    /// Whether some range shares a position with `start..end`.
    pub fn any(&self, start: usize, end: usize) -> bool {
        let k = self.spans.partition_point(|&(s, _)| s < end);
        k > 0 && self.reach[k - 1] > start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_chinese_and_astral_chars() {
        let text = "a𠮟5.3亿元\n";
        let map = CharMap::new(text);
        assert_eq!(map.char_len(), 8);
        assert_eq!(map.byte(1), 1);
        assert_eq!(map.byte(2), 5); // 𠮟 is four bytes
        assert_eq!(char_slice(text, 2..7), "5.3亿元");
        assert_eq!(&text[map.byte_range(2..7)], "5.3亿元");
        assert_eq!(map.char_of_byte(5), 2);
        assert_eq!(map.char_of_byte(3), 1); // inside 𠮟
        assert_eq!(byte_to_char(text, 5), 2);
    }

    #[test]
    fn finds_all_occurrences_by_char_offset() {
        let t = "白城市和白城市";
        assert_eq!(find_all(t, &CharMap::new(t), "白城市"), vec![0, 4]);
        assert!(find_all("abc", &CharMap::new("abc"), "").is_empty());
    }

    #[test]
    fn splits_lines() {
        assert_eq!(line_ranges("ab\n\n中文"), vec![0..2, 3..3, 4..6]);
    }

    #[test]
    fn slices_out_of_range_clamp() {
        assert_eq!(char_slice("中文", 1..9), "文");
        assert_eq!(char_slice("中文", 5..9), "");
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 2..1;
        let map = CharMap::new("中文");
        assert_eq!(map.byte_range(reversed.clone()), 6..6);
        assert_eq!(&"中文"[map.byte_range(reversed)], "");
    }

    #[test]
    fn overlaps_answer_whether_any_range_meets_another() {
        let o = Overlaps::new([(10, 20), (2, 4), (12, 14)]);
        assert!(o.any(3, 5) && o.any(19, 30) && o.any(0, 3) && o.any(13, 14));
        assert!(!o.any(4, 10) && !o.any(20, 25) && !o.any(0, 2));
        assert!(!Overlaps::new([]).any(0, 100));
    }
}
