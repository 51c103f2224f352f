//! What the analyst taught the suggester: strings accepted or added with a label (suggested
//! wherever they occur, origin `learned`) and strings rejected with a label (never suggested
//! with it again). One RON file per annotator, `annotations/<annotator>.memory.ron`, readable
//! and editable by hand:
//!
//! ```ron
//! (
//!   format: 1,
//!   accepted: {"陆家村": "LOC", "郑小东": "PER"},
//!   rejected: {"徐徐": ["PER"]},
//! )
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::{check_name, parse_ron, write_atomic};

/// The memory file's format version.
pub const FORMAT_VERSION: u32 = 1;

/// Strings shorter than this are not learned: one char would match everywhere.
pub const MIN_CHARS: usize = 2;

/// The automaton over accepted strings, and (string, label) per pattern.
type Matcher = (AhoCorasick, Vec<(String, String)>);

/// One annotator's learned decisions.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Memory {
    /// File format version.
    #[serde(default)]
    pub format: u32,
    /// String → the label the annotator gave it.
    #[serde(default)]
    pub accepted: BTreeMap<String, String>,
    /// String → labels the annotator rejected for it.
    #[serde(default)]
    pub rejected: BTreeMap<String, BTreeSet<String>>,
    /// The matcher over `accepted`, built on first use after each change and shared by
    /// copies (the app hands a copy to each document's suggestions: building it again for
    /// each would cost seconds per document with a large memory).
    #[serde(skip)]
    matcher: Arc<OnceLock<Option<Matcher>>>,
}

impl Clone for Memory {
    fn clone(&self) -> Self {
        Self {
            format: self.format,
            accepted: self.accepted.clone(),
            rejected: self.rejected.clone(),
            matcher: self.matcher.clone(),
        }
    }
}

impl PartialEq for Memory {
    fn eq(&self, other: &Self) -> bool {
        self.accepted == other.accepted && self.rejected == other.rejected
    }
}

impl Memory {
    /// Where `annotator`'s memory lives under the annotations folder.
    pub fn path(root: &Path, annotator: &str) -> PathBuf {
        root.join(format!("{annotator}.memory.ron"))
    }

