//! The entity model under evaluation: suggesters that [`crate::evaluate::folds`] builds from
//! training documents — a model trained on them (cross-validation) and an analyst's model
//! tuned on them from a base model, with their learned memory (the learning curve) — and the
//! entities of a bare text (for tests and public test sets).

use std::ops::Range;
use std::sync::Arc;

use super::data::{Example, sequences};
use super::learn;
use super::model::{LABELS, Model};
use super::train::{Sequence, Settings, train};
use crate::corpus::Document;
use crate::evaluate::SpansByDoc;
use crate::evaluate::folds::Build;
use crate::suggest::entities::{Recognizer, recognizer};
use crate::suggest::memory::Memory;
use crate::suggest::{Options, figures, suggest};
use crate::text::CharMap;

/// Training examples: each document with its gold entity spans (other labels left out).
pub fn examples(docs: &[&Document], gold: &SpansByDoc, weight: u32) -> Vec<Example> {
    docs.iter()
        .map(|d| Example {
            id: d.id.clone(),
            text: d.text.clone(),
            spans: gold
                .get(&d.id)
                .into_iter()
                .flatten()
                .filter(|s| LABELS.contains(&s.label.as_str()))
                .map(|s| (s.start, s.end, s.label.clone()))
                .collect(),
            reviewed: None,
            weight,
        })
        .collect()
}

/// Builds the pipeline (`opts`) with a model trained from scratch on the training documents'
/// gold (each counted `weight` times) and `extra` (always in training: a public corpus).
pub fn trainer<'a>(
    gold: &'a SpansByDoc,
    extra: &'a [Sequence],
    weight: u32,
    settings: Settings,
    opts: &'a Options,
) -> Box<Build<'a>> {
    Box::new(move |docs: &[&Document]| {
        let mut data = extra.to_vec();
        data.extend(sequences(recognizer(), &examples(docs, gold, weight)));
        let model = Arc::new(train(&data, None, settings));
        let opts = Options {
            model: Some(model),
            rules_only: false,
            ..opts.clone()
        };
        Box::new(move |d: &Document| suggest(d, &opts))
    })
}

/// Builds the pipeline (`opts`) as an analyst who annotated the training documents sees it:
/// `base` tuned on their gold as the app tunes it ([`learn::retrain_checked`]: the documents
/// in file order, so the check holds out the last ones), and the learned memory their
/// reviewing taught ([`reviewed_memory`]); `tuning` as [`learn::retrain_with`].
pub fn analyst<'a>(
    gold: &'a SpansByDoc,
    base: &'a Model,
    opts: &'a Options,
    tuning: learn::Tuning,
) -> Box<Build<'a>> {
    let rehearsal = learn::rehearsal(base);
    Box::new(move |docs: &[&Document]| {
        let ex = examples(docs, gold, tuning.weight);
        let model = |n: usize| -> Arc<Model> {
            Arc::new(if n == 0 {
                base.clone()
            } else {
                learn::retrain_checked(base, &ex[..n], &rehearsal, tuning).0
            })
        };
        let memory = reviewed_memory(docs, &ex, opts, &model);
        let opts = Options {
            model: Some(model(ex.len())),
            rules_only: false,
            memory: Some(Arc::new(memory)),
            ..opts.clone()
        };
        Box::new(move |d: &Document| suggest(d, &opts))
    })
}

/// The learned memory of an analyst who reviewed `docs` one after the other as the app has
/// them do it: each document's entity suggestions made by the model retrained on the
/// documents before it (`model(n)`: on the first `n`) and the memory so far, then their gold
/// ([`Example`]s, in the same order) taken as their decisions. What the app's edits teach
/// (the lessons of `session::edit::Planned`): a suggestion that no gold entity of its
/// label overlaps was rejected or relabelled (its string is not that label); one that such
/// an entity overlaps was accepted or had its edges moved (nothing learned from it); every
/// gold entity was accepted or added (its string is its label), after the rejections.
pub fn reviewed_memory(
    docs: &[&Document],
    examples: &[Example],
    opts: &Options,
    model: &dyn Fn(usize) -> Arc<Model>,
) -> Memory {
    let mut memory = Memory::default();
    for (n, (doc, e)) in docs.iter().zip(examples).enumerate() {
        let seen = Options {
            model: Some(model(n)),
            rules_only: false,
            memory: Some(Arc::new(memory.clone())),
            ..opts.clone()
        };
        for s in suggest(doc, &seen) {
            let entity = LABELS.contains(&s.label.as_str());
            let kept = e
                .spans
                .iter()
                .any(|(a, b, l)| *l == s.label && *a < s.end && s.start < *b);
            if entity && !kept {
                memory.reject(doc.slice(s.start..s.end), &s.label);
            }
        }
        for (s, t, label) in &e.spans {
            if s < t && *t <= doc.char_len() {
                memory.accept(doc.slice(*s..*t), label);
            }
        }
    }
    memory
}

/// The entities the pipeline suggests for a bare `text` with `model` (None: the rules alone),
/// as `suggest` would with boilerplate included: figures claim their chars first.
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

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Mutex;

    use crate::suggest::ner::base;

    /// An analyst who was shown 习近平 as a person and 北京市 as a place, and whose gold has
    /// only the place 北京 (edges moved), taught the memory that 习近平 is not a person and
    /// that 北京 is a place. Each document is suggested by the model retrained on the ones
    /// before it, and a later gold entity takes a rejected string back.
    #[test]
    fn the_reviewed_memory_rejects_what_the_gold_left_out() {
        let docs = [
            Document::from_text("a", "习近平在北京市考察。\n"),
            Document::from_text("b", "习近平在天津市考察。\n"),
        ];
        let refs: Vec<&Document> = docs.iter().collect();
        let shown = suggest(
            &docs[0],
            &Options {
                model: base().cloned().map(Arc::new),
                ..Options::default()
            },
        );
        let has = |v: &[crate::suggest::Suggestion], a: usize, b: usize, l: &str| {
            v.iter()
                .any(|s| (s.start, s.end, s.label.as_str()) == (a, b, l))
        };
        assert!(
            has(&shown, 0, 3, "PER") && has(&shown, 4, 7, "LOC"),
            "{shown:?}"
        );
        let example = |d: &Document, span: (usize, usize, &str)| Example {
            id: d.id.clone(),
            text: d.text.clone(),
            spans: vec![(span.0, span.1, span.2.into())],
            reviewed: None,
            weight: 1,
        };
        let ex = vec![
            example(&docs[0], (4, 6, "LOC")),
            example(&docs[1], (0, 3, "PER")),
        ];
        let asked = Mutex::new(Vec::new());
        let model = |n: usize| {
            asked.lock().unwrap().push(n);
            Arc::new(base().expect("shipped model").clone())
        };
        let memory = reviewed_memory(&refs[..1], &ex[..1], &Options::default(), &model);
        assert!(memory.is_rejected("习近平", "PER"));
        assert!(
            !memory.is_rejected("北京市", "LOC"),
            "edges moved: nothing learnt"
        );
        assert_eq!(memory.accepted.get("北京").map(String::as_str), Some("LOC"));
        let both = reviewed_memory(&refs, &ex, &Options::default(), &model);
        assert_eq!(*asked.lock().unwrap(), vec![0, 0, 1]);
        assert!(!both.is_rejected("习近平", "PER"));
        assert_eq!(both.accepted.get("习近平").map(String::as_str), Some("PER"));
    }
}
