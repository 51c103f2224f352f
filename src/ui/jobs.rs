//! Work on named threads, one type for all of it — corpus suggestions, the consistency check,
//! statistics, exports: results come back through a channel, progress through counters, and
//! a job dropped is a job cancelled. The window never waits for one.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use std::path::PathBuf;

use eframe::egui;

use super::notifications::Notifications;
use super::view::View;
use crate::consistency::Group;
use crate::session::background::{Done, suggest_corpus};
use crate::session::{Level, Session};
use crate::stats::Stats;

/// Counters shared between a job and the window.
#[derive(Debug, Default)]
struct Shared {
    done: AtomicUsize,
    cancel: AtomicBool,
}

/// A running (or finished) job producing `T`s.
pub struct Job<T> {
    rx: Receiver<T>,
    shared: Arc<Shared>,
    total: usize,
    ended: bool,
}

/// The job's side: where results and progress go.
pub struct Sink<T> {
    tx: Sender<T>,
    shared: Arc<Shared>,
    ctx: Option<egui::Context>,
}

impl<T> Clone for Sink<T> {
    fn clone(&self) -> Self {
        Self {
            tx: self.tx.clone(),
            shared: self.shared.clone(),
            ctx: self.ctx.clone(),
        }
    }
}

impl<T: Send + 'static> Sink<T> {
    /// Hands a result to the window.
    pub fn send(&self, t: T) {
        let _ = self.tx.send(t);
    }

    /// Hands a result to the window and wakes it (for results the analyst waits for).
    pub fn send_now(&self, t: T) {
        self.send(t);
        self.wake();
    }

    /// Asks for a frame, so the window shows progress.
    pub fn wake(&self) {
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }

    /// Sets how much is done (out of the job's total).
    pub fn progress(&self, done: usize) {
        self.shared.done.store(done, Ordering::Relaxed);
    }

    /// One more unit done.
    pub fn step(&self) {
        self.shared.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the window dropped the job.
    pub fn cancelled(&self) -> bool {
        self.shared.cancel.load(Ordering::Relaxed)
    }
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name`; `total` is what progress counts up to, `ctx`
    /// the window to wake.
    pub fn spawn(
        name: &str,
        total: usize,
        ctx: Option<&egui::Context>,
        work: impl FnOnce(Sink<T>) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = channel();
        let shared = Arc::new(Shared::default());
        let sink = Sink {
            tx,
            shared: shared.clone(),
            ctx: ctx.cloned(),
        };
        std::thread::Builder::new()
            .name(format!("biaozhu-{name}"))
            .spawn(move || work(sink))?;
        Ok(Self {
            rx,
            shared,
            total,
            ended: false,
        })
    }

    /// The results that arrived since the last call.
    pub fn poll(&mut self) -> Vec<T> {
        let mut out = Vec::new();
        loop {
            match self.rx.try_recv() {
                Ok(t) => out.push(t),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.ended = true;
                    break;
                }
            }
        }
        out
    }

    /// Still working (or results not yet taken)?
    pub fn running(&self) -> bool {
        !self.ended
    }

    /// (done, total).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.shared.done.load(Ordering::Relaxed).min(self.total),
            self.total,
        )
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
    }
}

/// What an export wrote, or why it failed.
type ExportResult = Result<crate::export::Summary, String>;

/// The app's jobs: at most one of each kind at a time.
#[derive(Default)]
pub struct Jobs {
    /// Suggestions for the whole corpus.
    pub suggestions: Option<Job<Done>>,
    /// The consistency check.
    pub consistency: Option<Job<Vec<Group>>>,
    /// Statistics.
    pub stats: Option<Job<Stats>>,
    /// An export, and where it writes.
    pub export: Option<(Job<ExportResult>, PathBuf)>,
    /// (documents suggested and taken by the session, documents in all).
    pub suggested: (usize, usize),
}

impl Jobs {
    /// Starts suggesting the corpus from the open document on.
    pub fn start_suggestions(&mut self, s: &Session) {
        let (corpus, store) = (s.corpus.clone(), s.store.clone());
        let annotator = s.annotator.clone();
        let memory = Arc::new(s.memory.clone());
        let first = s.current;
        let total = corpus.len();
        self.suggestions = Job::spawn("suggest", total, None, move |sink: Sink<Done>| {
            let send = |d: Done| {
                sink.send(d);
                sink.step();
            };
            let cancelled = || sink.cancelled();
            suggest_corpus(
                &corpus, &store, &annotator, memory, first, &send, &cancelled,
            );
        })
        .ok();
        // Without a thread, documents are suggested when opened (and no progress is shown).
        self.suggested = (0, if self.suggestions.is_some() { total } else { 0 });
    }

    /// Starts the consistency check (a running one is dropped: its result would be stale).
    pub fn start_consistency(&mut self, s: &Session, ctx: &egui::Context) {
        let check = s.consistency_check();
        self.consistency = Job::spawn("consistency", 1, Some(ctx), move |sink| {
            sink.send_now(check());
        })
        .ok();
    }

    /// Saves the session's edits, then computes the statistics.
    pub fn start_stats(&mut self, s: &mut Session, ctx: &egui::Context) {
        s.save_all();
        let (corpus, store) = (s.corpus.clone(), s.store.clone());
        self.stats = Job::spawn("stats", 1, Some(ctx), move |sink| {
            sink.send_now(crate::stats::compute(&corpus, &store, &[]));
        })
        .ok();
    }

    /// Saves the session's edits, then exports the annotator's accepted and added spans to
    /// `out` in `format`.
    pub fn start_export(
        &mut self,
        s: &mut Session,
        format: crate::export::Format,
        out: PathBuf,
        ctx: &egui::Context,
    ) -> Result<(), String> {
        if self.export.is_some() {
            return Err("An export is already running.".into());
        }
        s.save_all();
        let (corpus, store, schema) = (s.corpus.clone(), s.store.clone(), s.schema.clone());
        let opts = crate::export::Options {
            annotator: s.annotator.clone(),
            ..Default::default()
        };
        let path = out.clone();
        let job = Job::spawn("export", corpus.len(), Some(ctx), move |sink| {
            let progress = |n: usize| {
                sink.progress(n);
                sink.wake();
            };
            let r = crate::export::run(&corpus, &store, &schema, &opts, format, &path, &progress)
                .map_err(|e| e.to_string());
            sink.send_now(r);
        })
        .map_err(|e| format!("Cannot start the export: {e}"))?;
        self.export = Some((job, out));
        Ok(())
    }

    /// Hands finished work to the session and the panels; returns whether any job runs.
    pub fn poll(&mut self, s: &mut Session, view: &mut View, notes: &mut Notifications) -> bool {
        if let Some(job) = self.suggestions.as_mut() {
            let got = job.poll();
            self.suggested.0 += got.len();
            s.receive(got);
            if !job.running() {
                self.suggestions = None;
            }
        }
        if let Some(job) = self.consistency.as_mut() {
            if let Some(groups) = job.poll().pop() {
                s.consistency = Some(groups);
            }
            if !job.running() {
                self.consistency = None;
            }
        }
        if let Some(job) = self.stats.as_mut() {
            if let Some(st) = job.poll().pop() {
                view.stats = Some(st);
            }
            if !job.running() {
                self.stats = None;
            }
        }
        if let Some((job, out)) = self.export.as_mut() {
            match job.poll().pop() {
                Some(Ok(sum)) => {
                    let mut m = format!(
                        "Exported {} documents, {} spans to {}.",
                        sum.documents,
                        sum.spans,
                        out.display()
                    );
                    if !sum.problems.is_empty() {
                        m.push_str(&format!(" Left out: {}", sum.problems.join("; ")));
                    }
                    notes.push(Level::Info, m);
                }
                Some(Err(e)) => notes.push(Level::Error, format!("Export failed: {e}")),
                None if !job.running() => {
                    notes.push(Level::Error, "Export failed: the export thread stopped.")
                }
                None => {}
            }
            if !job.running() {
                self.export = None;
            }
        }
        self.suggestions.is_some()
            || self.consistency.is_some()
            || self.stats.is_some()
            || self.export.is_some()
    }

    /// Export progress, while one runs.
    pub fn export_progress(&self) -> Option<f32> {
        self.export.as_ref().map(|(j, _)| {
            let (done, total) = j.progress();
            done as f32 / total.max(1) as f32
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_progress_and_cancel() {
        let mut job = Job::spawn("test", 3, None, |sink: Sink<u32>| {
            for i in 0..3 {
                sink.send(i);
                sink.step();
            }
        })
        .unwrap();
        let mut got = Vec::new();
        while job.running() {
            got.extend(job.poll());
            std::thread::yield_now();
        }
        assert_eq!(got, [0, 1, 2]);
        assert_eq!(job.progress(), (3, 3));
        let (tx, rx) = channel();
        let job = Job::spawn("cancel", 1, None, move |sink: Sink<()>| {
            while !sink.cancelled() {
                std::thread::yield_now();
            }
            let _ = tx.send(());
        })
        .unwrap();
        drop(job);
        assert!(rx.recv().is_ok(), "the thread saw the cancel");
    }
}
