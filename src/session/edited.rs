//! One document's annotation file as a session edits it — the file, its undo history, the
//! revision on disk, why it may not be written, a version on disk waiting for a decision.
//! Annotation and review (the gold file) both edit through [`EditedFile::commit`], the one
//! commit path: an edit journal or autosave timing hangs here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::journal::Journal;
use super::lessons::Lesson;
use crate::error::StoreError;
use crate::model::span::DocStatus;
use crate::model::{Action, AnnotationFile, History, Span};
use crate::store::{Loaded, ReanchorReport, Store, Version};

/// What an undo step keeps besides the change to the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mark {
    /// The selection before the step (restored by undo), or after it (restored by redo).
    pub selection: Option<usize>,
    /// What the step taught the suggester, taken back by undo.
    pub lessons: Vec<Lesson>,
}

/// A file under edit.
#[derive(Debug, Clone)]
pub struct EditedFile {
    /// The annotations as they stand in memory.
    pub file: AnnotationFile,
    /// Undo/redo, each step with its [`Mark`].
    pub history: History<Mark>,
    /// The revision last written to disk (or read from it).
    pub saved_revision: u64,
    /// Why the file on disk could not be read. Such a file is never written, so it is not
    /// overwritten.
    pub load_error: Option<String>,
    /// The file changed on disk while this one had unsaved edits: the disk version, until
    /// the analyst keeps theirs or takes it. Nothing is written meanwhile.
    pub conflict: Option<AnnotationFile>,
    /// When the last edit was made (autosave waits for a pause after it).
    pub edited_at: Option<Instant>,
    /// When the first edit not yet saved was made (autosave waits no longer than a limit
    /// after it, whatever the rhythm of the edits).
    pub unsaved_since: Option<Instant>,
    /// The annotator's edit journal: every change is appended to it (see [`Journal`]).
    pub journal: Option<Arc<Mutex<Journal>>>,
    /// The file as it was when a file on disk could not be read (what edits made meanwhile
    /// are measured against when the file is fixed: see [`EditedFile::reload`]).
    pub broken_base: Option<AnnotationFile>,
    /// What the file on disk held when it was read or last written: a save writes only over
    /// that, else it is refused ([`StoreError::Conflict`]) and the disk version becomes a
    /// conflict — another window or command never loses its work to this one.
    pub base: Version,
    /// Spans that moved or lost their place because the article changed since the file was
    /// written, until the analyst confirms them (see `Session::confirm_reanchored`).
    pub reanchored: Option<ReanchorReport>,
}

/// What [`EditedFile::reload`] did with a version read from disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Disk and memory hold the same.
    Unchanged,
    /// No unsaved edits here: the disk version replaced the file.
    Reloaded,
    /// Unsaved edits here: the disk version waits in [`EditedFile::conflict`].
    Conflict,
    /// The file was removed on disk: this version is written again at the next save.
    Removed,
    /// The file could not be read before and now can: the edits made meanwhile were applied
    /// to it (this many spans changed), to be saved.
    Fixed(usize),
}

impl EditedFile {
    /// A file as read from disk (or made fresh from suggestions, not written until edited).
    pub fn loaded(file: AnnotationFile) -> Self {
        Self {
            file,
            history: History::default(),
            saved_revision: 0,
            load_error: None,
            conflict: None,
            edited_at: None,
            unsaved_since: None,
            journal: None,
            broken_base: None,
            base: Version::default(),
            reanchored: None,
        }
    }

    /// A file as [`Store::load`] read it (the version read is the base of the next save).
    pub fn read(loaded: Loaded) -> Self {
        Self {
            base: loaded.version,
            reanchored: loaded
                .reanchor
                .filter(|r| !r.moved.is_empty() || !r.lost.is_empty()),
            ..Self::loaded(loaded.file)
        }
    }

    /// A new file to be written without waiting for an edit (a gold file started from what
    /// the annotators agree on).
    pub fn unsaved(file: AnnotationFile) -> Self {
        Self {
            saved_revision: u64::MAX,
            ..Self::loaded(file)
        }
    }

    /// Stands in for a file on disk that could not be read: edits are possible, writes are not.
    pub fn unreadable(file: AnnotationFile, error: String) -> Self {
        Self {
            load_error: Some(error),
            broken_base: Some(file.clone()),
            ..Self::loaded(file)
        }
    }

