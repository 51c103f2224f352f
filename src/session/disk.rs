//! The session and the disk: saving (now, or after a pause in editing), and files changed
//! behind the session's back (a `git pull`, another annotator's sync) — reloaded when nothing
//! here is unsaved, a conflict to resolve when something is. The app's file watcher calls
//! [`Session::file_changed`].

use std::path::Path;
use std::time::{Duration, Instant};

use super::annotate::Session;
use super::background::Summary;
use super::edited::Reload;
use super::{Level, hash};
use crate::error::StoreError;
use crate::suggest::memory::Memory;

/// Whether the analyst's work is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    /// Everything is saved.
    Saved,
    /// Edits wait for the autosave.
    Pending,
    /// The last save failed (the edits are kept in memory).
    Failed,
    /// A file that cannot be parsed has edits (or is open): it is not written until it is
    /// fixed on disk; the edits are kept and applied then.
    Broken,
}

impl SaveState {
    /// How the top bar says it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Saved => "✔ saved",
            Self::Pending => "● saving…",
            Self::Failed => "● not saved",
            Self::Broken => "● not saved — file broken",
        }
    }
}

impl Session {
    /// Saves every document (and gold file) with unsaved edits and the learned memory; a
    /// failure is reported and the edits stay in memory.
    pub fn save_all(&mut self) {
        let mut errors = Vec::new();
        let mut changed = Vec::new();
        for (i, d) in self.docs.iter_mut().enumerate() {
            let Some(d) = d else { continue };
            match d.save(&self.store) {
                Ok(Some((path, text))) => {
                    self.written.insert(path, hash(text.as_bytes()));
                }
                Ok(None) => {}
                // Written by another window or command since it was read: nothing was
                // overwritten; theirs becomes a conflict to resolve.
                Err(StoreError::Conflict { .. }) => changed.push(i),
                Err(e) => errors.push(e.to_string()),
            }
        }
        for i in changed {
            self.reload_from_disk(i, true);
        }
        if self.memory_dirty && self.memory_error.is_none() {
            match self.memory.save(&self.store.root, &self.annotator) {
                Ok(()) => {
                    self.memory_dirty = false;
                    let path = Memory::path(&self.store.root, &self.annotator);
                    if let Ok(bytes) = std::fs::read(&path) {
                        self.written.insert(path, hash(&bytes));
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        if let Some(r) = self.review.as_mut() {
            errors.extend(r.save_all());
        }
        // The journal keeps what is still not on disk (a broken file, a conflict, a failure).
        let gold = self.review.iter().flat_map(|r| r.docs.iter().flatten());
        let unsaved = self
            .docs
            .iter()
            .flatten()
            .map(|d| &**d)
            .chain(gold.map(|d| &d.gold))
            .filter(|d| d.journaled())
            .map(|d| (&d.file, d.broken_base.as_ref()))
            .chain(self.journal_waiting.iter().map(|(f, b)| (f, b.as_ref())));
        if let Ok(mut j) = self.journal.lock()
            && let Err(e) = j.settle(unsaved)
        {
            errors.push(e.to_string());
        }
        self.report_save(errors);
    }

    /// Records how the last save went: errors become the save error (and a notice when new).
    pub(super) fn report_save(&mut self, errors: Vec<String>) {
        let error = (!errors.is_empty()).then(|| {
            format!(
                "Could not save (your edits are kept in memory): {}",
                errors.join("; ")
            )
        });
        if error.is_some() && error != self.save_error {
            let text = error.clone().unwrap_or_default();
            self.notice(Level::Error, text);
        }
        self.save_error = error;
    }

    /// When the last edit was made, in any file of the session.
    pub fn last_edit(&self) -> Option<Instant> {
        let review = self.review.iter().flat_map(|r| r.docs.iter().flatten());
        self.docs
            .iter()
            .flatten()
            .map(|d| &**d)
            .chain(review.map(|d| &d.gold))
            .filter_map(|d| d.edited_at)
            .max()
    }

    /// When the first edit not yet saved was made, in any file of the session.
    pub fn first_unsaved_edit(&self) -> Option<Instant> {
        let review = self.review.iter().flat_map(|r| r.docs.iter().flatten());
        self.docs
            .iter()
            .flatten()
            .map(|d| &**d)
            .chain(review.map(|d| &d.gold))
            .filter(|d| d.dirty())
            .filter_map(|d| d.unsaved_since)
            .min()
    }

    /// How long until the next autosave is due (zero when it is due now); `None` when
    /// nothing waits to be saved.
    pub fn autosave_due_in(&self) -> Option<Duration> {
        if !self.dirty() || self.save_error.is_some() {
            return None;
        }
        let pause = self.last_edit().map_or(Duration::ZERO, |t| {
            self.autosave_after.saturating_sub(t.elapsed())
        });
        let limit = self
            .first_unsaved_edit()
            .map_or(pause, |t| self.autosave_at_most.saturating_sub(t.elapsed()));
        Some(pause.min(limit))
    }

    /// Saves after a pause in editing, or at the latest [`Session::autosave_at_most`] after
    /// the first unsaved edit however steadily the edits come; returns how long until the
    /// next save is due while something is still to be saved (and saving has not failed).
    pub fn autosave(&mut self) -> Option<Duration> {
        if self.autosave_due_in() == Some(Duration::ZERO) {
            self.save_all();
        }
        if let Some(e) = self.journal.lock().ok().and_then(|mut j| j.error.take()) {
            self.notice(
                Level::Warning,
                format!("The edit journal cannot be written ({e}); edits are still saved, but a crash may lose the last ones."),
            );
        }
        self.autosave_due_in()
    }

    /// What the save indicator says.
    pub fn save_state(&self) -> SaveState {
        let broken = |d: &super::EditedFile| d.load_error.is_some();
        if self.save_error.is_some() {
            SaveState::Failed
        } else if self.doc().is_some_and(broken)
            || self
                .docs
                .iter()
                .flatten()
                .any(|d| broken(d) && d.has_unsaved())
        {
            SaveState::Broken
        } else if self.dirty() {
            SaveState::Pending
        } else {
            SaveState::Saved
        }
    }

    /// Any unsaved edits?
    pub fn dirty(&self) -> bool {
        self.docs.iter().flatten().any(|d| d.dirty())
            || (self.memory_dirty && self.memory_error.is_none())
            || self.review.as_ref().is_some_and(|r| r.dirty())
    }

    /// Handles a file under `annotations/` that changed on disk: the session's own writes are
    /// recognised and skipped, the memory file is merged, and a document of this annotator's
    /// is reloaded or gets a conflict. Returns whether something changed.
    pub fn file_changed(&mut self, path: &Path) -> bool {
        let bytes = std::fs::read(path).ok();
        if bytes.as_ref().map(|b| hash(b)) == self.written.get(path).copied() {
            return false; // our own write
        }
        let changed = if path == Memory::path(&self.store.root, &self.annotator) {
            self.merge_memory_from_disk()
        } else if let Some(i) = self.doc_of_path(path) {
            self.reload_from_disk(i, bytes.is_some());
            true
        } else {
            false
        };
        // In review, a reviewed annotator's file merges again (the reviewer may be one of them).
        let merged = self.review.as_mut().is_some_and(|r| r.file_changed(path));
        if changed {
            self.generation += 1;
        }
        changed || merged
    }

    /// The corpus index of this annotator's file at `path`.
    fn doc_of_path(&self, path: &Path) -> Option<usize> {
        let folder = self.store.root.join(&self.annotator);
        if path.parent() != Some(folder.as_path()) {
            return None;
        }
        let id = path.file_stem()?.to_str()?;
        self.corpus.position(id)
    }

    /// Reads document `i`'s file again after it changed on disk (`exists`: the path is there).
    pub fn reload_from_disk(&mut self, i: usize, exists: bool) {
        let doc = match self.corpus.doc(i) {
            Ok(d) => d,
            Err(e) => {
                self.notice(Level::Warning, e.to_string());
                return;
            }
        };
        let disk = match self.store.load(&self.annotator, &doc) {
            Ok(l) => l,
            Err(e) => {
                if self.docs[i].is_some() {
                    let m = format!(
                        "{}: the file changed on disk and cannot be read ({e}); your version stays.",
                        doc.id
                    );
                    self.notice(Level::Warning, m);
                }
                return;
            }
        };
        let Some(d) = self.docs[i].as_mut() else {
            // Not open: the list shows the new state; it is read when opened.
            self.summaries[i] = disk.as_ref().map(|l| Summary::of_file(&l.file));
            self.precomputed[i] = None;
            return;
        };
        if disk.is_none() && exists {
            return; // read half-way through a write; the next event brings it
        }
        let message = match d.reload(disk) {
            Reload::Unchanged => return,
            Reload::Conflict => {
                "this document's file changed on disk while you had unsaved edits: keep yours or take the disk version."
            }
            Reload::Removed => {
                "the file was removed on disk; your version is kept and will be saved again."
            }
            Reload::Reloaded => "reloaded: the file changed on disk (e.g. a git pull).",
            Reload::Fixed(n) => {
                let m = format!(
                    "the file was fixed on disk and is read again; the {n} span changes you made meanwhile are applied and saved."
                );
                self.notice(Level::Info, format!("{}: {m}", doc.id));
                if i == self.current {
                    self.clamp_selection();
                }
                return;
            }
        };
        self.notice(Level::Info, format!("{}: {message}", doc.id));
        if i == self.current {
            self.clamp_selection();
        }
    }

    /// Resolves the open document's conflict: keep the version in memory (the disk version
    /// is kept in `annotations/<annotator>/.conflicts/`) or take the disk version (undoable).
    pub fn resolve_conflict(&mut self, keep_mine: bool) {
        let i = self.current;
        let id = self.corpus.id(i).to_owned();
        let folder = self.store.root.join(&self.annotator);
        let Some(Some(d)) = self.docs.get_mut(i) else {
            return;
        };
        if keep_mine {
            match d.keep_mine(&folder) {
                Ok(Some(backup)) => {
                    let m = format!(
                        "{id}: kept your version; the disk version is in {}.",
                        backup.display()
                    );
                    self.notice(Level::Info, m);
                }
                Ok(None) => {}
                Err(e) => self.notice(
                    Level::Error,
                    format!("{id}: could not keep the disk version aside ({e}); nothing was overwritten."),
                ),
            }
        } else if d.take_disk_version(self.selected) {
            self.selected = None;
            self.notice(
                Level::Info,
                format!("{id}: took the disk version; Ctrl+Z brings yours back."),
            );
        }
        self.generation += 1;
    }

    /// Adds what the memory file on disk holds that this session does not know (a merge:
    /// nothing learned here is lost).
    fn merge_memory_from_disk(&mut self) -> bool {
        let Ok(disk) = Memory::load(&self.store.root, &self.annotator) else {
            return false;
        };
        let mut changed = false;
        // Whatever this session knows that the disk does not is saved back.
        self.memory_dirty |= self
            .memory
            .accepted
            .iter()
            .any(|(t, l)| disk.accepted.get(t) != Some(l));
        for (t, l) in &disk.accepted {
            if !self.memory.accepted.contains_key(t) && !self.memory.is_rejected(t, l) {
                changed |= self.memory.accept(t, l);
            }
        }
        for (t, labels) in &disk.rejected {
            for l in labels {
                if self.memory.accepted.get(t) != Some(l) {
                    changed |= self.memory.reject(t, l);
                }
            }
        }
        changed
    }
}
