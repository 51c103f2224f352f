//! Helpers of the reliability tests: a temporary corpus and annotations folder, the real
//! binary run in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the binary in `cwd`: (exit code, stdout, stderr).
pub fn biaozhu(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_biaozhu"))
        .args(args)
        .current_dir(cwd)
        // Not the annotator this machine's app remembered: the tests name their own.
        .env("BIAOZHU_PREFS", cwd.join("no-prefs.ron"))
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary folder with `corpus/` (the given articles) and `annotations/`; commands run
/// inside it with `--corpus corpus --annotations annotations`.
pub struct Setup {
    /// The folder.
    pub dir: tempfile::TempDir,
}

impl Setup {
    /// Articles as (id, text), written as UTF-8.
    pub fn new(docs: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("corpus")).expect("corpus");
        std::fs::create_dir_all(dir.path().join("annotations")).expect("annotations");
        for (id, text) in docs {
            std::fs::write(dir.path().join(format!("corpus/{id}.txt")), text).expect("write");
        }
        Self { dir }
    }

    /// A path inside the folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs the binary with the corpus and annotations folders.
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let mut all = vec!["--corpus", "corpus", "--annotations", "annotations"];
        all.extend_from_slice(args);
        biaozhu(&all, self.dir.path())
    }

    /// Writes a RON file by hand for `annotator` and `doc` with these span lines; the
    /// fingerprint is the article's unless given. Returns its path.
    pub fn write_ron(
        &self,
        annotator: &str,
        doc: &str,
        fingerprint: Option<&str>,
        spans: &[&str],
    ) -> PathBuf {
        let text = std::fs::read_to_string(self.path(&format!("corpus/{doc}.txt"))).expect("doc");
        let fp = fingerprint.map(str::to_owned).unwrap_or_else(|| {
            biaozhu::corpus::fingerprint(&biaozhu::corpus::normalise_newlines(&text))
        });
        let path = self.path(&format!("annotations/{annotator}/{doc}.ron"));
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        let body: String = spans.iter().map(|s| format!("    {s},\n")).collect();
        std::fs::write(
            &path,
            format!(
                "(\n  format: 1,\n  doc: \"{doc}\",\n  fingerprint: \"{fp}\",\n  annotator: \"{annotator}\",\n  status: InProgress,\n  spans: [\n{body}  ],\n)\n"
            ),
        )
        .expect("write");
        path
    }
}
