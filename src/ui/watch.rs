//! Watching `annotations/` for changes made behind the app's back (a `git pull`, another
//! annotator's sync): each changed `.ron` file goes to [`crate::session::Session::file_changed`],
//! which reloads what has no unsaved edits and keeps a conflict for what has.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

use eframe::egui;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

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
