//! Character-level BIO in the layout of the common Chinese NER datasets: one character and
//! its tag per line, a blank line between sentences (after 。！？； and at line breaks), and
//! `-DOCSTART- O` plus a blank line at the start of each document. Whitespace characters are
//! written as `[SPACE]` so that every character keeps its line; a line break ends a sentence.

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
pub fn write(items: &[Item], out: &mut dyn Write) -> std::io::Result<usize> {
    let mut skipped = 0;
    for item in items {
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
