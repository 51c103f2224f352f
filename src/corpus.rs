//! The corpus: a folder of `.txt` articles, decoded (UTF-8, UTF-16, GB18030/GBK, Big5 …),
//! LF-normalised and read-only. Each document carries its structure (title, date, body …).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::LoadError;
use crate::index::{Entry, FileStat};
use crate::structure::Structure;
use crate::text::CharMap;

mod decode;

pub use decode::{DecodeProblem, Decoded, decode, normalise_newlines};

/// One article as loaded.
#[derive(Debug, Clone)]
pub struct Document {
    /// File stem, unique in the corpus.
    pub id: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Decoded, LF-normalised text. Never modified.
    pub text: String,
    /// `sha256:<hex>` of `text` as UTF-8: lets anyone check offsets against the text they hold.
    pub fingerprint: String,
    /// Name of the encoding the file was decoded from (`UTF-8`, `GBK`, `UTF-16LE` …).
    pub encoding: String,
    /// Title, date, source, authors, body and boilerplate, as char ranges.
    pub structure: Structure,
    /// Char ↔ byte offsets of `text`.
    pub chars: CharMap,
    /// Byte offsets (in the file) of bytes that were not valid UTF-8 in a file read as UTF-8:
    /// each became U+FFFD. Empty for a clean file.
    pub bad_bytes: Vec<usize>,
}

impl Document {
    /// Makes a document from text already decoded (line endings are normalised here).
    pub fn from_text(id: impl Into<String>, text: &str) -> Self {
        Self::build(
            id.into(),
            PathBuf::new(),
            normalise_newlines(text),
            "UTF-8".into(),
        )
    }

    fn build(id: String, path: PathBuf, text: String, encoding: String) -> Self {
        Self::build_decoded(
            id,
            path,
            Decoded {
                text,
                encoding: "",
                bad_bytes: Vec::new(),
            },
            encoding,
        )
    }

    fn build_decoded(id: String, path: PathBuf, d: Decoded, encoding: String) -> Self {
        let text = d.text;
        let fingerprint = fingerprint(&text);
        let structure = Structure::detect(&text);
        let chars = CharMap::new(&text);
        Self {
            id,
            path,
            text,
            fingerprint,
            encoding,
            structure,
            chars,
            bad_bytes: d.bad_bytes,
        }
    }

    /// Reads and decodes one file.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            path: path.into(),
            source,
        })?;
        let decoded = decode(&bytes).map_err(|p| p.into_error(path))?;
        let id = doc_id(path);
        let encoding = decoded.encoding.to_string();
        Ok(Self::build_decoded(id, path.into(), decoded, encoding))
    }

    /// What to tell about how the file was read, if anything: bytes that were not UTF-8.
    pub fn warning(&self) -> Option<String> {
        let first = self.bad_bytes.first()?;
        let shown: Vec<String> = self
            .bad_bytes
            .iter()
            .take(10)
            .map(usize::to_string)
            .collect();
        let more = self.bad_bytes.len().saturating_sub(10);
        Some(format!(
            "{}: {} not valid UTF-8 at byte{} {}{}; read as UTF-8 with each bad byte shown as \u{fffd} (check the file around byte {first})",
            self.path.display(),
            if self.bad_bytes.len() == 1 {
                "a byte"
            } else {
                "bytes"
            },
            if self.bad_bytes.len() == 1 { "" } else { "s" },
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
        ))
    }

    /// Length of the text in chars.
    pub fn char_len(&self) -> usize {
        self.chars.char_len()
    }

    /// The chars `r` of the text.
    pub fn slice(&self, r: std::ops::Range<usize>) -> &str {
        &self.text[self.chars.byte_range(r)]
    }

    /// The detected title, or the document id.
    pub fn title(&self) -> &str {
        match &self.structure.title {
            Some(r) => self.slice(r.clone()),
            None => &self.id,
        }
    }
}

/// `sha256:<hex>` of a text.
pub fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The document id of a file: its stem.
pub fn doc_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Documents kept in memory by a lazily opened corpus: the open one and a few around it.
const RECENT: usize = 24;