    /// Records a change: the autosave clocks, and the journal.
    fn touched(&mut self) {
        let now = Instant::now();
        self.edited_at = Some(now);
        if self.history.revision != self.saved_revision {
            self.unsaved_since.get_or_insert(now);
        }
        if let Some(j) = &self.journal
            && let Ok(mut j) = j.lock()
            && let Err(e) = j.append(&self.file, self.broken_base.as_ref())
        {
            j.error = Some(e.to_string());
        }
    }

    /// Edits not yet on disk (whether or not they may be written)?
    pub fn has_unsaved(&self) -> bool {
        self.history.revision != self.saved_revision
    }

    /// Edits made here and not yet on disk: what the journal must keep.
    pub fn journaled(&self) -> bool {
        self.has_unsaved() && !self.history.is_pristine()
    }

    /// Unsaved edits (that may be written)?
    pub fn dirty(&self) -> bool {
        self.history.revision != self.saved_revision && self.load_error.is_none()
    }

    /// The spans.
    pub fn spans(&self) -> &[Span] {
        &self.file.spans
    }

    /// Applies `action` as one undo step, remembering `selection` for undo. A document not
    /// started yet is in progress from its first edit (in the same step). False when nothing
    /// changed.
    pub fn commit(&mut self, action: Action, selection: Option<usize>) -> bool {
        if action.is_noop() {
            return false; // an edit that changes nothing does not start the document either
        }
        let action = if self.file.status == DocStatus::NotStarted {
            Action::Batch(vec![action, Action::SetStatus(DocStatus::InProgress)])
        } else {
            action
        };
        self.record(action, selection)
    }

    /// Applies `action` as one undo step as it is.
    fn record(&mut self, action: Action, selection: Option<usize>) -> bool {
        let mark = Mark {
            selection,
            lessons: Vec::new(),
        };
        let changed = self.history.apply(&mut self.file, action, mark);
        if changed {
            self.touched();
        }
        changed
    }

    /// Applies `action` as part of the last step (suggestions an accept taught), so that one
    /// undo takes both back.
    pub fn amend(&mut self, action: Action) -> bool {
        let changed = self
            .history
            .amend_or(&mut self.file, action, Mark::default());
        if changed {
            self.touched();
        }
        changed
    }

    /// Records that the last step taught the suggester `lesson` (undo takes it back).
    pub fn note_lesson(&mut self, lesson: Lesson) {
        if let Some(m) = self.history.last_mark_mut() {
            m.lessons.push(lesson);
        }
    }

    /// Adds suggestions made after the file was opened (entities once the segmenter is ready,
    /// strings learned elsewhere). A file without edits takes them as part of what was loaded
    /// (no undo step, nothing to save); a file with edits gets them as one undo step.
    pub fn suggest_more(&mut self, spans: Vec<Span>) {
        self.suggest_instead(Vec::new(), spans);
    }

    /// [`Edited::suggest_more`], also putting new suggestions in the place of pending ones
    /// (`instead`: the index of a span with status suggested and the span to put there).
    pub fn suggest_instead(&mut self, instead: Vec<(usize, Span)>, spans: Vec<Span>) {
        if spans.is_empty() && instead.is_empty() {
            return;
        }
        if self.history.is_pristine() {
            let clean = !self.dirty();
            for (k, span) in instead {
                if let Some(old) = self.file.spans.get_mut(k) {
                    *old = span;
                }
            }
            self.file.spans.extend(spans);
            self.file.sort();
            // Not an edit, but the layout changed: the revision drives the view's cache.
            self.history.revision += 1;
            if clean {
                self.saved_revision = self.history.revision;
            }
        } else {
            // Replacements first: their indices are those of the file before the inserts.
            let replace = instead.into_iter().map(|(k, s)| Action::Replace(k, s));
            let action = Action::Batch(
                replace
                    .chain(spans.into_iter().map(Action::Insert))
                    .collect(),
            );
            if self.history.apply(&mut self.file, action, Mark::default()) {
                self.touched();
            }
        }
    }

    /// Undoes the last step: `selection` gets back what it was before the step. Returns what
    /// the step taught (to be taken back), or `None` when there was nothing to undo.
    pub fn undo(&mut self, selection: &mut Option<usize>) -> Option<Vec<Lesson>> {
        self.step(selection, true)
    }

    /// Redoes the last undone step; like [`EditedFile::undo`], returning what to teach again.
    pub fn redo(&mut self, selection: &mut Option<usize>) -> Option<Vec<Lesson>> {
        self.step(selection, false)
    }

