//! Atomic writes: a temporary file beside the target, written, flushed and synced, then
//! renamed over it, so that a reader (or a crash) sees the old file or the new one, never a
//! part. The new file keeps the old one's permissions (or gets the usual ones under the
//! umask), and temporary files left by writers that were killed are swept away later.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::StoreError;

/// Temporary files are named `.biaozhu-XXXXXX.tmp`.
const PREFIX: &str = ".biaozhu-";
const SUFFIX: &str = ".tmp";

/// A temporary file older than this was left by a writer that stopped (a writer holds one for
/// the time it takes to write a file).
pub const STALE_AFTER: Duration = Duration::from_secs(3600);

fn io_error<'a>(
    action: &'static str,
    p: &'a Path,
) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        path: p.to_path_buf(),
        action,
        source,
    }
}

/// A file being written in place of `path`: write to it, then [`AtomicFile::commit`]. Dropped
/// without a commit (an error half-way), it disappears and `path` is untouched.
pub struct AtomicFile {
    path: PathBuf,
    tmp: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing in place of `path` (its folder is created if needed).
    pub fn create(path: &Path) -> Result<Self, StoreError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io_error("cannot create folder", dir))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(PREFIX).suffix(SUFFIX);
        // Like any new file: read-write for everyone the umask allows (tempfile's own default,
        // 0600, would take read access from the rest of a shared folder).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .map_err(io_error("cannot write", path))?;
        // Replacing a file keeps its permissions.
        if let Ok(old) = std::fs::metadata(path)
            && old.is_file()
        {
            std::fs::set_permissions(tmp.path(), old.permissions())
                .map_err(io_error("cannot write", path))?;
        }
        Ok(Self {
            path: path.to_path_buf(),
            tmp: std::io::BufWriter::new(tmp),
        })
    }

    /// The file that will be replaced.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the temporary file over the target.
    pub fn commit(self) -> Result<(), StoreError> {
        let path = self.path;
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| io_error("cannot write", &path)(e.into_error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(io_error("cannot write", &path))?;
        tmp.persist(&path).map_err(|e| StoreError::Io {
            path: path.clone(),
            action: "cannot replace",
            source: e.error,
        })?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// Where an export goes: standard output (`-`), a device or pipe written directly, or a file
/// replaced atomically (a failure half-way — a full disk — leaves the old file, or none).
pub enum Output {
    /// `-`.
    Stdout(std::io::StdoutLock<'static>),
    /// Not a regular file (`/dev/null`, a pipe): written as it goes.
    Direct(std::io::BufWriter<std::fs::File>),
    /// A regular file, replaced at [`Output::finish`].
    Atomic(AtomicFile),
}

impl Output {
    /// Opens `out` for writing (see [`Output`]).
    pub fn create(out: &Path) -> Result<Self, StoreError> {
        if out.as_os_str() == "-" {
            return Ok(Self::Stdout(std::io::stdout().lock()));
        }
        match std::fs::metadata(out) {
            Ok(m) if !m.is_file() && !m.is_dir() => std::fs::OpenOptions::new()
                .write(true)
                .open(out)
                .map(|f| Self::Direct(std::io::BufWriter::new(f)))
                .map_err(io_error("cannot write", out)),
            _ => AtomicFile::create(out).map(Self::Atomic),
        }
    }

    /// Flushes and, for a file, puts it in place.
    pub fn finish(self, out: &Path) -> Result<(), StoreError> {
        match self {
            Self::Stdout(mut w) => w.flush().map_err(io_error("cannot write", out)),
            Self::Direct(mut w) => w.flush().map_err(io_error("cannot write", out)),
            Self::Atomic(f) => f.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Self::Stdout(w) => w.write(buf),
            Self::Direct(w) => w.write(buf),
            Self::Atomic(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::Stdout(w) => w.flush(),
            Self::Direct(w) => w.flush(),
            Self::Atomic(w) => w.flush(),
        }
    }
}

/// Writes `contents` to `path` atomically: on failure the old file is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), StoreError> {
    let mut f = AtomicFile::create(path)?;
    f.write_all(contents)
        .map_err(io_error("cannot write", path))?;
    f.commit()
}

/// Removes the temporary files in `dir` older than [`STALE_AFTER`] (left by writers that were
/// killed); returns the ones removed. Younger ones may belong to a writer still at work.
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
            continue;
        }
        let old = e
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old && std::fs::remove_file(e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"half of the new").unwrap();
            // An error half-way: the writer is dropped without a commit.
        }
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new\n").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_old_mode_and_gives_new_files_the_usual_one() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.ron");
        write_atomic(&new, b"x").unwrap();
        let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
        // Whatever the umask, group and others keep read access unless it takes it away;
        // never tempfile's 0600 by itself.
        assert_eq!(mode & 0o600, 0o600);
        let probe = dir.path().join("probe");
        std::fs::File::create(&probe).unwrap();
        let usual = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, usual, "{mode:o} vs {usual:o}");

        let shared = dir.path().join("shared.ron");
        std::fs::write(&shared, "old").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomic(&shared, b"new").unwrap();
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664, "{mode:o}");
    }

    #[test]
    fn stale_temporaries_go_young_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".biaozhu-abc123.tmp");
        let young = dir.path().join(".biaozhu-def456.tmp");
        let other = dir.path().join("notes.tmp");
        for p in [&stale, &young, &other] {
            std::fs::write(p, "x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        for p in [&stale, &other] {
            std::fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        assert_eq!(remove_stale_temps(dir.path()), vec![stale.clone()]);
        assert!(!stale.exists() && young.exists() && other.exists());
    }
}
