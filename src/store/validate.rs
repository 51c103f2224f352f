//! Checks every span of a file as it is read: a range that exists, a label that exports can
//! write, a text that matches the article. A bad span is reported with the file and line and
//! left out of the work; the file on disk is then protected from being overwritten.

use std::path::{Path, PathBuf};

use crate::corpus::Document;
use crate::model::span::AnnotationFile;

/// Something wrong in an annotation file: where, and whether a span was left out for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what was done about it.
    pub message: String,
    /// A span was left out of the work (the file is then never overwritten).
    pub left_out: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// A label name every export can write: `[A-Z0-9_]+`, and not `O` (CoNLL's "outside").
pub fn well_formed_label(label: &str) -> bool {
    !label.is_empty()
        && label != "O"
        && label.len() <= 64
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

/// A label a schema may define: no whitespace or control characters (they would split CoNLL
/// columns and brat fields), not empty, not `O`.
pub fn safe_label(label: &str) -> bool {
    !label.is_empty()
        && label != "O"
        && label.chars().count() <= 64
        && !label.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Why a label cannot be used, or `None` when it can: labels of the schema (`known`) and
/// labels of the form `[A-Z0-9_]+` are accepted.
pub fn label_error(label: &str, known: &[String]) -> Option<String> {
    if (known.iter().any(|k| k == label) && safe_label(label)) || well_formed_label(label) {
        return None;
    }
    Some(format!(
        "label {label:?} is not in the schema and not of the form [A-Z0-9_]+ (nor \"O\")"
    ))
}

/// Checks the spans of `file`, read from `src` at `path`, against `doc`; removes the bad ones
/// and returns what was found (a label outside the schema is reported and kept).
pub(super) fn check(
    path: &Path,
    src: &str,
    file: &mut AnnotationFile,
    doc: &Document,
    known: &[String],
) -> Vec<Problem> {
    let lines = span_lines(src);
    let same_text = file.fingerprint == doc.fingerprint;
    let len = doc.char_len();
    let mut problems = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    let mut keep = vec![true; file.spans.len()];
    for (k, s) in file.spans.iter().enumerate() {
        let bad = if s.start >= s.end {
            Some(format!("span {}..{} is empty or reversed", s.start, s.end))
        } else if same_text && s.end > len {
            Some(format!(
                "span {}..{} goes past the end of the article ({len} chars)",
                s.start, s.end
            ))
        } else if same_text && !s.unanchored && doc.slice(s.range()) != s.text {
            Some(format!(
                "span {}..{} says {:?} but the article has {:?} there",
                s.start,
                s.end,
                s.text,
                doc.slice(s.range())
            ))
        } else if let Some(e) = label_error(&s.label, known) {
            Some(e)
        } else {
            if !known.iter().any(|l| l == &s.label) && !unknown.contains(&s.label.as_str()) {
                unknown.push(&s.label);
            }
            None
        };
        if let Some(message) = bad {
            keep[k] = false;
            problems.push(Problem {
                path: path.to_path_buf(),
                line: lines.get(k).copied(),
                message: format!("{message}; left out (the file is not overwritten until fixed)"),
                left_out: true,
            });
        }
    }
    for label in unknown {
        problems.push(Problem {
            path: path.to_path_buf(),
            line: None,
            message: format!("label {label:?} is not in the schema; kept as it is"),
            left_out: false,
        });
    }
    let mut k = 0;
    file.spans.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    if let Some(review) = &mut file.review {
        let before = review.resolved.len();
        review.resolved.retain(|&(a, b)| a < b);
        if review.resolved.len() < before {
            problems.push(Problem {
                path: path.to_path_buf(),
                line: None,
                message: "review: an empty or reversed resolved range; left out".into(),
                left_out: true,
            });
        }
    }
    problems
}

/// The 1-based line where each element of the file's `spans: [...]` list starts (a small
/// scanner over RON: strings, chars, comments and brackets); empty when the list is not found.
pub(super) fn span_lines(src: &str) -> Vec<usize> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line, mut depth) = (0, 1, 0usize);
    // Where `spans` was seen (at depth 1) and the list's depth once its `[` opened.
    let mut saw_key = false;
    let mut list: Option<usize> = None;
    let mut expecting = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => line += 1,
            b'"' | b'\'' => {
                if list.is_some_and(|d| depth == d) && expecting {
                    out.push(line);
                    expecting = false;
                }
                i += 1;
                while i < b.len() && b[i] != c {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    if i < b.len() && b[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut nest = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        nest += 1;
                        i += 1;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        nest -= 1;
                        i += 1;
                        if nest == 0 {
                            i += 1;
                            break;
                        }
                    } else if b[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                continue;
            }
            b'(' | b'[' | b'{' => {
                if list.is_some_and(|d| depth == d) && expecting {
                    out.push(line);
                    expecting = false;
                }
                depth += 1;
                if c == b'[' && saw_key && list.is_none() {
                    list = Some(depth);
                    expecting = true;
                }
            }
            b')' | b']' | b'}' => {
                if list == Some(depth) {
                    return out;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if list.is_some_and(|d| depth == d) => expecting = true,
            c if c.is_ascii_whitespace() || c == b':' => {}
            _ => {
                if list.is_some_and(|d| depth == d) && expecting {
                    out.push(line);
                    expecting = false;
                }
                if depth == 1 && list.is_none() && src[i..].starts_with("spans") {
                    let after = src[i + 5..].trim_start();
                    if after.starts_with(':') {
                        saw_key = true;
                    }
                }
                // Skip the rest of an identifier or number.
                while i + 1 < b.len() && (b[i + 1].is_ascii_alphanumeric() || b[i + 1] == b'_') {
                    i += 1;
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        for ok in ["MONEY", "LOC", "B2B", "NEW_LABEL"] {
            assert!(well_formed_label(ok), "{ok}");
        }
        for bad in [
            "",
            "O",
            "two words",
            "TAB\tX",
            "NL\nX",
            "money",
            "A-B",
            "标签",
        ] {
            assert!(!well_formed_label(bad), "{bad:?}");
        }
        let known = vec!["Money".to_string(), "bad label".to_string()];
        assert!(label_error("Money", &known).is_none());
        assert!(label_error("bad label", &known).is_some());
        assert!(label_error("FOO", &known).is_none());
        assert!(label_error("foo", &known).is_some());
    }

    #[test]
    fn finds_the_line_of_each_span() {
        let src = "(\n  format: 1,\n  doc: \"d\",\n  note: \"spans: [\",\n  spans: [\n    (start: 1, text: \"a,(b\"),\n    // (start: 9)\n    (start: 2),\n    /* ( */ (start: 3), (start: 4),\n  ],\n)\n";
        assert_eq!(span_lines(src), vec![6, 8, 9, 9]);
        assert_eq!(span_lines("(spans: [])"), Vec::<usize>::new());
        assert_eq!(span_lines("garbage ] ) ("), Vec::<usize>::new());
        assert_eq!(
            span_lines("(spans:[Span(start:1),Span(start:2)])"),
            vec![1, 1]
        );
    }
}
