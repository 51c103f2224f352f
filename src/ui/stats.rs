//! The statistics panel: progress per annotator, label counts across the corpus (a chart), and
//! how each suggestion rule's suggestions fared. Computed from the files on a background
//! thread, so a 10,000-document corpus does not stall the window.

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::commands::Cx;
use super::theme;

/// Draws the panel (a window) when open.
pub fn stats_ui(ctx: &egui::Context, cx: &mut Cx, open: &mut bool) {
    let computing = cx.jobs.stats.is_some();
    let s = &*cx.s;
    let mut refresh = false;
    egui::Window::new("Statistics")
        .open(open)
        .default_size([640.0, 560.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Refresh").clicked() {
                    refresh = true;
                }
                if computing {
                    ui.spinner();
                    ui.label("reading the annotation files…");
                }
            });
            let Some(st) = &cx.view.stats else { return };
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.strong("Progress");
                egui::Grid::new("stats-progress")
                    .striped(true)
                    .show(ui, |ui| {
                        for h in ["annotator", "done", "started", "spans", "pending"] {
                            ui.strong(h);
                        }
                        ui.end_row();
                        for p in &st.annotators {
                            ui.label(&p.annotator);
                            ui.add(
                                egui::ProgressBar::new(p.done as f32 / p.documents.max(1) as f32)
                                    .desired_width(140.0)
                                    .text(format!("{}/{}", p.done, p.documents)),
                            );
                            ui.label(p.started.to_string());
                            ui.label(p.spans.to_string());
                            ui.label(p.pending.to_string());
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                ui.strong("Accepted and added spans per label");
                let labels: Vec<String> = s.schema.labels.iter().map(|l| l.name.clone()).collect();
                let k = st.annotators.len().max(1) as f64;
                let width = 0.8 / k;
                Plot::new("stats-labels")
                    .legend(Legend::default())
                    .height(200.0)
                    .include_y(0.0)
                    .allow_drag(false)
                    .allow_zoom(false)
                    .allow_scroll(false)
                    .show(ui, |p| {
                        for (a, prog) in st.annotators.iter().enumerate() {
                            let bars: Vec<Bar> = labels
                                .iter()
                                .enumerate()
                                .map(|(i, l)| {
                                    let x = i as f64 - 0.4 + width * (a as f64 + 0.5);
                                    Bar::new(x, prog.labels.get(l).copied().unwrap_or(0) as f64)
                                        .width(width * 0.9)
                                        .name(format!("{} {l}", prog.annotator))
                                })
                                .collect();
                            p.bar_chart(
                                BarChart::new(prog.annotator.clone(), bars)
                                    .color(theme::PALETTE[a % theme::PALETTE.len()]),
                            );
                        }
                    });
                ui.label(
                    RichText::new(format!("bars, left to right: {}", labels.join(" · ")))
                        .small()
                        .weak(),
                );
                ui.add_space(6.0);
                ui.strong("Suggestion rules: how their suggestions fared");
                egui::Grid::new("stats-rules").striped(true).show(ui, |ui| {
                    for h in [
                        "rule",
                        "suggested",
                        "accepted",
                        "edited",
                        "rejected",
                        "pending",
                        "trust",
                    ] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for (rule, r) in &st.rules {
                        ui.label(rule);
                        for n in [r.suggested, r.accepted, r.edited, r.rejected, r.pending] {
                            ui.label(n.to_string());
                        }
                        ui.label(
                            r.trust()
                                .map_or("–".to_owned(), |t| format!("{:.0}%", t * 100.0)),
                        );
                        ui.end_row();
                    }
                });
                for p in &st.problems {
                    ui.colored_label(theme::WARNING, p);
                }
            });
        });
    if refresh {
        cx.jobs.start_stats(cx.s, ctx);
    }
}
