//! `biaozhu export` and `biaozhu import`: labelled data out to training formats, and
//! doccano-style JSONL back into an annotator's RON files.

use std::path::PathBuf;

use crate::corpus::Corpus;
use crate::export::{self, Options};
use crate::model::span::Status;
use crate::schema::Schema;
use crate::store::Store;

/// Export formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// doccano JSONL, one document per line.
    Jsonl,
    /// Character-level BIO.
    Conll,
    /// brat standoff (.txt + .ann per document; --out is a folder).
    Brat,
    /// One row per figure, for spreadsheets.
    Csv,
}

/// Options of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Output file (a folder for brat); `-` for standard output.
    #[arg(long)]
    pub out: PathBuf,
    /// Which statuses, comma-separated (accepted,added,suggested,rejected).
    #[arg(long, value_delimiter = ',', default_value = "accepted,added")]
    pub status: Vec<String>,
    /// Include unreviewed suggestions too (marked `suggested`).
    #[arg(long)]
    pub include_suggested: bool,
    /// Only these labels, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub labels: Vec<String>,
    /// Only documents marked done.
    #[arg(long)]
    pub done_only: bool,
    /// Export the adjudicated gold set instead of an annotator.
    #[arg(long)]
    pub gold: bool,
}

/// Options of `import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Input format (only jsonl).
    #[arg(long, value_parser = ["jsonl"], default_value = "jsonl")]
    pub format: String,
    /// The JSONL file.
    pub file: PathBuf,
}

fn writer(out: &PathBuf) -> anyhow::Result<Box<dyn std::io::Write>> {
    if out.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdout().lock()));
    }
    let f = std::fs::File::create(out)
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", out.display()))?;
    Ok(Box::new(std::io::BufWriter::new(f)))
}

/// Runs `export`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let annotator = if args.gold {
        "gold".to_string()
    } else {
        cli.annotator.clone().ok_or_else(|| {
            anyhow::anyhow!("say whose annotations to export: --annotator NAME (or --gold)")
        })?
    };
    let mut statuses = Vec::new();
    for s in &args.status {
        statuses.push(Status::from_name(s.trim()).ok_or_else(|| {
            anyhow::anyhow!("unknown status {s:?}: use accepted, added, suggested or rejected")
        })?);
    }
    if args.include_suggested && !statuses.contains(&Status::Suggested) {
        statuses.push(Status::Suggested);
    }
    let corpus = Corpus::open(&cli.corpus).map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = Store::new(&cli.annotations);
    let schema = Schema::load(&cli.annotations)?;
    let opts = Options {
        annotator: annotator.clone(),
        statuses,
        labels: args.labels.clone(),
        done_only: args.done_only,
    };
    let (items, problems) = export::collect(&corpus, &store, &opts);
    for p in &problems {
        eprintln!("biaozhu: {p}");
    }
    if items.is_empty() {
        eprintln!(
            "biaozhu: no annotations of {annotator:?} in {} to export",
            cli.annotations.display()
        );
        return Ok(1);
    }
    let spans: usize = items.iter().map(|i| i.spans.len()).sum();
    match args.format {
        Format::Jsonl => {
            let mut w = writer(&args.out)?;
            export::jsonl::write(&items, &mut w)?;
            w.flush()?;
        }
        Format::Conll => {
            let mut w = writer(&args.out)?;
            let skipped = export::conll::write(&items, &mut w)?;
            w.flush()?;
            if skipped > 0 {
                eprintln!(
                    "biaozhu: {skipped} overlapping spans cannot be written as BIO and were left out"
                );
            }
        }
        Format::Brat => export::brat::write(&items, &args.out)?,
        Format::Csv => {
            let mut w = writer(&args.out)?;
            export::csv::write(&items, &schema, &mut w)?;
            w.flush()?;
        }
    }
    eprintln!(
        "biaozhu: exported {} documents, {spans} spans of {annotator}",
        items.len()
    );
    Ok(if problems.is_empty() { 0 } else { 1 })
}

/// Runs `import`.
pub fn run_import(cli: &super::Cli, args: &ImportArgs) -> anyhow::Result<i32> {
    let annotator = cli
        .annotator
        .clone()
        .ok_or_else(|| anyhow::anyhow!("say whose files to import into: --annotator NAME"))?;
    let input = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", args.file.display()))?;
    let corpus = Corpus::open(&cli.corpus).map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = Store::new(&cli.annotations);
    let report = export::jsonl::import(&corpus, &store, &annotator, &input)?;
    for s in &report.skipped {
        eprintln!("biaozhu: {s}");
    }
    eprintln!(
        "biaozhu: imported {} spans into {} documents of {annotator} ({} already there, {} lines skipped)",
        report.spans,
        report.documents,
        report.duplicates,
        report.skipped.len()
    );
    Ok(if report.skipped.is_empty() { 0 } else { 1 })
}
