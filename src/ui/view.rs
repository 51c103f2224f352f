//! Widgets: top bar, document list, legend, article and inspector. Panels read the session
//! and call its commands; keys are handled once per frame.

use std::path::PathBuf;

use eframe::egui::{self, Color32, Key, RichText};

use super::article::{ArticleKey, article_ui};
use super::commands::handle_keys;
use super::inspector::{EditBuffers, inspector_ui};
use super::state::Session;

/// The app: a session, or the screen that asks for the annotator's name.
pub struct BiaozhuApp {
    corpus: PathBuf,
    annotations: PathBuf,
    /// The running session once the annotator is known.
    pub session: Option<Session>,
    /// Name being typed on the first screen.
    name_input: String,
    /// Problem opening the corpus.
    pub error: Option<String>,
    /// The article's laid-out text and what it was built from: rebuilt only when that changes.
    article_cache: Option<(ArticleKey, std::sync::Arc<egui::Galley>)>,
    /// Inspector edit buffers and the span they belong to.
    edit: EditBuffers,
    /// Folder typed in the "Open corpus" field.
    open_path: String,
    /// Corpora opened before, newest first.
    pub recent: Vec<PathBuf>,
    /// Message about opening a corpus (no native dialog, bad folder).
    open_message: Option<String>,
    /// Whether a CJK font was found (checked once).
    cjk_font: Option<bool>,
    /// Focus the search field on the next frame.
    focus_search: bool,
    /// A font file the user chose for Chinese text, remembered.
    pub font_file: Option<PathBuf>,
    /// File (or folder, for brat) typed in the Export menu.
    export_path: String,
    /// An export running in the background.
    export_job: Option<ExportJob>,
    /// A message from the consistency panel (a group decision not fully undone).
    consistency_message: Option<String>,
    /// The statistics panel.
    pub stats: super::stats::StatsPanel,
    /// The Statistics button was clicked.
    stats_request: bool,
}

/// An export on its own thread: documents read so far, and its result when done.
struct ExportJob {
    total: usize,
    done: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    rx: std::sync::mpsc::Receiver<Result<crate::export::Summary, String>>,
    out: PathBuf,
}

/// What the Export menu asked for: a format, and a path (or `None`: ask with a dialog).
type ExportRequest = (crate::export::Format, Option<PathBuf>);

/// Adds a user-chosen font file as the first font for all text.
pub fn load_font_file(ctx: &egui::Context, path: &std::path::Path) -> Result<(), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("Cannot read the font file {}: {e}", path.display()))?;
    let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
        .into_iter()
        .map(|family| egui::epaint::text::InsertFontFamily {
            family,
            priority: egui::epaint::text::FontPriority::Highest,
        })
        .collect();
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "user_font",
        egui::FontData::from_owned(bytes),
        families,
    ));
    Ok(())
}

impl BiaozhuApp {
    /// An app on `corpus`; asks for the annotator's name when `annotator` is `None`.
    pub fn new(corpus: PathBuf, annotations: PathBuf, annotator: Option<String>) -> Self {
        let mut app = Self {
            corpus,
            annotations,
            session: None,
            name_input: String::new(),
            error: None,
            article_cache: None,
            edit: EditBuffers::default(),
            open_path: String::new(),
            recent: Vec::new(),
            open_message: None,
            cjk_font: None,
            focus_search: false,
            font_file: None,
            export_path: String::new(),
            export_job: None,
            consistency_message: None,
            stats: Default::default(),
            stats_request: false,
        };
        // The segmenter's dictionary loads on its own thread; entity suggestions join the
        // open document when it is ready.
        crate::suggest::entities::warm_up();
        if let Some(name) = annotator {
            app.start(name);
        }
        app
    }

    fn start(&mut self, name: String) {
        if let Err(e) = crate::store::check_annotator(&name) {
            self.error = Some(e.to_string());
            return;
        }
        match Session::open(self.corpus.clone(), self.annotations.clone(), name) {
            Ok(s) => {
                self.session = Some(s);
                self.error = None;
                self.article_cache = None;
                self.recent.retain(|p| *p != self.corpus);
                self.recent.insert(0, self.corpus.clone());
                self.recent.truncate(8);
            }
            Err(e) => {
                self.error = Some(format!(
                    "Cannot open the corpus {}: {e}",
                    self.corpus.display()
                ))
            }
        }
    }

