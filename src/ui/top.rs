//! The top bar: menus (Review, Corpus, Export), the panels' switches, undo and redo, the save
//! state, search, the help line, the notifications, and progress of background work.

use std::path::PathBuf;

use eframe::egui::{self, Key, RichText};

use super::commands::{Command, Cx, Mode};
use super::help::help_line;
use super::notifications::Notifications;
use super::theme;

/// What the top bar asked the app for (carried out after the frame's widgets).
#[derive(Default)]
pub struct Requests {
    /// Open another corpus: this folder, or ask with a dialog (`None`).
    pub open_corpus: Option<Option<PathBuf>>,
    /// Ask for a font file.
    pub font: bool,
    /// Export in a format, to a path or (`None`) where a dialog says.
    pub export: Option<(crate::export::Format, Option<PathBuf>)>,
    /// Go on as this annotator.
    pub switch_annotator: Option<String>,
}

/// Draws the top bar.
pub fn top_ui(
    ui: &mut egui::Ui,
    cx: &mut Cx,
    notifications: &mut Notifications,
    recent: &[PathBuf],
    cjk: bool,
    requests: &mut Requests,
    switch_input: &mut String,
) {
    egui::Panel::top("top").show(ui, |ui| {
        if !cjk {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    theme::ERROR,
                    "No Chinese (CJK) font was found, so Chinese text cannot be shown. Install one and restart (Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei, or fonts-noto-cjk; Fedora: sudo dnf install wqy-microhei-fonts), or",
                );
                if ui.button("Choose a font file…").clicked() {
                    requests.font = true;
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            super::review::review_menu_ui(ui, cx);
            if cx.s.review.is_some() {
                Command::Agreement.button_ui(ui, cx);
            }
            for w in &super::WINDOWS {
                Command::Window(w.name).button_ui(ui, cx);
            }
            corpus_menu_ui(ui, cx, recent, requests);
            export_menu_ui(ui, cx, requests);
            if let Some(p) = cx.jobs.export_progress() {
                ui.add(egui::ProgressBar::new(p).desired_width(120.0).text("exporting…"));
            }
            ui.separator();
            annotator_menu_ui(ui, cx, requests, switch_input);
            ui.separator();
            Command::Undo.button_ui(ui, cx);
            Command::Redo.button_ui(ui, cx);
            if cx.s.review.is_none() {
                Command::MarkDone.button_ui(ui, cx);
                ui.checkbox(&mut cx.view.show_rejected, "Show rejected");
            }
            ui.separator();
            use crate::session::disk::SaveState;
            let state = cx.s.save_state();
            let colour = match state {
                SaveState::Failed | SaveState::Broken => theme::ERROR,
                SaveState::Pending => theme::PENDING,
                SaveState::Saved => theme::OK,
            };
            ui.label(RichText::new(state.describe()).color(colour));
            ui.separator();
            search_ui(ui, cx);
        });
        let mode = Mode::of(cx.s);
        // One line, cut short with … where the window is narrow (the whole line on hover;
        // every key in the Keys window).
        ui.add(
            egui::Label::new(
                RichText::new(help_line(mode, &cx.s.schema))
                    .size(14.0)
                    .color(theme::hint(ui.visuals())),
            )
            .truncate(),
        );
        notifications.show_ui(ui);
        let (done, total) = cx.jobs.suggested;
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
        let corpus = &cx.s.corpus;
        if corpus.is_empty() {
            ui.colored_label(theme::ERROR, format!("No readable .txt articles in {}.", corpus.dir.display()));
        }
        for e in &corpus.errors {
            ui.colored_label(theme::WARNING, e.to_string());
        }
    });
}

fn search_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let r = ui.add(
        egui::TextEdit::singleline(&mut cx.view.search)
            .hint_text("search (Ctrl+F)")
            .desired_width(140.0),
    );
    if cx.view.focus_search {
        r.request_focus();
        cx.view.focus_search = false;
    }
    if r.changed() {
        cx.s.search_hit = None;
    }
    if (r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)))
        || ui.button("Find next").clicked()
    {
        cx.s.find_next(&cx.view.search);
        r.request_focus();
    }
}

/// A menu that stays open while its fields are clicked and typed in (it closes on a click
/// outside, or when one of its buttons is used).
fn menu_ui(ui: &mut egui::Ui, name: &str, content: impl FnOnce(&mut egui::Ui)) {
    use egui::containers::menu::{MenuButton, MenuConfig};
    MenuButton::new(name)
        .config(MenuConfig::new().close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside))
        .ui(ui, content);
}

/// The annotator menu: who is annotating, the others with a folder here, a new name.
fn annotator_menu_ui(ui: &mut egui::Ui, cx: &mut Cx, requests: &mut Requests, input: &mut String) {
    menu_ui(ui, &format!("annotator: {}", cx.s.annotator), |ui| {
        let others: Vec<String> =
            cx.s.store
                .annotators()
                .into_iter()
                .filter(|n| n != "gold" && *n != cx.s.annotator)
                .collect();
        for name in others {
            if ui.button(format!("Work as {name}")).clicked() {
                requests.switch_annotator = Some(name);
                ui.close();
            }
        }
        ui.horizontal(|ui| {
            let l = ui.label("Another name");
            ui.add(
                egui::TextEdit::singleline(input)
                    .hint_text("annotator name")
                    .desired_width(140.0),
            )
            .labelled_by(l.id);
            let name = input.trim().to_owned();
            if ui
                .add_enabled(!name.is_empty(), egui::Button::new("Switch"))
                .clicked()
            {
                requests.switch_annotator = Some(name);
                input.clear();
                ui.close();
            }
        });
        ui.label(
            RichText::new("Your edits are saved first; the name is remembered.")
                .small()
                .weak(),
        );
    });
}

fn corpus_menu_ui(ui: &mut egui::Ui, cx: &mut Cx, recent: &[PathBuf], requests: &mut Requests) {
    menu_ui(ui, "Corpus", |ui| {
        if ui.button("Open corpus folder…").clicked() {
            requests.open_corpus = Some(None);
            ui.close();
        }
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut cx.view.open_path)
                    .hint_text("folder path")
                    .desired_width(220.0),
            );
            if ui.button("Open").clicked() {
                requests.open_corpus = Some(Some(PathBuf::from(cx.view.open_path.trim())));
                ui.close();
            }
        });
        if !recent.is_empty() {
            ui.separator();
            ui.label("Recent");
            for p in recent {
                if ui.button(p.display().to_string()).clicked() {
                    requests.open_corpus = Some(Some(p.clone()));
                    ui.close();
                }
            }
        }
    });
}

fn export_menu_ui(ui: &mut egui::Ui, cx: &mut Cx, requests: &mut Requests) {
    menu_ui(ui, "Export", |ui| {
        ui.horizontal(|ui| {
            let l = ui.label("Export to");
            ui.add(
                egui::TextEdit::singleline(&mut cx.view.export_path)
                    .hint_text("file, or folder for brat; empty: ask")
                    .desired_width(240.0),
            )
            .labelled_by(l.id);
        });
        for f in crate::export::Format::ALL {
            if ui.button(format!("Export {}", f.name())).clicked() {
                let p = cx.view.export_path.trim();
                requests.export = Some((f, (!p.is_empty()).then(|| PathBuf::from(p))));
                ui.close();
            }
        }
        ui.label(
            RichText::new(
                "Accepted and added spans of this annotator; the command line has more options.",
            )
            .small()
            .weak(),
        );
    });
}
