//! The corpus: a folder of `.txt` articles, decoded (UTF-8, UTF-16, GB18030/GBK, Big5 …),
//! LF-normalised and read-only. Each document carries its structure (title, date, body …).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::LoadError;
use crate::index::{Entry, FileStat};
use crate::structure::Structure;
use crate::text::CharMap;

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
        }
    }

    /// Reads and decodes one file.
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            path: path.into(),
            source,
        })?;
        let (text, encoding) = decode(&bytes).map_err(|p| p.into_error(path))?;
        let id = doc_id(path);
        Ok(Self::build(id, path.into(), text, encoding.to_string()))
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

/// Why bytes could not become text; turned into a [`LoadError`] with the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeProblem {
    /// Binary data at this byte.
    Binary(usize),
    /// Not valid in the guessed encoding, nor in GB18030.
    Undecodable(&'static str),
    /// Nothing but whitespace.
    Empty,
}

impl DecodeProblem {
    fn into_error(self, path: &Path) -> LoadError {
        let path = path.to_path_buf();
        match self {
            Self::Binary(offset) => LoadError::Binary { path, offset },
            Self::Undecodable(enc) => LoadError::Undecodable {
                path,
                encoding: enc.into(),
            },
            Self::Empty => LoadError::Empty { path },
        }
    }
}

/// Decodes a file's bytes: BOM first (UTF-8, UTF-16LE/BE), then strict UTF-8, then the
/// encoding chardetng guesses (GBK/GB18030, Big5 …). Returns LF-normalised text and the
/// encoding's name.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeProblem> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let Some(text) = enc.decode_without_bom_handling_and_without_replacement(body) else {
            return Err(DecodeProblem::Undecodable(enc.name()));
        };
        return finish(&text, enc.name());
    }
    if let Some(offset) = binary_offset(bytes) {
        return Err(DecodeProblem::Binary(offset));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return finish(text, "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GB18030 is a superset of GBK: decoding with it accepts everything GBK does and more.
    let candidates = [guess, encoding_rs::GB18030, encoding_rs::BIG5];
    for enc in candidates {
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) {
            let name = if enc == encoding_rs::GB18030 && guess == encoding_rs::GBK {
                "GBK"
            } else {
                enc.name()
            };
            return finish(&text, name);
        }
    }
    Err(DecodeProblem::Undecodable(guess.name()))
}

fn finish(text: &str, encoding: &'static str) -> Result<(String, &'static str), DecodeProblem> {
    if text.trim().is_empty() {
        return Err(DecodeProblem::Empty);
    }
    if let Some(pos) = text.find('\0') {
        return Err(DecodeProblem::Binary(pos));
    }
    Ok((normalise_newlines(text), encoding))
}

/// Where the bytes stop looking like text: a NUL byte, or a run of control bytes that no
/// text encoding produces. `None` for text.
fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if let Some(p) = memchr_nul(bytes) {
        return Some(p);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    (controls * 20 > head.len().max(1)).then(|| {
        head.iter()
            .position(|&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
            .unwrap_or(0)
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// CRLF and lone CR become LF.
pub fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
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
            pinned,
            recent: Mutex::default(),
            errors,
        }
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
        let stat = &self.files[i];
        let doc = Document::load(&stat.path)?;
        let entry = Entry::of_document(&doc, stat);
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries[i].as_ref() != Some(&entry) {
            entries[i] = Some(entry);
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
            if i < entries.len() && e.id == self.files[i].id {
                entries[i] = Some(e);
            }
        }
    }

    /// How many documents the index has described so far.
    pub fn indexed(&self) -> usize {
        if !self.pinned.is_empty() {
            return self.pinned.len();
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.iter().filter(|e| e.is_some()).count()
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
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(
            decode("脱贫攻坚\r\n5.3亿元\r".as_bytes()).unwrap(),
            ("脱贫攻坚\n5.3亿元\n".into(), "UTF-8")
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("标注".as_bytes());
        assert_eq!(decode(&bom).unwrap().0, "标注");
    }

    #[test]
    fn decodes_gbk_utf16_and_big5() {
        let text = "白城市产业扶贫让脱贫攻坚“底气十足”,完成投资5.3亿元,带动贫困人口21万人。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (decoded, enc) = decode(&gbk).unwrap();
        assert_eq!(decoded, text);
        assert!(enc == "GBK" || enc == "gb18030", "{enc}");

        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap(), (text.to_string(), "UTF-16LE"));

        let trad = "臺灣省政府推動扶貧計畫,投入經費三億元,協助偏遠鄉鎮發展產業與觀光。";
        let (big5, _, _) = encoding_rs::BIG5.encode(trad);
        assert_eq!(decode(&big5).unwrap().0, trad);
    }

    #[test]
    fn rejects_binary_and_empty() {
        assert!(matches!(
            decode(&[0x89, b'P', b'N', b'G', 0, 0, 1, 2]),
            Err(DecodeProblem::Binary(_))
        ));
        assert_eq!(decode(b"  \n\t "), Err(DecodeProblem::Empty));
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
