//! Measuring the entity model honestly: exact-span scores per label, cross-validation with
//! whole documents held out (never lines), and the learning curve of an analyst who
//! annotates documents one by one.

use std::collections::BTreeMap;
use std::ops::Range;

use super::data::{Example, sequences};
use super::model::{LABELS, Model};
use super::train::{Sequence, Settings, train};
use crate::suggest::entities::Recognizer;
use crate::suggest::figures;
use crate::text::CharMap;

/// Exact-span counts for one label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold spans.
    pub gold: usize,
    /// Predicted spans.
    pub pred: usize,
    /// Predicted spans with the same start, end and label as a gold span.
    pub correct: usize,
}

impl Counts {
    /// Precision, recall, F1 (0 where undefined).
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.pred == 0 {
            0.0
        } else {
            self.correct as f64 / self.pred as f64
        };
        let r = if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }

    fn add(&mut self, o: Counts) {
        self.gold += o.gold;
        self.pred += o.pred;
        self.correct += o.correct;
    }
}

/// Counts per label (PER, LOC, ORG, POLICY) and over all of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Label → counts.
    pub per_label: BTreeMap<String, Counts>,
}

impl Scores {
    /// Adds one document's gold and predicted spans (labels outside the four are ignored).
    pub fn add(&mut self, gold: &[(usize, usize, String)], pred: &[(usize, usize, String)]) {
        for label in LABELS {
            let g: Vec<_> = gold.iter().filter(|s| s.2 == label).collect();
            let p: Vec<_> = pred.iter().filter(|s| s.2 == label).collect();
            let correct = p.iter().filter(|s| g.contains(s)).count();
            self.per_label
                .entry(label.to_owned())
                .or_default()
                .add(Counts {
                    gold: g.len(),
                    pred: p.len(),
                    correct,
                });
        }
    }

    /// Counts summed over the labels (micro average).
    pub fn micro(&self) -> Counts {
        let mut c = Counts::default();
        for v in self.per_label.values() {
            c.add(*v);
        }
        c
    }

    /// A table: label, gold, predicted, P, R, F1.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<8} {:>5} {:>5} {:>6} {:>6} {:>6}\n",
            "label", "gold", "pred", "P", "R", "F1"
        );
        let rows = self
            .per_label
            .iter()
            .map(|(l, c)| (l.as_str(), *c))
            .chain(std::iter::once(("micro", self.micro())));
        for (l, c) in rows {
            let (p, r, f) = c.prf();
            s.push_str(&format!(
                "{l:<8} {:>5} {:>5} {p:>6.3} {r:>6.3} {f:>6.3}\n",
                c.gold, c.pred
            ));
        }
        s
    }
}

/// The entities the pipeline suggests for `text` with `model` (None: the rules alone),
/// boilerplate included, figures excluded as in `suggest`.
pub fn predict(
    recognizer: &Recognizer,
    text: &str,
    model: Option<&Model>,
) -> Vec<(usize, usize, String)> {
    let map = CharMap::new(text);
    let taken: Vec<Range<usize>> = figures::find(text, &|_| false)
        .iter()
        .map(|f| f.start..f.end)
        .collect();
    recognizer
        .find_with(text, &map, &|_| false, &taken, None, model, None)
        .into_iter()
        .map(|e| (e.start, e.end, e.label))
        .collect()
}

/// Cross-validation over whole documents: `k` folds of `docs` (document i in fold i mod k);
/// each fold is scored with a model trained on the other folds plus `extra` (sequences
/// always in training, such as a public corpus), starting from `start`. Returns the model's
/// scores and the rules' scores on the same documents.
pub fn cross_validate(
    recognizer: &Recognizer,
    docs: &[Example],
    extra: &[Sequence],
    k: usize,
    settings: Settings,
) -> (Scores, Scores) {
    let k = k.clamp(2, docs.len().max(2));
    let seqs: Vec<Vec<Sequence>> = docs
        .iter()
        .map(|d| sequences(recognizer, std::slice::from_ref(d)))
        .collect();
    let mut model_scores = Scores::default();
    let mut rule_scores = Scores::default();
    for fold in 0..k {
        let mut data: Vec<Sequence> = extra.to_vec();
        for (i, s) in seqs.iter().enumerate() {
            if i % k != fold {
                data.extend(s.iter().cloned());
            }
        }
        let model = train(&data, None, settings);
        for (i, d) in docs.iter().enumerate() {
            if i % k == fold {
                model_scores.add(&d.spans, &predict(recognizer, &d.text, Some(&model)));
                rule_scores.add(&d.spans, &predict(recognizer, &d.text, None));
            }
        }
    }
    (model_scores, rule_scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[(usize, usize, &str)]) -> Vec<(usize, usize, String)> {
        v.iter()
            .map(|(a, b, l)| (*a, *b, (*l).to_owned()))
            .collect()
    }

    #[test]
    fn exact_scores_by_hand() {
        let mut sc = Scores::default();
        // Gold: two PER, one LOC. Predicted: one PER right, one PER with a wrong end, the LOC
        // as ORG.
        sc.add(
            &s(&[(0, 3, "PER"), (5, 7, "PER"), (9, 12, "LOC")]),
            &s(&[(0, 3, "PER"), (5, 8, "PER"), (9, 12, "ORG")]),
        );
        let per = sc.per_label["PER"];
        assert_eq!((per.gold, per.pred, per.correct), (2, 2, 1));
        assert_eq!(per.prf(), (0.5, 0.5, 0.5));
        assert_eq!(sc.per_label["LOC"].prf(), (0.0, 0.0, 0.0));
        let m = sc.micro();
        assert_eq!((m.gold, m.pred, m.correct), (3, 3, 1));
        let (_, _, f) = m.prf();
        assert!((f - 1.0 / 3.0).abs() < 1e-9);
        assert!(sc.table().contains("micro"));
    }
}
