//! RON files `annotations/<annotator>/<doc-id>.ron`: stable, diff-friendly, written
//! atomically under a lock on the annotator's folder and only over the version that was read
//! (two writers never lose each other's work), never overwritten when they could not be
//! parsed, checked span by span, re-anchored when the article's text changed.

mod atomic;
mod lock;
mod reanchor;
mod validate;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

pub use atomic::{AtomicFile, Output, STALE_AFTER, remove_stale_temps, write_atomic};
pub use lock::{FolderLock, LOCK_FILE};
pub use reanchor::{ReanchorReport, Reanchored, reanchor};
pub use validate::{Problem, label_error, safe_label, well_formed_label};

use crate::corpus::{Corpus, Document};
use crate::error::StoreError;
use crate::model::span::{AnnotationFile, FORMAT_VERSION};

/// The folder of annotation files.
#[derive(Debug, Clone)]
pub struct Store {
    /// `annotations/`.
    pub root: PathBuf,
    /// The schema's label names, read on first use (`annotations/schema.ron` or the default).
    labels: Arc<OnceLock<Vec<String>>>,
}

/// What a file held when it was read: a later save writes only if the file on disk is still
/// that (else [`StoreError::Conflict`]). `Version::default()` is "no file".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Version {
    /// SHA-256 of the bytes; `None` when there was no file.
    digest: Option<[u8; 32]>,
    /// Spans were left out when it was read: it is never overwritten.
    damaged: bool,
}

impl Version {
    /// The version of a file holding `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            digest: Some(Sha256::digest(bytes).into()),
            damaged: false,
        }
    }

    /// Whether there was a file.
    pub fn exists(&self) -> bool {
        self.digest.is_some()
    }

    /// Whether spans were left out when it was read (the file is then never overwritten).
    pub fn damaged(&self) -> bool {
        self.damaged
    }
}

/// A file read for a document: the annotations, what re-anchoring did, what was wrong.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The annotations, offsets valid for the current text; bad spans left out.
    pub file: AnnotationFile,
    /// What happened if the text had changed since the file was written.
    pub reanchor: Option<ReanchorReport>,
    /// What was on disk: the base of the next save.
    pub version: Version,
    /// Spans left out, labels outside the schema, an `annotator` field that was not the
    /// folder's.
    pub problems: Vec<Problem>,
    /// The file.
    pub path: PathBuf,
}

impl Loaded {
    /// Everything to tell the user, one line each: problems, then moved and lost spans.
    pub fn messages(&self) -> Vec<String> {
        let mut out: Vec<String> = self.problems.iter().map(ToString::to_string).collect();
        if let Some(r) = &self.reanchor {
            out.extend(r.lines().map(|l| format!("{}: {l}", self.path.display())));
        }
        out
    }
}

/// What a save wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file.
    pub path: PathBuf,
    /// Its new version: the base of the next save.
    pub version: Version,
}

/// Checks that a name can be a folder or file name under `annotations/`: letters, digits,
/// `-`, `_`, `.`; not hidden, not empty, at most 64 chars, not ending in `.ron` (the schema
/// and the memory files live beside the folders).
pub fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.to_lowercase().ends_with(".ron");
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidName(name.to_owned()))
    }
}

/// Checks an annotator's name: [`check_name`], and not `gold` (the adjudicated set's folder,
/// written only by review).
pub fn check_annotator(name: &str) -> Result<(), StoreError> {
    check_name(name)?;
    if name.eq_ignore_ascii_case(crate::review::GOLD) {
        return Err(StoreError::ReservedName(name.to_owned()));
    }
    Ok(())
}

/// Serialises a file the way it is stored: pretty, one span per line, stable order.
pub fn to_ron(file: &AnnotationFile) -> String {
    let mut file = file.clone();
    file.sort();
    // Depth 1 is the file's fields, depth 2 the spans list: each span is written on one line.
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .struct_names(false)
        .indentor("  ".to_string());
    let mut s =
        ron::ser::to_string_pretty(&file, config).expect("annotation files always serialise");
    s.push('\n');
    s
}

/// Parses RON read from `path`; errors carry the path, line and column.
pub fn parse_ron<T: serde::de::DeserializeOwned>(path: &Path, s: &str) -> Result<T, StoreError> {
    ron::from_str(s).map_err(|e| StoreError::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    })
}

/// Parses a file's contents; errors carry the line and column.
pub fn from_ron(path: &Path, s: &str) -> Result<AnnotationFile, StoreError> {
    let file: AnnotationFile = parse_ron(path, s)?;
    if file.format > FORMAT_VERSION {
        return Err(StoreError::Version {
            path: path.to_path_buf(),
            found: file.format,
            supported: FORMAT_VERSION,
        });
    }
    Ok(file)
}

