//! Evaluating a suggester that learns from gold documents: cross-validation (each document is
//! predicted by a suggester built without it) and the learning curve of a simulated analyst
//! (documents annotated one by one in file order; after k of them, the rest are predicted).
//!
//! What is learned and how is the caller's: a [`Build`] closure turns the training documents
//! into a suggester. The predictions are scored by [`super::score`] like any others, so the
//! figures of every evaluation are computed the same way.

use crate::corpus::Document;

use super::{SpansByDoc, Suggester, predict};

/// Builds a suggester from training documents (their gold is the closure's to look up).
pub type Build<'a> = dyn Fn(&[&Document]) -> Box<Suggester<'a>> + Sync + 'a;

/// Out-of-fold predictions for every document: document `i` is in fold `i mod k`, and each
/// fold is predicted by a suggester built from the other folds. `k` is kept between 2 and the
/// number of documents (leave-one-out at most).
pub fn cross_validate(docs: &[&Document], k: usize, build: &Build) -> SpansByDoc {
    let mut out = SpansByDoc::new();
    if docs.is_empty() {
        return out;
    }
    let k = k.clamp(2, docs.len().max(2));
    for fold in 0..k {
        let in_fold = |i: &usize| i % k == fold;
        let test: Vec<&Document> = (0..docs.len()).filter(in_fold).map(|i| docs[i]).collect();
        let train: Vec<&Document> = (0..docs.len())
            .filter(|i| !in_fold(i))
            .map(|i| docs[i])
            .collect();
        if test.is_empty() {
            continue;
        }
        let suggester = build(&train);
        out.extend(predict(&test, &*suggester));
    }
    out
}

/// The points of a learning curve over `n` documents: 0, 1, 2, 4, 8 … while documents are
/// left to predict.
pub fn curve_steps(n: usize) -> Vec<usize> {
    std::iter::once(0)
        .chain((0..).map(|p| 1usize << p))
        .take_while(|&k| k < n)
        .collect()
}

/// One point of a learning curve.
#[derive(Debug, Clone)]
pub struct CurvePoint {
    /// How many documents the analyst had annotated (the first ones in file order).
    pub annotated: usize,
    /// Predictions for the documents not yet annotated.
    pub pred: SpansByDoc,
}

/// The learning curve: for each `k` of `steps`, a suggester built from `docs[..k]` predicts
/// `docs[k..]`.
pub fn learning_curve(docs: &[&Document], steps: &[usize], build: &Build) -> Vec<CurvePoint> {
    steps
        .iter()
        .filter(|&&k| k < docs.len())
        .map(|&k| {
            let suggester = build(&docs[..k]);
            CurvePoint {
                annotated: k,
                pred: predict(&docs[k..], &*suggester),
            }
        })
        .collect()
}

/// Only the documents of `spans` whose id is in `ids`.
pub fn only(spans: &SpansByDoc, ids: &[&str]) -> SpansByDoc {
    spans
        .iter()
        .filter(|(id, _)| ids.contains(&id.as_str()))
        .map(|(id, s)| (id.clone(), s.clone()))
        .collect()
}

