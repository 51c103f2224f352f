//! The inspector: the selected span's label, status, origin, value, unit, approx flag and
//! note, and the legend with counts, hotkeys and "Accept all".

use eframe::egui::{self, Color32, RichText};

use super::state::Session;
use super::view::colour;
use crate::model::span::Status;

#[derive(Default)]
pub(super) struct EditBuffers {
    for_span: Option<(usize, usize, usize, String)>,
    value: String,
    unit: String,
    approx: bool,
    note: String,
}

pub(super) fn inspector_ui(ui: &mut egui::Ui, s: &mut Session, edit: &mut EditBuffers) {
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
    let mut toggle = None;
    for (l, (_, n)) in s.schema.labels.iter().zip(&counts) {
        ui.horizontal(|ui| {
            let mut shown = !s.hidden_labels.contains(&l.name);
            if ui
                .checkbox(&mut shown, "")
                .on_hover_text(format!("show {} in the article", l.name))
                .changed()
            {
                toggle = Some(l.name.clone());
            }
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
    if let Some(l) = toggle
        && !s.hidden_labels.remove(&l)
    {
        s.hidden_labels.insert(l);
    }
    if let Some(l) = relabel {
        match s.pending.clone() {
            Some(r) => s.add_span(r, &l),
            None => s.relabel(&l),
        }
    }
    if let Some(l) = accept_all {
        s.accept_all(&l);
    }
    ui.separator();
    if let Some(r) = s.pending.clone() {
        ui.heading("New span");
        ui.label(RichText::new(s.corpus.docs[s.current].slice(r)).size(20.0));
        ui.label("Press a label's key or click a label to add it; Esc cancels.");
        return;
    }
    ui.heading("Selected span");
    let Some(d) = s.doc() else { return };
    match s.selected.and_then(|i| d.file.spans.get(i)) {
        Some(sp) => {
            ui.label(RichText::new(&sp.text).size(20.0));
            ui.label(format!("label: {}", sp.label));
            ui.label(format!("status: {}", sp.status.name()));
            ui.label(format!("origin: {}", sp.origin.name()));
            ui.label(format!("chars {}..{}", sp.start, sp.end));
            if let Some(m) = sp.value.as_ref().and_then(|v| v.value_max.as_ref()) {
                ui.label(format!("range up to {m}"));
            }
            // Edit buffers follow the selected span.
            let key = (s.current, sp.start, sp.end, sp.label.clone());
            if edit.for_span.as_ref() != Some(&key) {
                edit.for_span = Some(key);
                edit.value = sp
                    .value
                    .as_ref()
                    .map(|v| v.value.to_string())
                    .unwrap_or_default();
                edit.unit = sp
                    .value
                    .as_ref()
                    .and_then(|v| v.unit.clone())
                    .unwrap_or_default();
                edit.approx = sp.value.as_ref().is_some_and(|v| v.approx);
                edit.note = sp.note.clone().unwrap_or_default();
            }
            let is_figure = s.schema.is_figure(&sp.label);
            let mut apply = false;
            if is_figure {
                egui::Grid::new("value").num_columns(2).show(ui, |ui| {
                    let l = ui.label("value");
                    apply |= ui
                        .add(egui::TextEdit::singleline(&mut edit.value).desired_width(150.0))
                        .labelled_by(l.id)
                        .lost_focus();
                    ui.end_row();
                    let l = ui.label("unit");
                    apply |= ui
                        .add(egui::TextEdit::singleline(&mut edit.unit).desired_width(150.0))
                        .labelled_by(l.id)
                        .lost_focus();
                    ui.end_row();
                });
                apply |= ui.checkbox(&mut edit.approx, "approximate").changed();
            }
            let l = ui.label("note");
            apply |= ui
                .add(
                    egui::TextEdit::multiline(&mut edit.note)
                        .desired_rows(2)
                        .desired_width(240.0),
                )
                .labelled_by(l.id)
                .lost_focus();
            if apply {
                let (v, u, a, n) = (
                    edit.value.clone(),
                    edit.unit.clone(),
                    edit.approx,
                    edit.note.clone(),
                );
                if is_figure {
                    s.set_value(&v, &u, a);
                }
                s.set_note(&n);
                // The span may have moved in the list; keep the buffers attached to it.
                edit.for_span = s
                    .selected
                    .and_then(|i| s.doc().and_then(|d| d.file.spans.get(i)))
                    .map(|sp| (s.current, sp.start, sp.end, sp.label.clone()));
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