    /// Draws one frame (used by eframe and by tests).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let Some(session) = self.session.as_mut() else {
            self.name_ui(ui);
            return;
        };
        if session.review.is_some() {
            super::review::handle_review_keys(ui.ctx(), session);
        } else if handle_keys(ui.ctx(), session) {
            self.focus_search = true;
        }
        if crate::suggest::entities::ready().is_none() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        } else if session.poll_entities() {
            self.article_cache = None;
        }
        if let Some(w) = &session.watch {
            w.wake(ui.ctx());
        }
        if session.poll_watch() {
            self.article_cache = None;
        }
        if session.poll_background() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(200));
        }
        let cjk = *self.cjk_font.get_or_insert_with(|| {
            ui.fonts_mut(|f| f.has_glyph(&egui::FontId::proportional(17.0), '标'))
        });
        let mut open_request = None;
        let mut font_request = false;
        let mut export_request = None;
        top_ui(
            ui,
            session,
            &mut self.focus_search,
            &mut self.open_path,
            &self.recent,
            &mut open_request,
            self.open_message.as_deref(),
            cjk,
            &mut font_request,
            &mut self.export_path,
            &mut export_request,
            self.export_job.as_ref().map(|j| {
                j.done.load(std::sync::atomic::Ordering::Relaxed) as f32 / j.total.max(1) as f32
            }),
            &mut self.stats_request,
        );
        egui::Panel::left("documents")
            .default_size(260.0)
            .show(ui, |ui| super::documents::documents_ui(ui, session));
        if session.review.is_some() {
            egui::Panel::right("review")
                .default_size(320.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| super::review::review_panel_ui(ui, session))
                });
            if session.show_agreement {
                egui::Panel::bottom("agreement")
                    .default_size(330.0)
                    .resizable(true)
                    .show(ui, |ui| super::review::agreement_ui(ui, session));
            }
            egui::CentralPanel::default()
                .show(ui, |ui| super::review::review_article_ui(ui, session));
        } else {
            egui::Panel::right("inspector")
                .default_size(300.0)
                .show(ui, |ui| inspector_ui(ui, session, &mut self.edit));
            egui::CentralPanel::default()
                .show(ui, |ui| article_ui(ui, session, &mut self.article_cache));
        }
        super::consistency::consistency_ui(ui.ctx(), session, &mut self.consistency_message);
        if self.stats_request {
            self.stats_request = false;
            self.stats.open = !self.stats.open;
            if self.stats.open {
                self.stats.refresh(session);
            }
        }
        super::stats::stats_ui(ui.ctx(), session, &mut self.stats);
        if session.autosave() {
            ui.ctx().request_repaint_after(super::state::AUTOSAVE_AFTER);
        }
        if let Some(req) = open_request {
            self.open_corpus(req);
        }
        if let Some((format, path)) = export_request {
            self.start_export(ui.ctx(), format, path);
        }
        self.poll_export(ui.ctx());
        if font_request {
            match rfd::FileDialog::new()
                .add_filter("fonts", &["ttf", "otf", "ttc"])
                .pick_file()
            {
                Some(path) => match load_font_file(ui.ctx(), &path) {
                    Ok(()) => {
                        self.font_file = Some(path);
                        self.cjk_font = Some(true);
                    }
                    Err(e) => self.open_message = Some(e),
                },
                None => {
                    self.open_message =
                        Some("No font file chosen (or no file dialog is available here).".into())
                }
            }
        }
    }

    /// Starts an export of the annotator's accepted and added spans on a background thread.
    fn start_export(
        &mut self,
        ctx: &egui::Context,
        format: crate::export::Format,
        path: Option<PathBuf>,
    ) {
        use crate::export::Format;
        if self.export_job.is_some() {
            return;
        }
        let Some(s) = self.session.as_mut() else {
            return;
        };
        s.save_all();
        let path = match path {
            Some(p) => p,
            None => {
                let dialog = rfd::FileDialog::new().set_title("Export to");
                let picked = if format == Format::Brat {
                    dialog.pick_folder()
                } else {
                    dialog
                        .set_file_name(format!("{}.{}", s.annotator, format.name()))
                        .save_file()
                };
                match picked {
                    Some(p) => p,
                    None => {
                        if !native_dialog_available() {
                            self.open_message = Some("No native file dialog is available here: type the export path in the Export menu's field.".into());
                        }
                        return;
                    }
                }
            }
        };
        let corpus = s.corpus.clone();
        let store = s.store.clone();
        let schema = s.schema.clone();
        let opts = crate::export::Options {
            annotator: s.annotator.clone(),
            ..Default::default()
        };
        let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (tx, rx) = std::sync::mpsc::channel();
        let (d, out, c) = (done.clone(), path.clone(), ctx.clone());
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let progress = |n: usize| {
                    d.store(n, std::sync::atomic::Ordering::Relaxed);
                    c.request_repaint();
                };
                let r =
                    crate::export::run(&corpus, &store, &schema, &opts, format, &out, &progress)
                        .map_err(|e| format!("{e:#}"));
                let _ = tx.send(r);
                c.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.export_job = Some(ExportJob {
                    total: s.corpus.docs.len(),
                    done,
                    rx,
                    out: path,
                })
            }
            Err(e) => self.open_message = Some(format!("Cannot start the export: {e}")),
        }
    }

    /// Picks up a finished export's result.
    fn poll_export(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.export_job else { return };
        match job.rx.try_recv() {
            Ok(Ok(sum)) => {
                let mut m = format!(
                    "Exported {} documents, {} spans to {}.",
                    sum.documents,
                    sum.spans,
                    job.out.display()
                );
                if !sum.problems.is_empty() {
                    m.push_str(&format!(" Left out: {}", sum.problems.join("; ")));
                }
                self.open_message = Some(m);
                self.export_job = None;
            }
            Ok(Err(e)) => {
                self.open_message = Some(format!("Export failed: {e}"));
                self.export_job = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100))
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.open_message = Some("Export failed: the export thread stopped.".into());
                self.export_job = None;
            }
        }
    }

    /// Opens another corpus folder (saving the current one first); `None` asks with the
    /// native folder dialog.
    fn open_corpus(&mut self, path: Option<PathBuf>) {
        let path = match path {
            Some(p) => p,
            None => match rfd::FileDialog::new()
                .set_title("Open a folder of .txt articles")
                .pick_folder()
            {
                Some(p) => p,
                None => {
                    if !native_dialog_available() {
                        self.open_message = Some(
                            "No native folder dialog is available here: type the folder's path in the Corpus menu's field and press Open.".into(),
                        );
                    }
                    return;
                }
            },
        };
        if !path.is_dir() {
            self.open_message = Some(format!("{} is not a folder.", path.display()));
            return;
        }
        let Some(old) = self.session.as_mut() else {
            return;
        };
        old.save_all();
        if old.save_error.is_some() {
            self.open_message = Some(
                "The current corpus has edits that could not be saved; fix that first.".into(),
            );
            return;
        }
        let name = old.annotator.clone();
        self.corpus = path;
        self.open_message = None;
        self.start(name);
    }

    fn name_ui(&mut self, ui: &mut egui::Ui) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("标注 Biaozhu");
            ui.label("Who is annotating? Your name names your folder of annotation files.");
            let r = ui
                .add(egui::TextEdit::singleline(&mut self.name_input).hint_text("annotator name"));
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if ui.button("Start annotating").clicked() || enter {
                let name = self.name_input.trim().to_owned();
                self.start(name);
            }
            if let Some(e) = &self.error {
                ui.colored_label(Color32::from_rgb(200, 40, 40), e);
            }
        });
    }
}

