//! Widgets: top bar, document list, legend, article and inspector. Panels read the session
//! and call its commands; keys are handled once per frame.

use std::path::PathBuf;

use eframe::egui::{self, Color32, Key, Modifiers, RichText, text::LayoutJob};

use super::state::Session;
use crate::model::span::{DocStatus, Status};

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
        };
        if let Some(name) = annotator {
            app.start(name);
        }
        app
    }

    fn start(&mut self, name: String) {
        if let Err(e) = crate::store::check_name(&name) {
            self.error = Some(e.to_string());
            return;
        }
        match Session::open(self.corpus.clone(), self.annotations.clone(), name) {
            Ok(s) => {
                self.session = Some(s);
                self.error = None;
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
        handle_keys(ui.ctx(), session);
        top_ui(ui, session);
        egui::Panel::left("documents")
            .default_size(260.0)
            .show(ui, |ui| documents_ui(ui, session));
        egui::Panel::right("inspector")
            .default_size(280.0)
            .show(ui, |ui| inspector_ui(ui, session));
        egui::CentralPanel::default().show(ui, |ui| article_ui(ui, session));
        if session.autosave() {
            ui.ctx().request_repaint_after(super::state::AUTOSAVE_AFTER);
        }
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
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Some(s) = &mut self.session {
            s.save_all();
        }
    }
}

fn handle_keys(ctx: &egui::Context, s: &mut Session) {
    if ctx.egui_wants_keyboard_input() {
        return; // typing in a text field
    }
    // Tab belongs to the annotation commands, not to focus navigation between buttons.
    ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.surrender_focus(id);
        }
        m.move_focus(egui::FocusDirection::None);
    });
    let labels: Vec<(char, String)> = s
        .schema
        .labels
        .iter()
        .filter_map(|l| l.hotkey.map(|k| (k, l.name.clone())))
        .collect();
    ctx.input_mut(|i| {
        let ctrl = Modifiers::COMMAND;
        if i.consume_key(ctrl | Modifiers::SHIFT, Key::Z) || i.consume_key(ctrl, Key::Y) {
            s.redo();
        }
        if i.consume_key(ctrl, Key::Z) {
            s.undo();
        }
        if i.consume_key(ctrl, Key::S) {
            s.save_all();
        }
        if i.consume_key(ctrl, Key::D) {
            s.mark_done_and_next();
        }
        if i.consume_key(Modifiers::SHIFT, Key::Tab) {
            s.select_next(false);
        }
        if i.consume_key(Modifiers::NONE, Key::Tab) {
            s.select_next(true);
        }
        if i.consume_key(Modifiers::NONE, Key::Enter) || i.consume_key(Modifiers::NONE, Key::A) {
            s.accept();
        }
        if i.consume_key(Modifiers::NONE, Key::X) || i.consume_key(Modifiers::NONE, Key::Delete) {
            s.reject();
        }
        if i.consume_key(Modifiers::SHIFT, Key::ArrowLeft) {
            s.resize(-1, 0);
        }
        if i.consume_key(Modifiers::SHIFT, Key::ArrowRight) {
            s.resize(0, 1);
        }
        if i.consume_key(Modifiers::ALT, Key::ArrowLeft) {
            s.resize(0, -1);
        }
        if i.consume_key(Modifiers::ALT, Key::ArrowRight) {
            s.resize(1, 0);
        }
        for (k, name) in &labels {
            if let Some(key) = k.to_digit(10).and_then(digit_key) {
                if i.consume_key(Modifiers::NONE, key) {
                    s.relabel(name);
                }
            }
        }
    });
}

fn digit_key(d: u32) -> Option<Key> {
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

fn colour(rgb: [u8; 3]) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

fn top_ui(ui: &mut egui::Ui, s: &mut Session) {
    egui::Panel::top("top").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
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
        });
        ui.label(RichText::new("Tab/Shift+Tab next/previous · Enter or A accept · X or Del reject · 0–9 relabel · Shift/Alt+←→ widen/narrow · Ctrl+Z undo").small().weak());
        if let Some(e) = &s.save_error {
            ui.colored_label(Color32::from_rgb(200, 40, 40), e);
        }
        if s.corpus.docs.is_empty() {
            ui.colored_label(Color32::from_rgb(200, 40, 40), format!("No readable .txt articles in {}.", s.corpus.dir.display()));
        }
        for e in &s.corpus.errors {
            ui.colored_label(Color32::from_rgb(200, 120, 0), e.to_string());
        }
    });
}

