//! The app: the screen that asks for the annotator's name, then the session's window. Each
//! frame handles the keys first (the command table), takes what background work and the file
//! watcher brought, draws the panels, and saves after a pause in editing.

use std::path::PathBuf;

use eframe::egui::{self, Key};

use super::commands::{Cx, handle_keys};
use super::jobs::Jobs;
use super::notifications::Notifications;
use super::top::{Requests, top_ui};
use super::view::View;
use super::watch::Watch;
use super::{article, documents, inspector, review};
use crate::session::{Level, Session};

/// The app: a session, or the screen that asks for the annotator's name.
pub struct BiaozhuApp {
    corpus: PathBuf,
    annotations: PathBuf,
    /// The running session once the annotator is known.
    pub session: Option<Session>,
    /// What the window shows of the session.
    pub view: View,
    /// Background work.
    pub jobs: Jobs,
    /// Messages for the analyst.
    pub notifications: Notifications,
    /// Watching `annotations/` for changes from outside.
    watch: Option<Watch>,
    /// Name being typed on the first screen.
    name_input: String,
    /// Corpora opened before, newest first.
    pub recent: Vec<PathBuf>,
    /// Whether a CJK font was found (checked once).
    cjk_font: Option<bool>,
    /// A font file the user chose for Chinese text, remembered.
    pub font_file: Option<PathBuf>,
    /// Where the annotator's name and the last document are remembered (none in tests
    /// unless set).
    pub prefs_path: Option<PathBuf>,
    /// What is remembered.
    pub prefs: crate::prefs::Prefs,
    /// Annotator name typed in the annotator menu.
    pub switch_input: String,
}

impl BiaozhuApp {
    /// An app on `corpus`; asks for the annotator's name when `annotator` is `None`.
    pub fn new(corpus: PathBuf, annotations: PathBuf, annotator: Option<String>) -> Self {
        let mut app = Self {
            corpus,
            annotations,
            session: None,
            view: View::default(),
            jobs: Jobs::default(),
            notifications: Notifications::default(),
            watch: None,
            name_input: String::new(),
            recent: Vec::new(),
            cjk_font: None,
            font_file: None,
            prefs_path: None,
            prefs: crate::prefs::Prefs::default(),
            switch_input: String::new(),
        };
        // The segmenter's dictionary loads on its own thread; entity suggestions join the
        // open document when it is ready.
        crate::suggest::entities::warm_up();
        if let Some(name) = annotator {
            app.start(name);
        }
        app
    }

    /// An app that remembers the annotator's name and last document at `prefs_path`: the
    /// name from there when `annotator` is `None`, the last document reopened.
    pub fn with_prefs(
        corpus: PathBuf,
        annotations: PathBuf,
        annotator: Option<String>,
        prefs_path: PathBuf,
    ) -> Self {
        let prefs = crate::prefs::Prefs::load(&prefs_path);
        let remembered = prefs.annotator.clone();
        let mut app = Self::new(corpus, annotations, None);
        app.prefs = prefs;
        app.prefs_path = Some(prefs_path);
        if let (Some(given), Some(old)) = (&annotator, &remembered)
            && given != old
        {
            app.notifications.push(
                Level::Info,
                format!("Working as {given} (the name remembered was {old}); the annotator menu in the top bar switches."),
            );
        }
        if let Some(name) = annotator.or(remembered) {
            app.start(name);
        }
        app
    }

    /// Saves what is remembered (when there is a place for it).
    fn remember(&mut self) {
        if let Some(path) = &self.prefs_path
            && let Err(e) = self.prefs.save(path)
        {
            self.notifications
                .push(Level::Warning, format!("Cannot remember settings: {e}"));
            self.prefs_path = None;
        }
    }

    /// Notes the open document as the last one worked on.
    fn remember_document(&mut self) {
        let Some(s) = &self.session else { return };
        if s.current >= s.corpus.len() {
            return;
        }
        let id = s.corpus.id(s.current).to_owned();
        if self.prefs_path.is_some() && self.prefs.set_last_doc(&self.corpus, &s.annotator, &id) {
            self.remember();
        }
    }

    /// Saves the current annotator's work and goes on as `name`.
    pub fn switch_annotator(&mut self, name: String) {
        if let Some(s) = self.session.as_mut() {
            if s.annotator == name {
                return;
            }
            s.save_all();
            if s.save_error.is_some() {
                self.notifications.push(
                    Level::Error,
                    "The current annotator's edits could not be saved; fix that before switching.",
                );
                return;
            }
        }
        self.start(name);
    }