    /// Loads `annotator`'s memory; a missing file is an empty memory, a file that does not
    /// parse is an error (and is never overwritten by [`Memory::save`] callers that check).
    pub fn load(root: &Path, annotator: &str) -> Result<Self, StoreError> {
        check_name(annotator)?;
        let path = Self::path(root, annotator);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(StoreError::Io {
                    path,
                    action: "cannot read",
                    source,
                });
            }
        };
        let memory: Self = parse_ron(&path, &text)?;
        if memory.format > FORMAT_VERSION {
            return Err(StoreError::Version {
                path,
                found: memory.format,
                supported: FORMAT_VERSION,
            });
        }
        Ok(memory)
    }

    /// Writes the memory atomically.
    pub fn save(&self, root: &Path, annotator: &str) -> Result<(), StoreError> {
        check_name(annotator)?;
        let out = Self {
            format: FORMAT_VERSION,
            ..self.clone()
        };
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(2)
            .indentor("  ".to_owned());
        let text = ron::ser::to_string_pretty(&out, config).map_err(|e| StoreError::Parse {
            path: Self::path(root, annotator),
            line: 0,
            col: 0,
            message: e.to_string(),
        })?;
        std::fs::create_dir_all(root).map_err(|source| StoreError::Io {
            path: root.to_path_buf(),
            action: "cannot create folder",
            source,
        })?;
        write_atomic(&Self::path(root, annotator), format!("{text}\n").as_bytes())
    }

    /// Learns that `text` is a `label`. Returns whether the memory changed.
    pub fn accept(&mut self, text: &str, label: &str) -> bool {
        if text.chars().count() < MIN_CHARS || text.trim() != text {
            return false;
        }
        let mut changed = false;
        if let Some(labels) = self.rejected.get_mut(text) {
            changed |= labels.remove(label);
            if labels.is_empty() {
                self.rejected.remove(text);
            }
        }
        if self.accepted.get(text).map(String::as_str) != Some(label) {
            self.accepted.insert(text.to_owned(), label.to_owned());
            changed = true;
        }
        if changed {
            self.matcher = Arc::default();
        }
        changed
    }

    /// Learns that `text` is not a `label`. Returns whether the memory changed.
    pub fn reject(&mut self, text: &str, label: &str) -> bool {
        let mut changed = false;
        if self.accepted.get(text).map(String::as_str) == Some(label) {
            self.accepted.remove(text);
            changed = true;
        }
        changed |= self
            .rejected
            .entry(text.to_owned())
            .or_default()
            .insert(label.to_owned());
        if changed {
            self.matcher = Arc::default();
        }
        changed
    }

    /// Whether `text` was rejected as `label`.
    pub fn is_rejected(&self, text: &str, label: &str) -> bool {
        self.rejected.get(text).is_some_and(|l| l.contains(label))
    }

    /// Whether the memory holds nothing.
    pub fn is_empty(&self) -> bool {
        self.accepted.is_empty() && self.rejected.is_empty()
    }

    /// Every occurrence of a learned string in `text` (byte ranges, leftmost-longest, not
    /// overlapping) with its label.
    pub fn find<'a>(&'a self, text: &str) -> Vec<(Range<usize>, &'a str)> {
        let matcher = self.matcher.get_or_init(|| {
            let pairs: Vec<(String, String)> = self
                .accepted
                .iter()
                .filter(|(t, _)| t.chars().count() >= MIN_CHARS)
                .map(|(t, l)| (t.clone(), l.clone()))
                .collect();
            if pairs.is_empty() {
                return None;
            }
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(pairs.iter().map(|(t, _)| t))
                .ok()?;
            Some((ac, pairs))
        });
        let Some((ac, pairs)) = matcher else {
            return Vec::new();
        };
        ac.find_iter(text)
            .map(|m| (m.range(), pairs[m.pattern().as_usize()].1.as_str()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_then_reject_and_back() {
        let mut m = Memory::default();
        assert!(m.accept("陆家村", "LOC"));
        assert!(!m.accept("陆家村", "LOC"));
        assert_eq!(
            m.find("走进陆家村，陆家村"),
            vec![(6..15, "LOC"), (18..27, "LOC")]
        );
        assert!(m.reject("陆家村", "LOC"));
        assert!(m.is_rejected("陆家村", "LOC"));
        assert!(m.find("走进陆家村").is_empty());
        assert!(m.accept("陆家村", "LOC"));
        assert!(!m.is_rejected("陆家村", "LOC"));
        assert!(!m.accept("村", "LOC"), "one char is not learned");
    }

    #[test]
    fn copies_share_the_matcher_until_one_changes() {
        let mut m = Memory::default();
        m.accept("陆家村", "LOC");
        assert_eq!(m.find("陆家村").len(), 1);
        let copy = m.clone();
        m.accept("郑小东", "PER");
        assert_eq!(m.find("陆家村郑小东").len(), 2);
        assert_eq!(copy.find("陆家村郑小东").len(), 1);
    }

    #[test]
    fn leftmost_longest() {
        let mut m = Memory::default();
        m.accept("白城", "LOC");
        m.accept("白城市", "LOC");
        m.accept("白城市委", "ORG");
        let found: Vec<_> = m
            .find("白城市委和白城市")
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(found, vec!["ORG", "LOC"]);
    }

    #[test]
    fn save_load_and_hand_edits() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Memory::default();
        m.accept("郑小东", "PER");
        m.reject("徐徐", "PER");
        m.save(dir.path(), "alice").unwrap();
        let text = std::fs::read_to_string(Memory::path(dir.path(), "alice")).unwrap();
        assert!(text.contains("\"郑小东\": \"PER\""), "{text}");
        assert_eq!(Memory::load(dir.path(), "alice").unwrap(), m);
        // A hand-written file with only some fields.
        std::fs::write(
            Memory::path(dir.path(), "bob"),
            "(accepted: {\"雨露计划\": \"POLICY\"})",
        )
        .unwrap();
        let bob = Memory::load(dir.path(), "bob").unwrap();
        assert_eq!(bob.accepted["雨露计划"], "POLICY");
        // A broken one is an error with a position.
        std::fs::write(
            Memory::path(dir.path(), "carol"),
            "(accepted: {\"x\" \"y\"})",
        )
        .unwrap();
        let err = Memory::load(dir.path(), "carol").unwrap_err();
        assert!(err.to_string().contains("carol.memory.ron"), "{err}");
        assert!(Memory::load(dir.path(), "nobody").unwrap().is_empty());
    }
}
