//! Suggestions: figures (rules with normalised values) and entities (segmenter, patterns,
//! gazetteer, learned memory); each becomes a span with status `suggested` that the analyst
//! confirms or corrects.

pub mod entities;
pub mod figures;
pub mod memory;
pub mod ner;
pub mod numerals;

use std::sync::Arc;

use serde_json::json;

use crate::corpus::Document;
use crate::model::span::{Normalized, Origin, Span};
use memory::Memory;

/// One suggestion for a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// Label name.
    pub label: String,
    /// The rule or source that produced it.
    pub rule: String,
    /// Normalised value (figures only).
    pub value: Option<Normalized>,
}

impl Suggestion {
    /// As the `suggest` command prints it: one JSON object.
    pub fn to_json(&self, doc: &Document) -> serde_json::Value {
        let mut o = json!({
            "doc": doc.id,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": doc.slice(self.start..self.end),
        });
        let map = o.as_object_mut().expect("json! object");
        if let Some(v) = &self.value {
            map.insert("value".into(), v.value.to_json());
            if let Some(m) = &v.value_max {
                map.insert("value_max".into(), m.to_json());
            }
            map.insert(
                "unit".into(),
                v.unit
                    .clone()
                    .map_or(serde_json::Value::Null, serde_json::Value::String),
            );
            map.insert("approx".into(), v.approx.into());
        }
        map.insert("rule".into(), self.rule.clone().into());
        o
    }

    /// As a span with status `suggested`.
    pub fn to_span(&self, doc: &Document) -> Span {
        let mut span = Span::suggestion(
            &doc.text,
            self.start,
            self.end,
            &self.label,
            &self.rule,
            self.value.clone(),
        )
        .expect("suggestions lie inside their document");
        if self.rule == LEARNED {
            span.origin = Origin::Learned;
        }
        span
    }
}

/// Options of a suggestion run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these labels (all when empty).
    pub labels: Vec<String>,
    /// Suggest inside boilerplate too.
    pub include_boilerplate: bool,
    /// Figures only: no entities (the app, while the segmenter is still loading).
    pub no_entities: bool,
    /// The annotator's learned memory: learned strings are suggested, rejected ones are not.
    pub memory: Option<Arc<Memory>>,
    /// The annotator's entity model (None: the shipped one, [`ner::base`]).
    pub model: Option<Arc<ner::Model>>,
    /// Entities from the rules alone, without a model.
    pub rules_only: bool,
}

/// The rule name of suggestions that come from the annotator's memory.
pub const LEARNED: &str = "learned";

