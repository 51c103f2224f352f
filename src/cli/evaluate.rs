//! `biaozhu evaluate GOLD.jsonl`: runs the suggester on each gold document of the corpus (or
//! reads predictions with `--pred`) and prints precision, recall and F1 per label, exact and
//! overlapping, value accuracy on figures, and micro scores for figures, entities and all.
//! `--cross-validate K` scores the pipeline with entity models trained on the other folds;
//! `--learning-curve` scores what an analyst who annotated the first k documents would see on
//! the rest.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use serde_json::json;

use crate::corpus::{Corpus, Document};
use crate::evaluate::folds;
use crate::evaluate::{
    Counts, EvalSpan, Evaluation, Mismatch, Report, Scope, SpansByDoc, evaluate, predict,
    read_jsonl,
};
use crate::schema::Schema;
use crate::suggest::entities::recognizer;
use crate::suggest::memory::Memory;
use crate::suggest::ner::data::{read_iob, sequences};
use crate::suggest::ner::train::{Sequence, Settings};
use crate::suggest::ner::{self, Model, eval as ner_eval, learn};
use crate::suggest::{Options, suggest};

/// Options of `evaluate`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Gold spans, one JSON object a line (the `suggest` format).
    #[arg(
        value_name = "GOLD",
        required_unless_present = "gold_file",
        conflicts_with = "gold_file"
    )]
    pub gold: Option<PathBuf>,
    /// The gold file, named as an option (the same as GOLD).
    #[arg(long = "gold", value_name = "GOLD")]
    pub gold_file: Option<PathBuf>,
    /// Score these predictions (same format) instead of running the suggester.
    #[arg(long, value_name = "FILE")]
    pub pred: Option<PathBuf>,
    /// Only these labels, comma-separated (MONEY,PERCENT,…).
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// `body`: the text outside detected boilerplate, as the suggester sees it by default
    /// (gold spans in boilerplate are counted apart); `all`: the whole text, the suggester
    /// running inside boilerplate too.
    #[arg(long, default_value = "body", value_name = "body|all")]
    pub scope: Scope,
    /// Entities from the rules alone, without the entity model.
    #[arg(long)]
    pub rules_only: bool,
    /// K-fold cross-validation of the entity model: each document is scored with a model
    /// trained on the gold of the other folds (document i in fold i mod K, file order), plus
    /// the `--iob` data.
    #[arg(long, value_name = "K", conflicts_with_all = ["pred", "learning_curve"])]
    pub cross_validate: Option<usize>,
    /// When cross-validating: repeat it with this many shuffling seeds of training and report
    /// the entity F1 of each (mean, lowest, highest): one run's figure moves by ±0.015 with
    /// the arbitrary order of training, too much to compare two settings on one run. With
    /// `--learning-curve`: run r tunes with shuffling seed + r on the documents in file order
    /// rotated by r (the analyst starts at document r), and the entity F1 per step is
    /// reported as the mean of the runs and pooled (one F1 of all runs' scored documents).
    /// The table is the first run's.
    #[arg(long, default_value_t = 1)]
    pub runs: u64,
    /// The learning curve of a simulated analyst: the gold of the first k documents (file
    /// order) as their decisions (each document shown the suggestions of the model tuned on
    /// the ones before it: what the gold leaves out is rejected, what it has is accepted),
    /// the entity model tuned on them and their memory, the other documents scored;
    /// k = 0, 1, 2, 4, 8 …
    #[arg(long, conflicts_with = "pred")]
    pub learning_curve: bool,
    /// The entity model to start from (default: the shipped one); for the learning curve, use
    /// one not trained on these documents.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// IOB2/CoNLL data always in training when cross-validating; repeatable.
    #[arg(long, value_name = "FILE")]
    pub iob: Vec<PathBuf>,
    /// More gold always in training when cross-validating (the `suggest` JSONL); its articles
    /// are looked up in `--train-articles`; repeatable.
    #[arg(long, value_name = "FILE", requires = "train_articles")]
    pub train_gold: Vec<PathBuf>,
    /// Folders of the `--train-gold` articles; repeatable.
    #[arg(long, value_name = "DIR")]
    pub train_articles: Vec<PathBuf>,
    /// How each fold's model trains when cross-validating (`--gold-weight` also weighs the
    /// learning curve's documents).
    #[command(flatten)]
    pub training: super::train::Training,
    /// Also list every disagreement (missed, spurious, wrong value).
    #[arg(long)]
    pub errors: bool,
    /// One JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The gold file, given as GOLD or as `--gold` (clap requires exactly one).
    pub fn gold_path(&self) -> &Path {
        self.gold
            .as_deref()
            .or(self.gold_file.as_deref())
            .expect("clap requires GOLD or --gold")
    }
}

