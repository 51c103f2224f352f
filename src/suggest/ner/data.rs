//! Training data: texts with their entity spans (from gold JSONL, see
//! [`super::eval::examples`], or from IOB2/CoNLL files), turned into labelled char
//! sequences with the recogniser's signals.

use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;

use super::NerError;
use super::features::{Extractor, Features};
use super::model::begin_tag;
use super::train::Sequence;
use crate::suggest::entities::Recognizer;

/// A text with its entity spans (char offsets; labels outside PER/LOC/ORG/POLICY are ignored).
#[derive(Debug, Clone, Default)]
pub struct Example {
    /// Where it comes from (document id, or file and sentence number).
    pub id: String,
    /// The text.
    pub text: String,
    /// Entity spans: start, end (chars), label.
    pub spans: Vec<(usize, usize, String)>,
    /// Only these char ranges were reviewed (None: the whole text was): lines outside them
    /// are not used for training.
    pub reviewed: Option<Vec<Range<usize>>>,
    /// How many times its updates count.
    pub weight: u32,
}

impl Example {
    /// Gold tags per char of the text.
    pub fn tags(&self) -> Vec<usize> {
        let n = self.text.chars().count();
        let mut tags = vec![0; n];
        let mut spans = self.spans.clone();
        spans.sort();
        let mut covered = 0;
        for (s, e, label) in &spans {
            let Some(b) = begin_tag(label) else { continue };
            if *s < covered || s >= e || *e > n {
                continue;
            }
            tags[*s] = b;
            for t in &mut tags[s + 1..*e] {
                *t = b + 1;
            }
            covered = *e;
        }
        tags
    }
}

/// Labelled sequences (one per non-empty line) of `examples`, in parallel.
pub fn sequences(recognizer: &Recognizer, examples: &[Example]) -> Vec<Sequence> {
    examples
        .par_iter()
        .flat_map_iter(|ex| {
            let tags = ex.tags();
            let mut extractor = Extractor::default();
            recognizer
                .lines_of(&ex.text)
                .into_iter()
                .filter(|l| {
                    ex.reviewed.as_ref().is_none_or(|rs| {
                        rs.iter()
                            .any(|r| r.start < l.range.end && l.range.start < r.end)
                    })
                })
                .map(|l| {
                    let mut feats = Features::default();
                    extractor.extract(&l.signals, &mut feats);
                    Sequence {
                        feats,
                        tags: tags[l.range.clone()].to_vec(),
                        weight: ex.weight.max(1),
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Reads an IOB2 file in the CoNLL layout: one token a line (`TOKEN TAG` or the Universal NER
/// columns `INDEX TOKEN TAG …`, tab- or space-separated), a blank line between sentences,
/// `#` comment lines. Tokens are joined without spaces (Chinese). GPE counts as LOC; other
/// labels (MISC) are left out. Each sentence is one example.
pub fn read_iob(path: &Path) -> Result<Vec<Example>, NerError> {
    let text = std::fs::read_to_string(path).map_err(|source| NerError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = Vec::new();
    let mut cur = Example::default();
    let mut open: Option<(usize, String)> = None;
    let mut len = 0;
    let mut finish = |cur: &mut Example, open: &mut Option<(usize, String)>, len: &mut usize| {
        if let Some((s, l)) = open.take() {
            cur.spans.push((s, *len, l));
        }
        if !cur.text.is_empty() {
            let mut ex = std::mem::take(cur);
            ex.id = format!("{name}:{}", out.len() + 1);
            ex.weight = 1;
            out.push(ex);
        }
        *len = 0;
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            finish(&mut cur, &mut open, &mut len);
            continue;
        }
        let cols: Vec<&str> = line.split(['\t', ' ']).filter(|c| !c.is_empty()).collect();
        let (token, tag) = match cols.as_slice() {
            [t, g] => (*t, *g),
            [idx, t, g, ..] if idx.parse::<usize>().is_ok() => (*t, *g),
            _ => {
                return Err(NerError::Data {
                    path: path.to_path_buf(),
                    line: i + 1,
                    message: format!("expected TOKEN TAG or INDEX TOKEN TAG, got {line:?}"),
                });
            }
        };
        let (prefix, label) = tag.split_once('-').unwrap_or((tag, ""));
        let label = match label {
            "GPE" | "LOC" => "LOC",
            "PER" | "PERSON" => "PER",
            "ORG" => "ORG",
            "POLICY" => "POLICY",
            _ => "",
        };
        let continues = prefix == "I" && open.as_ref().is_some_and(|(_, l)| l == label);
        if !continues && let Some((s, l)) = open.take() {
            cur.spans.push((s, len, l));
        }
        if !label.is_empty() && (prefix == "B" || prefix == "I") && !continues {
            open = Some((len, label.to_owned()));
        }
        cur.text.push_str(token);
        len += token.chars().count();
    }
    finish(&mut cur, &mut open, &mut len);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_from_spans() {
        let ex = Example {
            text: "县委书记郑小东在陆家村".into(),
            spans: vec![
                (4, 7, "PER".into()),
                (8, 11, "LOC".into()),
                (9, 10, "ORG".into()), // overlaps: left out
                (0, 1, "MONEY".into()),
            ],
            ..Example::default()
        };
        assert_eq!(ex.tags(), vec![0, 0, 0, 0, 1, 2, 2, 0, 3, 4, 4]);
    }

    #[test]
    fn iob_in_both_layouts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.iob2");
        std::fs::write(
            &p,
            "# sent_id = 1\n1\t美国\tB-GPE\t-\n2\t总统\tO\t-\n3\t奥巴马\tB-PER\t-\n\n\
             北 B-ORG\n大 I-ORG\n在 O\n北 B-LOC\n京 I-LOC\n",
        )
        .unwrap();
        let ex = read_iob(&p).unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].text, "美国总统奥巴马");
        assert_eq!(
            ex[0].spans,
            vec![(0, 2, "LOC".into()), (4, 7, "PER".into())]
        );
        assert_eq!(
            ex[1].spans,
            vec![(0, 2, "ORG".into()), (3, 5, "LOC".into())]
        );
        std::fs::write(&p, "a b c d\n").unwrap();
        assert!(read_iob(&p).is_err());
    }
}
