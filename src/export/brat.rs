//! brat standoff: `<id>.txt` and `<id>.ann` per document. T lines carry char offsets (a span
//! across a line break becomes fragments); figure values go in AnnotatorNotes.

use std::path::Path;

use super::{Item, last_change};
use crate::error::StoreError;
use crate::store::write_atomic;

/// Characters that end a line for common readers of `.ann` files (Python's
/// `str.splitlines`): a fragment never spans one.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// The `.ann` contents for a document.
pub fn ann(item: &Item) -> String {
    let mut out = String::new();
    let mut note = 0;
    for (i, s) in item.spans.iter().enumerate() {
        let t = i + 1;
        // Fragments split at line breaks: brat needs each fragment on one line.
        let mut frags = Vec::new();
        let mut start = s.start;
        for (k, c) in s.text.chars().enumerate() {
            if is_line_break(c) {
                if s.start + k > start {
                    frags.push((start, s.start + k));
                }
                start = s.start + k + 1;
            }
        }
        if s.end > start {
            frags.push((start, s.end));
        }
        let offsets: Vec<String> = frags.iter().map(|(a, b)| format!("{a} {b}")).collect();
        let text: Vec<String> = frags
            .iter()
            .map(|&(a, b)| item.doc.slice(a..b).to_owned())
            .collect();
        out.push_str(&format!(
            "T{t}\t{} {}\t{}\n",
            s.label,
            offsets.join(";"),
            text.join(" ")
        ));
        let mut parts = Vec::new();
        if let Some(v) = &s.value {
            parts.push(format!("value={}", v.value));
            if let Some(m) = &v.value_max {
                parts.push(format!("value_max={m}"));
            }
            if let Some(u) = &v.unit {
                parts.push(format!("unit={u}"));
            }
            parts.push(format!("approx={}", v.approx));
        }
        let (who, when) = last_change(s);
        parts.push(format!("status={}", s.status.name()));
        parts.push(format!("provenance={}", s.provenance()));
        let edits = s.edits();
        if !edits.is_empty() {
            parts.push(format!("edited={}", edits.join(",")));
        }
        parts.push(format!("origin={}", s.origin.name()));
        if let (Some(w), Some(t)) = (who, when) {
            parts.push(format!("by={w}"));
            parts.push(format!("when={t}"));
        }
        if let Some(n) = &s.note {
            parts.push(format!(
                "note={}",
                n.replace(|c: char| is_line_break(c) || c == '\t', " ")
            ));
        }
        note += 1;
        out.push_str(&format!(
            "#{note}\tAnnotatorNotes T{t}\t{}\n",
            parts.join(" ")
        ));
    }
    out
}

/// `MANIFEST.tsv`: per document its text fingerprint (so a dataset user can check that the
/// text they hold is the one the offsets refer to), annotator and review status.
pub fn manifest(items: &[Item]) -> String {
    let mut out = String::from(MANIFEST_HEADER);
    for item in items {
        out.push_str(&manifest_line(item));
    }
    out
}

const MANIFEST_HEADER: &str = "document\tfingerprint\tannotator\tstatus\n";

fn manifest_line(item: &Item) -> String {
    format!(
        "{}\t{}\t{}\t{}\n",
        item.doc.id,
        item.doc.fingerprint,
        item.annotator,
        item.status.name()
    )
}

/// Writes the pair of files for every document into `dir`, and `MANIFEST.tsv`.
pub fn write<I: std::borrow::Borrow<Item>>(
    items: impl IntoIterator<Item = I>,
    dir: &Path,
) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.into(),
        action: "cannot create folder",
        source,
    })?;
    let mut manifest = String::from(MANIFEST_HEADER);
    for item in items {
        let item = item.borrow();
        manifest.push_str(&manifest_line(item));
        write_atomic(
            &dir.join(format!("{}.txt", item.doc.id)),
            item.doc.text.as_bytes(),
        )?;
        write_atomic(
            &dir.join(format!("{}.ann", item.doc.id)),
            ann(item).as_bytes(),
        )?;
    }
    write_atomic(&dir.join("MANIFEST.tsv"), manifest.as_bytes())?;
    Ok(())
}