/// What an evaluation reads: the gold spans (of documents it can score), the corpus and the
/// label schema. Cross-validation and learning curves reuse it, fold by fold.
pub struct Inputs {
    /// Gold spans of the documents to score.
    pub gold: SpansByDoc,
    /// The corpus the gold refers to.
    pub corpus: Corpus,
    /// Which labels are figures and which entities.
    pub schema: Schema,
    /// Gold documents the corpus lacks.
    pub missing: Vec<String>,
    /// Something was reported on stderr that makes the exit code 1.
    pub failed: bool,
}

impl Inputs {
    /// Reads the gold file, the corpus and the schema; reports unreadable gold documents and
    /// documents the corpus lacks on stderr.
    pub fn load(cli: &super::Cli, args: &Args) -> anyhow::Result<Self> {
        let mut failed = false;
        let gold = read_jsonl(args.gold_path())?;
        let schema = Schema::load(&cli.annotations).map_err(|e| anyhow::anyhow!("{e}"))?;
        // Predictions for the whole text can be scored without the corpus (as score.py does);
        // anything else needs the documents.
        let standalone = args.pred.is_some() && args.scope == Scope::All;
        let corpus = match Corpus::open(&cli.corpus) {
            Ok(c) => c,
            Err(_) if standalone => Corpus::default(),
            Err(e) => anyhow::bail!("{e}"),
        };
        for e in &corpus.errors {
            if gold.contains_key(&crate::corpus::doc_id(e.path())) {
                eprintln!("biaozhu: {e}");
                failed = true;
            }
        }
        let missing: Vec<String> = gold
            .keys()
            .filter(|id| corpus.position(id).is_none())
            .cloned()
            .collect();
        if !missing.is_empty() {
            let what = if standalone {
                "scored without checking their text"
            } else {
                "not scored"
            };
            eprintln!(
                "biaozhu: {} gold documents are not in {} ({what}): {}",
                missing.len(),
                cli.corpus.display(),
                missing.join(", ")
            );
            failed |= !standalone;
        }
        // Documents the corpus lacks are scored only when predictions are given for the whole
        // text; otherwise they could not have been suggested on or restricted to their body.
        let gold: SpansByDoc = if standalone {
            gold
        } else {
            gold.into_iter()
                .filter(|(id, _)| corpus.get(id).is_some())
                .collect()
        };
        Ok(Self {
            gold,
            corpus,
            schema,
            missing,
            failed,
        })
    }

    /// The corpus documents that have gold spans, in the order of `ids` (the gold file's:
    /// folds and the analyst's order follow it).
    pub fn docs(&self, ids: &[String]) -> Vec<&Document> {
        ids.iter()
            .filter(|id| self.gold.contains_key(*id))
            .filter_map(|id| self.corpus.kept(self.corpus.position(id)?))
            .collect()
    }
}

