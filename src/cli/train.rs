//! `biaozhu train`: trains the entity model from gold files (the `suggest` JSONL, offsets into
//! articles) and IOB2/CoNLL files, writes it, or measures it by cross-validation and on a
//! held-out IOB2 test set (against the rules and the segmenter's own name tags).

use std::path::PathBuf;

use anyhow::Context;

use crate::corpus::Corpus;
use crate::suggest::entities::recognizer;
use crate::suggest::ner::data::{Example, read_gold, read_iob, sequences};
use crate::suggest::ner::eval::{Scores, cross_validate, predict};
use crate::suggest::ner::train::{Settings, train};

/// Options of `train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Gold spans, one JSON object a line (doc, start, end, label); repeatable.
    #[arg(long, value_name = "FILE")]
    pub gold: Vec<PathBuf>,
    /// Folders holding the gold files' articles; repeatable.
    #[arg(long, value_name = "DIR")]
    pub articles: Vec<PathBuf>,
    /// IOB2/CoNLL training files (a public corpus); repeatable.
    #[arg(long, value_name = "FILE")]
    pub iob: Vec<PathBuf>,
    /// How many times a gold document's updates count against an IOB2 sentence's.
    #[arg(long, default_value_t = 4)]
    pub gold_weight: u32,
    /// Passes over the training data.
    #[arg(long, default_value_t = Settings::default().epochs)]
    pub epochs: usize,
    /// Where to write the model.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Instead of writing a model: K-fold cross-validation over the gold documents (whole
    /// documents held out; the IOB2 data stays in training), model against rules.
    #[arg(long, value_name = "K")]
    pub cross_validate: Option<usize>,
    /// Also score on this IOB2 test set (PER/LOC/ORG): the model, the rules, and the
    /// segmenter's own nr/ns/nt tags.
    #[arg(long, value_name = "FILE")]
    pub test_iob: Option<PathBuf>,
}

/// Runs `train`.
pub fn run(_cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let corpora = args
        .articles
        .iter()
        .map(|d| Corpus::open(d).with_context(|| format!("cannot open {}", d.display())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut gold: Vec<Example> = Vec::new();
    for g in &args.gold {
        let mut ex = read_gold(g, &corpora)?;
        for e in &mut ex {
            e.weight = args.gold_weight;
        }
        gold.extend(ex);
    }
    let mut iob: Vec<Example> = Vec::new();
    for f in &args.iob {
        iob.extend(read_iob(f)?);
    }
    if gold.is_empty() && iob.is_empty() {
        anyhow::bail!("nothing to train on: give --gold FILE --articles DIR and/or --iob FILE");
    }
    let settings = Settings {
        epochs: args.epochs,
        ..Settings::default()
    };
    let rec = recognizer();
    let t = std::time::Instant::now();
    let extra = sequences(rec, &iob);
    eprintln!(
        "{} gold documents, {} IOB2 sentences ({:.1} s to read)",
        gold.len(),
        iob.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some(k) = args.cross_validate {
        let (model, rules) = cross_validate(rec, &gold, &extra, k, settings);
        println!(
            "{k}-fold cross-validation over {} documents, exact spans",
            gold.len()
        );
        println!("rules:\n{}", rules.table());
        println!("model:\n{}", model.table());
        return Ok(0);
    }
    let mut data = extra;
    data.extend(sequences(rec, &gold));
    let t = std::time::Instant::now();
    let model = train(&data, None, settings);
    eprintln!(
        "trained on {} sequences in {:.1} s: {} features",
        data.len(),
        t.elapsed().as_secs_f64(),
        model.weights.len()
    );
    if let Some(test) = &args.test_iob {
        let ex = read_iob(test)?;
        let (mut m, mut r, mut j) = (Scores::default(), Scores::default(), Scores::default());
        let jieba = jieba_rs::Jieba::new();
        // The set has no POLICY: predictions of it are left out of its scores.
        let names = |mut v: Vec<(usize, usize, String)>| {
            v.retain(|s| s.2 != "POLICY");
            v
        };
        for e in &ex {
            m.add(&e.spans, &names(predict(rec, &e.text, Some(&model))));
            r.add(&e.spans, &names(predict(rec, &e.text, None)));
            j.add(&e.spans, &jieba_tags(&jieba, &e.text));
        }
        println!("{}: {} sentences, exact spans", test.display(), ex.len());
        println!("segmenter tags (nr/ns/nt):\n{}", j.table());
        println!("rules:\n{}", r.table());
        println!("model:\n{}", m.table());
    }
    if let Some(out) = &args.out {
        let bytes = model.to_bytes();
        crate::store::write_atomic(out, &bytes)?;
        eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    }
    Ok(0)
}

/// The plain segmenter's name tags as entities: nr… → PER, ns → LOC, nt → ORG.
fn jieba_tags(jieba: &jieba_rs::Jieba, text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut at = 0;
    for t in jieba.tag(text, true) {
        let n = t.word.chars().count();
        let label = match t.tag {
            "ns" => Some("LOC"),
            "nt" => Some("ORG"),
            tag if tag.starts_with("nr") => Some("PER"),
            _ => None,
        };
        if let Some(l) = label {
            out.push((at, at + n, l.to_owned()));
        }
        at += n;
    }
    out
}
