//! `biaozhu stats`: progress per annotator, label counts, and how each suggestion rule's
//! suggestions fared (accepted as suggested, edited, rejected, pending).

use crate::stats;

/// Options of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only these annotators, comma-separated (default: every folder under --annotations).
    #[arg(long, value_delimiter = ',')]
    pub annotators: Vec<String>,
    /// One JSON object: {"annotators": [...], "rules": {rule: {...}}, "problems": [...]}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `stats`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let corpus = super::args::corpus(cli)?;
    let store = super::args::store(cli);
    let mut names = args.annotators.clone();
    if names.is_empty() && cli.annotator.is_some() {
        names.push(super::args::annotator(cli, "progress to show")?);
    }
    for n in &names {
        // `gold` is a folder stats may show, not an annotator name to write under.
        crate::store::check_name(n)?;
    }
    let s = stats::compute(&corpus, &store, &names);
    if args.json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        print!("{}", stats::report(&s));
    }
    for p in &s.problems {
        eprintln!("biaozhu: {p}");
    }
    Ok(if s.problems.is_empty() { 0 } else { 1 })
}
