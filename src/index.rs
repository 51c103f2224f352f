//! The corpus index: what the window needs to know of every article without holding its text
//! (file, size, mtime, fingerprint, encoding, title, date, source, body range), kept in a cache
//! file under the annotations folder and reused while a file's size and mtime are unchanged.

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::corpus::{Document, doc_id};
use crate::error::LoadError;

/// Version of the cache file's format; a cache of another version is rebuilt.
pub const INDEX_VERSION: u32 = 1;

/// Files indexed between two updates sent to the window: small enough that titles arrive
/// steadily, large enough that the channel is not the bottleneck.
const BATCH: usize = 512;

/// A `.txt` file of the corpus folder as the directory listing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    /// Where it is.
    pub path: PathBuf,
    /// Its document id (the file stem).
    pub id: String,
    /// Size in bytes (0 as listed, until [`FileStat::stat`]).
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 as listed, until
    /// [`FileStat::stat`], and when the OS gives none).
    pub mtime_ns: u64,
}

/// What the index knows of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Document id (the file stem).
    pub id: String,
    /// File name inside the corpus folder.
    pub file: String,
    /// Size in bytes when indexed.
    pub size: u64,
    /// Modification time when indexed (ns since the epoch).
    pub mtime_ns: u64,
    /// `sha256:<hex>` of the decoded text; empty when the file could not be opened.
    pub fingerprint: String,
    /// The encoding the file was decoded from.
    pub encoding: String,
    /// The detected headline.
    pub title: Option<String>,
    /// The publication date, ISO 8601 as far as known.
    pub date: Option<String>,
    /// The source's name.
    pub source: Option<String>,
    /// The body as a char range.
    pub body: Range<usize>,
    /// Length of the text in chars.
    pub chars: usize,
    /// Why the file could not be opened, if it could not.
    pub error: Option<String>,
}

impl Entry {
    /// The entry of a loaded document.
    pub fn of_document(doc: &Document, stat: &FileStat) -> Self {
        let s = &doc.structure;
        Self {
            id: doc.id.clone(),
            file: file_name(&stat.path),
            size: stat.size,
            mtime_ns: stat.mtime_ns,
            fingerprint: doc.fingerprint.clone(),
            encoding: doc.encoding.clone(),
            title: s.title.clone().map(|r| doc.slice(r).to_owned()),
            date: s.date_iso.clone(),
            source: s.source.clone().map(|r| doc.slice(r).to_owned()),
            body: s.body.clone(),
            chars: doc.char_len(),
            error: None,
        }
    }

    /// The entry of a file that could not be opened.
    pub fn of_error(stat: &FileStat, error: &LoadError) -> Self {
        Self {
            id: stat.id.clone(),
            file: file_name(&stat.path),
            size: stat.size,
            mtime_ns: stat.mtime_ns,
            fingerprint: String::new(),
            encoding: String::new(),
            title: None,
            date: None,
            source: None,
            body: 0..0,
            chars: 0,
            error: Some(error.to_string()),
        }
    }

    /// Reads and indexes one file.
    pub fn index(stat: &FileStat) -> Self {
        match Document::load(&stat.path) {
            Ok(doc) => Self::of_document(&doc, stat),
            Err(e) => Self::of_error(stat, &e),
        }
    }

    /// Is this entry still right for a file listed with `stat`?
    pub fn is_current(&self, stat: &FileStat) -> bool {
        self.size == stat.size
            && self.mtime_ns == stat.mtime_ns
            && self.file == file_name(&stat.path)
    }

