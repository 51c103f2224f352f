//! `biaozhu train`: trains the entity model from gold files (the `suggest` JSONL, offsets into
//! articles) and IOB2/CoNLL files, writes it, or measures it by cross-validation (the same as
//! `evaluate --cross-validate`) and on a held-out IOB2 test set (against the rules and the
//! segmenter's own name tags).

use std::path::PathBuf;

use anyhow::Context;

use crate::corpus::{Corpus, Document};
use crate::evaluate::{EvalSpan, Scope, SpansByDoc, evaluate, folds, predict, read_jsonl, score};
use crate::schema::Schema;
use crate::suggest::entities::recognizer;
use crate::suggest::ner::data::{Example, read_iob, sequences};
use crate::suggest::ner::eval::{examples, trainer};
use crate::suggest::ner::model::LABELS;
use crate::suggest::ner::train::{DROPOUT, MARGIN, MISS_MARGIN, MIXES, PRUNE, Settings, train};
use crate::suggest::{Options, suggest};

/// How a model trains (`train`, and each fold of `evaluate --cross-validate`).
#[derive(Debug, Clone, clap::Args)]
pub struct Training {
    /// How many times a gold document's updates count against an IOB2 sentence's.
    #[arg(long, default_value_t = 4)]
    pub gold_weight: u32,
    /// Passes over the training data.
    #[arg(long, default_value_t = Settings::default().epochs)]
    pub epochs: usize,
    /// Trainings in other shuffling orders averaged into the model (parameter mixing).
    #[arg(long, default_value_t = MIXES)]
    pub mixes: u64,
    /// Loss-augmented training: the margin by which the gold tags must win.
    #[arg(long, default_value_t = MARGIN)]
    pub margin: f32,
    /// Cost-sensitive margin: the extra cost of a missed entity char while training.
    #[arg(long, default_value_t = MISS_MARGIN)]
    pub miss_margin: f32,
    /// Feature dropout while training: the probability a feature is left out in a pass.
    #[arg(long, default_value_t = DROPOUT)]
    pub dropout: f32,
    /// Features whose weights (relative to O's) are all below this are left out of the model.
    #[arg(long, default_value_t = PRUNE)]
    pub prune: f32,
}

impl Training {
    /// The training settings these options give (by default the shipped ones).
    pub fn settings(&self) -> Settings {
        Settings {
            epochs: self.epochs,
            prune: self.prune,
            mixes: self.mixes,
            margin: self.margin,
            miss_margin: self.miss_margin,
            dropout: self.dropout,
            ..Settings::default()
        }
    }
}

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
    /// How the model trains.
    #[command(flatten)]
    pub training: Training,
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
    // Gold spans of every file, and their documents in file order.
    let mut gold = SpansByDoc::new();
    let mut docs: Vec<&Document> = Vec::new();
    for g in &args.gold {
        gold.extend(read_jsonl(g)?);
        for id in folds::doc_order(&std::fs::read_to_string(g)?) {
            let doc = corpora
                .iter()
                .find_map(|c| c.kept(c.position(&id)?))
                .with_context(|| {
                    format!("{}: document {id} is in no --articles folder", g.display())
                })?;
            docs.push(doc);
        }
    }
    let mut iob: Vec<Example> = Vec::new();
    for f in &args.iob {
        iob.extend(read_iob(f)?);
    }
    if docs.is_empty() && iob.is_empty() {
        anyhow::bail!("nothing to train on: give --gold FILE --articles DIR and/or --iob FILE");
    }
    let settings = args.training.settings();
    let rec = recognizer();
    let t = std::time::Instant::now();
    let extra = sequences(rec, &iob);
    eprintln!(
        "{} gold documents, {} IOB2 sentences ({:.1} s to read)",
        docs.len(),
        iob.len(),
        t.elapsed().as_secs_f64()
    );
    let schema = Schema::default();
    let labels: Vec<String> = LABELS.map(String::from).into();
    if let Some(k) = args.cross_validate {
        // Entities over the whole text, as the model is trained.
        let opts = Options {
            include_boilerplate: true,
            ..Options::default()
        };
        let build = trainer(&gold, &extra, args.training.gold_weight, settings, &opts);
        let model = folds::cross_validate(&docs, k, &*build);
        let rules_opts = Options {
            rules_only: true,
            ..opts.clone()
        };
        let rules = predict(&docs, &|d| suggest(d, &rules_opts));
        let mut out = std::io::stdout().lock();
        for (name, pred) in [("rules", &rules), ("model", &model)] {
            let e = evaluate(&gold, pred, &docs, Scope::All, &labels, &schema);
            println!(
                "{name}: {k}-fold cross-validation over {} documents, exact spans",
                docs.len()
            );
            super::evaluate::write_rows(&mut out, &e.report)?;
        }
        return Ok(0);
    }
    let mut data = extra;
    data.extend(sequences(
        rec,
        &examples(&docs, &gold, args.training.gold_weight),
    ));
    let t = std::time::Instant::now();
    let model = train(&data, None, settings);
    eprintln!(
        "trained on {} sequences in {:.1} s: {} features",
        data.len(),
        t.elapsed().as_secs_f64(),
        model.features()
    );
    if let Some(test) = &args.test_iob {
        let ex = read_iob(test)?;
        let as_spans = |v: Vec<(usize, usize, String)>| -> Vec<EvalSpan> {
            v.into_iter()
                // The set has no POLICY: predictions of it are left out of its scores.
                .filter(|s| s.2 != "POLICY")
                .map(|(start, end, label)| EvalSpan {
                    start,
                    end,
                    label,
                    value: None,
                    text: None,
                })
                .collect()
        };
        let jieba = jieba_rs::Jieba::new();
        let mut sets: [SpansByDoc; 4] = Default::default();
        for e in &ex {
            let id = e.id.clone();
            sets[0].insert(id.clone(), as_spans(e.spans.clone()));
            sets[1].insert(id.clone(), as_spans(jieba_tags(&jieba, &e.text)));
            sets[2].insert(
                id.clone(),
                as_spans(crate::suggest::ner::eval::predict(rec, &e.text, None)),
            );
            sets[3].insert(
                id,
                as_spans(crate::suggest::ner::eval::predict(
                    rec,
                    &e.text,
                    Some(&model),
                )),
            );
        }
        println!("{}: {} sentences, exact spans", test.display(), ex.len());
        let mut out = std::io::stdout().lock();
        for (name, pred) in [
            ("segmenter tags (nr/ns/nt)", &sets[1]),
            ("rules", &sets[2]),
            ("model", &sets[3]),
        ] {
            println!("{name}:");
            super::evaluate::write_rows(&mut out, &score(&sets[0], pred, &schema))?;
        }
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
