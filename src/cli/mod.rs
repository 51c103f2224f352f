//! The command line (part of the binary, not the library): one file per subcommand; no
//! subcommand opens the desktop app. Errors are anyhow here, printed once by `main`.

pub mod agree;
pub mod args;
pub mod check;
pub mod consistency;
pub mod evaluate;
pub mod export;
pub mod stats;
pub mod suggest;
pub mod train;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// 标注 Biaozhu: annotate figures and entities in Chinese news articles.
#[derive(Debug, Parser)]
#[command(name = "biaozhu", version, about, long_about = None)]
pub struct Cli {
    /// Folder of .txt articles.
    #[arg(long, global = true, default_value = "seeds")]
    pub corpus: PathBuf,
    /// Folder of annotation files (one subfolder per annotator).
    #[arg(long, global = true, default_value = "annotations")]
    pub annotations: PathBuf,
    /// Annotator name (default: the name the app remembered; the app asks once).
    #[arg(long, global = true)]
    pub annotator: Option<String>,
    /// What to do; without one, the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Open the app in review mode comparing these annotators (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub review: Vec<String>,
    /// A corpus folder to open in the app (same as --corpus).
    #[arg(value_name = "CORPUS")]
    pub open: Option<PathBuf>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what the tool made of each file: encoding, title, date, source, body, problems.
    Check(check::Args),
    /// Print figure and entity suggestions as JSON lines (with --annotator: what they taught it).
    Suggest(suggest::Args),
    /// Export labelled data (jsonl, conll, brat, csv).
    Export(export::Args),
    /// Import doccano-style JSONL into an annotator's files.
    Import(export::ImportArgs),
    /// Agreement between annotators: exact-span F1 and character kappa per label, document, overall.
    Agree(agree::Args),
    /// Progress per annotator, label counts, and how each suggestion rule fared.
    Stats(stats::Args),
    /// The same string labelled differently, labelled here but not there, or given different values.
    Consistency(consistency::Args),
    /// Train the entity model from gold files (or measure it: --cross-validate K).
    Train(train::Args),
    /// Score suggestions (or a prediction file) against gold spans: P/R/F1 per label, values.
    Evaluate(evaluate::Args),
}

impl Cli {
    /// The annotator: `--annotator`, else the name the app remembered.
    pub fn annotator(&self) -> Option<String> {
        self.annotator.clone().or_else(|| {
            let path = crate::prefs::Prefs::default_path()?;
            crate::prefs::Prefs::load(&path).annotator
        })
    }

    /// The labels of `--labels` as the schema names them (any case); an unknown one is an
    /// error listing the labels.
    pub fn labels(&self, given: &[String]) -> anyhow::Result<Vec<String>> {
        if given.is_empty() {
            return Ok(Vec::new());
        }
        let schema = crate::schema::Schema::load(&self.annotations)?;
        schema.resolve(given).map_err(anyhow::Error::msg)
    }

    /// What the desktop app opens on.
    #[cfg(feature = "gui")]
    pub fn window(&self) -> biaozhu::ui::Options {
        biaozhu::ui::Options {
            corpus: self.open.clone().unwrap_or_else(|| self.corpus.clone()),
            annotations: self.annotations.clone(),
            annotator: self.annotator.clone(),
            review: self.review.clone(),
        }
    }
}

/// Runs a subcommand; returns the process exit code.
pub fn run(cli: &Cli, command: &Command) -> anyhow::Result<i32> {
    match command {
        Command::Check(args) => check::run(cli, args),
        Command::Suggest(args) => suggest::run(cli, args),
        Command::Export(args) => export::run(cli, args),
        Command::Import(args) => export::run_import(cli, args),
        Command::Stats(args) => stats::run(cli, args),
        Command::Agree(args) => agree::run(cli, args),
        Command::Consistency(args) => consistency::run(cli, args),
        Command::Train(args) => train::run(cli, args),
        Command::Evaluate(args) => evaluate::run(cli, args),
    }
}
