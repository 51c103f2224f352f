//! Search across the corpus: titles are filtered in the document list from the index; this
//! window searches the articles' text on a thread, a batch of files at a time (never all in
//! memory), and shows hits as they stream in. A click opens the article at the hit.

use eframe::egui::{self, RichText};

use super::commands::Cx;
use super::jobs::{Job, Sink};
use crate::index::Hit;

/// Hits kept for the list; a search that finds more says so.
const MAX_HITS: usize = 2000;
/// Hits per article.
const PER_DOC: usize = 5;

/// The window's state: the query, the hits so far, the search running.
#[derive(Default)]
pub struct SearchState {
    /// What the analyst typed.
    pub query: String,
    /// What the hits are of (the query when the search started).
    searched: String,
    /// Hits so far, in the order they came.
    pub hits: Vec<Hit>,
    /// More hits were found than are kept.
    pub truncated: bool,
    /// The search under way.
    job: Option<Job<Vec<Hit>>>,
}

impl SearchState {
    /// Starts searching every article of the session's corpus for `query`.
    pub fn start(&mut self, cx: &Cx) {
        let needle = self.query.trim().to_owned();
        self.hits.clear();
        self.truncated = false;
        self.searched = needle.clone();
        self.job = None; // a running search is cancelled when dropped
        if needle.is_empty() {
            return;
        }
        let corpus = cx.s.corpus.clone();
        let total = corpus.len();
        self.job = Job::spawn(
            "search",
            total,
            Some(cx.ctx),
            move |sink: Sink<Vec<Hit>>| {
                crate::index::search(
                    corpus.files(),
                    &needle,
                    PER_DOC,
                    &|h| sink.send_now(h),
                    &|n| {
                        sink.progress(n);
                        sink.wake();
                    },
                    &|| sink.cancelled(),
                );
            },
        )
        .ok();
    }

    /// Takes the hits that arrived.
    fn poll(&mut self) {
        let Some(job) = self.job.as_mut() else {
            return;
        };
        for batch in job.poll() {
            let room = MAX_HITS.saturating_sub(self.hits.len());
            self.truncated |= batch.len() > room;
            self.hits.extend(batch.into_iter().take(room));
        }
        if !job.running() {
            self.job = None;
        }
    }

    /// (files searched, files in all) while a search runs.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.job.as_ref().map(Job::progress)
    }
}

/// Draws the window when open.
pub fn search_ui(ctx: &egui::Context, cx: &mut Cx, open: &mut bool) {
    let mut state = std::mem::take(&mut cx.view.corpus_search);
    state.poll();
    let mut go = None;
    egui::Window::new("Search")
        .open(open)
        .default_size([560.0, 420.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let label = ui.label("Text");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut state.query)
                            .hint_text("in any article…")
                            .desired_width(320.0),
                    )
                    .labelled_by(label.id);
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Search all articles").clicked() || entered {
                    state.start(cx);
                }
            });
            if let Some((done, total)) = state.progress() {
                ui.add(
                    egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                        .text(format!("{done} of {total} articles searched")),
                );
            }
            if !state.searched.is_empty() {
                let more = if state.truncated {
                    format!(" (the first {MAX_HITS} shown)")
                } else {
                    String::new()
                };
                ui.label(
                    RichText::new(format!(
                        "{} hits for “{}”{more}",
                        state.hits.len(),
                        state.searched
                    ))
                    .small(),
                );
            }
            let row = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show_rows(ui, row, state.hits.len(), |ui, range| {
                    for (k, h) in state.hits[range.clone()].iter().enumerate() {
                        let title: String = cx.s.corpus.title(h.doc).chars().take(14).collect();
                        let line: String = h.line.chars().take(48).collect();
                        let text = format!("{title} · {line}");
                        if ui
                            .selectable_label(false, text)
                            .on_hover_text(format!("{} at char {}", cx.s.corpus.id(h.doc), h.start))
                            .clicked()
                        {
                            go = Some(range.start + k);
                        }
                    }
                });
        });
    if let Some(k) = go {
        let h = &state.hits[k];
        let n = state.searched.chars().count();
        match cx.s.review.as_mut() {
            Some(r) => r.open(h.doc),
            None => {
                cx.s.open_doc(h.doc);
                cx.s.search_hit = Some(h.start..h.start + n);
                cx.s.scroll_to_selection = true;
            }
        }
        cx.view.search = state.searched.clone();
        cx.view.relayout();
    }
    cx.view.corpus_search = state;
}
