//! The edit journal: `annotations/<annotator>.journal`, one JSON line per edit holding the
//! edited file as it then stood, appended and written through at every commit (a crash or a
//! killed process loses nothing written so far). The next session folds it into the RON files
//! before it reads them; a save that leaves nothing unsaved removes it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::model::AnnotationFile;
use crate::store::{Store, Version};

/// One line of the journal.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// When it was written (milliseconds since the epoch).
    at: u64,
    /// The file after the edit.
    file: AnnotationFile,
    /// For a file that could not be read: what the edits started from, so that they can be
    /// applied to the file once it is fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base: Option<AnnotationFile>,
}

/// An annotator's journal (opened for appending on the first edit).
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    out: Option<std::fs::File>,
    /// The last append failed with this (reported by the session; edits are still saved).
    pub error: Option<String>,
}

/// What [`Journal::recover`] did.
#[derive(Debug, Default, PartialEq)]
pub struct Recovered {
    /// Documents whose file was brought up to the journal's last version.
    pub written: Vec<String>,
    /// Documents whose file had changed on disk after the journal's last entry: the disk
    /// version is kept in `.conflicts/` beside it.
    pub set_aside: Vec<String>,
    /// Problems (a file that cannot be read or written); their entries stay in the journal.
    pub problems: Vec<String>,
    /// Those entries: (the file as edited, what the edits started from when the file could
    /// not be read). The session opens them, so that the edits are in memory and saved once
    /// the file is fixed.
    pub kept: Vec<(AnnotationFile, Option<AnnotationFile>)>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

impl Journal {
    /// Where `annotator`'s journal lives.
    pub fn path(root: &Path, annotator: &str) -> PathBuf {
        root.join(format!("{annotator}.journal"))
    }

    /// The journal of `annotator` under `root` (nothing is created until the first edit).
    pub fn new(root: &Path, annotator: &str) -> Self {
        Self {
            path: Self::path(root, annotator),
            out: None,
            error: None,
        }
    }

    /// Appends `file` as it stands after an edit (with `base`, what the edits started from,
    /// when the file on disk could not be read), written through to the OS in one write.
    pub fn append(
        &mut self,
        file: &AnnotationFile,
        base: Option<&AnnotationFile>,
    ) -> Result<(), StoreError> {
        let entry = Entry {
            at: now_ms(),
            file: file.clone(),
            base: base.cloned(),
        };
        let mut line = serde_json::to_string(&entry).unwrap_or_default();
        line.push('\n');
        if self.out.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir).map_err(io(dir, "cannot create folder"))?;
            }
            let f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(io(&self.path, "cannot write"))?;
            self.out = Some(f);
        }
        let out = self.out.as_mut().expect("opened above");
        out.write_all(line.as_bytes())
            .and_then(|()| out.flush())
            .map_err(io(&self.path, "cannot write"))
    }

    /// After a save: the journal keeps only `unsaved` (files whose edits are still not on
    /// disk), or is removed when there are none.
    pub fn settle<'a>(
        &mut self,
        unsaved: impl IntoIterator<Item = (&'a AnnotationFile, Option<&'a AnnotationFile>)>,
    ) -> Result<(), StoreError> {
        let unsaved: Vec<_> = unsaved.into_iter().collect();
        self.out = None;
        if unsaved.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    Err(io(&self.path, "cannot remove")(e))
                }
                _ => Ok(()),
            };
        }
        let at = now_ms();
        let text: String = unsaved
            .into_iter()
            .map(|(f, base)| {
                let e = Entry {
                    at,
                    file: f.clone(),
                    base: base.cloned(),
                };
                serde_json::to_string(&e).unwrap_or_default() + "\n"
            })
            .collect();
        crate::store::write_atomic(&self.path, text.as_bytes())
    }

    /// Folds `annotator`'s journal into the RON files under `store`: each document's last
    /// entry is written over its file. A file changed on disk after that entry (a `git pull`
    /// after the crash) is kept in `<annotator>/.conflicts/` first; a file that cannot be
    /// parsed is never overwritten (its entry stays in the journal). A torn last line (the
    /// process died mid-write) is skipped.
    pub fn recover(store: &Store, annotator: &str) -> Recovered {
        let path = Self::path(&store.root, annotator);
        let mut out = Recovered::default();
        let Ok(text) = std::fs::read_to_string(&path) else {
            return out;
        };
        let mut last: BTreeMap<String, Entry> = BTreeMap::new();
        for line in text.lines() {
            // The annotator's files, and the gold files they adjudicated.
            if let Ok(e) = serde_json::from_str::<Entry>(line)
                && (e.file.annotator == annotator || e.file.annotator == crate::review::GOLD)
            {
                last.insert(format!("{}/{}", e.file.annotator, e.file.doc), e);
            }
        }
        let mut kept = Vec::new();
        for (_, e) in last {
            let doc = if e.file.annotator == annotator {
                e.file.doc.clone()
            } else {
                format!("{}/{}", e.file.annotator, e.file.doc)
            };
            match fold(store, &e) {
                Ok(Fold::Same) => {}
                Ok(Fold::Written) => out.written.push(doc),
                Ok(Fold::SetAside) => {
                    out.written.push(doc.clone());
                    out.set_aside.push(doc);
                }
                Err(problem) => {
                    out.problems.push(problem);
                    kept.push(e);
                }
            }
        }
        let mut j = Self::new(&store.root, annotator);
        if let Err(e) = j.settle(kept.iter().map(|e| (&e.file, e.base.as_ref()))) {
            out.problems.push(e.to_string());
        }
        out.kept = kept.into_iter().map(|e| (e.file, e.base)).collect();
        out
    }
}

