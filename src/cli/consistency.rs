//! `biaozhu consistency`: the same string labelled differently, labelled here and not there,
//! or normalised to different values, across one annotator's files (or the gold set).

use crate::consistency;

/// Options of `consistency`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Check the adjudicated gold set instead of an annotator.
    #[arg(long)]
    pub gold: bool,
    /// One JSON object: {"annotator", "groups": [{kind, text, labels, occurrences}], "problems"}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `consistency`; exit code 0 whether or not groups are found (1 when files failed).
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let annotator = if args.gold {
        "gold".to_owned()
    } else {
        super::args::annotator(cli, "annotations to check (or --gold)")?
    };
    let corpus = super::args::corpus(cli)?;
    let store = super::args::store(cli);
    let (files, problems) = store.load_all(&annotator, &corpus);
    if files.is_empty() && problems.is_empty() {
        anyhow::bail!(
            "no annotation files for {annotator} in {}",
            store.root.join(&annotator).display()
        );
    }
    let groups = consistency::find(&corpus, &files);
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "annotator": annotator,
                "groups": groups,
                "problems": problems,
            })
        );
    } else {
        print!("{}", consistency::report(&groups));
    }
    for p in &problems {
        eprintln!("biaozhu: {p}");
    }
    Ok(if problems.is_empty() { 0 } else { 1 })
}