fn documents_ui(ui: &mut egui::Ui, s: &mut Session) {
    ui.heading("Documents");
    let mut open = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        for i in 0..s.corpus.docs.len() {
            let doc = &s.corpus.docs[i];
            let (status, progress) = match s.docs[i].as_ref() {
                Some(d) => {
                    let (done, total) = d.file.progress();
                    (d.file.status, format!("{done}/{total}"))
                }
                None => (DocStatus::NotStarted, "—".into()),
            };
            let mark = match status {
                DocStatus::Done => "✔",
                DocStatus::InProgress => "◐",
                DocStatus::NotStarted => "○",
            };
            let text = format!("{mark} {}  {progress}", doc.title());
            if ui
                .selectable_label(i == s.current, text)
                .on_hover_text(format!("{} · {}", doc.id, status.name()))
                .clicked()
            {
                open = Some(i);
            }
        }
    });
    if let Some(i) = open {
        s.open_doc(i);
    }
}

fn inspector_ui(ui: &mut egui::Ui, s: &mut Session) {
    ui.heading("Labels");
    let counts: Vec<(String, usize)> = s
        .schema
        .labels
        .iter()
        .map(|l| {
            (
                l.name.clone(),
                s.doc().map_or(0, |d| {
                    d.file
                        .spans
                        .iter()
                        .filter(|x| x.label == l.name && x.status != Status::Rejected)
                        .count()
                }),
            )
        })
        .collect();
    let mut accept_all = None;
    let mut relabel = None;
    for (l, (_, n)) in s.schema.labels.iter().zip(&counts) {
        ui.horizontal(|ui| {
            let key = l.hotkey.map(|k| k.to_string()).unwrap_or_default();
            let chip = RichText::new(format!(" {key} {} ", l.name))
                .background_color(colour(l.colour))
                .color(Color32::BLACK);
            if ui
                .add(egui::Button::new(chip))
                .on_hover_text(&l.description)
                .clicked()
            {
                relabel = Some(l.name.clone());
            }
            ui.label(format!("{n}"));
            if *n > 0 && ui.small_button(format!("Accept all {}", l.name)).clicked() {
                accept_all = Some(l.name.clone());
            }
        });
    }
    if let Some(l) = relabel {
        s.relabel(&l);
    }
    if let Some(l) = accept_all {
        s.accept_all(&l);
    }
    ui.separator();
    ui.heading("Selected span");
    let Some(d) = s.doc() else { return };
    match s.selected.and_then(|i| d.file.spans.get(i)) {
        Some(sp) => {
            ui.label(RichText::new(&sp.text).size(20.0));
            ui.label(format!("label: {}", sp.label));
            ui.label(format!("status: {}", sp.status.name()));
            ui.label(format!("origin: {}", sp.origin.name()));
            ui.label(format!("chars {}..{}", sp.start, sp.end));
            if let Some(v) = &sp.value {
                let mut t = format!("value: {}", v.value);
                if let Some(m) = &v.value_max {
                    t.push_str(&format!(" – {m}"));
                }
                if let Some(u) = &v.unit {
                    t.push_str(&format!(" {u}"));
                }
                if v.approx {
                    t.push_str(" (approx.)");
                }
                ui.label(t);
            }
            if let Some(n) = &sp.note {
                ui.label(format!("note: {n}"));
            }
            ui.horizontal(|ui| {
                if ui.button("Accept").clicked() {
                    s.accept();
                }
                if ui.button("Reject").clicked() {
                    s.reject();
                }
            });
        }
        None => {
            ui.label("No span selected. Tab goes to the next suggestion.");
        }
    }
}

