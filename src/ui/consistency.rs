//! The consistency panel: groups of the same string labelled differently, labelled here and
//! not there, or given different values; each occurrence jumps to its place, and one decision
//! applies to the whole group (undoable as one step).

use eframe::egui::{self, RichText};

use super::commands::Cx;
use super::theme;
use crate::consistency::{Decision, Kind, State};

/// The consistency window (`open` turns false when it is closed).
pub fn consistency_ui(ctx: &egui::Context, cx: &mut Cx, open: &mut bool) {
    if cx.s.consistency.is_none() && cx.jobs.consistency.is_none() {
        cx.jobs.start_consistency(cx.s, ctx);
    }
    let checking = cx.jobs.consistency.is_some();
    if checking {
        ctx.request_repaint_after(std::time::Duration::from_millis(30));
    }
    let s = &mut *cx.s;
    let mut jump = None;
    let mut decide: Option<(usize, Decision)> = None;
    let mut value_from: Option<(usize, usize)> = None;
    let mut recheck = false;
    let mut undo = false;
    egui::Window::new("Consistency")
        .open(open)
        .default_size([560.0, 440.0])
        .show(ctx, |ui| {
            let groups = s.consistency.as_deref().unwrap_or_default();
            ui.horizontal(|ui| {
                if ui.button("Check again").clicked() {
                    recheck = true;
                }
                if ui
                    .add_enabled(
                        !s.group_undo.is_empty(),
                        egui::Button::new("Undo group decision"),
                    )
                    .clicked()
                {
                    undo = true;
                }
                if checking {
                    ui.spinner();
                    ui.label("checking…");
                } else {
                    ui.label(match groups.len() {
                        0 => "No inconsistencies.".to_owned(),
                        1 => "1 group".to_owned(),
                        n => format!("{n} groups"),
                    });
                }
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (gi, g) in groups.iter().enumerate() {
                    let labels: Vec<String> =
                        g.labels.iter().map(|(l, n)| format!("{l}×{n}")).collect();
                    let title = format!(
                        "{}  ·  {}  ·  {}  ({})",
                        g.text,
                        g.kind.describe(),
                        labels.join(" "),
                        g.occurrences.len()
                    );
                    egui::CollapsingHeader::new(title)
                        .id_salt(("group", gi, &g.text))
                        .default_open(gi < 3)
                        .show(ui, |ui| {
                            for (oi, o) in g.occurrences.iter().enumerate() {
                                let colour = match o.state {
                                    State::Labelled => ui.visuals().text_color(),
                                    _ => theme::WARNING,
                                };
                                let text = o.describe();
                                if ui
                                    .selectable_label(false, RichText::new(text).color(colour))
                                    .on_hover_text("Open this occurrence")
                                    .clicked()
                                {
                                    jump = Some((o.doc_index, o.start..o.end));
                                }
                                if g.kind == Kind::DifferentValues
                                    && let Some(v) = &o.value
                                    && ui
                                        .small_button(format!("Use {v} for all “{}”", g.text))
                                        .clicked()
                                {
                                    value_from = Some((gi, oi));
                                }
                            }
                            ui.horizontal_wrapped(|ui| {
                                if g.kind != Kind::DifferentValues {
                                    for l in g.labels.keys() {
                                        if ui.button(format!("All “{}” as {l}", g.text)).clicked()
                                        {
                                            decide = Some((gi, Decision::Label(l.clone())));
                                        }
                                    }
                                }
                                if ui.button(format!("Reject all “{}”", g.text)).clicked() {
                                    decide = Some((gi, Decision::Reject));
                                }
                            });
                        });
                }
            });
        });
    if let Some((gi, oi)) = value_from
        && let Some(v) = s.occurrence_value(gi, oi)
    {
        decide = Some((gi, Decision::Value(v)));
    }
    if let Some((gi, d)) = decide {
        s.apply_group(gi, &d);
        recheck = true;
    }
    if undo {
        s.undo_group();
        recheck = true;
    }
    if recheck {
        cx.jobs.start_consistency(s, ctx);
    }
    if let Some((i, r)) = jump {
        s.jump_to(i, r);
    }
}
