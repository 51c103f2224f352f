//! RON files `annotations/<annotator>/<doc-id>.ron`: stable, diff-friendly, written
//! atomically, never overwritten when they could not be parsed, re-anchored when the
//! article's text changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::corpus::{Corpus, Document};
use crate::error::StoreError;
use crate::model::span::{AnnotationFile, Change, ChangeKind, FORMAT_VERSION};

/// The folder of annotation files.
#[derive(Debug, Clone)]
pub struct Store {
    /// `annotations/`.
    pub root: PathBuf,
}

/// A file read for a document, with what re-anchoring did.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The annotations, offsets valid for the current text.
    pub file: AnnotationFile,
    /// What happened if the text had changed since the file was written.
    pub reanchor: Option<ReanchorReport>,
}

/// Outcome of re-anchoring a file to a changed text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReanchorReport {
    /// Spans whose text is still at the same offsets.
    pub unchanged: usize,
    /// Spans moved to the nearest occurrence of their text.
    pub moved: usize,
    /// Spans whose text is gone: kept and flagged `unanchored`.
    pub lost: usize,
}

/// Checks that a name can be a folder or file name: no separators, not hidden, not empty.
pub fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidName(name.to_owned()))
    }
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

/// Writes `contents` to `path` atomically: a temporary file in the same folder, flushed and
/// synced, then renamed over the old file. On failure the old file is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fn io<'a>(action: &'static str, p: &'a Path) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
        move |source| StoreError::Io {
            path: p.to_path_buf(),
            action,
            source,
        }
    }
    std::fs::create_dir_all(dir).map_err(io("cannot create folder", dir))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".biaozhu-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io("cannot write", path))?;
    tmp.write_all(contents).map_err(io("cannot write", path))?;
    tmp.flush().map_err(io("cannot write", path))?;
    tmp.as_file().sync_all().map_err(io("cannot write", path))?;
    tmp.persist(path).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        action: "cannot replace",
        source: e.error,
    })?;
    Ok(())
}

impl Store {
    /// A store rooted at `root` (created on first save).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Path of an annotator's file for a document.
    pub fn path(&self, annotator: &str, doc: &str) -> PathBuf {
        self.root.join(annotator).join(format!("{doc}.ron"))
    }

    /// Reads an annotator's file for `doc`; `Ok(None)` when there is none. When the text
    /// changed since it was written, spans are re-anchored (see [`reanchor`]).
    pub fn load(&self, annotator: &str, doc: &Document) -> Result<Option<Loaded>, StoreError> {
        let path = self.path(annotator, &doc.id);
        let s = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Io {
                    path,
                    action: "cannot read",
                    source,
                });
            }
        };
        let mut file = from_ron(&path, &s)?;
        if file.doc != doc.id {
            return Err(StoreError::WrongDocument {
                path,
                found: file.doc,
                expected: doc.id.clone(),
            });
        }
        let reanchor = (file.fingerprint != doc.fingerprint).then(|| reanchor(&mut file, doc));
        Ok(Some(Loaded { file, reanchor }))
    }

    /// Saves a file atomically to its place; returns the path written.
    pub fn save(&self, file: &AnnotationFile) -> Result<PathBuf, StoreError> {
        check_name(&file.annotator)?;
        let path = self.path(&file.annotator, &file.doc);
        write_atomic(&path, to_ron(file).as_bytes())?;
        Ok(path)
    }

    /// Every file `annotator` has for a document of `corpus`, in corpus order, read in
    /// parallel: (document index, file). Files that cannot be read are reported, not skipped
    /// silently; files for documents not in the corpus are reported too.
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
                Ok(Some(l)) => files.push((i, l.file)),
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

    /// Annotators with a folder in the store, sorted.
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