    /// The title, or the id when none was found.
    pub fn title_or_id(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.id)
    }

    /// An entry read from a cache file must describe itself consistently.
    fn is_sane(&self) -> bool {
        self.body.start <= self.body.end
            && self.body.end <= self.chars
            && !self.id.is_empty()
            && (self.error.is_some() || self.fingerprint.starts_with("sha256:"))
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The `.txt` files of a folder, sorted by id: names only, no `stat` (a folder of 100,000
/// files lists in a few hundredths of a second, where a `stat` each takes a fifth of a
/// second). Size and mtime are 0 until [`FileStat::stat`] fills them (the index does, on
/// its thread); only symlinks are followed here, to know whether they lead to a file.
pub fn list(dir: &Path) -> Result<Vec<FileStat>, LoadError> {
    let rd = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.into(),
        source,
    })?;
    let mut files: Vec<FileStat> = rd
        .filter_map(Result::ok)
        .filter(|e| {
            Path::new(&e.file_name())
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("txt"))
        })
        .filter_map(|e| {
            let path = e.path();
            let kind = e.file_type().ok()?;
            // Follows symlinks, as opening the file will.
            let is_file = kind.is_file()
                || (kind.is_symlink() && std::fs::metadata(&path).is_ok_and(|m| m.is_file()));
            is_file.then(|| FileStat {
                id: doc_id(&path),
                size: 0,
                mtime_ns: 0,
                path,
            })
        })
        .collect();
    files.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
    Ok(files)
}

impl FileStat {
    /// The same file with its size and mtime as they are now (both 0 when it cannot be
    /// `stat`ed: it is then indexed anew, and reading it reports why).
    pub fn stat(&self) -> Self {
        let meta = std::fs::metadata(&self.path).ok();
        Self {
            path: self.path.clone(),
            id: self.id.clone(),
            size: meta.as_ref().map_or(0, std::fs::Metadata::len),
            mtime_ns: meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)),
        }
    }
}

/// Where the index of corpus folder `corpus` is cached: `<annotations>/.index/<hash>.jsonl`,
/// one file per corpus folder (the hash is of its canonical path).
pub fn cache_path(annotations: &Path, corpus: &Path) -> PathBuf {
    let canonical = std::fs::canonicalize(corpus).unwrap_or_else(|_| corpus.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    annotations.join(".index").join(format!("{hex}.jsonl"))
}

/// The first line of a cache file.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    version: u32,
    corpus: String,
    entries: usize,
}

/// Why a cache file was not used. Never fatal: the index is rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The file could not be read.
    #[error("{path}: cannot read the index cache: {source}")]
    Io {
        /// The cache file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not a cache this version wrote completely.
    #[error("{path}:{line}: index cache is damaged or from another version ({why}); rebuilding it")]
    Corrupt {
        /// The cache file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What was wrong.
        why: String,
    },
}

/// Reads a cache file. Any damage (a bad line, a truncated file, another version, entries
/// that contradict themselves) rejects the whole file: a corrupt index is never trusted.
/// `Ok(None)` when there is no cache yet.
pub fn read_cache(path: &Path) -> Result<Option<Vec<Entry>>, CacheError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CacheError::Io {
                path: path.into(),
                source,
            });
        }
    };
    let corrupt = |line: usize, why: String| CacheError::Corrupt {
        path: path.into(),
        line,
        why,
    };
    let mut lines = std::io::BufReader::new(file).lines();
    let header: Header = match lines.next() {
        Some(Ok(l)) => serde_json::from_str(&l).map_err(|e| corrupt(1, e.to_string()))?,
        Some(Err(e)) => return Err(corrupt(1, e.to_string())),
        None => return Err(corrupt(1, "empty file".into())),
    };
    if header.version != INDEX_VERSION {
        return Err(corrupt(1, format!("version {}", header.version)));
    }
    let mut entries = Vec::with_capacity(header.entries);
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        let line = line.map_err(|e| corrupt(n, e.to_string()))?;
        let entry: Entry = serde_json::from_str(&line).map_err(|e| corrupt(n, e.to_string()))?;
        if !entry.is_sane() {
            return Err(corrupt(n, "inconsistent entry".into()));
        }
        entries.push(entry);
    }
    if entries.len() != header.entries {
        return Err(corrupt(
            entries.len() + 1,
            format!("{} entries, header says {}", entries.len(), header.entries),
        ));
    }
    Ok(Some(entries))
}

/// Writes a cache file atomically.
pub fn write_cache(
    path: &Path,
    corpus: &Path,
    entries: &[Entry],
) -> Result<(), crate::error::StoreError> {
    let mut out = Vec::with_capacity(entries.len() * 256);
    let header = Header {
        version: INDEX_VERSION,
        corpus: corpus.to_string_lossy().into_owned(),
        entries: entries.len(),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_writer(&mut out, &header).expect("header serialises");
    for e in entries {
        out.push(b'\n');
        serde_json::to_writer(&mut out, e).expect("entry serialises");
    }
    out.push(b'\n');
    let dir = path.parent().unwrap_or(Path::new("."));
    // The cache is local to this machine: keep it out of a team's git repository.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::create_dir_all(dir);
        let _ = std::fs::File::create(&ignore).and_then(|mut f| f.write_all(b"*\n"));
    }
    crate::store::write_atomic(path, &out)
}