/// Runs `evaluate`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    // The schema's names, whatever case was typed; an unknown label is an error.
    let args = &Args {
        labels: cli.labels(&args.labels)?,
        ..args.clone()
    };
    if cli.annotator.is_some() {
        super::args::annotator(cli, "memory to use")?; // the same names as every command
    }
    if args.runs > 1 && args.cross_validate.is_none() && !args.learning_curve {
        anyhow::bail!("--runs needs --cross-validate or --learning-curve");
    }
    let inputs = Inputs::load(cli, args)?;
    let docs = inputs.docs(&folds::doc_order(&std::fs::read_to_string(
        args.gold_path(),
    )?));
    if args.learning_curve {
        learning_curve(cli, args, &inputs.gold, &docs, &inputs.schema)?;
        return Ok(if inputs.failed { 1 } else { 0 });
    }
    let score = |pred: &SpansByDoc| {
        evaluate(
            &inputs.gold,
            pred,
            &docs,
            args.scope,
            &args.labels,
            &inputs.schema,
        )
    };
    let (e, suggester) = match (&args.pred, args.cross_validate) {
        (Some(path), _) => (
            score(&read_jsonl(path)?),
            format!("predictions in {}", path.display()),
        ),
        (None, Some(k)) => {
            let mut extra = iob_sequences(&args.iob)?;
            let iob_lines = extra.len();
            extra.extend(train_gold(args)?);
            let opts = suggest_options(cli, args)?;
            let settings = args.training.settings();
            let k = k.clamp(2, docs.len().max(2));
            let mut f1s = Vec::new();
            let mut first = None;
            for run in 0..args.runs.max(1) {
                let settings = Settings {
                    seed: settings.seed + run,
                    ..settings
                };
                let build = ner_eval::trainer(
                    &inputs.gold,
                    &extra,
                    args.training.gold_weight,
                    settings,
                    &opts,
                );
                let pred = folds::cross_validate(&docs, k, &*build);
                let e = score(&pred);
                f1s.push(e.report.entities.exact_prf().f1);
                first.get_or_insert(e);
            }
            if f1s.len() > 1 {
                let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
                let min = f1s.iter().copied().fold(f64::MAX, f64::min);
                let max = f1s.iter().copied().fold(f64::MIN, f64::max);
                let each: Vec<String> = f1s.iter().map(|f| format!("{f:.3}")).collect();
                eprintln!(
                    "entities exact F1 over {} training seeds: mean {mean:.3} (lowest {min:.3}, \
                     highest {max:.3}; {})",
                    f1s.len(),
                    each.join(", ")
                );
            }
            let what = format!(
                "the pipeline with entity models trained on the other folds ({k}-fold \
                 cross-validation by document{})",
                if extra.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", always in training: {iob_lines} IOB2 sentences, {} lines of --train-gold",
                        extra.len() - iob_lines
                    )
                }
            );
            (first.context("no cross-validation run")?, what)
        }
        (None, None) => {
            let opts = suggest_options(cli, args)?;
            let pred = predict(&docs, &|d| suggest(d, &opts));
            (score(&pred), suggester_name(cli, args))
        }
    };
    let ok = print_report(cli, args, &inputs, &e, &suggester)?;
    Ok(if ok && !inputs.failed { 0 } else { 1 })
}

/// Prints an evaluation as `args` asks (table or JSON, with or without the errors) and warns
/// about gold spans that do not fit the corpus. Returns whether nothing was wrong.
pub fn print_report(
    cli: &super::Cli,
    args: &Args,
    inputs: &Inputs,
    e: &Evaluation,
    suggester: &str,
) -> anyhow::Result<bool> {
    let mut ok = true;
    if !e.text_mismatches.is_empty() {
        ok = false;
        eprintln!(
            "biaozhu: {} gold spans do not match the corpus text at their offsets (another \
             version of the file?), e.g.:",
            e.text_mismatches.len()
        );
        for m in e.text_mismatches.iter().take(5) {
            eprintln!(
                "  {} {}..{}: gold {:?}, corpus {:?}",
                m.doc,
                m.span.start,
                m.span.end,
                m.span.text.as_deref().unwrap_or(""),
                m.found.as_deref().unwrap_or("(past the end)")
            );
        }
    }
    let corpus = &inputs.corpus;
    let missing = &inputs.missing;
    let mut out = std::io::stdout().lock();
    let texts = |doc: &str, s: &EvalSpan| -> String {
        match &s.text {
            Some(t) => t.clone(),
            None => corpus
                .get(doc)
                .filter(|d| s.end <= d.char_len())
                .map(|d| d.slice(s.start..s.end).to_owned())
                .unwrap_or_default(),
        }
    };
    if args.json {
        let mut o = json!({
            "gold": args.gold_path(),
            "corpus": cli.corpus,
            "suggester": suggester,
            "scope": args.scope,
            "documents": e.report.per_doc.len(),
            "per_label": e.report.per_label.iter()
                .map(|(k, c)| (k.clone(), c.summary()))
                .collect::<serde_json::Map<_, _>>(),
            "figures": e.report.figures.summary(),
            "entities": e.report.entities.summary(),
            "all": e.report.all.summary(),
            "out_of_scope": e.out_of_scope.per_label.iter()
                .map(|(k, c)| (k.clone(), c.gold.into()))
                .collect::<serde_json::Map<_, _>>(),
            "missing_documents": missing,
            "text_mismatches": e.text_mismatches.len(),
        });
        if args.errors {
            o["errors"] = e
                .mismatches
                .iter()
                .map(|m| {
                    let side = |s: &Option<EvalSpan>| {
                        s.as_ref().map(|s| {
                            json!({"start": s.start, "end": s.end, "label": s.label,
                                   "text": texts(&m.doc, s), "value": s.value})
                        })
                    };
                    json!({"doc": m.doc, "kind": m.kind, "gold": side(&m.gold), "pred": side(&m.pred)})
                })
                .collect();
        }
        writeln!(out, "{o}")?;
    } else {
        write_table(&mut out, e, suggester)?;
        if args.errors {
            writeln!(out)?;
            for m in &e.mismatches {
                writeln!(out, "{}", describe(m, &texts))?;
            }
        }
    }
    out.flush()?;
    Ok(ok)
}