    fn step(&mut self, selection: &mut Option<usize>, undo: bool) -> Option<Vec<Lesson>> {
        let mut lessons = None;
        let swap = |m: Mark| {
            lessons = Some(m.lessons.clone());
            let now = std::mem::replace(selection, m.selection);
            Mark {
                selection: now,
                lessons: m.lessons,
            }
        };
        let done = if undo {
            self.history.undo(&mut self.file, swap)
        } else {
            self.history.redo(&mut self.file, swap)
        };
        if done {
            self.touched();
        }
        lessons
    }

    /// Writes the file when it has unsaved edits and no conflict waits, if the file on disk
    /// is still the one read ([`EditedFile::base`]; else [`StoreError::Conflict`], nothing
    /// written: read it again with [`EditedFile::reload`]); returns the path and what was
    /// written (so the session can tell its own writes from others').
    pub fn save(&mut self, store: &Store) -> Result<Option<(PathBuf, String)>, StoreError> {
        if !self.dirty() || self.conflict.is_some() {
            return Ok(None);
        }
        // A new file with nothing in it and no edit (a gold file of a document only visited)
        // is not written.
        if self.saved_revision == u64::MAX
            && self.history.is_pristine()
            && self.file.spans.is_empty()
        {
            return Ok(None);
        }
        let saved = store.save(&self.file, &self.base)?;
        self.base = saved.version;
        self.saved_revision = self.history.revision;
        self.unsaved_since = None;
        Ok(Some((saved.path, crate::store::to_ron(&self.file))))
    }

    /// Takes a version read from disk after the file changed there: reloaded when nothing here
    /// is unsaved, else kept as a conflict. `disk` is `None` when the file is gone.
    pub fn reload(&mut self, disk: Option<Loaded>) -> Reload {
        if self.load_error.is_some() {
            return self.merge_fixed(disk);
        }
        let Some(disk) = disk else {
            // Written again at the next save: nothing is lost.
            self.saved_revision = self.saved_revision.wrapping_sub(1);
            self.base = Version::default();
            return Reload::Removed;
        };
        // Whatever happens next, a save goes over what is on disk now.
        self.base = disk.version;
        let reanchored = disk.reanchor;
        let disk = disk.file;
        if disk == self.file {
            return Reload::Unchanged;
        }
        if self.dirty() {
            self.conflict = Some(disk);
            return Reload::Conflict;
        }
        // A new history (the old steps belong to the old file); a new revision for the caches.
        let revision = self.history.revision + 1;
        let base = std::mem::take(&mut self.base);
        let journal = self.journal.take();
        *self = Self::loaded(disk);
        self.base = base;
        self.journal = journal;
        self.reanchored = reanchored.filter(|r| !r.moved.is_empty() || !r.lost.is_empty());
        self.history.revision = revision;
        self.saved_revision = revision;
        Reload::Reloaded
    }

    /// The file on disk could not be read and now can (`None`: it was removed): the edits
    /// made here meanwhile — spans changed, added or removed since [`EditedFile::broken_base`], a
    /// new status — are applied to it as one undo step, to be saved.
    fn merge_fixed(&mut self, disk: Option<Loaded>) -> Reload {
        self.load_error = None;
        let base = self.broken_base.take().unwrap_or_else(|| self.file.clone());
        let Some(disk) = disk else {
            self.saved_revision = self.saved_revision.wrapping_sub(1);
            self.base = Version::default();
            return Reload::Removed;
        };
        let (merged, changed) = merge_edits(&base, &self.file, &disk.file);
        let journal = self.journal.take();
        let revision = self.history.revision + 1;
        *self = Self::read(disk);
        self.journal = journal;
        self.history.revision = revision;
        self.saved_revision = revision;
        let action = replace_with(&self.file, &merged);
        if merged != self.file {
            self.record(action, None);
        }
        Reload::Fixed(changed)
    }

    /// Resolves a conflict by taking the disk version, as one undo step (undo brings the
    /// edits back). False when there is no conflict.
    pub fn take_disk_version(&mut self, selection: Option<usize>) -> bool {
        let Some(disk) = self.conflict.take() else {
            return false;
        };
        let action = replace_with(&self.file, &disk);
        self.record(action, selection);
        // What is in memory now is what is on disk.
        self.saved_revision = self.history.revision;
        self.unsaved_since = None;
        true
    }