/// What an index run sends: entries as they are ready (cached ones first, in one batch),
/// then the end.
#[derive(Debug)]
pub enum Update {
    /// Entries for positions of the file list.
    Entries(Vec<(usize, Entry)>),
    /// All files are indexed.
    Finished(Summary),
}

/// How an index run went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Entries taken from the cache.
    pub reused: usize,
    /// Files read and indexed anew (new, changed, or no usable cache).
    pub indexed: usize,
    /// Why the cache was not read or not written, if so.
    pub cache_problem: Option<String>,
}

/// Indexes the files of corpus folder `corpus` (as [`list`]ed), reusing the cache where size
/// and mtime are unchanged, reading the other files in parallel, and writing the cache back
/// when anything changed. Sends [`Update`]s on `tx` as it goes; stops early (returning
/// `None`) when the receiver is gone.
pub fn run(
    corpus: &Path,
    files: &[FileStat],
    cache: Option<&Path>,
    tx: &Sender<Update>,
) -> Option<Vec<Entry>> {
    let mut summary = Summary::default();
    let cached = match cache.map(read_cache).transpose() {
        Ok(c) => c.flatten().unwrap_or_default(),
        Err(e) => {
            summary.cache_problem = Some(e.to_string());
            Vec::new()
        }
    };
    let cached_len = cached.len();
    // The listing has names only: sizes and mtimes are read here, off the window's thread
    // (on this thread, not the pool: a `stat` is quick and should not wait for a batch of
    // suggestions).
    let files: Vec<FileStat> = files.iter().map(FileStat::stat).collect();
    let files = &files[..];
    let mut by_file: HashMap<String, Entry> =
        cached.into_iter().map(|e| (e.file.clone(), e)).collect();
    let mut entries: Vec<Option<Entry>> = vec![None; files.len()];
    let mut reused = Vec::new();
    let mut stale = Vec::new();
    for (i, s) in files.iter().enumerate() {
        match by_file.remove(&file_name(&s.path)) {
            Some(e) if e.is_current(s) && e.id == s.id => {
                entries[i] = Some(e.clone());
                reused.push((i, e));
            }
            _ => stale.push(i),
        }
    }
    summary.reused = reused.len();
    summary.indexed = stale.len();
    // In batches: the window takes a few batches a frame, never 100,000 entries at once.
    let mut reused = reused.into_iter().peekable();
    while reused.peek().is_some() {
        tx.send(Update::Entries(reused.by_ref().take(BATCH).collect()))
            .ok()?;
    }
    for chunk in stale.chunks(BATCH) {
        let batch: Vec<(usize, Entry)> = crate::pool::background(|| {
            chunk
                .par_iter()
                .map(|&i| (i, Entry::index(&files[i])))
                .collect()
        });
        for (i, e) in &batch {
            entries[*i] = Some(e.clone());
        }
        tx.send(Update::Entries(batch)).ok()?;
    }
    let entries: Vec<Entry> = entries.into_iter().flatten().collect();
    // Rewrite the cache when anything was (re)indexed or a file disappeared.
    let changed = summary.indexed > 0 || cached_len != entries.len();
    if let Some(path) = cache
        && (changed || summary.cache_problem.is_some())
        && let Err(e) = write_cache(path, corpus, &entries)
    {
        summary.cache_problem = Some(e.to_string());
    }
    let _ = tx.send(Update::Finished(summary));
    Some(entries)
}

/// Runs [`run`] on a named thread; the window reads the updates once per frame.
pub fn spawn(corpus: PathBuf, files: Vec<FileStat>, cache: Option<PathBuf>) -> Receiver<Update> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new()
        .name("biaozhu-index".into())
        .spawn(move || {
            run(&corpus, &files, cache.as_deref(), &tx);
        });
    if let Err(e) = spawned {
        let (tx, rx) = channel();
        let _ = tx.send(Update::Finished(Summary {
            cache_problem: Some(format!("cannot start the index thread: {e}")),
            ..Summary::default()
        }));
        return rx;
    }
    rx
}

