//! The agreement panel (below the article in review mode): per label exact-span F1 and
//! character kappa, and per figure label the agreement on normalised values among exactly
//! matching spans, for the corpus and the open document, with a bar chart.

use std::collections::BTreeSet;

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::super::commands::Cx;
use super::super::theme;
use crate::review::{Agreement, DocumentAgreement, ValueScore};

fn f(x: Option<f64>) -> String {
    x.map_or("–".to_owned(), |v| format!("{v:.3}"))
}

/// The agreement panel.
pub fn agreement_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let s = &mut *cx.s;
    let mut recompute = false;
    let mut changed = false;
    let Some(mut percent) = s.review.as_ref().map(|r| r.tolerance * 100.0) else {
        ui.label("Start a review to compare annotators.");
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("agreement")
        .show(ui, |ui| {
            let Some(a) = &s.agreement else {
                ui.label("Start a review to compare annotators.");
                return;
            };
            ui.horizontal(|ui| {
                ui.strong("Agreement");
                ui.label(format!("{} · mean over pairs", a.annotators.join(" vs ")));
                if ui.button("Recompute").clicked() {
                    recompute = true;
                }
            });
            // This document, from the merged items (what is on screen now).
            let this_doc = s
                .review
                .as_ref()
                .and_then(|r| r.doc())
                .map(|d| &d.agreement);
            // Spans on the left, figures' values on the right, the chart below.
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    spans_table_ui(ui, a, this_doc);
                    if !a.partial.is_empty() {
                        ui.label(
                            RichText::new(format!(
                                "Not annotated by everyone (left out): {}",
                                a.partial.keys().cloned().collect::<Vec<_>>().join(", ")
                            ))
                            .small(),
                        );
                    }
                });
                ui.separator();
                ui.vertical(|ui| {
                    ui.horizontal(|ui| {
                        ui.strong("Figure values");
                        ui.label("tolerance");
                        let resp = ui.add(
                            egui::DragValue::new(&mut percent)
                                .range(0.0..=100.0)
                                .speed(0.1)
                                .suffix(" %"),
                        );
                        changed |= resp.changed();
                        // Recomputed once the value settles (the corpus is read again).
                        if resp.drag_stopped() || (resp.changed() && !resp.dragged()) {
                            recompute = true;
                        }
                    });
                    ui.label(RichText::new("among spans marked exactly alike").small());
                    values_table_ui(ui, a, this_doc);
                });
            });
            ui.add_space(6.0);
            chart_ui(ui, a);
        });
    if changed && let Some(r) = s.review.as_mut() {
        r.tolerance = percent / 100.0;
    }
    if recompute {
        s.compute_agreement();
    }
}

/// Exact-span F1, kappa and raw agreement per label, corpus and document.
fn spans_table_ui(ui: &mut egui::Ui, a: &Agreement, this_doc: Option<&DocumentAgreement>) {
    egui::Grid::new("agreement-table")
        .striped(true)
        .show(ui, |ui| {
            for h in ["label", "corpus F1", "kappa", "raw", "document F1", "kappa"] {
                ui.strong(h);
            }
            ui.end_row();
            let mut labels: BTreeSet<&String> = a.per_label.keys().collect();
            if let Some(d) = this_doc {
                labels.extend(d.per_label.keys());
            }
            for l in labels {
                let sc = a.per_label.get(l);
                let dc = this_doc.and_then(|d| d.per_label.get(l));
                ui.label(l);
                ui.label(f(sc.and_then(|x| x.f1)));
                ui.label(f(sc.and_then(|x| x.kappa)));
                ui.label(f(sc.and_then(|x| x.raw)));
                ui.label(f(dc.and_then(|x| x.f1)));
                ui.label(f(dc.and_then(|x| x.kappa)));
                ui.end_row();
            }
            let dc = this_doc.map(|d| d.overall);
            ui.strong("overall");
            ui.label(f(a.overall.f1));
            ui.label(f(a.overall.kappa));
            ui.label(f(a.overall.raw));
            ui.label(f(dc.and_then(|x| x.f1)));
            ui.label(f(dc.and_then(|x| x.kappa)));
            ui.end_row();
        });
}

/// Per figure label: spans marked exactly alike, the share with identical values and within
/// the tolerance, corpus and document; then how many spans were valued differently.
fn values_table_ui(ui: &mut egui::Ui, a: &Agreement, this_doc: Option<&DocumentAgreement>) {
    let v = &a.values;
    if v.per_label.is_empty() {
        ui.label(RichText::new("No figure marked exactly alike by two annotators.").weak());
        return;
    }
    egui::Grid::new("value-agreement-table")
        .striped(true)
        .show(ui, |ui| {
            // 0.07 × 100 is 7.000000000000001: shown to two decimals at most.
            let within = format!("within {}%", (v.tolerance * 1e4).round() / 1e2);
            for h in ["label", "matched", "identical", within.as_str()] {
                ui.strong(h);
            }
            ui.end_row();
            let row = |ui: &mut egui::Ui, x: &ValueScore| {
                ui.label(x.matched.to_string());
                ui.label(f(x.identical_share));
                ui.label(f(x.within_share));
                ui.end_row();
            };
            for (l, x) in &v.per_label {
                ui.label(l);
                row(ui, x);
            }
            ui.strong("all figures");
            row(ui, &v.overall);
        });
    let here = this_doc.map(|d| &d.values);
    let text = format!(
        "This document: {} matched, identical {}.\nValued differently: {} in the corpus, {} in this document.",
        here.map_or(0, |h| h.overall.matched),
        f(here.and_then(|h| h.overall.identical_share)),
        v.disagreements.len(),
        here.map_or(0, |h| h.disagreements.len()),
    );
    ui.label(RichText::new(text).small());
}

/// F1 and kappa per label as bars.
fn chart_ui(ui: &mut egui::Ui, a: &Agreement) {
    let f1: Vec<Bar> = a
        .per_label
        .iter()
        .enumerate()
        .map(|(i, (l, sc))| {
            Bar::new(i as f64 - 0.2, sc.f1.unwrap_or(0.0))
                .width(0.38)
                .name(format!("{l} F1"))
        })
        .collect();
    let kappa: Vec<Bar> = a
        .per_label
        .iter()
        .enumerate()
        .map(|(i, (l, sc))| {
            Bar::new(i as f64 + 0.2, sc.kappa.unwrap_or(0.0))
                .width(0.38)
                .name(format!("{l} kappa"))
        })
        .collect();
    let names: Vec<String> = a.per_label.keys().cloned().collect();
    let n = names.len();
    Plot::new("agreement-plot")
        .legend(Legend::default())
        .height(200.0)
        .width(ui.available_width().min(640.0))
        .include_y(0.0)
        .include_y(1.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        // One mark per label, named.
        .x_grid_spacer(move |_| {
            (0..n)
                .map(|i| egui_plot::GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |p| {
            p.bar_chart(BarChart::new("F1", f1).color(theme::PALETTE[0]));
            p.bar_chart(BarChart::new("kappa", kappa).color(theme::PALETTE[1]));
        });
}
