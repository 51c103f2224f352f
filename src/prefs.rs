//! What the tool remembers for its user between runs, shared by the app and the command
//! line: the annotator's name, and per corpus and annotator the document last worked on.
//! Kept in `$BIAOZHU_PREFS` when set, else `$XDG_CONFIG_HOME/biaozhu/prefs.ron` (or
//! `~/.config/biaozhu/prefs.ron`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// The remembered settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Prefs {
    /// The annotator's name, once given.
    #[serde(default)]
    pub annotator: Option<String>,
    /// Per `corpus folder|annotator`, the id of the document last open.
    #[serde(default)]
    pub last_doc: BTreeMap<String, String>,
}

impl Prefs {
    /// Where the settings live for this user.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("BIAOZHU_PREFS") {
            return Some(PathBuf::from(p));
        }
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(config.join("biaozhu").join("prefs.ron"))
    }

    /// The settings at `path` (defaults when there are none or they cannot be read: they are
    /// conveniences, never data).
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| ron::from_str(&s).ok())
            .unwrap_or_default()
    }

    /// Writes the settings to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()).unwrap_or_default();
        crate::store::write_atomic(path, text.as_bytes())
    }

    fn key(corpus: &Path, annotator: &str) -> String {
        let corpus = corpus
            .canonicalize()
            .unwrap_or_else(|_| corpus.to_path_buf());
        format!("{}|{annotator}", corpus.display())
    }

    /// The document `annotator` last had open in `corpus`.
    pub fn last_doc(&self, corpus: &Path, annotator: &str) -> Option<&str> {
        self.last_doc
            .get(&Self::key(corpus, annotator))
            .map(String::as_str)
    }

    /// Remembers the document `annotator` has open in `corpus`; true when that is news.
    pub fn set_last_doc(&mut self, corpus: &Path, annotator: &str, doc: &str) -> bool {
        let key = Self::key(corpus, annotator);
        if self.last_doc.get(&key).map(String::as_str) == Some(doc) {
            return false;
        }
        self.last_doc.insert(key, doc.to_owned());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_a_broken_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p").join("prefs.ron");
        assert_eq!(Prefs::load(&path), Prefs::default());
        let mut p = Prefs {
            annotator: Some("alice".into()),
            ..Prefs::default()
        };
        assert!(p.set_last_doc(dir.path(), "alice", "d7"));
        assert!(!p.set_last_doc(dir.path(), "alice", "d7"));
        p.save(&path).unwrap();
        let q = Prefs::load(&path);
        assert_eq!(q, p);
        assert_eq!(q.last_doc(dir.path(), "alice"), Some("d7"));
        assert_eq!(q.last_doc(dir.path(), "bob"), None);
        std::fs::write(&path, "(oops").unwrap();
        assert_eq!(Prefs::load(&path), Prefs::default());
    }
}