/// A folder of articles, in document-id order, with the files that could not be opened.
///
/// Opened with [`Corpus::open`] every text is read and kept (the command line, tests);
/// opened with [`Corpus::lazy`] only the folder is listed and texts are read on demand, a
/// few kept ([`Corpus::doc`]), so memory stays bounded on 100,000 articles. Titles and other
/// facts of documents not read come from the corpus index ([`crate::index`]) as it arrives.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The folder (or the first path given).
    pub dir: PathBuf,
    /// The files, sorted by document id.
    files: Vec<FileStat>,
    /// Every document, when the corpus was read whole; empty when lazy.
    pinned: Vec<Arc<Document>>,
    /// What the index knows of each file (lazy corpora fill this in as the index arrives).
    entries: RwLock<Vec<Option<Entry>>>,
    /// How many of `entries` are known (counted as they arrive, not each frame).
    known: std::sync::atomic::AtomicUsize,
    /// Documents read lately (lazy corpora), most recent last.
    recent: Mutex<VecDeque<(usize, Arc<Document>)>>,
    /// Files that did not open, each with a clear reason.
    pub errors: Vec<LoadError>,
}

impl Corpus {
    /// Opens every `.txt` file in `dir` (not recursive), in parallel, and keeps the texts.
    pub fn open(dir: &Path) -> Result<Self, LoadError> {
        let files = txt_files(dir)?;
        let mut corpus = Self::from_files(&files);
        corpus.dir = dir.to_path_buf();
        Ok(corpus)
    }

