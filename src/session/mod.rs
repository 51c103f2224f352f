//! The editing session without a window: the open corpus, each document's [`EditedFile`], the
//! selection, what the suggester learned, review and consistency decisions, saving and files
//! changed on disk. The desktop app draws it and calls its commands; tests and benchmarks
//! drive it directly. Every change to a file is an [`Edit`], planned into an action in one
//! place ([`edit`]) and committed through [`EditedFile::commit`].

pub mod anchors;
pub mod annotate;
pub mod background;
pub mod consistency;
pub mod disk;
pub mod done;
pub mod edit;
pub mod edited;
pub mod journal;
pub mod lessons;
pub mod retrain;
pub mod review;
pub mod structure;
pub mod suggestions;

#[cfg(test)]
mod day_tests;
#[cfg(test)]
mod tests;

pub use annotate::Session;
pub use background::Summary;
pub use edit::{Context, Edit, Planned};
pub use edited::{EditedFile, Mark, Reload};
pub use lessons::Lesson;
pub use review::{ReviewDoc, ReviewSession};

/// How much a [`Notice`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Something happened (a file reloaded, an export written).
    Info,
    /// Something needs a look (a file left out, learning paused).
    Warning,
    /// Something failed (a save, a file that does not parse).
    Error,
}

/// A message for the analyst from the session (shown by the app as a notification; the
/// session never waits for it to be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// How much it matters.
    pub level: Level,
    /// What to say.
    pub text: String,
}

impl Notice {
    /// A notice at `level`.
    pub fn new(level: Level, text: impl Into<String>) -> Self {
        Self {
            level,
            text: text.into(),
        }
    }
}

/// A hash of file contents, to recognise the session's own writes among changes on disk.
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}