pub fn suggester_name(cli: &super::Cli, args: &Args) -> String {
    let mut s = String::from("the suggester");
    if let Some(a) = &cli.annotator {
        s.push_str(&format!(" with {a}'s memory"));
    }
    if args.rules_only {
        s.push_str(", entities from the rules alone");
    }
    if args.scope.include_boilerplate() {
        s.push_str(", boilerplate included");
    } else {
        s.push_str(", default settings");
    }
    s
}

/// The suggester's options for `args`: labels, scope, the entity model given with `--model`
/// (or the rules alone), and with `--annotator` what that annotator taught it.
pub fn suggest_options(cli: &super::Cli, args: &Args) -> anyhow::Result<Options> {
    let memory = match &cli.annotator {
        Some(name) => Some(Arc::new(
            Memory::load(&cli.annotations, name).context("cannot use the learned memory")?,
        )),
        None => None,
    };
    let entity_labels = ["PER", "LOC", "ORG", "POLICY"];
    Ok(Options {
        labels: args.labels.clone(),
        include_boilerplate: args.scope.include_boilerplate(),
        // The segmenter is loaded only when an entity label is scored.
        no_entities: !args.labels.is_empty()
            && memory.is_none()
            && !args
                .labels
                .iter()
                .any(|l| entity_labels.contains(&l.as_str())),
        memory,
        model: match &args.model {
            Some(path) => Some(Arc::new(load_model(path)?)),
            None => None,
        },
        rules_only: args.rules_only,
    })
}

fn load_model(path: &std::path::Path) -> anyhow::Result<Model> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{}", path.display()))
}