    /// Opens the given files and folders; unreadable paths become errors, the rest still opens.
    pub fn open_paths(paths: &[PathBuf]) -> Self {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            if p.is_dir() {
                match txt_files(p) {
                    Ok(f) => files.extend(f),
                    Err(e) => errors.push(e),
                }
            } else {
                files.push(p.clone());
            }
        }
        let mut corpus = Self::from_files(&files);
        corpus.dir = paths.first().cloned().unwrap_or_default();
        errors.append(&mut corpus.errors);
        corpus.errors = errors;
        corpus
    }

    fn from_files(files: &[PathBuf]) -> Self {
        let loaded: Vec<Result<Document, LoadError>> =
            files.par_iter().map(|p| Document::load(p)).collect();
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        for r in loaded {
            match r {
                Ok(doc) => docs.push(doc),
                Err(e) => errors.push(e),
            }
        }
        let mut corpus = Self::from_documents(docs);
        errors.append(&mut corpus.errors);
        corpus.errors = errors;
        corpus
    }

    /// A corpus of documents already in memory (tests, imports); a repeated id is an error.
    pub fn from_documents(mut docs: Vec<Document>) -> Self {
        docs.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
        let mut errors = Vec::new();
        let mut pinned: Vec<Arc<Document>> = Vec::with_capacity(docs.len());
        for doc in docs {
            if let Some(other) = pinned.last().filter(|o| o.id == doc.id) {
                errors.push(LoadError::DuplicateId {
                    path: doc.path.clone(),
                    id: doc.id.clone(),
                    other: other.path.clone(),
                });
                continue;
            }
            pinned.push(Arc::new(doc));
        }
        let files = pinned
            .iter()
            .map(|d| FileStat {
                path: d.path.clone(),
                id: d.id.clone(),
                size: d.text.len() as u64,
                mtime_ns: 0,
            })
            .collect();
        Self {
            dir: PathBuf::new(),
            files,
            entries: RwLock::new(vec![None; pinned.len()]),
            known: Default::default(),
            pinned,
            recent: Mutex::default(),
            errors,
        }
    }

    /// What to tell about the documents read whole that opened with repairs (bytes that were
    /// not UTF-8), one line each (a lazy corpus tells it as each document is read).
    pub fn warnings(&self) -> Vec<String> {
        self.pinned.iter().filter_map(|d| d.warning()).collect()
    }

    /// Why writing to `out` would replace an article, if it would: `out` is an article, the
    /// corpus folder, or a folder holding an article under its own name (where a brat export
    /// writes `<id>.txt`). Links are followed.
    pub fn overwritten_by(&self, out: &Path) -> Option<String> {
        let out = out.canonicalize().ok()?;
        let is_dir = out.is_dir();
        if is_dir && self.dir.canonicalize().ok().as_ref() == Some(&out) {
            return Some("this is the corpus folder".into());
        }
        for f in &self.files {
            let Ok(original) = f.path.canonicalize() else {
                continue;
            };
            if original == out {
                return Some(format!("this is the article {}", f.path.display()));
            }
            if is_dir
                && out.join(format!("{}.txt", f.id)).canonicalize().ok() == Some(original.clone())
            {
                return Some(format!(
                    "this folder holds the article {}",
                    f.path.display()
                ));
            }
        }
        None
    }

    /// Lists `dir` and reads nothing: texts are read when asked for. A repeated id (a.txt
    /// and a.TXT) is an error for the second file.
    pub fn lazy(dir: &Path) -> Result<Self, LoadError> {
        let mut listed = crate::index::list(dir)?;
        listed.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
        let mut files: Vec<FileStat> = Vec::with_capacity(listed.len());
        let mut errors = Vec::new();
        for f in listed {
            if let Some(other) = files.last().filter(|o| o.id == f.id) {
                errors.push(LoadError::DuplicateId {
                    path: f.path.clone(),
                    id: f.id.clone(),
                    other: other.path.clone(),
                });
                continue;
            }
            files.push(f);
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            entries: RwLock::new(vec![None; files.len()]),
            known: Default::default(),
            files,
            pinned: Vec::new(),
            recent: Mutex::default(),
            errors,
        })
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// No documents at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files as listed, in document order (what the index job reads).
    pub fn files(&self) -> &[FileStat] {
        &self.files
    }

    /// Id of document `i`.
    pub fn id(&self, i: usize) -> &str {
        &self.files[i].id
    }

    /// Document `i`: kept in memory, or read now (and kept among the few recent ones).
    pub fn doc(&self, i: usize) -> Result<Arc<Document>, LoadError> {
        if let Some(d) = self.pinned.get(i) {
            return Ok(d.clone());
        }
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = recent.iter().position(|(j, _)| *j == i) {
            let hit = recent.remove(k).expect("position is in range");
            let doc = hit.1.clone();
            recent.push_back(hit);
            return Ok(doc);
        }
        drop(recent);
        let doc = self.read(i)?;
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() >= RECENT {
            recent.pop_front();
        }
        recent.push_back((i, doc.clone()));
        Ok(doc)
    }

    /// Document `i` when the corpus was read whole ([`Corpus::open`]), by reference; `None`
    /// for a lazy corpus (use [`Corpus::doc`]).
    pub fn kept(&self, i: usize) -> Option<&Document> {
        self.pinned.get(i).map(|d| &**d)
    }

    /// Document `i` without keeping it (background work over the whole corpus): memory is
    /// released as soon as the caller drops it. Its index entry is brought up to date.
    pub fn read(&self, i: usize) -> Result<Arc<Document>, LoadError> {
        if let Some(d) = self.pinned.get(i) {
            return Ok(d.clone());
        }
        let stat = self.files[i].stat();
        let doc = Document::load(&stat.path)?;
        let entry = Entry::of_document(&doc, &stat);
        // Most reads find their entry already right: the write lock (which the window's
        // readers would wait for) is taken only to change it.
        let same =
            self.entries.read().unwrap_or_else(|e| e.into_inner())[i].as_ref() == Some(&entry);
        if !same {
            let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
            if entries[i].replace(entry).is_none() {
                self.known.fetch_add(1, Ordering::Relaxed);
            }
        }
        Ok(Arc::new(doc))
    }

    /// Every document in order, read one at a time (kept ones are not read again).
    pub fn iter(&self) -> impl Iterator<Item = (usize, Result<Arc<Document>, LoadError>)> + '_ {
        (0..self.len()).map(|i| (i, self.read(i)))
    }

    /// The document with this id.
    pub fn get(&self, id: &str) -> Option<Arc<Document>> {
        self.position(id).and_then(|i| self.doc(i).ok())
    }

    /// Index of the document with this id (documents are sorted by id: a binary search).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.files.binary_search_by(|d| d.id.as_str().cmp(id)).ok()
    }

    /// What the index knows of document `i` (a kept document is its own entry).
    pub fn entry(&self, i: usize) -> Option<Entry> {
        if let Some(d) = self.pinned.get(i) {
            return Some(Entry::of_document(d, &self.files[i]));
        }
        self.entries.read().unwrap_or_else(|e| e.into_inner())[i].clone()
    }

    /// The title of document `i`, or its id until it is known.
    pub fn title(&self, i: usize) -> String {
        if let Some(d) = self.pinned.get(i) {
            return d.title().to_owned();
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries[i]
            .as_ref()
            .map_or_else(|| self.files[i].id.clone(), |e| e.title_or_id().to_owned())
    }

    /// Calls `f` with every document's title (or id), in order, under one lock: for
    /// filtering and sorting the document list.
    pub fn with_titles<R>(&self, f: impl for<'a> FnOnce(&'a dyn Fn(usize) -> &'a str) -> R) -> R {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let title = |i: usize| -> &str {
            match self.pinned.get(i) {
                Some(d) => d.title(),
                None => entries[i]
                    .as_ref()
                    .map_or(self.files[i].id.as_str(), Entry::title_or_id),
            }
        };
        f(&title)
    }

    /// Takes index entries as they arrive (positions are this corpus's).
    pub fn set_entries(&self, updates: impl IntoIterator<Item = (usize, Entry)>) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        for (i, e) in updates {
            if i < entries.len() && e.id == self.files[i].id && entries[i].replace(e).is_none() {
                self.known.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// How many documents the index has described so far.
    pub fn indexed(&self) -> usize {
        if !self.pinned.is_empty() {
            return self.pinned.len();
        }
        self.known.load(Ordering::Relaxed)
    }
}

/// The `.txt` files of a folder, sorted by name.
pub fn txt_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let rd = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.into(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        // Everything named .txt but a folder: a broken link or a link loop is then reported
        // by the reader ("too many levels of symbolic links"), not skipped without a word.
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn link_loops_and_broken_links_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.txt"), "标题\n\n正文。").unwrap();
        std::os::unix::fs::symlink("loop.txt", dir.path().join("loop.txt")).unwrap();
        std::os::unix::fs::symlink("nowhere", dir.path().join("broken.txt")).unwrap();
        let c = Corpus::open(dir.path()).unwrap();
        assert_eq!(c.len(), 1);
        let errors: Vec<String> = c.errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("loop.txt")), "{errors:?}");
    }

    #[test]
    fn lazy_corpus_reads_on_demand_and_keeps_only_a_few() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..(RECENT + 6) {
            std::fs::write(
                dir.path().join(format!("{i:03}.txt")),
                format!("第{i}篇标题\n\n　　投资{i}亿元。\n"),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("zz.txt"), [0u8, 1, 2]).unwrap();
        let c = Corpus::lazy(dir.path()).unwrap();
        assert_eq!(c.len(), RECENT + 7);
        // Nothing read yet: the title is the id until the index or a read says otherwise.
        assert_eq!(c.title(3), "003");
        assert_eq!(c.indexed(), 0);
        // A document opened before its index entry exists works, and fills its entry.
        let d = c.doc(3).unwrap();
        assert_eq!(d.title(), "第3篇标题");
        assert_eq!(c.title(3), "第3篇标题");
        assert_eq!(c.position("003"), Some(3));
        // Only the recent ones stay in memory.
        for i in 0..c.len() - 1 {
            c.doc(i).unwrap();
        }
        assert_eq!(c.recent.lock().unwrap().len(), RECENT);
        // `read` does not keep what it reads.
        let before: Vec<usize> = c.recent.lock().unwrap().iter().map(|(i, _)| *i).collect();
        c.read(0).unwrap();
        let after: Vec<usize> = c.recent.lock().unwrap().iter().map(|(i, _)| *i).collect();
        assert_eq!(before, after);
        // A file that cannot be read is an error when opened, not a panic.
        let last = c.len() - 1;
        assert!(matches!(c.doc(last), Err(LoadError::Binary { .. })));
    }

    #[test]
    fn index_entries_give_titles_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "甲标题\n\n正文。\n").unwrap();
        std::fs::write(dir.path().join("b.txt"), "乙标题\n\n正文。\n").unwrap();
        let (entries, _) = crate::index::build(dir.path(), None).unwrap();
        let c = Corpus::lazy(dir.path()).unwrap();
        c.set_entries(entries.into_iter().enumerate());
        assert_eq!(c.title(1), "乙标题");
        assert_eq!(c.indexed(), 2);
        assert!(c.recent.lock().unwrap().is_empty());
        c.with_titles(|t| assert_eq!((t(0), t(1)), ("甲标题", "乙标题")));
    }

    #[test]
    fn fingerprint_is_sha256_of_text() {
        assert_eq!(
            fingerprint("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
