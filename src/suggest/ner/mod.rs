//! The entity model: a sequence labeller over chars (BIO tags for PER, LOC, ORG, POLICY),
//! trained as an averaged structured perceptron on hashed features ([`features`]): the chars
//! around, the segmenter's words and tags, gazetteer and lexicon membership, and what the
//! pattern rules say. A base model ships in `data/ner.model` (built by `biaozhu train`, see
//! `data/README.md`); each annotator's model grows from it ([`learn`]).

pub mod data;
pub mod eval;
pub mod features;
pub mod learn;
pub mod model;
pub mod table;
pub mod train;

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

pub use model::Model;

use crate::suggest::entities::Line;
use features::{Extractor, Features};
use model::{Decoder, tag_label};

/// The shipped base model.
const BASE: &[u8] = include_bytes!("../../../data/ner.model");

/// Errors of the entity model: its files and its training data.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// A model file that cannot be read as one.
    #[error("not a usable entity model: {0}")]
    Format(&'static str),
    /// A file that cannot be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Training data that does not parse.
    #[error("{}:{line}: {message}", path.display())]
    Data {
        /// The file.
        path: PathBuf,
        /// The line (1-based; 0 when it is about the whole file).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

static BASE_MODEL: OnceLock<Option<Model>> = OnceLock::new();

/// The shipped model (parsed once). None only if the build shipped a broken file, which a
/// test rules out; entity suggestions then come from the rules alone.
pub fn base() -> Option<&'static Model> {
    BASE_MODEL
        .get_or_init(|| match Model::from_bytes(BASE) {
            Ok(m) => Some(m),
            Err(e) => {
                eprintln!("biaozhu: the shipped entity model is unusable ({e}); rules only");
                None
            }
        })
        .as_ref()
}

/// Size of the shipped model file in bytes.
pub fn base_size() -> usize {
    BASE.len()
}

/// The shipped model file's bytes (to time parsing them).
pub fn base_bytes() -> &'static [u8] {
    BASE
}

/// Entity spans (char ranges in the text) that `model` finds in `lines`.
pub fn tag(model: &Model, lines: &[Line]) -> Vec<(Range<usize>, &'static str)> {
    let mut out = Vec::new();
    // Buffers reused from line to line.
    let mut extractor = Extractor::default();
    let mut feats = Features::default();
    let mut em = Vec::new();
    let mut decoder = Decoder::default();
    let mut tags = Vec::new();
    for line in lines {
        extractor.extract_for_tagging(&line.signals, &mut feats);
        model.emissions_into(&feats, &mut em);
        model.decode_into(&em, &mut decoder, &mut tags);
        let mut open: Option<(usize, &'static str)> = None;
        for (i, &t) in tags.iter().chain(std::iter::once(&0)).enumerate() {
            let inside = t != 0 && t % 2 == 0;
            if !inside && let Some((s, l)) = open.take() {
                out.push((line.range.start + s..line.range.start + i, l));
            }
            if t % 2 == 1 {
                open = tag_label(t).map(|l| (i, l));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::suggest::entities::recognizer;
    use data::{Example, sequences};
    use eval::predict;
    use train::{Settings, train};

    /// Trains on a small gold set, saves and loads the model, and finds the entities again,
    /// including in a sentence it did not see.
    #[test]
    fn train_and_tag_round_trip() {
        let rec = recognizer();
        let spans = |v: &[(usize, usize, &str)]| -> Vec<(usize, usize, String)> {
            v.iter()
                .map(|(a, b, l)| (*a, *b, (*l).to_owned()))
                .collect()
        };
        let ex = vec![
            Example {
                id: "a".into(),
                text: "县委书记郑小东在陆家村调研。\n他说：要落实雨露计划。".into(),
                spans: spans(&[(4, 7, "PER"), (8, 11, "LOC"), (21, 25, "POLICY")]),
                reviewed: None,
                weight: 1,
            },
            Example {
                id: "b".into(),
                text: "镇长王大明来到河口村。".into(),
                spans: spans(&[(2, 5, "PER"), (7, 10, "LOC")]),
                reviewed: None,
                weight: 1,
            },
        ];
        let model = train(&sequences(rec, &ex), None, Settings::default());
        let loaded = Model::from_bytes(&model.to_bytes()).expect("round trip");
        for e in &ex {
            let found = predict(rec, &e.text, Some(&loaded));
            for s in &e.spans {
                assert!(found.contains(s), "{s:?} in {found:?}");
            }
        }
    }

    #[test]
    fn the_shipped_model_loads() {
        let m = base().expect("data/ner.model parses");
        assert!(m.features() > 1000);
    }

    /// Tagging reads the few-valued features as rows of summed weights and the window
    /// features from per-char records, training all as ids: the shipped model gives every
    /// char of the seeds (and of chars beyond U+FFFF) the same scores either way (and so does
    /// an empty model).
    #[test]
    fn grouped_features_score_as_their_ids() {
        let rec = recognizer();
        let mut text =
            "《关于“十四五”时期推进乡村振兴的意见》提出，习近平总书记在北京市海淀区考察。\n𠮷野家在𠀀𠀁开店。\n"
                .to_owned();
        let seeds = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"));
        for entry in std::fs::read_dir(seeds).expect("seeds") {
            text += &std::fs::read_to_string(entry.expect("entry").path()).expect("seed");
        }
        let mut extractor = Extractor::default();
        let (mut ids, mut grouped) = (Features::default(), Features::default());
        for m in [base().expect("shipped model"), &Model::default()] {
            for line in rec.lines_of(&text) {
                extractor.extract(&line.signals, &mut ids);
                extractor.extract_for_tagging(&line.signals, &mut grouped);
                assert!(!ids.has_rows() && grouped.has_rows());
                assert!((0..grouped.len()).all(|i| grouped.rows(i).len() >= 4));
                assert!(grouped.flat().0.len() < ids.flat().0.len());
                assert_eq!(m.emissions(&ids), m.emissions(&grouped));
            }
        }
    }
}