/// Lists and indexes a folder in the calling thread; returns the entries in listing order
/// with the run's summary (for the command line and tests).
pub fn build(corpus: &Path, cache: Option<&Path>) -> Result<(Vec<Entry>, Summary), LoadError> {
    let files = list(corpus)?;
    let (tx, rx) = channel();
    let entries = run(corpus, &files, cache, &tx);
    drop(tx);
    let summary = rx
        .into_iter()
        .find_map(|u| match u {
            Update::Finished(s) => Some(s),
            Update::Entries(_) => None,
        })
        .unwrap_or_default();
    Ok((entries.unwrap_or_default(), summary))
}

/// One line of the full-text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Position in the listing.
    pub doc: usize,
    /// Char offset of the match in the document's text.
    pub start: usize,
    /// The line around the match, for the result list.
    pub line: String,
}

/// Full-text search over the files (read a batch at a time, never all kept): hands each
/// batch's hits to `found` as soon as they are known (at most `per_doc` per document), and the
/// number of files searched to `done`; stops when `cancelled` says so.
pub fn search(
    files: &[FileStat],
    needle: &str,
    per_doc: usize,
    found: &(dyn Fn(Vec<Hit>) + Sync),
    done: &(dyn Fn(usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) {
    if needle.is_empty() {
        return;
    }
    for (c, chunk) in files.chunks(BATCH).enumerate() {
        if cancelled() {
            return;
        }
        let hits: Vec<Hit> = crate::pool::background(|| {
            chunk
                .par_iter()
                .enumerate()
                .flat_map_iter(|(k, stat)| {
                    let doc = c * BATCH + k;
                    let text = Document::load(&stat.path)
                        .map(|d| d.text)
                        .unwrap_or_default();
                    hits_in(&text, needle, per_doc)
                        .into_iter()
                        .map(move |(start, line)| Hit { doc, start, line })
                })
                .collect()
        });
        if !hits.is_empty() {
            found(hits);
        }
        done((c * BATCH + chunk.len()).min(files.len()));
    }
}

/// Up to `max` matches of `needle` in `text`: char offset and the line they sit in.
fn hits_in(text: &str, needle: &str, max: usize) -> Vec<(usize, String)> {
    text.match_indices(needle)
        .take(max)
        .map(|(b, _)| {
            let line_start = text[..b].rfind('\n').map_or(0, |p| p + 1);
            let line_end = text[b..].find('\n').map_or(text.len(), |p| b + p);
            (
                text[..b].chars().count(),
                text[line_start..line_end].trim().to_owned(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "白城市产业扶贫\n\n　　白城市完成投资5.3亿元。\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("b.txt"),
            "通榆县脱贫\n\n　　带动贫困人口21万人。\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("empty.txt"), "").unwrap();
        std::fs::write(dir.path().join("notes.md"), "not an article").unwrap();
        dir
    }

    #[test]
    fn indexes_titles_and_errors_in_name_order() {
        let dir = corpus();
        let (entries, summary) = build(dir.path(), None).unwrap();
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "empty"]);
        assert_eq!(entries[0].title.as_deref(), Some("白城市产业扶贫"));
        assert!(entries[0].fingerprint.starts_with("sha256:"));
        assert!(entries[2].error.as_deref().unwrap().contains("empty"));
        assert_eq!(summary.indexed, 3);
    }

    #[test]
    fn cache_is_reused_unless_size_or_mtime_changes() {
        let dir = corpus();
        let ann = tempfile::tempdir().unwrap();
        let cache = cache_path(ann.path(), dir.path());
        let (first, s1) = build(dir.path(), Some(&cache)).unwrap();
        assert_eq!((s1.reused, s1.indexed), (0, 3));
        assert!(cache.exists());
        assert_eq!(
            std::fs::read_to_string(cache.parent().unwrap().join(".gitignore")).unwrap(),
            "*\n"
        );

        let (again, s2) = build(dir.path(), Some(&cache)).unwrap();
        assert_eq!((s2.reused, s2.indexed), (3, 0));
        assert_eq!(first, again);

        // A changed file (new size and mtime) is read again; the others are not.
        let b = dir.path().join("b.txt");
        std::fs::write(&b, "大安市新标题\n\n　　正文。\n").unwrap();
        let f = std::fs::File::options().write(true).open(&b).unwrap();
        f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
            .unwrap();
        let (third, s3) = build(dir.path(), Some(&cache)).unwrap();
        assert_eq!((s3.reused, s3.indexed), (2, 1));
        assert_eq!(third[1].title.as_deref(), Some("大安市新标题"));
    }

    #[test]
    fn same_size_new_mtime_is_reindexed() {
        let dir = corpus();
        let ann = tempfile::tempdir().unwrap();
        let cache = cache_path(ann.path(), dir.path());
        build(dir.path(), Some(&cache)).unwrap();
        let a = dir.path().join("a.txt");
        let f = std::fs::File::options().write(true).open(&a).unwrap();
        f.set_modified(UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
            .unwrap();
        let (_, s) = build(dir.path(), Some(&cache)).unwrap();
        assert_eq!((s.reused, s.indexed), (2, 1));
    }

    #[test]
    fn corrupt_cache_is_rebuilt_never_trusted() {
        let dir = corpus();
        let ann = tempfile::tempdir().unwrap();
        let cache = cache_path(ann.path(), dir.path());
        let (good, _) = build(dir.path(), Some(&cache)).unwrap();
        let text = std::fs::read_to_string(&cache).unwrap();

        // A plausible but wrong title in a truncated file, a garbage line, another version,
        // and an entry whose body runs past its text: each is rejected whole.
        let truncated = text
            .lines()
            .take(2)
            .collect::<Vec<_>>()
            .join("\n")
            .replace("白城市产业扶贫", "伪造的标题");
        let garbage = text.replacen("\"b\"", "\"b\" oops", 1);
        let other_version = text.replacen("\"version\":1", "\"version\":99", 1);
        let insane = text.replacen("\"chars\":", "\"chars\":0,\"x\":", 1);
        for bad in [
            truncated,
            garbage,
            other_version,
            insane,
            "\u{0}\u{1}binary".into(),
        ] {
            std::fs::write(&cache, &bad).unwrap();
            assert!(read_cache(&cache).is_err(), "{bad}");
            let (entries, s) = build(dir.path(), Some(&cache)).unwrap();
            assert_eq!(entries, good);
            assert_eq!(s.reused, 0);
            assert!(s.cache_problem.is_some());
            // …and the rebuilt cache is good again.
            assert_eq!(read_cache(&cache).unwrap().unwrap(), good);
        }
    }

    #[test]
    fn updates_arrive_in_batches_then_finish() {
        let dir = corpus();
        let files = list(dir.path()).unwrap();
        let rx = spawn(dir.path().into(), files, None);
        let updates: Vec<Update> = rx.iter().collect();
        assert!(matches!(updates.last(), Some(Update::Finished(_))));
        let mut got: Vec<usize> = updates
            .iter()
            .flat_map(|u| match u {
                Update::Entries(e) => e.iter().map(|(i, _)| *i).collect(),
                Update::Finished(_) => Vec::new(),
            })
            .collect();
        got.sort();
        assert_eq!(got, [0, 1, 2]);
    }

    #[test]
    fn missing_folder_fails_clearly() {
        let err = build(Path::new("/nonexistent/biaozhu"), None).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/biaozhu"));
    }

    #[test]
    fn full_text_search_streams_hits_with_char_offsets() {
        let dir = corpus();
        let files = list(dir.path()).unwrap();
        let found = std::sync::Mutex::new(Vec::new());
        let searched = std::sync::atomic::AtomicUsize::new(0);
        search(
            &files,
            "万人",
            10,
            &|h| found.lock().unwrap().extend(h),
            &|n| searched.store(n, std::sync::atomic::Ordering::Relaxed),
            &|| false,
        );
        assert_eq!(searched.into_inner(), 3);
        let hits = found.into_inner().unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].doc, 1);
        assert_eq!(hits[0].line, "带动贫困人口21万人。");
        let text = std::fs::read_to_string(dir.path().join("b.txt")).unwrap();
        let start: String = text.chars().skip(hits[0].start).take(2).collect();
        assert_eq!(start, "万人");
    }
}
