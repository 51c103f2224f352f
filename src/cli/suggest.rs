//! `biaozhu suggest PATH...`: one JSON object per suggestion per line, in document order.
//! Its output is a contract that tests and evaluations read.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::corpus::Corpus;
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
    let opts = Options {
        labels: args.labels.clone(),
        include_boilerplate: args.include_boilerplate,
    };
    // Documents in parallel; printed in corpus order.
    let lines: Vec<String> = corpus
        .docs
        .par_iter()
        .map(|doc| {
            let mut s = String::new();
            for sug in suggest(doc, &opts) {
                s.push_str(&sug.to_json(doc).to_string());
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
    Ok(if failed { 1 } else { 0 })
}
