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
/// in file order, so the check holds out the last ones), and their learned
/// memory (every gold entity string accepted); `tuning` as [`learn::retrain_with`].
pub fn analyst<'a>(
    gold: &'a SpansByDoc,
    base: &'a Model,
    opts: &'a Options,
    tuning: learn::Tuning,
) -> Box<Build<'a>> {
    let rehearsal = learn::rehearsal(base);
    Box::new(move |docs: &[&Document]| {
        let ex = examples(docs, gold, tuning.weight);
        let model = Arc::new(learn::retrain_checked(base, &ex, &rehearsal, tuning).0);
        let mut memory = Memory::default();
        for e in &ex {
            let chars: Vec<char> = e.text.chars().collect();
            for (s, t, label) in &e.spans {
                if *t <= chars.len() {
                    memory.accept(&chars[*s..*t].iter().collect::<String>(), label);
                }
            }
        }
        let opts = Options {
            model: Some(model),
            rules_only: false,
            memory: Some(Arc::new(memory)),
            ..opts.clone()
        };
        Box::new(move |d: &Document| suggest(d, &opts))
    })
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