    /// Resolves a conflict by keeping this version: the disk version is written to
    /// `<folder>/.conflicts/<doc>.<time>.ron` beside the file, and this one is written over it
    /// at the next save. On error the conflict stays and nothing is overwritten. `None` when
    /// there is no conflict.
    pub fn keep_mine(&mut self, folder: &Path) -> Result<Option<PathBuf>, StoreError> {
        let Some(disk) = self.conflict.take() else {
            return Ok(None);
        };
        let stamp = crate::model::span::timestamp().replace(':', "-");
        let backup = folder
            .join(".conflicts")
            .join(format!("{}.{stamp}.ron", disk.doc));
        match crate::store::write_atomic(&backup, crate::store::to_ron(&disk).as_bytes()) {
            Ok(()) => {
                // Saved over the disk version at the next save.
                self.saved_revision = self.saved_revision.wrapping_sub(1);
                self.touched();
                Ok(Some(backup))
            }
            Err(e) => {
                self.conflict = Some(disk);
                Err(e)
            }
        }
    }
}

/// The edits that turned `base` into `mine`, made on `theirs`: spans `mine` changed, added or
/// removed replace (or remove) the spans of `theirs` at the same place with the same label,
/// and a status set in `mine` wins (except the "in progress" every first edit sets). Returns
/// the result and how many spans the edits touched.
pub fn merge_edits(
    base: &AnnotationFile,
    mine: &AnnotationFile,
    theirs: &AnnotationFile,
) -> (AnnotationFile, usize) {
    let key = |s: &Span| (s.start, s.end, s.label.clone());
    let gone: Vec<&Span> = base
        .spans
        .iter()
        .filter(|s| !mine.spans.contains(s))
        .collect();
    let new: Vec<&Span> = mine
        .spans
        .iter()
        .filter(|s| !base.spans.contains(s))
        .collect();
    let mut merged = theirs.clone();
    let replaced: Vec<_> = gone.iter().chain(&new).map(|s| key(s)).collect();
    merged.spans.retain(|d| !replaced.contains(&key(d)));
    merged.spans.extend(new.iter().map(|s| (*s).clone()));
    merged.sort();
    let started = mine.status == DocStatus::InProgress && theirs.status != DocStatus::NotStarted;
    if mine.status != base.status && !started {
        merged.status = mine.status;
    }
    (merged, gone.len() + new.len())
}

/// The action that turns `file` into `other` (spans and status): remove every span, insert
/// the other's.
pub fn replace_with(file: &AnnotationFile, other: &AnnotationFile) -> Action {
    let mut actions: Vec<Action> = (0..file.spans.len()).rev().map(Action::Remove).collect();
    actions.extend(other.spans.iter().cloned().map(Action::Insert));
    actions.push(Action::SetStatus(other.status));
    Action::Batch(actions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Status;

    const TEXT: &str = "完成投资5.3亿元,带动贫困人口21万人";

    fn fresh() -> EditedFile {
        let mut f = AnnotationFile::new("d", "fp", "a");
        f.spans
            .push(Span::suggestion(TEXT, 4, 9, "MONEY", "money", None).unwrap());
        EditedFile::loaded(f)
    }

    #[test]
    fn the_first_edit_starts_the_document_in_the_same_step() {
        let mut d = fresh();
        assert!(
            !d.commit(Action::Batch(Vec::new()), None),
            "nothing to commit"
        );
        assert_eq!((d.file.status, d.dirty()), (DocStatus::NotStarted, false));
        let mut s = d.file.spans[0].clone();
        s.accept("a");
        assert!(d.commit(Action::Replace(0, s), Some(0)));
        assert_eq!((d.file.status, d.dirty()), (DocStatus::InProgress, true));
        let mut sel = Some(7);
        assert!(d.undo(&mut sel).is_some());
        assert_eq!(sel, Some(0), "the selection before the step");
        assert_eq!(d.file, fresh().file);
    }

    #[test]
    fn suggestions_arriving_late_are_no_edit_until_the_file_is_edited() {
        let mut d = fresh();
        let late = || Span::suggestion(TEXT, 16, 20, "COUNT", "count", None).unwrap();
        d.suggest_more(vec![late()]);
        assert_eq!((d.file.spans.len(), d.dirty()), (2, false));
        assert!(!d.history.can_undo());
        let mut s = d.file.spans[0].clone();
        s.reject("a");
        d.commit(Action::Replace(0, s), None);
        d.suggest_more(vec![
            Span::suggestion(TEXT, 0, 2, "LOC", "x", None).unwrap(),
        ]);
        assert_eq!(
            d.history.depth(),
            2,
            "after an edit they are a step of their own"
        );
        assert_eq!(d.file.spans[0].status, Status::Suggested);
    }
}
