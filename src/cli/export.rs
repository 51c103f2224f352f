//! `biaozhu export` and `biaozhu import`: labelled data out to training formats, and
//! doccano-style JSONL back into an annotator's RON files.

use std::path::PathBuf;

use crate::export::{self, Format, Options};
use crate::model::span::Status;
use crate::schema::Schema;
use crate::suggest::memory::Memory;

/// Options of `export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_parser = format_parser())]
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

/// Parses `--format` by the library's names (listed in the help).
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name))
        .try_map(|name| Format::from_name(&name).ok_or("unknown format"))
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

/// Runs `export`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let annotator = if args.gold {
        "gold".to_string()
    } else {
        super::args::annotator(cli, "annotations to export (or --gold)")?
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
    let labels = cli.labels(&args.labels)?;
    let corpus = super::args::corpus(cli)?;
    let store = super::args::store(cli);
    let schema = Schema::load(&cli.annotations)?;
    let opts = Options {
        annotator: annotator.clone(),
        statuses,
        labels,
        done_only: args.done_only,
    };
    let summary = export::run(
        &corpus,
        &store,
        &schema,
        &opts,
        args.format,
        &args.out,
        &|_| {},
    )?;
    for p in &summary.problems {
        eprintln!("biaozhu: {p}");
    }
    eprintln!(
        "biaozhu: exported {} documents, {} spans of {annotator}",
        summary.documents, summary.spans
    );
    Ok(if summary.problems.is_empty() { 0 } else { 1 })
}

/// Runs `import`.
pub fn run_import(cli: &super::Cli, args: &ImportArgs) -> anyhow::Result<i32> {
    let annotator = super::args::annotator(cli, "files to import into")?;
    let input = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", args.file.display()))?;
    let corpus = super::args::corpus(cli)?;
    let store = super::args::store(cli);
    let schema = Schema::load(&cli.annotations)?;
    // A new file gets the suggestions where nothing was imported, as in the app.
    crate::suggest::entities::recognizer();
    let suggest = |doc: &crate::corpus::Document| {
        crate::suggest::suggest(doc, &Default::default())
            .iter()
            .map(|s| s.to_span(doc))
            .collect()
    };
    let opts = export::jsonl::ImportOptions {
        labels: schema.names(),
        suggest: Some(&suggest),
    };
    let report = export::jsonl::import_with(&corpus, &store, &annotator, &input, &opts)?;
    for s in report.notes.iter().chain(&report.skipped) {
        eprintln!("biaozhu: {s}");
    }
    eprintln!(
        "biaozhu: imported {} spans into {} documents of {annotator} ({} already there, {} lines skipped)",
        report.spans,
        report.documents,
        report.duplicates,
        report.skipped.len()
    );
    let learned = teach_memory(&cli.annotations, &annotator, &schema, &report.added);
    Ok(if report.skipped.is_empty() && learned {
        0
    } else {
        1
    })
}

/// Teaches `annotator`'s learned memory the imported spans, as accepting them in the app
/// does: each entity's string is its label from now on (figures are not learned: their
/// rules find them). A memory file that cannot be read is left as it is, with a message.
/// Returns false when the memory could not be read or written.
fn teach_memory(
    root: &std::path::Path,
    annotator: &str,
    schema: &Schema,
    added: &[(String, String)],
) -> bool {
    let entities: Vec<&(String, String)> =
        added.iter().filter(|(_, l)| !schema.is_figure(l)).collect();
    if entities.is_empty() {
        return true;
    }
    let mut memory = match Memory::load(root, annotator) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("biaozhu: learned memory not taught the imported strings: {e}");
            return false;
        }
    };
    let before = memory.accepted.len();
    let changed = entities
        .iter()
        .fold(false, |c, (text, label)| memory.accept(text, label) | c);
    if !changed {
        return true;
    }
    match memory.save(root, annotator) {
        Ok(()) => {
            eprintln!(
                "biaozhu: learned memory of {annotator}: {} strings (was {before})",
                memory.accepted.len()
            );
            true
        }
        Err(e) => {
            eprintln!("biaozhu: learned memory not saved: {e}");
            false
        }
    }
}
