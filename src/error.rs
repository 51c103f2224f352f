//! Error types of the library: each carries the file, document and position it concerns.

use std::path::PathBuf;

/// A file of the corpus that could not be opened as an article.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file looks like binary data (NUL bytes, control characters).
    #[error("{path}: not a text file (binary data at byte {offset})")]
    Binary {
        /// The file.
        path: PathBuf,
        /// Where binary data was first seen.
        offset: usize,
    },
    /// The bytes could not be decoded with any supported encoding.
    #[error("{path}: cannot decode as {encoding}: the text is not valid in any supported encoding")]
    Undecodable {
        /// The file.
        path: PathBuf,
        /// The best guess that still failed.
        encoding: String,
    },
    /// The file is empty or holds only whitespace.
    #[error("{path}: empty file")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Two files give the same document id.
    #[error("{path}: document id {id:?} is already used by {other}")]
    DuplicateId {
        /// The second file.
        path: PathBuf,
        /// The id they share.
        id: String,
        /// The first file.
        other: PathBuf,
    },
}

impl LoadError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Self::Io { path, .. }
            | Self::Binary { path, .. }
            | Self::Undecodable { path, .. }
            | Self::Empty { path }
            | Self::DuplicateId { path, .. } => path,
        }
    }
}

/// Reading or writing an annotation file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing failed at the OS level.
    #[error("{path}: {action}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done ("cannot write", …).
        action: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not valid RON for this format. It is left untouched.
    #[error(
        "{path}:{line}:{col}: cannot parse annotation file: {message} (the file is left as it is; fix it by hand or move it away)"
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        col: usize,
        /// The parser's message.
        message: String,
    },
    /// The file was written by a newer version of the format.
    #[error("{path}: format version {found} is newer than this program understands ({supported})")]
    Version {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The file belongs to another document than the one asked for.
    #[error("{path}: the file says it annotates {found:?}, expected {expected:?}")]
    WrongDocument {
        /// The file.
        path: PathBuf,
        /// Id in the file.
        found: String,
        /// Id expected from the file name.
        expected: String,
    },
    /// A name that cannot be used as a folder or file name.
    #[error(
        "invalid name {0:?}: use letters, digits, '-', '_' or '.' (not starting with '.', not ending in .ron, at most 64 chars)"
    )]
    InvalidName(String),
    /// A schema label that exports cannot write.
    #[error(
        "{path}: label {label:?} cannot be used: no spaces, tabs, line breaks or control characters, not empty, not \"O\""
    )]
    BadLabel {
        /// The schema file.
        path: PathBuf,
        /// The label.
        label: String,
    },
    /// A name the program keeps for itself.
    #[error("{0:?} is reserved for the adjudicated set (use --gold where a command offers it)")]
    ReservedName(String),
    /// The file changed on disk since it was read (another window or command wrote it).
    #[error(
        "{path}: changed on disk since it was read (another window or command wrote it); not overwritten"
    )]
    Conflict {
        /// The file.
        path: PathBuf,
    },
    /// The file had spans that could not be read; it is not overwritten until fixed by hand.
    #[error(
        "{path}: has spans that could not be read; not overwritten until it is fixed by hand{}",
        problems.iter().map(|p| format!("\n  {p}")).collect::<String>()
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What was wrong (empty when it was reported as the file was read).
        problems: Vec<String>,
    },
    /// Another writer held the folder's lock for too long.
    #[error("{path}: another writer has held this lock for {waited} s; nothing was written")]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Seconds waited.
        waited: u64,
    },
}

/// A span that cannot exist.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SpanError {
    /// `start >= end`.
    #[error("empty or reversed span {start}..{end}")]
    Empty {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
    },
    /// The span goes past the end of the text.
    #[error("span {start}..{end} is outside the text ({len} chars)")]
    OutOfRange {
        /// Start offset.
        start: usize,
        /// End offset.
        end: usize,
        /// Text length in chars.
        len: usize,
    },
}

/// Writing an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The annotator has nothing to export (with why, when files could not be read).
    #[error(
        "no annotations of {annotator:?} in {} to export{}",
        root.display(),
        problems.iter().map(|p| format!("\n  {p}")).collect::<String>()
    )]
    Nothing {
        /// Whose annotations were asked for.
        annotator: String,
        /// The annotations folder.
        root: PathBuf,
        /// Files that could not be read, spans left out.
        problems: Vec<String>,
    },
    /// The output is an article of the corpus, or the folder that holds them.
    #[error("{}: {why}: an export never replaces the articles; choose another --out", path.display())]
    Replaces {
        /// The output asked for.
        path: PathBuf,
        /// Which article it would replace.
        why: String,
    },
    /// The output could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The output (`-` for standard output).
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A CSV row could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Csv {
        /// The output.
        path: PathBuf,
        /// The CSV writer's error.
        source: csv::Error,
    },
    /// A brat folder could not be written.
    #[error(transparent)]
    Store(#[from] StoreError),
}
