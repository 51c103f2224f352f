//! `biaozhu agree annotations/alice annotations/bob [...]`: agreement between annotators, per
//! label, per document and overall (exact-span F1 and character-level Cohen's kappa), and on
//! figures' normalised values among exactly matching spans.

use std::path::PathBuf;

use anyhow::Context;

use crate::review;
use crate::schema::Schema;
use crate::store::{Store, check_name};

/// Options of `agree`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two or more annotators' folders (annotations/alice annotations/bob …).
    #[arg(required = true, num_args = 2..)]
    pub folders: Vec<PathBuf>,
    /// One JSON object: {"annotators", "overall": {f1, kappa, raw}, "per_label": {LABEL: {…}},
    /// "per_document", "pairs", "partial", "problems", "values": {"tolerance", "overall",
    /// "per_label", "disagreements"}}.
    #[arg(long)]
    pub json: bool,
    /// Relative tolerance for figures' values: 0.01 counts 530000000 and 531000000 as agreeing
    /// (same unit and approx flag needed). 0 (the default) counts equal values only.
    #[arg(long, default_value_t = 0.0, value_name = "X")]
    pub value_tolerance: f64,
}

/// Runs `agree`.
pub fn run(cli: &super::Cli, args: &Args) -> anyhow::Result<i32> {
    let mut root: Option<PathBuf> = None;
    let mut names = Vec::new();
    for f in &args.folders {
        if !f.is_dir() {
            anyhow::bail!("{}: no such annotator folder", f.display());
        }
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .with_context(|| format!("{}: not an annotator folder", f.display()))?
            .to_owned();
        check_name(&name)?;
        let parent = f.parent().map(PathBuf::from).unwrap_or_default();
        match &root {
            Some(r) if r.canonicalize().ok() != parent.canonicalize().ok() => anyhow::bail!(
                "{}: annotator folders must sit side by side under one annotations folder",
                f.display()
            ),
            _ => root = Some(parent),
        }
        if names.contains(&name) {
            anyhow::bail!("{name} is given twice");
        }
        names.push(name);
    }
    if !(args.value_tolerance.is_finite() && args.value_tolerance >= 0.0) {
        anyhow::bail!(
            "--value-tolerance {}: give a share of 0 or more (0.01 is 1%)",
            args.value_tolerance
        );
    }
    let corpus = super::args::corpus(cli)?;
    let root = root.unwrap_or_default();
    // The labels that are figures come from the annotations folder's schema.
    let schema = Schema::load(&root)?;
    let (store, _) = Store::open(root);
    let a = review::agreement(&corpus, &store, &schema, &names, args.value_tolerance);
    if args.json {
        println!("{}", serde_json::to_string(&a)?);
    } else {
        print!("{}", review::report(&a));
    }
    for p in &a.problems {
        eprintln!("biaozhu: {p}");
    }
    if a.per_document.is_empty() {
        eprintln!(
            "biaozhu: no document was annotated by all of {}",
            names.join(", ")
        );
    }
    Ok(if a.problems.is_empty() { 0 } else { 1 })
}