    fn start(&mut self, name: String) {
        if let Err(e) = crate::store::check_annotator(&name) {
            self.notifications.push(Level::Error, e.to_string());
            return;
        }
        match Session::open(self.corpus.clone(), self.annotations.clone(), name) {
            Ok(mut s) => {
                self.notifications.extend(s.take_notices());
                self.view = View::default();
                self.jobs = Jobs::default();
                self.jobs.start_suggestions(&s);
                self.watch = match Watch::start(&s.store.root) {
                    Ok(w) => Some(w),
                    Err(e) => {
                        self.notifications.push(
                            Level::Warning,
                            format!("{e}: changes from outside are not noticed."),
                        );
                        None
                    }
                };
                // Back where this annotator left off in this corpus.
                if let Some(i) = self
                    .prefs
                    .last_doc(&self.corpus, &s.annotator)
                    .and_then(|id| s.corpus.position(id))
                    && i != s.current
                {
                    s.open_doc(i);
                }
                if self.prefs.annotator.as_deref() != Some(s.annotator.as_str()) {
                    self.prefs.annotator = Some(s.annotator.clone());
                    self.remember();
                }
                self.session = Some(s);
                self.recent.retain(|p| *p != self.corpus);
                self.recent.insert(0, self.corpus.clone());
                self.recent.truncate(8);
            }
            Err(e) => self.notifications.push(
                Level::Error,
                format!("Cannot open the corpus {}: {e}", self.corpus.display()),
            ),
        }
    }

    /// Starts review mode comparing `annotators` (the agreement panel opens with it).
    pub fn start_review(&mut self, annotators: Vec<String>) {
        if let Some(s) = self.session.as_mut() {
            s.start_review(annotators);
            self.view.show_agreement = true;
            self.view.relayout();
        }
    }

    /// (documents suggested and taken by the session, documents in all) of the background job.
    pub fn background_progress(&self) -> (usize, usize) {
        self.jobs.suggested
    }

