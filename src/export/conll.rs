//! Character-level BIO in the layout of the common Chinese NER datasets: one character and
//! its tag per line, a blank line between sentences (after 。！？； and at line breaks), and
//! `-DOCSTART- O` plus a blank line at the start of each document. Whitespace characters are
//! written as `[SPACE]` and other control characters as `[CTRL]`, so that every character
//! keeps its line with two columns; a line break ends a sentence.

use std::io::Write;

use super::Item;

/// Tags for each char of the document; overlapping spans keep the earlier (longer) one.
/// Returns the tags and how many spans were left out for overlapping.
pub fn tags(item: &Item) -> (Vec<String>, usize) {
    let n = item.doc.char_len();
    let mut tags = vec!["O".to_string(); n];
    let mut taken = vec![false; n];
    let mut spans: Vec<&crate::model::Span> = item.spans.iter().collect();
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut skipped = 0;
    for s in spans {
        if taken[s.start..s.end].iter().any(|&t| t) {
            skipped += 1;
            continue;
        }
        for (k, i) in (s.start..s.end).enumerate() {
            taken[i] = true;
            tags[i] = format!("{}-{}", if k == 0 { "B" } else { "I" }, s.label);
        }
    }
    (tags, skipped)
}

/// Writes every document; returns the number of spans left out for overlapping.
pub fn write<I: std::borrow::Borrow<Item>>(
    items: impl IntoIterator<Item = I>,
    out: &mut dyn Write,
) -> std::io::Result<usize> {
    let mut skipped = 0;
    for item in items {
        let item = item.borrow();
        let (tags, sk) = tags(item);
        skipped += sk;
        writeln!(out, "-DOCSTART- O")?;
        writeln!(out)?;
        let mut open = false;
        for (c, tag) in item.doc.text.chars().zip(&tags) {
            if c == '\n' {
                if open {
                    writeln!(out)?;
                    open = false;
                }
                continue;
            }
            if c.is_whitespace() {
                writeln!(out, "[SPACE] {tag}")?;
            } else if c.is_control() {
                // \x1c–\x1f and other control characters: readers that split lines on
                // whitespace (Python's str.split) would see one column.
                writeln!(out, "[CTRL] {tag}")?;
            } else {
                writeln!(out, "{c} {tag}")?;
            }
            open = true;
            if matches!(c, '。' | '！' | '？' | '；') {
                writeln!(out)?;
                open = false;
            }
        }
        if open {
            writeln!(out)?;
        }
    }
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::model::span::{DocStatus, Origin, Span, Status};

    #[test]
    fn every_line_has_two_columns_whatever_the_characters() {
        let doc = Document::from_text("d", "白城\x1c市\x1f投入\t5亿元\u{3000}。\u{85}x");
        let item = Item {
            doc: std::sync::Arc::new(doc.clone()),
            spans: vec![Span::new(&doc.text, 0, 4, "LOC", Status::Added, Origin::Manual).unwrap()],
            status: DocStatus::Done,
            annotator: "a".into(),
        };
        let mut out = Vec::new();
        write(std::slice::from_ref(&item), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        // Split as Python's str.split() does: Unicode whitespace plus \x1c-\x1f.
        let py_split = |l: &str| {
            l.split(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
                .filter(|w| !w.is_empty())
                .count()
        };
        for line in out.lines().filter(|l| !l.is_empty()) {
            assert_eq!(py_split(line), 2, "{line:?} in\n{out}");
        }
        assert!(out.contains("[CTRL] I-LOC\n"), "{out}");
    }
}
