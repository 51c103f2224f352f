//! One writer at a time per annotator folder: an advisory lock on
//! `annotations/<annotator>/.lock`, held while a file is read, compared and written, released
//! when the guard is dropped (or when the process dies: the OS drops it with the file).
//!
//! Uses the standard library's `File::try_lock` (flock on Unix, LockFileEx on Windows; stable
//! since Rust 1.89): the same calls `fs4`/`fd-lock` wrap, without a dependency.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::StoreError;

/// Name of the lock file inside an annotator's folder.
pub const LOCK_FILE: &str = ".lock";

/// How long a writer waits for another one before giving up. Writers hold the lock for one
/// read-modify-write of one file (milliseconds), so this is only reached when one is stuck.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// An exclusive lock on a folder; released on drop.
#[derive(Debug)]
pub struct FolderLock {
    file: Option<File>,
}

impl FolderLock {
    /// Locks `folder` (created if needed), waiting up to [`LOCK_WAIT`] for another writer.
    /// On a file system without locks, writers go on unlocked (the compare-before-write of
    /// [`crate::store::Store::save`] still catches a changed file).
    pub fn acquire(folder: &Path) -> Result<Self, StoreError> {
        Self::acquire_within(folder, LOCK_WAIT)
    }

    /// [`FolderLock::acquire`] with another wait.
    pub fn acquire_within(folder: &Path, wait: Duration) -> Result<Self, StoreError> {
        let path = folder.join(LOCK_FILE);
        std::fs::create_dir_all(folder).map_err(|source| StoreError::Io {
            path: folder.to_path_buf(),
            action: "cannot create folder",
            source,
        })?;
        let file = open(&path).map_err(|source| StoreError::Io {
            path: path.clone(),
            action: "cannot open the lock file",
            source,
        })?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { file: Some(file) }),
                Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked {
                        path,
                        waited: started.elapsed().as_secs(),
                    });
                }
                Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    return Ok(Self { file: None });
                }
                Err(TryLockError::Error(source)) => {
                    return Err(StoreError::Io {
                        path,
                        action: "cannot lock",
                        source,
                    });
                }
            }
        }
    }
}

/// Opens (creating) the lock file; read-only when another user created it without write
/// access for us (a read-only handle can still be locked).
fn open(path: &PathBuf) -> std::io::Result<File> {
    match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
    {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => File::open(path),
        other => other,
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            // Closing the file releases the lock too; unlocking first makes it prompt.
            let _ = f.unlock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("alice");
        let first = FolderLock::acquire(&folder).unwrap();
        let err = FolderLock::acquire_within(&folder, Duration::from_millis(50)).unwrap_err();
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err.to_string().contains(".lock"), "{err}");
        drop(first);
        FolderLock::acquire_within(&folder, Duration::from_millis(50)).unwrap();
    }

    #[test]
    fn lock_is_handed_over_between_threads() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("bob");
        let counter = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let handles: Vec<_> = (0..4)
            .map(|t| {
                let folder = folder.clone();
                let counter = counter.clone();
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        let _l = FolderLock::acquire(&folder).unwrap();
                        counter.lock().unwrap().push((t, "in"));
                        std::thread::sleep(Duration::from_millis(1));
                        counter.lock().unwrap().push((t, "out"));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        // Never two holders at once: every "in" is followed by the same thread's "out".
        let log = counter.lock().unwrap();
        for pair in log.chunks(2) {
            assert_eq!(pair[0].0, pair[1].0);
            assert_eq!((pair[0].1, pair[1].1), ("in", "out"));
        }
    }
}