/// The document ids of a span file (the `suggest` JSONL) in the order they first appear;
/// lines that are not span objects are skipped (reading the file reports them).
pub fn doc_order(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("doc").and_then(|d| d.as_str()).map(str::to_owned))
        .filter(|d| seen.insert(d.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::{Scope, evaluate, parse_jsonl};
    use crate::schema::Schema;
    use crate::suggest::Suggestion;

    /// A "suggester that learns" made by hand: it suggests every string that the training
    /// documents' gold names, wherever it occurs.
    fn memoriser<'a>(gold: &'a SpansByDoc) -> Box<Build<'a>> {
        Box::new(move |train: &[&Document]| {
            let mut names: Vec<(String, String)> = Vec::new();
            for d in train {
                for s in gold.get(&d.id).into_iter().flatten() {
                    names.push((d.slice(s.start..s.end).to_owned(), s.label.clone()));
                }
            }
            Box::new(move |doc: &Document| {
                let chars: Vec<char> = doc.text.chars().collect();
                let mut out = Vec::new();
                for (name, label) in &names {
                    let n: Vec<char> = name.chars().collect();
                    for i in 0..chars.len().saturating_sub(n.len() - 1) {
                        if chars[i..i + n.len()] == n[..] {
                            out.push(Suggestion {
                                start: i,
                                end: i + n.len(),
                                label: label.clone(),
                                rule: "memo".into(),
                                value: None,
                            });
                        }
                    }
                }
                out
            })
        })
    }

    fn case() -> (Vec<Document>, SpansByDoc) {
        let docs = vec![
            Document::from_text("a", "张三在北京。"),
            Document::from_text("b", "北京有李四。"),
            Document::from_text("c", "李四见张三。"),
            Document::from_text("d", "王五在上海。"),
        ];
        let gold = parse_jsonl(
            r#"{"doc":"a","start":0,"end":2,"label":"PER"}
{"doc":"a","start":3,"end":5,"label":"LOC"}
{"doc":"b","start":0,"end":2,"label":"LOC"}
{"doc":"b","start":3,"end":5,"label":"PER"}
{"doc":"c","start":0,"end":2,"label":"PER"}
{"doc":"c","start":3,"end":5,"label":"PER"}
{"doc":"d","start":0,"end":2,"label":"PER"}
{"doc":"d","start":3,"end":5,"label":"LOC"}
"#,
        )
        .unwrap();
        (docs, gold)
    }

    /// Two folds (a, c | b, d): a and c are predicted from b and d's names (北京, 李四, 王五,
    /// 上海), so a finds 北京 and c finds 李四; b and d from a and c's (张三, 北京, 李四):
    /// b finds both, d nothing. 4 of 8 gold spans, 4 predictions, all right.
    #[test]
    fn cross_validation_by_hand() {
        let (docs, gold) = case();
        let refs: Vec<&Document> = docs.iter().collect();
        let pred = cross_validate(&refs, 2, &*memoriser(&gold));
        assert_eq!(pred.len(), 4);
        let e = evaluate(&gold, &pred, &refs, Scope::All, &[], &Schema::default());
        let c = e.report.entities;
        assert_eq!((c.gold, c.pred, c.exact), (8, 4, 4));
        assert_eq!(e.report.per_label["PER"].exact, 2);
        assert_eq!(e.report.per_label["LOC"].exact, 2);
        assert_eq!(e.report.per_doc["d"].exact, 0);
        // k is clamped: 1 becomes 2, 10 becomes leave-one-out.
        assert_eq!(cross_validate(&refs, 1, &*memoriser(&gold)), pred);
        let loo = cross_validate(&refs, 10, &*memoriser(&gold));
        let e = evaluate(&gold, &loo, &refs, Scope::All, &[], &Schema::default());
        // Leave-one-out: a finds 北京 (b) and 张三 (c); b 北京 李四; c 李四 张三; d nothing.
        assert_eq!(e.report.entities.exact, 6);
    }

    /// After 0 documents nothing is found; after a (张三, 北京) b finds 北京, c 张三, d
    /// nothing; after a and b, c finds both names.
    #[test]
    fn learning_curve_by_hand() {
        let (docs, gold) = case();
        let refs: Vec<&Document> = docs.iter().collect();
        assert_eq!(curve_steps(4), vec![0, 1, 2]);
        assert_eq!(curve_steps(9), vec![0, 1, 2, 4, 8]);
        assert_eq!(curve_steps(1), vec![0]);
        let curve = learning_curve(&refs, &curve_steps(4), &*memoriser(&gold));
        let exact: Vec<(usize, usize, usize)> = curve
            .iter()
            .map(|p| {
                let ids: Vec<&str> = refs[p.annotated..].iter().map(|d| d.id.as_str()).collect();
                let g = only(&gold, &ids);
                let e = evaluate(&g, &p.pred, &refs, Scope::All, &[], &Schema::default());
                (p.annotated, e.report.entities.gold, e.report.entities.exact)
            })
            .collect();
        assert_eq!(exact, vec![(0, 8, 0), (1, 6, 2), (2, 4, 2)]);
    }

    #[test]
    fn documents_in_file_order() {
        let text = "{\"doc\":\"z\"}\nnot json\n{\"doc\":\"a\"}\n{\"doc\":\"z\"}\n";
        assert_eq!(doc_order(text), vec!["z", "a"]);
    }
}