/// Suggestions for one document, in document order.
pub fn suggest(doc: &Document, opts: &Options) -> Vec<Suggestion> {
    let structure = &doc.structure;
    let skip =
        |r: &std::ops::Range<usize>| !opts.include_boilerplate && structure.overlaps_boilerplate(r);
    let wanted = |label: &str| opts.labels.is_empty() || opts.labels.iter().any(|l| l == label);
    let memory = opts.memory.as_deref();
    let rejected =
        |s: &Suggestion| memory.is_some_and(|m| m.is_rejected(doc.slice(s.start..s.end), &s.label));
    // The numbers of a numbered policy (六个精准, 四个不摘) are part of its name.
    let named: Vec<std::ops::Range<usize>> = entities::numbered_policies(&doc.text)
        .map(|r| doc.chars.char_of_byte(r.start)..doc.chars.char_of_byte(r.end))
        .collect();
    let mut figures = figures::find(&doc.text, &skip);
    figures.retain(|f| !named.iter().any(|n| n.start < f.end && f.start < n.end));
    // Entities do not overlap figures, wanted or not: 5.3亿元 is never part of a name.
    let taken: Vec<std::ops::Range<usize>> = figures.iter().map(|f| f.start..f.end).collect();
    let mut out: Vec<Suggestion> = figures
        .into_iter()
        .filter(|f| wanted(f.label))
        .map(|f| Suggestion {
            start: f.start,
            end: f.end,
            label: f.label.to_owned(),
            rule: f.rule.to_owned(),
            value: f.value,
        })
        .filter(|s| !rejected(s))
        .collect();
    if !opts.no_entities {
        let model = match (&opts.model, opts.rules_only) {
            (_, true) => None,
            (Some(m), false) => Some(m.as_ref()),
            (None, false) => ner::base(),
        };
        let found = entities::recognizer()
            .find_with(&doc.text, &doc.chars, &skip, &taken, memory, model, None);
        out.extend(
            found
                .into_iter()
                .filter(|e| wanted(&e.label))
                .map(|e| Suggestion {
                    start: e.start,
                    end: e.end,
                    label: e.label,
                    rule: e.rule,
                    value: None,
                }),
        );
    }
    out.sort_by_key(|s| (s.start, s.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;

    fn doc(id: &str, text: &str) -> Document {
        Document::from_text(id, text)
    }

    fn entities_of(d: &Document, memory: &Memory) -> Vec<(String, String, String)> {
        let opts = Options {
            memory: Some(Arc::new(memory.clone())),
            ..Options::default()
        };
        suggest(d, &opts)
            .into_iter()
            .filter(|s| s.value.is_none())
            .map(|s| (d.slice(s.start..s.end).to_owned(), s.label, s.rule))
            .collect()
    }

    /// The learning loop without the window: a decision in one document changes what another
    /// document is offered.
    #[test]
    fn accept_here_suggested_there_reject_gone() {
        let here = doc(
            "here",
            "标题\n\n二胖带着乡亲们种植苏打小米，二胖说今年收成好。\n",
        );
        let there = doc("there", "标题\n\n苏打小米卖到了省城，徐徐展开。\n");
        let mut memory = Memory::default();
        assert!(
            !entities_of(&there, &memory)
                .iter()
                .any(|(t, _, _)| t == "苏打小米")
        );
        // The analyst adds 苏打小米 as a POLICY in `here`.
        memory.accept("苏打小米", "POLICY");
        let found = entities_of(&there, &memory);
        assert!(
            found.contains(&("苏打小米".into(), "POLICY".into(), LEARNED.into())),
            "{found:?}"
        );
        // Learned suggestions become spans with origin `learned`.
        let opts = Options {
            memory: Some(Arc::new(memory.clone())),
            ..Options::default()
        };
        let s = suggest(&there, &opts)
            .into_iter()
            .find(|s| s.rule == LEARNED)
            .unwrap();
        assert_eq!(s.to_span(&there).origin, Origin::Learned);
        // Rejected: not suggested with that label again, whatever rule found it.
        memory.reject("苏打小米", "POLICY");
        assert!(
            !entities_of(&there, &memory)
                .iter()
                .any(|(t, _, _)| t == "苏打小米")
        );
        let places = entities_of(&here, &Memory::default());
        let before = places.iter().filter(|(_, l, _)| l == "PER").count();
        memory.reject("二胖", "PER");
        let after = entities_of(&here, &memory)
            .iter()
            .filter(|(_, l, _)| l == "PER")
            .count();
        assert!(after <= before);
        assert!(
            !entities_of(&here, &memory)
                .iter()
                .any(|(t, l, _)| t == "二胖" && l == "PER")
        );
    }

    #[test]
    fn rejected_figures_are_not_suggested_again() {
        let d = doc("d", "标题\n\n投资5.3亿元。\n");
        let mut memory = Memory::default();
        let opts = |m: &Memory| Options {
            memory: Some(Arc::new(m.clone())),
            no_entities: true,
            ..Options::default()
        };
        assert_eq!(suggest(&d, &opts(&memory)).len(), 1);
        memory.reject("5.3亿元", "MONEY");
        assert!(suggest(&d, &opts(&memory)).is_empty());
    }

    #[test]
    fn entities_never_overlap_figures() {
        let d = doc("d", "标题\n\n白城市投资5.3亿元建设陆家村。\n");
        let all = suggest(&d, &Options::default());
        for a in &all {
            for b in &all {
                if a != b {
                    assert!(a.end <= b.start || b.end <= a.start, "{a:?} {b:?}");
                }
            }
        }
        assert!(all.iter().any(|s| s.label == "LOC"));
        assert!(all.iter().any(|s| s.label == "MONEY"));
    }
}