enum Fold {
    Same,
    Written,
    SetAside,
}

/// Writes a journal entry's file over the one on disk (see [`Journal::recover`]); the edits
/// of a file that could not be read when they were made are applied to the file as it is now.
fn fold(store: &Store, e: &Entry) -> Result<Fold, String> {
    let path = store.path(&e.file.annotator, &e.file.doc);
    let disk = match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(format!("{}: cannot read: {err}", path.display())),
    };
    let mut set_aside = false;
    // Written only over the file just read (compare-before-write, like every save).
    let version = disk
        .as_ref()
        .map_or_else(Version::default, |s| Version::of(s.as_bytes()));
    if let Some(s) = &disk {
        let parsed = crate::store::from_ron(&path, s).map_err(|err| {
            format!("{err}; the edits made before the app stopped wait in the journal")
        })?;
        if let Some(base) = &e.base {
            let (merged, _) = super::edited::merge_edits(base, &e.file, &parsed);
            if merged == parsed {
                return Ok(Fold::Same);
            }
            store
                .save(&merged, &version)
                .map_err(|err| err.to_string())?;
            return Ok(Fold::Written);
        }
        if parsed == e.file {
            return Ok(Fold::Same);
        }
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_millis() as u64);
        if modified > e.at {
            let stamp = crate::model::span::timestamp().replace(':', "-");
            let backup = path
                .parent()
                .unwrap_or(Path::new("."))
                .join(".conflicts")
                .join(format!("{}.{stamp}.ron", e.file.doc));
            crate::store::write_atomic(&backup, s.as_bytes()).map_err(|err| err.to_string())?;
            set_aside = true;
        }
    }
    store
        .save(&e.file, &version)
        .map_err(|err| err.to_string())?;
    Ok(if set_aside {
        Fold::SetAside
    } else {
        Fold::Written
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{DocStatus, Span};

    const TEXT: &str = "完成投资5.3亿元,带动贫困人口21万人";

    fn file(doc: &str, status: DocStatus) -> AnnotationFile {
        let mut f = AnnotationFile::new(doc, "fp", "a");
        f.spans
            .push(Span::suggestion(TEXT, 4, 9, "MONEY", "money", None).unwrap());
        f.status = status;
        f
    }

    #[test]
    fn the_last_entry_per_document_is_folded_in_and_the_journal_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut j = Journal::new(dir.path(), "a");
        j.append(&file("d1", DocStatus::InProgress), None).unwrap();
        j.append(&file("d1", DocStatus::Done), None).unwrap();
        j.append(&file("d2", DocStatus::InProgress), None).unwrap();
        drop(j);
        // A torn line from a process killed mid-write is skipped.
        let p = Journal::path(dir.path(), "a");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("{\"at\":1,\"fi");
        std::fs::write(&p, text).unwrap();
        let r = Journal::recover(&store, "a");
        assert_eq!(r.written, ["d1", "d2"]);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let on_disk = |d: &str| {
            let path = store.path("a", d);
            crate::store::from_ron(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
        };
        assert_eq!(on_disk("d1").status, DocStatus::Done);
        assert_eq!(on_disk("d2").status, DocStatus::InProgress);
        assert!(!p.exists(), "folded in, removed");
    }

    #[test]
    fn a_broken_file_keeps_its_entry_and_a_newer_disk_file_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut j = Journal::new(dir.path(), "a");
        // Edits made while the file could not be read: marked done.
        let base = file("broken", DocStatus::NotStarted);
        j.append(&file("broken", DocStatus::Done), Some(&base))
            .unwrap();
        j.append(&file("pulled", DocStatus::Done), None).unwrap();
        drop(j);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let broken = store.path("a", "broken");
        std::fs::create_dir_all(broken.parent().unwrap()).unwrap();
        std::fs::write(&broken, "(oops").unwrap();
        store
            .overwrite(&file("pulled", DocStatus::InProgress))
            .unwrap();
        let r = Journal::recover(&store, "a");
        assert_eq!(r.written, ["pulled"]);
        assert_eq!(r.set_aside, ["pulled"]);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(std::fs::read_to_string(&broken).unwrap(), "(oops");
        let conflicts = std::fs::read_dir(dir.path().join("a/.conflicts")).unwrap();
        assert_eq!(conflicts.count(), 1, "the pulled version is kept aside");
        let left = std::fs::read_to_string(Journal::path(dir.path(), "a")).unwrap();
        assert_eq!(left.lines().count(), 1, "the broken file's entry waits");
        assert!(left.contains("\"broken\""));
        // Fixed by hand (another span, in progress): the edits made meanwhile land on it.
        let mut fixed = AnnotationFile::new("broken", "fp", "a");
        fixed
            .spans
            .push(Span::suggestion(TEXT, 16, 20, "COUNT", "count", None).unwrap());
        fixed.status = DocStatus::InProgress;
        store.overwrite(&fixed).unwrap();
        let r = Journal::recover(&store, "a");
        assert_eq!(
            (r.written.as_slice(), r.problems.len()),
            (&["broken".to_owned()][..], 0)
        );
        let now =
            crate::store::from_ron(&broken, &std::fs::read_to_string(&broken).unwrap()).unwrap();
        assert_eq!(now.status, DocStatus::Done, "the edit made meanwhile");
        assert_eq!(now.spans, fixed.spans, "the fixed file's spans");
        assert!(!Journal::path(dir.path(), "a").exists());
    }
}