/// Builds the article's layout: spans on a tinted background in their label's colour
/// (stronger once reviewed), the selection underlined, boilerplate dimmed.
fn article_job(s: &Session, text_colour: Color32, wrap: f32) -> LayoutJob {
    let doc = &s.corpus.docs[s.current];
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap;
    let Some(d) = s.doc() else { return job };
    let spans: Vec<(usize, &crate::model::Span)> = d
        .file
        .spans
        .iter()
        .enumerate()
        .filter(|(_, x)| s.visible(x) && !x.unanchored)
        .collect();
    let mut cuts: Vec<usize> = vec![0, doc.char_len()];
    for (_, sp) in &spans {
        cuts.push(sp.start);
        cuts.push(sp.end);
    }
    for b in &doc.structure.boilerplate {
        cuts.push(b.start);
        cuts.push(b.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let font = egui::FontId::proportional(17.0);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        let mut fmt = egui::TextFormat {
            font_id: font.clone(),
            color: text_colour,
            line_height: Some(28.0),
            ..Default::default()
        };
        if doc.structure.in_boilerplate(a) {
            fmt.color = text_colour.gamma_multiply(0.35);
        }
        if let Some((i, sp)) = spans.iter().find(|(_, sp)| sp.start <= a && b <= sp.end) {
            let c = colour(s.schema.colour(&sp.label));
            fmt.background = match sp.status {
                Status::Suggested => c.gamma_multiply(0.35),
                Status::Rejected => Color32::from_gray(120).gamma_multiply(0.3),
                _ => c,
            };
            if sp.status != Status::Suggested && sp.status != Status::Rejected {
                fmt.color = Color32::BLACK;
            }
            if sp.status == Status::Rejected {
                fmt.strikethrough = egui::Stroke::new(1.0, text_colour);
            }
            if Some(*i) == s.selected {
                fmt.underline = egui::Stroke::new(2.5, Color32::from_rgb(220, 30, 30));
            }
        }
        job.append(doc.slice(a..b), 0.0, fmt);
    }
    job
}

fn article_ui(ui: &mut egui::Ui, s: &mut Session) {
    if s.corpus.docs.is_empty() {
        return;
    }
    let doc = &s.corpus.docs[s.current];
    ui.heading(doc.title());
    let st = &doc.structure;
    let meta: Vec<String> = [
        st.date_iso.clone().map(|d| format!("date {d}")),
        st.source
            .clone()
            .map(|r| format!("source {}", doc.slice(r))),
        (!st.authors.is_empty()).then(|| {
            format!(
                "by {}",
                st.authors
                    .iter()
                    .map(|r| doc.slice(r.clone()))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }),
        Some(format!("{} · {}", doc.id, doc.encoding)),
    ]
    .into_iter()
    .flatten()
    .collect();
    ui.label(RichText::new(meta.join("  ·  ")).weak());
    if let Some(d) = s.doc() {
        if let Some(e) = &d.load_error {
            ui.colored_label(Color32::from_rgb(200, 40, 40), e);
        }
        if let Some(n) = &d.notice {
            ui.colored_label(Color32::from_rgb(200, 120, 0), n);
        }
    }
    ui.separator();
    let text_colour = ui.visuals().text_color();
    let mut clicked = None;
    let mut scroll_rect = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let job = article_job(s, text_colour, ui.available_width());
            let galley = ui.fonts_mut(|f| f.layout_job(job));
            let resp = ui.add(egui::Label::new(galley.clone()).sense(egui::Sense::click()));
            if resp.clicked() {
                if let Some(pos) = resp.interact_pointer_pos() {
                    clicked = Some(galley.cursor_from_pos(pos - resp.rect.min).index.0);
                }
            }
            if s.scroll_to_selection {
                if let Some(sp) = s
                    .selected
                    .and_then(|i| s.doc().and_then(|d| d.file.spans.get(i)))
                {
                    let r = galley.pos_from_cursor(egui::text::CCursor::new(sp.start));
                    scroll_rect = Some(r.translate(resp.rect.min.to_vec2()).expand(40.0));
                }
            }
            if let Some(r) = scroll_rect {
                ui.scroll_to_rect(r, Some(egui::Align::Center));
            }
        });
    if scroll_rect.is_some() {
        s.scroll_to_selection = false;
    }
    if let Some(c) = clicked {
        let hit = s.doc().and_then(|d| {
            d.file
                .spans
                .iter()
                .position(|sp| sp.start <= c && c < sp.end && s.visible(sp))
        });
        if hit.is_some() {
            s.selected = hit;
        }
    }
}
