//! Watching `annotations/` for changes made behind the app's back (a `git pull`, another
//! annotator's sync): the session reloads what it has no unsaved edits for and shows a
//! conflict for what it does.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

use eframe::egui;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use std::time::Instant;

use super::state::{DocState, Session, hash};
use crate::model::Action;
use crate::suggest::memory::Memory;

/// A running watch on a folder.
pub struct Watch {
    _watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    /// Woken when something changes, so that an idle window notices without polling.
    waker: Arc<Mutex<Option<egui::Context>>>,
}

impl Watch {
    /// Watches `root` and everything below it (creating it if needed).
    pub fn start(root: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(root)
            .map_err(|e| format!("{}: cannot create folder: {e}", root.display()))?;
        let (tx, rx) = channel();
        let waker: Arc<Mutex<Option<egui::Context>>> = Arc::default();
        let wake = waker.clone();
        let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
            // Only annotation files matter (not the temporary files of atomic writes).
            let relevant = ev.as_ref().is_ok_and(|e| {
                !matches!(e.kind, notify::EventKind::Access(_))
                    && e.paths
                        .iter()
                        .any(|p| p.extension().is_some_and(|x| x == "ron"))
            });
            let _ = tx.send(ev);
            if !relevant {
                return;
            }
            if let Ok(ctx) = wake.lock()
                && let Some(ctx) = ctx.as_ref()
            {
                ctx.request_repaint();
            }
        })
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        watcher
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        Ok(Self {
            _watcher: watcher,
            rx,
            waker,
        })
    }

    /// Repaints `ctx` when a change arrives.
    pub fn wake(&self, ctx: &egui::Context) {
        if let Ok(mut w) = self.waker.lock()
            && w.is_none()
        {
            *w = Some(ctx.clone());
        }
    }

    /// The `.ron` files created, changed, renamed into place or removed since the last call.
    pub fn changed(&self) -> BTreeSet<PathBuf> {
        let mut out = BTreeSet::new();
        for ev in self.rx.try_iter().flatten() {
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                continue;
            }
            for p in ev.paths {
                if p.extension().is_some_and(|e| e == "ron") {
                    out.insert(p);
                }
            }
        }
        out
    }
}

impl Session {
    /// Handles files changed under `annotations/` by someone else: documents without unsaved
    /// edits are reloaded, documents with unsaved edits get a conflict to resolve; the memory
    /// file is merged. Returns whether something changed.
    pub fn poll_watch(&mut self) -> bool {
        let Some(w) = &self.watch else { return false };
        let changed = w.changed();
        let mut any = false;
        for path in changed {
            let bytes = std::fs::read(&path).ok();
            if bytes.as_ref().map(|b| hash(b)) == self.written.get(&path).copied() {
                continue; // our own write
            }
            if path == Memory::path(&self.store.root, &self.annotator) {
                any |= self.merge_memory_from_disk();
                continue;
            }
            let Some(i) = self.doc_of_path(&path) else {
                continue;
            };
            any = true;
            self.reload_from_disk(i, bytes.is_some());
        }
        if any {
            self.list.generation += 1;
        }
        any
    }

    /// The corpus index of our annotator's file at `path`.
    pub(super) fn doc_of_path(&self, path: &std::path::Path) -> Option<usize> {
        let folder = self.store.root.join(&self.annotator);
        if path.parent() != Some(folder.as_path()) {
            return None;
        }
        let id = path.file_stem()?.to_str()?;
        self.corpus.position(id)
    }

    pub(super) fn reload_from_disk(&mut self, i: usize, exists: bool) {
        let doc = &self.corpus.docs[i];
        let disk = match self.store.load(&self.annotator, doc) {
            Ok(Some(l)) => Some(l),
            Ok(None) => None,
            Err(e) => {
                if let Some(d) = self.docs[i].as_mut() {
                    d.notice = Some(format!(
                        "The file changed on disk and cannot be read ({e}); your version stays."
                    ));
                }
                return;
            }
        };
        let Some(d) = self.docs[i].as_mut() else {
            // Not open: the list shows the new state; it is read when opened.
            self.summaries[i] = disk
                .as_ref()
                .map(|l| super::background::Summary::of_file(&l.file));
            self.precomputed[i] = None;
            return;
        };
        let Some(disk) = disk else {
            if exists {
                return;
            }
            d.notice = Some(
                "The file was removed on disk; your version is kept and will be saved again."
                    .into(),
            );
            d.saved_revision = d.saved_revision.wrapping_sub(1);
            d.base = Default::default();
            return;
        };
        if disk.file == d.file {
            d.base = disk.version;
            return;
        }
        if d.dirty() {
            d.base = disk.version;
            d.conflict = Some(disk.file);
            return;
        }
        let revision = d.history.revision + 1;
        *d = DocState {
            base: disk.version,
            ..DocState::loaded(
                disk.file,
                Some("Reloaded: the file changed on disk (e.g. a git pull).".into()),
            )
        };
        d.history.revision = revision;
        d.saved_revision = revision;
        if i == self.current {
            self.clamp_selection();
        }
    }

    /// Resolves the open document's conflict: keep the in-memory version (the disk version is
    /// kept in `annotations/<annotator>/.conflicts/`) or take the disk version (undoable).
    pub fn resolve_conflict(&mut self, keep_mine: bool) {
        let i = self.current;
        let Some(Some(d)) = self.docs.get_mut(i) else {
            return;
        };
        let Some(disk) = d.conflict.take() else {
            return;
        };
        if keep_mine {
            let stamp = crate::model::span::timestamp().replace(':', "-");
            let backup = self
                .store
                .root
                .join(&self.annotator)
                .join(".conflicts")
                .join(format!("{}.{stamp}.ron", disk.doc));
            let written = std::fs::create_dir_all(backup.parent().unwrap_or(&self.store.root))
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    crate::store::write_atomic(&backup, crate::store::to_ron(&disk).as_bytes())
                        .map_err(|e| e.to_string())
                });
            match written {
                Ok(()) => {
                    d.notice = Some(format!(
                        "Kept your version; the disk version is in {}.",
                        backup.display()
                    ));
                    // Saved over the disk version at the next save.
                    self.last_edit = Some(Instant::now());
                }
                Err(e) => {
                    d.notice = Some(format!(
                        "Could not keep the disk version aside ({e}); nothing was overwritten."
                    ));
                    d.conflict = Some(disk);
                }
            }
        } else {
            let mut actions: Vec<Action> =
                (0..d.file.spans.len()).rev().map(Action::Remove).collect();
            actions.extend(disk.spans.iter().cloned().map(Action::Insert));
            actions.push(Action::SetStatus(disk.status));
            d.history.apply(&mut d.file, Action::Batch(actions));
            d.saved_revision = d.history.revision;
            d.notice = Some("Took the disk version; Ctrl+Z brings yours back.".into());
            self.selected = None;
        }
        self.list.generation += 1;
    }

    /// Adds what the memory file on disk holds that this session does not know (a merge:
    /// nothing learned here is lost).
    pub(super) fn merge_memory_from_disk(&mut self) -> bool {
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
