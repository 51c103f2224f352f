//! What every subcommand does with its names and folders: the annotator's name checked (no
//! separators, not `gold`, not a file of the annotations folder), the corpus opened with a
//! word about files read with repairs, the annotations folder opened (stale temporary files
//! of killed writers removed).

use anyhow::Context;

use super::Cli;
use crate::corpus::Corpus;
use crate::store::{Store, check_annotator};

/// The annotator named with `--annotator`, checked; `purpose` completes "say whose … ".
pub fn annotator(cli: &Cli, purpose: &str) -> anyhow::Result<String> {
    let name = cli
        .annotator
        .clone()
        .with_context(|| format!("say whose {purpose}: --annotator NAME"))?;
    check_annotator(&name)?;
    Ok(name)
}

/// The corpus folder, opened; files decoded with repairs are told on stderr.
pub fn corpus(cli: &Cli) -> anyhow::Result<Corpus> {
    let corpus = Corpus::open(&cli.corpus)?;
    warn_repairs(&corpus);
    Ok(corpus)
}

/// Tells on stderr about files decoded with repairs (bytes that were not UTF-8).
pub fn warn_repairs(corpus: &Corpus) {
    for w in corpus.warnings() {
        eprintln!("biaozhu: {w}");
    }
}

/// The annotations folder; temporary files left by killed writers are removed and told.
pub fn store(cli: &Cli) -> Store {
    let (store, removed) = Store::open(&cli.annotations);
    for p in removed {
        eprintln!(
            "biaozhu: removed {} (left by a writer that stopped more than an hour ago)",
            p.display()
        );
    }
    store
}
