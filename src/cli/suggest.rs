//! `biaozhu suggest PATH...`: one JSON object per suggestion per line, in document order;
//! figures carry value/unit/approx, entities do not.
//! Its output is a contract that tests and evaluations read.

use std::io::Write;
use std::path::PathBuf;

use std::sync::Arc;

use anyhow::Context;
use rayon::prelude::*;

use crate::corpus::Corpus;
use crate::suggest::memory::Memory;
use crate::suggest::{Options, suggest};

/// Options of `suggest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these labels, comma-separated (MONEY,PERCENT,…).
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// Suggest inside detected boilerplate too.
    #[arg(long)]
    pub include_boilerplate: bool,
    /// Figures only, without entities (faster: the segmenter is not loaded).
    #[arg(long)]
    pub no_entities: bool,
    /// Entities from the rules alone, without the entity model.
    #[arg(long)]
    pub rules_only: bool,
    /// Files or folders of .txt files (default: the corpus folder).
    pub paths: Vec<PathBuf>,
}

/// Runs `suggest`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let paths = if args.paths.is_empty() {
        vec![cli.corpus.clone()]
    } else {
        args.paths.clone()
    };
    let mut failed = false;
    for p in &paths {
        if !p.exists() {
            eprintln!("biaozhu: {}: no such file or folder", p.display());
            failed = true;
        }
    }
    let existing: Vec<PathBuf> = paths.into_iter().filter(|p| p.exists()).collect();
    let corpus = Corpus::open_paths(&existing);
    // With --annotator, what that annotator taught the suggester (learned and rejected
    // strings, `annotations/<annotator>.memory.ron`).
    let memory = match cli.annotator() {
        Some(_) => {
            let name = super::args::annotator(cli, "memory to use")?;
            Some(Arc::new(
                Memory::load(&cli.annotations, &name).context("cannot use the learned memory")?,
            ))
        }
        None => None,
    };
    // With --annotator, their entity model too: grown from the shipped one on their
    // decisions, `annotations/<annotator>.model`, rebuilt when older than their files.
    let model = match (&cli.annotator, args.no_entities || args.rules_only) {
        (Some(name), false) => annotator_model(cli, name, &corpus)?,
        _ => None,
    };
    let entity_labels = ["PER", "LOC", "ORG", "POLICY"];
    let labels = cli.labels(&args.labels)?;
    let opts = Options {
        labels: labels.clone(),
        include_boilerplate: args.include_boilerplate,
        // Load the segmenter only when an entity label can be printed.
        no_entities: args.no_entities
            || (!labels.is_empty()
                && memory.is_none()
                && !labels.iter().any(|l| entity_labels.contains(&l.as_str()))),
        memory,
        model,
        rules_only: args.rules_only,
    };
    // Documents in parallel; printed in corpus order.
    let lines: Vec<String> = (0..corpus.len())
        .into_par_iter()
        .map(|i| {
            let mut s = String::new();
            let Ok(doc) = corpus.read(i) else {
                return s; // reported with the corpus's errors
            };
            for sug in suggest(&doc, &opts) {
                s.push_str(&sug.to_json(&doc).to_string());
                s.push('\n');
            }
            s
        })
        .collect();
    let mut out = std::io::stdout().lock();
    for l in lines {
        out.write_all(l.as_bytes())?;
    }
    out.flush()?;
    for e in &corpus.errors {
        eprintln!("biaozhu: {e}");
        failed = true;
    }
    super::args::warn_repairs(&corpus);
    failed |= !corpus.warnings().is_empty();
    Ok(if failed { 1 } else { 0 })
}

/// `name`'s entity model, built from their files in the corpus folder (or, when that folder
/// does not exist, in the documents given); messages about it on stderr.
fn annotator_model(
    cli: &super::Cli,
    name: &str,
    given: &Corpus,
) -> anyhow::Result<Option<Arc<crate::suggest::ner::Model>>> {
    use crate::suggest::ner::{base, learn};
    let Some(base) = base() else {
        return Ok(None);
    };
    let own;
    let corpus = if cli.corpus.is_dir() {
        own = Corpus::open(&cli.corpus).context("cannot open the corpus")?;
        &own
    } else {
        given
    };
    let (model, outcome, problems) = learn::load_or_build(&cli.annotations, name, corpus, base)
        .context("cannot use the annotator's entity model")?;
    for p in problems {
        eprintln!("biaozhu: {p}");
    }
    match outcome {
        learn::Outcome::Fallback(msg) => eprintln!("biaozhu: {msg}"),
        learn::Outcome::Built { documents, check } => {
            eprintln!("biaozhu: {name}: {}", learn::describe(documents, check))
        }
        _ => {}
    }
    Ok(Some(model))
}
