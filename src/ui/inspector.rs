//! The inspector: the selected span's label, status, origin, value, unit, approx flag and
//! note, and the legend with counts, hotkeys and "Accept all".

use eframe::egui::{self, RichText};

use super::commands::{Command, Cx};
use super::theme;
use crate::model::span::Status;

/// The value, unit, approx and note fields while they are edited, and the span they are for.
#[derive(Default)]
pub(super) struct EditBuffers {
    for_span: Option<(usize, usize, usize, String)>,
    value: String,
    unit: String,
    approx: bool,
    note: String,
}

/// The right panel in annotation mode: the legend, then the new or selected span.
pub(super) fn inspector_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    legend_ui(ui, cx);
    ui.separator();
    let s = &*cx.s;
    if let Some(r) = s.pending.clone() {
        ui.heading("New span");
        if let Some(doc) = s.document() {
            ui.label(RichText::new(doc.slice(r)).size(20.0));
        }
        ui.label("Press a label's key or click a label to add it; Esc cancels.");
        ui.separator();
        ui.label("Or correct the article's structure with these lines:");
        ui.horizontal_wrapped(|ui| {
            for c in [
                Command::MarkTitle,
                Command::MarkBoilerplate,
                Command::MarkText,
                Command::BodyStart,
                Command::BodyEnd,
            ] {
                c.button_ui(ui, cx);
            }
        });
        return;
    }
    if cx.s.doc().is_some_and(|d| !d.file.structure.is_empty()) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Structure corrected by hand.").small());
            Command::ResetStructure.button_ui(ui, cx);
        });
    }
    let s = &*cx.s;
    ui.heading("Selected span");
    if s.selected_span().is_some() {
        span_ui(ui, cx);
    } else {
        ui.label("No span selected. Tab goes to the next suggestion.");
    }
}

/// The labels: a check box that shows or hides each, its chip (a click labels, like its
/// key), its count and "Accept all".
fn legend_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    ui.heading("Labels");
    let s = &*cx.s;
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
    let labels = s.schema.labels.clone();
    let mut accept_all = None;
    for (l, (_, n)) in labels.iter().zip(&counts) {
        ui.horizontal(|ui| {
            let mut shown = !cx.view.hidden_labels.contains(&l.name);
            if ui
                .checkbox(&mut shown, "")
                .on_hover_text(format!("show {} in the article", l.name))
                .changed()
                && !cx.view.hidden_labels.remove(&l.name)
            {
                cx.view.hidden_labels.insert(l.name.clone());
            }
            let key = l.hotkey.map(|k| k.to_string()).unwrap_or_default();
            let chip = RichText::new(format!(" {key} {} ", l.name))
                .background_color(theme::rgb(l.colour))
                .color(theme::ON_HIGHLIGHT);
            let button = egui::Button::new(chip);
            let clicked = ui.add(button).on_hover_text(&l.description).clicked();
            if clicked {
                match l.hotkey {
                    Some(k) => Command::Label(k).run(cx),
                    None => cx.s.label_key(&l.name),
                }
            }
            ui.label(format!("{n}"));
            if *n > 0 && ui.small_button(format!("Accept all {}", l.name)).clicked() {
                accept_all = Some(l.name.clone());
            }
        });
    }
    if let Some(l) = accept_all {
        cx.s.accept_all(&l);
    }
}

/// The selected span: its label, status, origin, range; value, unit, approx and note fields;
/// accept and reject.
fn span_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let s = &mut *cx.s;
    let edit = &mut cx.view.edit;
    let Some(sp) = s.selected_span().cloned() else {
        return;
    };
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
            .and_then(|i| s.doc().and_then(|d| d.spans().get(i)))
            .map(|sp| (s.current, sp.start, sp.end, sp.label.clone()));
    }
    ui.horizontal(|ui| {
        Command::Accept.button_ui(ui, cx);
        Command::Reject.button_ui(ui, cx);
    });
}
