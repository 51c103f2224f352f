//! The document list: virtualised rows (only the visible ones are laid out, so 10,000
//! documents cost what 30 do), sorted and filtered by status, progress, label counts and title.

use eframe::egui::{self, RichText};

use super::commands::Cx;
use crate::model::span::DocStatus;
use crate::session::{Session, Summary};

/// How the list is sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SortBy {
    /// File name (document id).
    #[default]
    Id,
    /// Title.
    Title,
    /// Not started, in progress, done.
    Status,
    /// Share of spans reviewed, lowest first.
    Progress,
    /// Most spans with this label first.
    Label(String),
}

impl SortBy {
    fn name(&self) -> String {
        match self {
            Self::Id => "file name".into(),
            Self::Title => "title".into(),
            Self::Status => "status".into(),
            Self::Progress => "progress".into(),
            Self::Label(l) => format!("most {l}"),
        }
    }
}

/// Which documents the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every document.
    #[default]
    All,
    /// Not done.
    Unfinished,
    /// Not started.
    NotStarted,
    /// In progress.
    InProgress,
    /// Done.
    Done,
}

impl Filter {
    fn name(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Unfinished => "unfinished",
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }

    fn keeps(self, s: DocStatus) -> bool {
        match self {
            Self::All => true,
            Self::Unfinished => s != DocStatus::Done,
            Self::NotStarted => s == DocStatus::NotStarted,
            Self::InProgress => s == DocStatus::InProgress,
            Self::Done => s == DocStatus::Done,
        }
    }
}

/// The list's settings and its cached order.
#[derive(Debug, Default)]
pub struct ListState {
    /// Sort order.
    pub sort: SortBy,
    /// Status filter.
    pub filter: Filter,
    /// Title search.
    pub search: String,
    cache: Option<(SortBy, Filter, String, u64, Vec<usize>)>,
    /// When the rows were last built: while background work changes summaries every frame,
    /// the list is rebuilt at most every [`REBUILD_EVERY`] (100,000 rows take milliseconds).
    built: Option<std::time::Instant>,
    /// The rows shown are older than the data (a rebuild is due).
    stale: bool,
}

/// How long the list may show rows older than the background work's latest results.
const REBUILD_EVERY: std::time::Duration = std::time::Duration::from_millis(300);

impl ListState {
    /// The documents to show, in order (cached until the settings or the data change).
    pub fn rows(&mut self, s: &Session) -> &[usize] {
        // What the rows show changes with the session's generation and with edits to open
        // documents (a sum of revisions: cheap).
        let generation: u64 = s
            .docs
            .iter()
            .flatten()
            .map(|d| d.history.revision.wrapping_add(1))
            .fold(s.generation, u64::wrapping_add);
        let settings_changed = self.cache.as_ref().is_none_or(|(so, f, q, _, _)| {
            *so != self.sort || *f != self.filter || *q != self.search
        });
        let changed = self
            .cache
            .as_ref()
            .is_some_and(|(_, _, _, g, _)| *g != generation);
        let data_changed = changed && self.built.is_none_or(|t| t.elapsed() >= REBUILD_EVERY);
        self.stale = changed && !data_changed && !settings_changed;
        if settings_changed || data_changed {
            self.built = Some(std::time::Instant::now());
            let q = self.search.trim().to_owned();
            // Summaries of the open documents (few); the rest are borrowed, not cloned.
            let open: std::collections::HashMap<usize, Summary> = s
                .docs
                .iter()
                .enumerate()
                .filter_map(|(i, d)| d.as_ref().map(|d| (i, Summary::of_file(&d.file))))
                .collect();
            let empty = Summary::default();
            let sum = |i: usize| -> &Summary {
                open.get(&i).or(s.summaries[i].as_ref()).unwrap_or(&empty)
            };
            // Titles come from the corpus index (the id until a document is indexed).
            let mut rows: Vec<usize> = if self.filter == Filter::All && q.is_empty() {
                // Every document: nothing to look up (100,000 rows in a fraction of a ms).
                (0..s.corpus.len()).collect()
            } else {
                s.corpus.with_titles(|title| {
                    (0..s.corpus.len())
                        .filter(|&i| {
                            self.filter.keeps(sum(i).status)
                                && (q.is_empty() || title(i).contains(q.as_str()))
                        })
                        .collect()
                })
            };
            match &self.sort {
                SortBy::Id => {}
                SortBy::Title => s
                    .corpus
                    .with_titles(|title| rows.sort_by(|&a, &b| title(a).cmp(title(b)))),
                SortBy::Status => rows.sort_by_key(|&i| sum(i).status),
                SortBy::Progress => rows.sort_by(|&a, &b| {
                    let p = |x: &Summary| x.reviewed as f64 / x.total.max(1) as f64;
                    p(sum(a)).total_cmp(&p(sum(b)))
                }),
                SortBy::Label(l) => rows.sort_by_key(|&i| {
                    std::cmp::Reverse(sum(i).labels.get(l).copied().unwrap_or(0))
                }),
            }
            self.cache = Some((
                self.sort.clone(),
                self.filter,
                self.search.clone(),
                generation,
                rows,
            ));
        }
        &self.cache.as_ref().expect("just filled").4
    }
}