    /// Draws one frame (used by eframe and by tests).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let Some(s) = self.session.as_mut() else {
            self.name_ui(ui);
            return;
        };
        let ctx = ui.ctx().clone();
        let mut cx = Cx {
            s,
            view: &mut self.view,
            jobs: &mut self.jobs,
            ctx: &ctx,
        };
        handle_keys(&mut cx);
        if crate::suggest::entities::ready().is_none() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        } else if cx.s.add_entities() {
            cx.view.relayout();
        } else if cx.s.entities_coming() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        // The entity model retrains on a thread; a new one re-suggests unreviewed documents.
        if cx.s.poll_model() {
            cx.view.relayout();
        }
        if cx.s.learner.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
        if let Some(w) = &self.watch {
            w.wake(&ctx);
            for path in w.changed() {
                if cx.s.file_changed(&path) {
                    cx.view.relayout();
                }
            }
        }
        // Titles fill in as the corpus index arrives; the list is redrawn meanwhile.
        cx.s.poll_index();
        if cx.s.indexing() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if cx.jobs.poll(cx.s, cx.view, &mut self.notifications) {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
        self.notifications.extend(cx.s.take_notices());
        let cjk = *self.cjk_font.get_or_insert_with(|| {
            ui.fonts_mut(|f| f.has_glyph(&egui::FontId::proportional(17.0), '标'))
        });
        let mut requests = Requests::default();
        top_ui(
            ui,
            &mut cx,
            &mut self.notifications,
            &self.recent,
            cjk,
            &mut requests,
            &mut self.switch_input,
        );
        egui::Panel::left("documents")
            .default_size(260.0)
            .show(ui, |ui| documents::documents_ui(ui, &mut cx));
        if cx.s.review.is_some() {
            egui::Panel::right("review")
                .default_size(320.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| review::review_panel_ui(ui, &mut cx))
                });
            if cx.view.show_agreement {
                egui::Panel::bottom("agreement")
                    .default_size(330.0)
                    .resizable(true)
                    .show(ui, |ui| review::agreement_ui(ui, &mut cx));
            }
            egui::CentralPanel::default().show(ui, |ui| review::review_article_ui(ui, &mut cx));
        } else {
            egui::Panel::right("inspector")
                .default_size(300.0)
                .show(ui, |ui| inspector::inspector_ui(ui, &mut cx));
            egui::CentralPanel::default().show(ui, |ui| article::article_ui(ui, &mut cx));
        }
        for w in &super::WINDOWS {
            if cx.view.is_open(w.name) {
                let mut open = true;
                (w.show)(&ctx, &mut cx, &mut open);
                if !open {
                    cx.view.toggle(w.name);
                }
            }
        }
        if let Some(n) = cx.s.confirm_done {
            confirm_done_ui(&ctx, cx.s, n);
        }
        if let Some(due) = cx.s.autosave() {
            ctx.request_repaint_after(due.max(std::time::Duration::from_millis(20)));
        }
        let notices = cx.s.take_notices();
        if !notices.is_empty() {
            self.notifications.extend(notices);
            ctx.request_repaint();
        }
        self.handle(&ctx, requests);
        self.remember_document();
    }

    /// Carries out what the top bar asked for: another corpus, an export, a font file.
    fn handle(&mut self, ctx: &egui::Context, requests: Requests) {
        if let Some(name) = requests.switch_annotator {
            self.switch_annotator(name);
        }
        if let Some(path) = requests.open_corpus {
            self.open_corpus(path);
        }
        if let Some((format, path)) = requests.export {
            self.export(ctx, format, path);
        }
        if requests.font {
            match rfd::FileDialog::new()
                .add_filter("fonts", &["ttf", "otf", "ttc"])
                .pick_file()
            {
                Some(path) => match super::fonts::load_font_file(ctx, &path) {
                    Ok(()) => {
                        self.font_file = Some(path);
                        self.cjk_font = Some(true);
                    }
                    Err(e) => self.notifications.push(Level::Error, e),
                },
                None => self.notifications.push(
                    Level::Warning,
                    "No font file chosen (or no file dialog is available here).",
                ),
            }
        }
    }

    /// Starts an export of the annotator's accepted and added spans; `None` asks where with
    /// the native dialog.
    fn export(
        &mut self,
        ctx: &egui::Context,
        format: crate::export::Format,
        path: Option<PathBuf>,
    ) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let path = match path {
            Some(p) => p,
            None => {
                let dialog = rfd::FileDialog::new().set_title("Export to");
                let picked = if format == crate::export::Format::Brat {
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
                            self.notifications.push(Level::Warning, "No native file dialog is available here: type the export path in the Export menu's field.");
                        }
                        return;
                    }
                }
            }
        };
        if let Err(e) = self.jobs.start_export(s, format, path, ctx) {
            self.notifications.push(Level::Error, e);
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
                        self.notifications.push(Level::Warning,
                            "No native folder dialog is available here: type the folder's path in the Corpus menu's field and press Open.",
                        );
                    }
                    return;
                }
            },
        };
        if !path.is_dir() {
            self.notifications
                .push(Level::Error, format!("{} is not a folder.", path.display()));
            return;
        }
        let Some(old) = self.session.as_mut() else {
            return;
        };
        old.save_all();
        if old.save_error.is_some() {
            self.notifications.push(
                Level::Error,
                "The current corpus has edits that could not be saved; fix that first.",
            );
            return;
        }
        let name = old.annotator.clone();
        self.corpus = path;
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
            self.notifications.show_ui(ui);
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

/// Mark done with suggestions unreviewed: accept them all, leave them pending, or cancel.
fn confirm_done_ui(ctx: &egui::Context, s: &mut Session, pending: usize) {
    let mut answer = None;
    let r = egui::Modal::new(egui::Id::unique("confirm_done")).show(ctx, |ui| {
        ui.heading("Mark done?");
        ui.label(format!(
            "{pending} suggestions in this document are not reviewed yet."
        ));
        ui.horizontal(|ui| {
            if ui
                .button(format!("Accept all {pending} and mark done"))
                .clicked()
            {
                answer = Some(Some(true));
            }
            if ui.button("Leave them pending and mark done").clicked() {
                answer = Some(Some(false));
            }
            if ui.button("Cancel").clicked() {
                answer = Some(None);
            }
        });
    });
    if r.should_close() && answer.is_none() {
        answer = Some(None);
    }
    if let Some(a) = answer {
        s.finish(a);
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