/// Re-anchors spans to a changed text. Each span is looked for by its stored text: where it
/// still is; otherwise at the occurrence nearest its old place shifted by how far the
/// previous spans moved. A span whose text is gone keeps its offsets (clamped) and is
/// flagged `unanchored`, never dropped.
pub fn reanchor(file: &mut AnnotationFile, doc: &Document) -> ReanchorReport {
    let mut report = ReanchorReport::default();
    let len = doc.char_len();
    let mut delta: isize = 0;
    file.sort();
    for span in &mut file.spans {
        let here = span.end <= len && doc.slice(span.start..span.end) == span.text;
        if here {
            report.unchanged += 1;
            delta = 0;
            span.unanchored = false;
            continue;
        }
        let occurrences = crate::text::find_all(&doc.text, &doc.chars, &span.text);
        let target = span.start as isize + delta;
        let best = occurrences
            .into_iter()
            .min_by_key(|&o| (o as isize - target).unsigned_abs());
        match best {
            Some(o) if !span.text.is_empty() => {
                let from = (span.start, span.end);
                let n = span.text.chars().count();
                delta = o as isize - span.start as isize;
                span.start = o;
                span.end = o + n;
                span.unanchored = false;
                span.changes.push(Change::now(
                    ChangeKind::Reanchored {
                        from,
                        to: (span.start, span.end),
                    },
                    "biaozhu",
                ));
                report.moved += 1;
            }
            _ => {
                if !span.unanchored {
                    span.changes
                        .push(Change::now(ChangeKind::Unanchored, "biaozhu"));
                }
                span.unanchored = true;
                span.end = span.end.min(len);
                span.start = span.start.min(span.end.saturating_sub(1));
                report.lost += 1;
            }
        }
    }
    file.fingerprint = doc.fingerprint.clone();
    file.sort();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Normalized, Num, Origin, Quantity, Span, Status};

    fn sample(doc: &Document) -> AnnotationFile {
        let mut f = AnnotationFile::new(&doc.id, &doc.fingerprint, "alice");
        let mut s = Span::suggestion(
            &doc.text,
            4,
            9,
            "MONEY",
            "money",
            Some(Normalized {
                value: Quantity::Number(Num(530000000.0)),
                value_max: None,
                unit: Some("元".into()),
                approx: false,
            }),
        )
        .unwrap();
        s.status = Status::Accepted;
        s.note = Some("核对过".into());
        s.changes.push(Change::now(ChangeKind::Accepted, "alice"));
        f.spans.push(s);
        let mut d = Span::new(&doc.text, 0, 2, "DATE", Status::Added, Origin::Manual).unwrap();
        d.value = Some(Normalized {
            value: Quantity::Date("2017".into()),
            value_max: Some(Quantity::Date("2018".into())),
            unit: None,
            approx: true,
        });
        f.spans.push(d);
        f.spans.push(
            Span::new(
                &doc.text,
                16,
                20,
                "COUNT",
                Status::Rejected,
                Origin::Learned,
            )
            .unwrap(),
        );
        f
    }

    #[test]
    fn round_trips_every_field_and_writes_one_span_per_line() {
        let doc = Document::from_text("d1", "完成投资5.3亿元,带动贫困人口21万人(次)𠮟");
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut f = sample(&doc);
        f.status = crate::model::DocStatus::Done;
        let path = store.save(&f).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("5.3亿元"), "{text}");
        let span_lines = text
            .lines()
            .filter(|l| l.trim_start().starts_with("(start:"))
            .count();
        assert_eq!(span_lines, 3, "{text}");
        let back = store.load("alice", &doc).unwrap().unwrap();
        assert!(back.reanchor.is_none());
        let mut expected = f.clone();
        expected.sort();
        assert_eq!(back.file, expected);
        // Saving again gives the same bytes: files diff cleanly.
        store.save(&back.file).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn corrupt_file_is_reported_with_position_and_kept() {
        let doc = Document::from_text("d1", "完成投资5.3亿元");
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let path = store.path("alice", "d1");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "(\n  format: 1,\n  doc: \"d1\",\n  spans: [oops\n").unwrap();
        let err = store.load("alice", &doc).unwrap_err();
        match &err {
            StoreError::Parse { line, .. } => assert!(*line >= 2, "{err}"),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("d1.ron"));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "(\n  format: 1,\n  doc: \"d1\",\n  spans: [oops\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn failed_save_leaves_old_file_intact() {
        use std::os::unix::fs::PermissionsExt;
        let doc = Document::from_text("d1", "完成投资5.3亿元,带动贫困人口21万人(次)");
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let f = sample(&doc);
        let path = store.save(&f).unwrap();
        let before = std::fs::read_to_string(&path).unwrap();
        let folder = path.parent().unwrap();
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut g = f.clone();
        g.spans.clear();
        let result = store.save(&g);
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        // Root ignores permissions; the check that matters is that the file is whole either way.
        if result.is_err() {
            assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
            assert!(matches!(result, Err(StoreError::Io { .. })));
        }
        let leftovers = std::fs::read_dir(folder)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn failed_save_into_a_file_path_reports_error() {
        let doc = Document::from_text("d1", "完成投资5.3亿元");
        let dir = tempfile::tempdir().unwrap();
        // A file where the annotator's folder should be: the save must fail cleanly.
        std::fs::write(dir.path().join("alice"), "not a folder").unwrap();
        let store = Store::new(dir.path());
        let err = store
            .save(&AnnotationFile::new(&doc.id, &doc.fingerprint, "alice"))
            .unwrap_err();
        assert!(matches!(err, StoreError::Io { .. }), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("alice")).unwrap(),
            "not a folder"
        );
    }

    #[test]
    fn reanchors_after_insertion_before_and_inside() {
        let old = Document::from_text("d1", "完成投资5.3亿元,带动贫困人口21万人(次)");
        let f = sample(&old);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store.save(&f).unwrap();

        // Inserted before: every span moves by the same amount.
        let moved = Document::from_text("d1", "去年,完成投资5.3亿元,带动贫困人口21万人(次)");
        let l = store.load("alice", &moved).unwrap().unwrap();
        let r = l.reanchor.unwrap();
        assert_eq!(
            r,
            ReanchorReport {
                unchanged: 0,
                moved: 3,
                lost: 0
            }
        );
        for s in &l.file.spans {
            assert_eq!(moved.slice(s.range()), s.text);
        }
        assert_eq!(l.file.fingerprint, moved.fingerprint);

        // Inserted inside the money span: it is kept and flagged, the others move.
        let inside = Document::from_text("d1", "完成投资5.35亿元,带动贫困人口21万人(次)");
        let l = store.load("alice", &inside).unwrap().unwrap();
        assert_eq!(
            l.reanchor.unwrap(),
            ReanchorReport {
                unchanged: 1,
                moved: 1,
                lost: 1
            }
        );
        let money = l.file.spans.iter().find(|s| s.label == "MONEY").unwrap();
        assert!(money.unanchored);
        assert_eq!(money.text, "5.3亿元");
        assert!(matches!(
            money.changes.last().unwrap().what,
            ChangeKind::Unanchored
        ));
    }

    #[test]
    fn reanchor_prefers_nearest_occurrence() {
        let old = Document::from_text("d", "白城市,白城市,白城市");
        let mut f = AnnotationFile::new("d", &old.fingerprint, "a");
        f.spans
            .push(Span::new(&old.text, 4, 7, "LOC", Status::Accepted, Origin::Manual).unwrap());
        let new = Document::from_text("d", "白城市,白城,白城市,白城市");
        reanchor(&mut f, &new);
        assert_eq!(f.spans[0].start, 7);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("alice").is_ok());
        assert!(check_name("张三").is_ok());
        for bad in ["", "../x", "a/b", ".hidden", "a b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