/// The list panel.
pub fn documents_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let s = &mut *cx.s;
    let n = s.corpus.len();
    ui.heading("Documents");
    let list = &mut cx.view.list;
    ui.horizontal(|ui| {
        egui::ComboBox::new("doc-filter", "shown")
            .selected_text(list.filter.name())
            .show_ui(ui, |ui| {
                for f in [
                    Filter::All,
                    Filter::Unfinished,
                    Filter::NotStarted,
                    Filter::InProgress,
                    Filter::Done,
                ] {
                    ui.selectable_value(&mut list.filter, f, f.name());
                }
            });
        egui::ComboBox::new("doc-sort", "sorted")
            .selected_text(list.sort.name())
            .show_ui(ui, |ui| {
                let mut options = vec![SortBy::Id, SortBy::Title, SortBy::Status, SortBy::Progress];
                options.extend(
                    s.schema
                        .labels
                        .iter()
                        .map(|l| SortBy::Label(l.name.clone())),
                );
                for o in options {
                    let name = o.name();
                    ui.selectable_value(&mut list.sort, o, name);
                }
            });
    });
    let search = ui.add(
        egui::TextEdit::singleline(&mut list.search)
            .hint_text("title contains…")
            .desired_width(f32::INFINITY),
    );
    search.on_hover_text("Filter the list by title");
    let rows: Vec<usize> = list.rows(s).to_vec();
    if list.stale {
        ui.ctx().request_repaint_after(REBUILD_EVERY);
    }
    ui.label(
        RichText::new(format!("{} of {n} documents", rows.len()))
            .small()
            .weak(),
    );
    if s.indexing() {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(
                RichText::new(format!("reading titles: {} of {n}", s.corpus.indexed()))
                    .small()
                    .weak(),
            );
        });
    }
    let current = s.review.as_ref().map_or(s.current, |r| r.current);
    let mut open = None;
    let row_height = ui
        .spacing()
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Body))
        + 4.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let full_title = s.corpus.title(i);
                // A file the index could not read is marked like an unreadable annotation.
                let unreadable = s.corpus.entry(i).and_then(|e| e.error);
                let sum = s.summary(i);
                let mark = match (sum.error || unreadable.is_some(), sum.status) {
                    (true, _) => "⚠",
                    (_, DocStatus::Done) => "✔",
                    (_, DocStatus::InProgress) => "◐",
                    (_, DocStatus::NotStarted) => "○",
                };
                let progress = if sum.total == 0 && !s.known(i) {
                    "…".to_owned()
                } else {
                    format!("{}/{}", sum.reviewed, sum.total)
                };
                let mut title: String = full_title.chars().take(16).collect();
                if full_title.chars().count() > 16 {
                    title.push('…');
                }
                let text = format!("{mark} {title}  {progress}");
                let hover = match &unreadable {
                    Some(e) => e.clone(),
                    None => format!("{} · {}", s.corpus.id(i), sum.status.name()),
                };
                if ui
                    .selectable_label(i == current, text)
                    .on_hover_text(hover)
                    .clicked()
                {
                    open = Some(i);
                }
            }
        });
    if let Some(i) = open {
        match s.review.as_mut() {
            Some(r) => r.open(i),
            None => s.open_doc(i),
        }
    }
}