impl eframe::App for BiaozhuApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(s) = &mut self.session {
            storage.set_string("annotator", s.annotator.clone());
            s.save_all();
        }
        let recent: Vec<String> = self
            .recent
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        storage.set_string("recent_corpora", recent.join("\n"));
        if let Some(f) = &self.font_file {
            storage.set_string("font_file", f.display().to_string());
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(s) = &mut self.session {
            s.save_all();
        }
    }
}

/// rfd needs the desktop portal (over D-Bus) or zenity; without either, dialogs return nothing.
fn native_dialog_available() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || which("zenity").is_some()
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(cmd))
            .find(|f| f.is_file())
    })
}

pub(super) fn digit_key(d: u32) -> Option<Key> {
    Some(match d {
        0 => Key::Num0,
        1 => Key::Num1,
        2 => Key::Num2,
        3 => Key::Num3,
        4 => Key::Num4,
        5 => Key::Num5,
        6 => Key::Num6,
        7 => Key::Num7,
        8 => Key::Num8,
        9 => Key::Num9,
        _ => return None,
    })
}

pub(super) fn colour(rgb: [u8; 3]) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

fn top_ui(
    ui: &mut egui::Ui,
    s: &mut Session,
    focus_search: &mut bool,
    open_path: &mut String,
    recent: &[PathBuf],
    open_request: &mut Option<Option<PathBuf>>,
    open_message: Option<&str>,
    cjk: bool,
    font_request: &mut bool,
    export_path: &mut String,
    export_request: &mut Option<ExportRequest>,
    export_progress: Option<f32>,
    stats_request: &mut bool,
) {
    egui::Panel::top("top").show(ui, |ui| {
        if !cjk {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    Color32::from_rgb(200, 40, 40),
                    "No Chinese (CJK) font was found, so Chinese text cannot be shown. Install one and restart (Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei, or fonts-noto-cjk; Fedora: sudo dnf install wqy-microhei-fonts), or",
                );
                if ui.button("Choose a font file…").clicked() {
                    *font_request = true;
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            super::review::review_menu_ui(ui, s);
            if ui
                .button("Statistics")
                .on_hover_text("Progress per annotator, label counts, how each rule fared")
                .clicked()
            {
                *stats_request = true;
            }
            if s.review.is_some() {
                ui.toggle_value(&mut s.show_agreement, "Agreement");
            }
            if ui
                .toggle_value(&mut s.show_consistency, "Consistency")
                .on_hover_text("Ctrl+K: the same string labelled differently across the corpus")
                .clicked()
                && s.show_consistency
            {
                s.check_consistency();
            }
            ui.menu_button("Corpus", |ui| {
                if ui.button("Open corpus folder…").clicked() {
                    *open_request = Some(None);
                    ui.close();
                }
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(open_path).hint_text("folder path").desired_width(220.0));
                    if ui.button("Open").clicked() {
                        *open_request = Some(Some(PathBuf::from(open_path.trim())));
                        ui.close();
                    }
                });
                if !recent.is_empty() {
                    ui.separator();
                    ui.label("Recent");
                    for p in recent {
                        if ui.button(p.display().to_string()).clicked() {
                            *open_request = Some(Some(p.clone()));
                            ui.close();
                        }
                    }
                }
            });
            ui.menu_button("Export", |ui| {
                ui.horizontal(|ui| {
                    let l = ui.label("Export to");
                    ui.add(egui::TextEdit::singleline(export_path).hint_text("file, or folder for brat; empty: ask").desired_width(240.0))
                        .labelled_by(l.id);
                });
                for f in crate::export::Format::ALL {
                    if ui.button(format!("Export {}", f.name())).clicked() {
                        let p = export_path.trim();
                        *export_request = Some((f, (!p.is_empty()).then(|| PathBuf::from(p))));
                        ui.close();
                    }
                }
                ui.label(RichText::new("Accepted and added spans of this annotator; the command line has more options.").small().weak());
            });
            if let Some(p) = export_progress {
                ui.add(egui::ProgressBar::new(p).desired_width(120.0).text("exporting…"));
            }
            ui.strong("标注 Biaozhu");
            ui.separator();
            ui.label(format!("annotator: {}", s.annotator));
            ui.separator();
            let (can_undo, can_redo) = s.doc().map_or((false, false), |d| (d.history.can_undo(), d.history.can_redo()));
            if ui.add_enabled(can_undo, egui::Button::new("Undo")).on_hover_text("Ctrl+Z").clicked() {
                s.undo();
            }
            if ui.add_enabled(can_redo, egui::Button::new("Redo")).on_hover_text("Ctrl+Shift+Z / Ctrl+Y").clicked() {
                s.redo();
            }
            if ui.button("Mark done").on_hover_text("Ctrl+D: mark done and open the next unfinished document").clicked() {
                s.mark_done_and_next();
            }
            ui.checkbox(&mut s.show_rejected, "Show rejected");
            ui.separator();
            let saved = if s.save_error.is_some() {
                RichText::new("● not saved").color(Color32::from_rgb(200, 40, 40))
            } else if s.dirty() {
                RichText::new("● saving…").color(Color32::from_rgb(200, 140, 0))
            } else {
                RichText::new("✔ saved").color(Color32::from_rgb(40, 150, 60))
            };
            ui.label(saved);
            ui.separator();
            let r = ui.add(egui::TextEdit::singleline(&mut s.search).hint_text("search (Ctrl+F)").desired_width(140.0));
            if *focus_search {
                r.request_focus();
                *focus_search = false;
            }
            if r.changed() {
                s.search_hit = None;
            }
            if (r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter))) || ui.button("Find next").clicked() {
                s.find_next();
                r.request_focus();
            }
        });
        if let Some(m) = open_message {
            ui.colored_label(Color32::from_rgb(200, 120, 0), m);
        }
        ui.label(RichText::new("Tab/Shift+Tab next/previous · Enter or A accept · X or Del reject · 0–9 relabel · Shift/Alt+←→ widen/narrow · Ctrl+Z undo").small().weak());
        if let Some(e) = &s.save_error {
            ui.colored_label(Color32::from_rgb(200, 40, 40), e);
        }
        if let Some(e) = &s.memory_error {
            ui.colored_label(Color32::from_rgb(200, 120, 0), e);
        }
        if let Some(e) = &s.watch_error {
            ui.colored_label(Color32::from_rgb(200, 120, 0), e);
        }
        let (done, total) = s.background_progress();
        if done < total {
            ui.add(
                egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                    .desired_width(360.0)
                    .text(format!("Suggesting in the background: {done}/{total} documents")),
            );
        }
        if crate::suggest::entities::ready().is_none() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new("Loading the segmenter: entity suggestions follow…").small());
            });
        }
        if s.corpus.docs.is_empty() {
            ui.colored_label(Color32::from_rgb(200, 40, 40), format!("No readable .txt articles in {}.", s.corpus.dir.display()));
        }
        for e in &s.corpus.errors {
            ui.colored_label(Color32::from_rgb(200, 120, 0), e.to_string());
        }
    });
}