/// The `--train-gold` documents as training sequences.
fn train_gold(args: &Args) -> anyhow::Result<Vec<Sequence>> {
    let corpora = args
        .train_articles
        .iter()
        .map(|d| Corpus::open(d).with_context(|| format!("cannot open {}", d.display())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut ex = Vec::new();
    for g in &args.train_gold {
        let gold = read_jsonl(g)?;
        let docs = gold
            .keys()
            .map(|id| {
                corpora
                    .iter()
                    .find_map(|c| c.kept(c.position(id)?))
                    .with_context(|| {
                        format!(
                            "{}: document {id} is in no --train-articles folder",
                            g.display()
                        )
                    })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        ex.extend(ner_eval::examples(&docs, &gold, args.training.gold_weight));
    }
    Ok(sequences(recognizer(), &ex))
}

fn iob_sequences(files: &[PathBuf]) -> anyhow::Result<Vec<Sequence>> {
    let mut iob = Vec::new();
    for f in files {
        iob.extend(read_iob(f)?);
    }
    Ok(sequences(recognizer(), &iob))
}

/// Prints the learning curve: per step, the documents annotated, the documents scored, and
/// exact F1 per entity label, entities P/R/F1 and all labels' F1.
fn learning_curve(
    cli: &super::Cli,
    args: &Args,
    gold: &SpansByDoc,
    docs: &[&Document],
    schema: &Schema,
) -> anyhow::Result<()> {
    let base = match &args.model {
        Some(path) => load_model(path)?,
        None => ner::base()
            .cloned()
            .context("the shipped entity model is unusable")?,
    };
    let opts = suggest_options(cli, args)?;
    let tuning = learn::Tuning::default();
    let steps = folds::curve_steps(docs.len());
    let build = ner_eval::analyst(gold, &base, &opts, tuning);
    let curve = folds::learning_curve(docs, &steps, &*build);
    let means = if args.runs > 1 {
        curve_runs(args, gold, docs, schema, &base, &opts, &steps)
    } else {
        Vec::new()
    };
    let labels = ["PER", "LOC", "ORG", "POLICY"];
    let mut out = std::io::stdout().lock();
    let mut rows = Vec::new();
    if !args.json {
        writeln!(
            out,
            "learning curve over {} documents (file order), scope {:?}, exact spans",
            docs.len(),
            args.scope
        )?;
        writeln!(
            out,
            "{:>9} {:>6} {:>6} {:>6} {:>6} {:>6} | entities {:>5} {:>5} {:>5} | all F1 | \
             without learning",
            "annotated", "scored", "PER", "LOC", "ORG", "POLICY", "P", "R", "F1"
        )?;
    }
    for p in &curve {
        let ids: Vec<&str> = docs[p.annotated..].iter().map(|d| d.id.as_str()).collect();
        let g = folds::only(gold, &ids);
        let e = evaluate(&g, &p.pred, docs, args.scope, &args.labels, schema);
        let f = |l: &str| e.report.per_label.get(l).map(|c| c.exact_prf().f1);
        // The same documents as the untaught suggester (k = 0) saw them.
        let untaught = curve.first().map(|first| {
            evaluate(&g, &first.pred, docs, args.scope, &args.labels, schema)
                .report
                .entities
        });
        if args.json {
            rows.push(json!({
                "annotated": p.annotated,
                "scored": ids.len(),
                "per_label": e.report.per_label.iter()
                    .map(|(k, c)| (k.clone(), c.summary()))
                    .collect::<serde_json::Map<_, _>>(),
                "entities": e.report.entities.summary(),
                "all": e.report.all.summary(),
                "entities_without_learning": untaught.map(|c| c.summary()),
            }));
            continue;
        }
        let cell = |x: Option<f64>| x.map_or_else(|| "-".into(), |v| format!("{v:.3}"));
        let en = e.report.entities.exact_prf();
        writeln!(
            out,
            "{:>9} {:>6} {:>6} {:>6} {:>6} {:>6} |          {:.3} {:.3} {:.3} | {:.3}  | {}",
            p.annotated,
            ids.len(),
            cell(f(labels[0])),
            cell(f(labels[1])),
            cell(f(labels[2])),
            cell(f(labels[3])),
            en.p,
            en.r,
            en.f1,
            e.report.all.exact_prf().f1,
            untaught.map_or_else(|| "-".into(), |c| format!("{:.3}", c.exact_prf().f1)),
        )?;
    }
    if args.json {
        writeln!(
            out,
            "{}",
            json!({
                "gold": args.gold_path(),
                "learning_curve": rows,
                "runs": (args.runs > 1).then(|| json!({
                    "count": args.runs,
                    "mean": means.iter().map(|s| json!({
                        "annotated": s.annotated, "entities_f1": s.mean.0, "untaught_f1": s.mean.1,
                    })).collect::<Vec<_>>(),
                    "pooled": means.iter().map(|s| json!({
                        "annotated": s.annotated, "entities_f1": s.pooled.0, "untaught_f1": s.pooled.1,
                    })).collect::<Vec<_>>(),
                })),
            })
        )?;
    }
    Ok(())
}

/// One step of `--runs` learning curves: the documents annotated, the mean entity exact F1
/// over the runs (taught, untaught), and the same pooled: one F1 of the counts summed over
/// every run's scored documents (taught, untaught).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RunsStep {
    pub annotated: usize,
    pub mean: (f64, f64),
    pub pooled: (f64, f64),
}

/// The entity exact F1 per step of `--runs` learning curves (run r: tuning seed + r,
/// documents rotated by r), with the untaught model's on the same documents: the mean of the
/// runs' F1 and the pooled F1 (the counts of all runs summed, as a team scores the documents
/// left after k of theirs together; late steps score one document per run, whose F1 the mean
/// weighs as much as a long one's). Printed on stderr and returned for the JSON.
fn curve_runs(
    args: &Args,
    gold: &SpansByDoc,
    docs: &[&Document],
    schema: &Schema,
    base: &Model,
    opts: &crate::suggest::Options,
    steps: &[usize],
) -> Vec<RunsStep> {
    let runs = args.runs as usize;
    // Per step: the sum of F1 and of the counts, taught and untaught.
    let mut sums = vec![(0.0, 0.0, Counts::default(), Counts::default()); steps.len()];
    for run in 0..runs {
        let tuning = learn::Tuning {
            seed: learn::Tuning::default().seed + run as u64,
            ..learn::Tuning::default()
        };
        let mut order = docs.to_vec();
        order.rotate_left(run % docs.len().max(1));
        let build = ner_eval::analyst(gold, base, opts, tuning);
        let curve = folds::learning_curve(&order, steps, &*build);
        for (p, sum) in curve.iter().zip(&mut sums) {
            let ids: Vec<&str> = order[p.annotated..].iter().map(|d| d.id.as_str()).collect();
            let g = folds::only(gold, &ids);
            let counts = |pred: &SpansByDoc| {
                evaluate(&g, pred, docs, args.scope, &args.labels, schema)
                    .report
                    .entities
            };
            let taught = counts(&p.pred);
            let untaught = curve
                .first()
                .map(|first| counts(&first.pred))
                .unwrap_or_default();
            sum.0 += taught.exact_prf().f1;
            sum.1 += untaught.exact_prf().f1;
            sum.2 += taught;
            sum.3 += untaught;
        }
    }
    let steps: Vec<RunsStep> = steps
        .iter()
        .zip(&sums)
        .filter(|(k, _)| **k < docs.len())
        .map(|(k, (t, u, tc, uc))| RunsStep {
            annotated: *k,
            mean: (t / runs as f64, u / runs as f64),
            pooled: (tc.exact_prf().f1, uc.exact_prf().f1),
        })
        .collect();
    let cells = |f: fn(&RunsStep) -> (f64, f64)| {
        steps
            .iter()
            .map(|s| {
                let (t, u) = f(s);
                format!("k={} {t:.3} (untaught {u:.3})", s.annotated)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "entities exact F1, mean over {runs} runs (seed + r, documents rotated by r): {}",
        cells(|s| s.mean)
    );
    eprintln!(
        "entities exact F1, pooled over the {runs} runs' scored documents: {}",
        cells(|s| s.pooled)
    );
    steps
}

/// The rows of a report: one per label, then figures, entities and all (micro).
pub(super) fn write_rows(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<10} {:>5} {:>5}  exact {:>5} {:>5} {:>5} | overlap {:>5} {:>5} {:>5} | value",
        "label", "gold", "pred", "P", "R", "F1", "P", "R", "F1"
    )?;
    let row = |out: &mut dyn Write, name: &str, c: &Counts| {
        let (x, o) = (c.exact_prf(), c.overlap_prf());
        let value = if c.value_n > 0 {
            format!("{}/{}", c.value_ok, c.value_n)
        } else {
            "-".into()
        };
        writeln!(
            out,
            "{name:<10} {:>5} {:>5}        {:.3} {:.3} {:.3} |         {:.3} {:.3} {:.3} | {value}",
            c.gold, c.pred, x.p, x.r, x.f1, o.p, o.r, o.f1
        )
    };
    for (label, c) in &report.per_label {
        row(out, label, c)?;
    }
    writeln!(out, "{}", "-".repeat(82))?;
    row(out, "figures", &report.figures)?;
    row(out, "entities", &report.entities)?;
    row(out, "all", &report.all)?;
    Ok(())
}

fn write_table(out: &mut impl Write, e: &Evaluation, suggester: &str) -> std::io::Result<()> {
    let scope = match e.scope {
        Scope::Body => "body (the text outside detected boilerplate)",
        Scope::All => "all (the whole text)",
    };
    writeln!(
        out,
        "{} documents, scope {scope}, {suggester}",
        e.report.per_doc.len()
    )?;
    write_rows(out, &e.report)?;
    if let Some(v) = e.report.figures.value_accuracy() {
        writeln!(out, "figure value accuracy = {v:.3}")?;
    }
    writeln!(
        out,
        "figures exact F1 = {:.3}, entities exact F1 = {:.3}, micro exact F1 = {:.3}",
        e.report.figures.exact_prf().f1,
        e.report.entities.exact_prf().f1,
        e.report.all.exact_prf().f1
    )?;
    let out_of_scope = e.out_of_scope.all.gold;
    if out_of_scope > 0 {
        writeln!(
            out,
            "not scored: {out_of_scope} gold spans in detected boilerplate ({} figures, {} entities)",
            e.out_of_scope.figures.gold, e.out_of_scope.entities.gold
        )?;
    }
    Ok(())
}

fn describe(m: &Mismatch, texts: &dyn Fn(&str, &EvalSpan) -> String) -> String {
    let side = |s: &EvalSpan| {
        let v = s
            .value
            .as_ref()
            .map(|v| format!(" = {}", serde_json::to_string(v).unwrap_or_default()))
            .unwrap_or_default();
        format!(
            "{} {}..{} {:?}{v}",
            s.label,
            s.start,
            s.end,
            texts(&m.doc, s)
        )
    };
    let g = m.gold.as_ref().map(side).unwrap_or_else(|| "—".into());
    let p = m.pred.as_ref().map(side).unwrap_or_else(|| "—".into());
    format!("{}\t{:<8}\tgold {g}\tpred {p}", m.doc, m.kind)
}