/// The bytes of `path`, `None` when there is no such file.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            action: "cannot read",
            source,
        }),
    }
}

impl Store {
    /// A store rooted at `root` (created on first save).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            labels: Arc::default(),
        }
    }

    /// Opens the store at `root` as a command or the app starts: temporary files that writers
    /// killed more than [`STALE_AFTER`] ago left behind are removed (returned, to be told).
    pub fn open(root: impl Into<PathBuf>) -> (Self, Vec<PathBuf>) {
        let store = Self::new(root);
        let mut removed = remove_stale_temps(&store.root);
        for a in store.annotators() {
            removed.extend(remove_stale_temps(&store.root.join(a)));
        }
        (store, removed)
    }

    /// Path of an annotator's file for a document.
    pub fn path(&self, annotator: &str, doc: &str) -> PathBuf {
        self.root.join(annotator).join(format!("{doc}.ron"))
    }

    /// The label names of the project's schema (a schema that does not parse counts as the
    /// default; commands that use the schema report it).
    pub fn labels(&self) -> &[String] {
        self.labels.get_or_init(|| {
            crate::schema::Schema::load(&self.root)
                .unwrap_or_default()
                .labels
                .into_iter()
                .map(|l| l.name)
                .collect()
        })
    }

    /// Reads an annotator's file for `doc`; `Ok(None)` when there is none. Every span is
    /// checked (bad ones are left out and reported in [`Loaded::problems`]); the file is
    /// `annotator`'s whatever its `annotator` field says; when the text changed since it was
    /// written, spans are re-anchored (see [`reanchor`]).
    pub fn load(&self, annotator: &str, doc: &Document) -> Result<Option<Loaded>, StoreError> {
        let path = self.path(annotator, &doc.id);
        let Some(bytes) = read_optional(&path)? else {
            return Ok(None);
        };
        self.parse(annotator, doc, path, &bytes).map(Some)
    }

    fn parse(
        &self,
        annotator: &str,
        doc: &Document,
        path: PathBuf,
        bytes: &[u8],
    ) -> Result<Loaded, StoreError> {
        let s = std::str::from_utf8(bytes).map_err(|e| {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            StoreError::Parse {
                path: path.clone(),
                line,
                col: before.len()
                    - before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |p| p + 1)
                    + 1,
                message: format!("not UTF-8 (byte {})", e.valid_up_to()),
            }
        })?;
        let mut file = from_ron(&path, s)?;
        if file.doc != doc.id {
            return Err(StoreError::WrongDocument {
                path,
                found: file.doc,
                expected: doc.id.clone(),
            });
        }
        let mut problems = Vec::new();
        if file.annotator != annotator {
            problems.push(Problem {
                path: path.clone(),
                line: None,
                message: format!(
                    "the file says it is {:?}'s but it is in {annotator:?}'s folder: it is {annotator}'s (rewritten so at the next save)",
                    file.annotator
                ),
                left_out: false,
            });
            file.annotator = annotator.to_owned();
        }
        problems.extend(validate::check(&path, s, &mut file, doc, self.labels()));
        let reanchor = (file.fingerprint != doc.fingerprint).then(|| reanchor(&mut file, doc));
        let mut version = Version::of(bytes);
        version.damaged = problems.iter().any(|p| p.left_out);
        Ok(Loaded {
            file,
            reanchor,
            version,
            problems,
            path,
        })
    }

    /// Saves a file atomically to its place, `annotations/<file.annotator>/<file.doc>.ron`,
    /// holding the folder's lock, if the file on disk is still `base` (what was read, or
    /// `Version::default()` for a new file); else nothing is written and the error is
    /// [`StoreError::Conflict`]. A file read with spans left out is never overwritten
    /// ([`StoreError::Damaged`]).
    pub fn save(&self, file: &AnnotationFile, base: &Version) -> Result<Saved, StoreError> {
        check_name(&file.annotator)?;
        let _lock = FolderLock::acquire(&self.root.join(&file.annotator))?;
        self.save_locked(file, base)
    }

    /// Saves a file over whatever is on disk (holding the folder's lock): for a deliberate
    /// replacement, or a file made from scratch (tests, fixtures). Editors use [`Store::save`].
    pub fn overwrite(&self, file: &AnnotationFile) -> Result<Saved, StoreError> {
        check_name(&file.annotator)?;
        let _lock = FolderLock::acquire(&self.root.join(&file.annotator))?;
        let path = self.path(&file.annotator, &file.doc);
        let bytes = to_ron(file).into_bytes();
        write_atomic(&path, &bytes)?;
        Ok(Saved {
            path,
            version: Version::of(&bytes),
        })
    }

    fn save_locked(&self, file: &AnnotationFile, base: &Version) -> Result<Saved, StoreError> {
        let path = self.path(&file.annotator, &file.doc);
        let disk = read_optional(&path)?;
        let now = disk.as_deref().map_or_else(Version::default, Version::of);
        if now.digest != base.digest {
            return Err(StoreError::Conflict { path });
        }
        if base.damaged {
            return Err(StoreError::Damaged {
                path,
                problems: Vec::new(),
            });
        }
        let bytes = to_ron(file).into_bytes();
        write_atomic(&path, &bytes)?;
        Ok(Saved {
            path,
            version: Version::of(&bytes),
        })
    }

    /// Reads, changes and writes `annotator`'s file for `doc` while holding the folder's lock,
    /// so that other writers wait instead of overwriting each other. `change` gets the file as
    /// read (or a new one) and says whether to write it. Returns what was read (its problems
    /// and re-anchoring, for the caller to report) and the path when written. A file that
    /// does not parse, or had spans left out, is not changed.
    pub fn update(
        &self,
        annotator: &str,
        doc: &Document,
        change: impl FnOnce(&mut AnnotationFile) -> bool,
    ) -> Result<Updated, StoreError> {
        check_name(annotator)?;
        let _lock = FolderLock::acquire(&self.root.join(annotator))?;
        let (mut file, version, messages) = match self.load(annotator, doc)? {
            Some(l) if l.version.damaged => {
                return Err(StoreError::Damaged {
                    problems: l.problems.iter().map(ToString::to_string).collect(),
                    path: l.path,
                });
            }
            Some(l) => {
                let messages = l.messages();
                (l.file, l.version, messages)
            }
            None => (
                AnnotationFile::new(&doc.id, &doc.fingerprint, annotator),
                Version::default(),
                Vec::new(),
            ),
        };
        file.annotator = annotator.to_owned();
        let written = if change(&mut file) {
            Some(self.save_locked(&file, &version)?.path)
        } else {
            None
        };
        Ok(Updated { written, messages })
    }

    /// Every file `annotator` has for a document of `corpus`, in corpus order, read in
    /// parallel: (document index, file). Files that cannot be read are reported, not skipped
    /// silently, and so are bad spans, moved spans and files for documents not in the corpus.
    pub fn load_all(
        &self,
        annotator: &str,
        corpus: &Corpus,
    ) -> (Vec<(usize, AnnotationFile)>, Vec<String>) {
        use rayon::prelude::*;
        // Only the documents this annotator has a file for are read (a lazy corpus of
        // 100,000 articles is not read whole for a few files).
        let ids = self.docs_of(annotator);
        let mut present: Vec<usize> = ids.iter().filter_map(|id| corpus.position(id)).collect();
        present.sort_unstable();
        let results: Vec<_> = present
            .par_iter()
            .map(|&i| {
                let r = match corpus.read(i) {
                    Ok(doc) => self.load(annotator, &doc).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                (i, r)
            })
            .collect();
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for (i, r) in results {
            match r {
                Ok(Some(l)) => {
                    problems.extend(l.messages());
                    files.push((i, l.file));
                }
                Ok(None) => {}
                Err(e) => problems.push(e),
            }
        }
        for id in ids {
            if corpus.position(&id).is_none() {
                problems.push(format!(
                    "{}: no article {id}.txt in the corpus; left out",
                    self.path(annotator, &id).display()
                ));
            }
        }
        (files, problems)
    }

    /// Annotators with a folder in the store (and `gold` when there is one), sorted.
    pub fn annotators(&self) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut out: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|n| check_name(n).is_ok())
            .collect();
        out.sort();
        out
    }

    /// Ids of the documents an annotator has files for, sorted.
    pub fn docs_of(&self, annotator: &str) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(self.root.join(annotator)) else {
            return Vec::new();
        };
        let mut out: Vec<String> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
            .filter(|n| !n.starts_with('.'))
            .collect();
        out.sort();
        out
    }
}

/// What [`Store::update`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    /// The file written, if the change asked for a write.
    pub written: Option<PathBuf>,
    /// What reading it found (see [`Loaded::messages`]).
    pub messages: Vec<String>,
}

#[cfg(test)]
mod tests;
