//! Review mode's widgets: choosing annotators, the merged article (agreed spans settled,
//! disagreements marked by kind), each annotator's version side by side with the keys that
//! resolve it, and the agreement panel with its chart.

use std::collections::BTreeSet;

use eframe::egui::{self, Color32, RichText, text::LayoutJob};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::commands::{Command, Cx};
use super::theme;
use crate::review::{self, Kind};
use crate::session::ReviewSession;

/// What the merged article's layout depends on: document, gold revision, selected item,
/// width, dark mode.
pub type GalleyKey = (usize, u64, Option<usize>, u32, bool);

/// The "Review" menu: pick two or more annotators and start, or stop reviewing.
pub fn review_menu_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let mut choice = std::mem::take(&mut cx.view.review_choice);
    review_menu_inner_ui(ui, cx, &mut choice);
    cx.view.review_choice = choice;
}

fn review_menu_inner_ui(ui: &mut egui::Ui, cx: &mut Cx, choice: &mut BTreeSet<String>) {
    let s = &mut *cx.s;
    // Ticking annotators keeps the menu open; "Start review" closes it.
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::containers::menu::MenuButton::new("Review")
        .config(config)
        .ui(ui, |ui| {
            if s.review.is_some() {
                if ui.button("Stop review").clicked() {
                    if s.stop_review() {
                        cx.view.show_agreement = false;
                        cx.view.relayout();
                    }
                    ui.close();
                }
                return;
            }
            let names: Vec<String> = s
                .store
                .annotators()
                .into_iter()
                .filter(|n| n != review::GOLD)
                .collect();
            if names.len() < 2 {
                ui.label("Review needs the folders of two or more annotators under annotations/.");
                return;
            }
            ui.label("Compare:");
            for n in &names {
                let mut on = choice.contains(n);
                if ui.checkbox(&mut on, n).changed() {
                    if on {
                        choice.insert(n.clone());
                    } else {
                        choice.remove(n);
                    }
                }
            }
            let ok = choice.len() >= 2;
            if ui
                .add_enabled(ok, egui::Button::new("Start review"))
                .on_disabled_hover_text("Choose two or more annotators")
                .clicked()
            {
                s.start_review(choice.iter().cloned().collect());
                cx.view.show_agreement = true;
                ui.close();
            }
        });
}

/// The right-hand panel in review mode: progress, the selected disagreement with every
/// annotator's version, the gold spans there (editable), and the commands.
pub fn review_panel_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let s = &*cx.s;
    let Some(r) = s.review.as_ref() else { return };
    ui.heading("Review");
    ui.label(format!(
        "{} · reviewer {}",
        r.annotators.join(" vs "),
        r.reviewer
    ));
    let Some(d) = r.doc() else { return };
    let (resolved, all) = d.progress();
    ui.label(format!("{resolved} of {all} disagreements resolved"));
    if let Some(e) = &d.gold.load_error {
        ui.colored_label(theme::ERROR, e);
    }
    if !d.missing.is_empty() {
        ui.colored_label(
            theme::WARNING,
            format!("No file from {} for this document.", d.missing.join(", ")),
        );
    }
    ui.horizontal(|ui| {
        Command::PreviousDisagreement.button_ui(ui, cx);
        Command::NextDisagreement.button_ui(ui, cx);
    });
    ui.separator();
    let s = &*cx.s;
    let Some(r) = s.review.as_ref() else { return };
    match r.current_item().cloned() {
        Some(item) => item_ui(ui, cx, &item),
        None => {
            ui.label("No disagreement in this document.");
        }
    }
    ui.separator();
    ui.horizontal(|ui| Command::MarkGoldDone.button_ui(ui, cx));
    let s = &*cx.s;
    let Some(r) = s.review.as_ref() else { return };
    let saved = if s.save_error.is_some() {
        RichText::new("● gold not saved").color(theme::ERROR)
    } else if r.dirty() {
        RichText::new("● saving gold…").color(theme::PENDING)
    } else {
        RichText::new("✔ gold saved").color(theme::OK)
    };
    ui.label(saved);
    ui.label(
        RichText::new(format!(
            "annotations/{}/{}.ron",
            review::GOLD,
            s.corpus.id(r.current)
        ))
        .small()
        .weak(),
    );
    legend_ui(ui);
}

/// One disagreement: each annotator's version with the button that takes it, and the gold
/// spans there with their labels.
fn item_ui(ui: &mut egui::Ui, cx: &mut Cx, item: &review::Item) {
    let s = &*cx.s;
    let Some(r) = s.review.as_ref() else { return };
    let Some(d) = r.doc() else { return };
    let Ok(doc) = s.corpus.doc(r.current) else {
        return;
    };
    let state = match item.kind {
        None => "agreed".to_owned(),
        Some(k) if review::is_resolved(&d.gold.file, item) => {
            format!("{} · resolved", k.describe())
        }
        Some(k) => k.describe().to_owned(),
    };
    ui.label(RichText::new(format!("“{}”", doc.slice(item.range.clone()))).size(18.0));
    ui.label(state);
    ui.add_space(4.0);
    let schema = s.schema.clone();
    // The gold spans here, editable.
    let gold: Vec<(usize, crate::model::Span)> = d
        .gold
        .spans()
        .iter()
        .enumerate()
        .filter(|(_, g)| g.overlaps(&item.range))
        .map(|(i, g)| (i, g.clone()))
        .collect();
    for (k, (name, spans)) in item.versions.iter().enumerate() {
        ui.group(|ui| {
            ui.label(RichText::new(format!("{} · {name}", k + 1)).strong());
            if spans.is_empty() {
                ui.label(RichText::new("nothing here").weak());
            }
            for sp in spans {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(&sp.label)
                            .background_color(theme::rgb(schema.colour(&sp.label)))
                            .color(theme::ON_HIGHLIGHT),
                    );
                    ui.label(format!("{} ({}..{})", sp.text, sp.start, sp.end));
                });
            }
            if !item.agreed()
                && let Ok(k) = u8::try_from(k + 1)
            {
                let text = format!("Take {name}'s version ({k})");
                Command::TakeVersion(k).named_button_ui(ui, cx, &text);
            }
        });
    }
    if !item.agreed() {
        Command::DropVersions.named_button_ui(ui, cx, "Drop all versions (X)");
    }
    ui.separator();
    ui.label(RichText::new("Gold here").strong());
    if gold.is_empty() {
        ui.label(RichText::new("nothing").weak());
    }
    let mut relabel = None;
    for (i, g) in gold {
        ui.horizontal(|ui| {
            ui.label(&g.text);
            let mut label = g.label.clone();
            egui::ComboBox::new(("gold-label", i), "label")
                .selected_text(&label)
                .show_ui(ui, |ui| {
                    for l in &schema.labels {
                        ui.selectable_value(&mut label, l.name.clone(), &l.name);
                    }
                });
            if label != g.label {
                relabel = Some((i, label));
            }
        });
    }
    if let (Some((i, l)), Some(r)) = (relabel, cx.s.review.as_mut()) {
        r.relabel_gold(i, &l);
    }
}

fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        for k in [
            Kind::DifferentLabel,
            Kind::DifferentBoundaries,
            Kind::OnlySome,
        ] {
            ui.label(
                RichText::new(k.describe())
                    .background_color(theme::kind(k))
                    .color(theme::ON_HIGHLIGHT),
            );
        }
        ui.label(RichText::new("settled (agreed or in gold): label colour, underlined").small());
    });
}

/// The merged article: agreed and resolved spans in their label's colour, unresolved
/// disagreements by kind, the selected item underlined. Click an item to select it.
pub fn review_article_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let s = &mut *cx.s;
    let cache = &mut cx.view.review;
    let corpus = s.corpus.clone();
    let schema = &s.schema;
    let Some(r) = s.review.as_mut() else { return };
    let doc = match corpus.doc(r.current) {
        Ok(d) => d,
        Err(e) => {
            ui.colored_label(
                super::theme::ERROR,
                format!("This article cannot be opened: {e}"),
            );
            return;
        }
    };
    ui.heading(doc.title());
    ui.separator();
    let text_colour = ui.visuals().text_color();
    let wrap = ui.available_width();
    // Laid out again only when the document, its gold file, the selection or the width change.
    let key = (
        r.current,
        r.doc().map_or(0, |d| d.gold.history.revision),
        r.item,
        wrap as u32,
        ui.visuals().dark_mode,
    );
    let cached = cache
        .as_ref()
        .filter(|(k, _)| *k == key)
        .map(|(_, g)| g.clone());
    let mut clicked = None;
    let mut scroll = None;
    egui::ScrollArea::vertical().show(ui, |ui| {
        let galley = cached.unwrap_or_else(|| {
            let job = merged_job(r, schema, &doc, text_colour, wrap);
            let g = ui.fonts_mut(|f| f.layout_job(job));
            *cache = Some((key, g.clone()));
            g
        });
        let resp = ui.add(
            egui::Label::new(galley.clone())
                .selectable(false)
                .sense(egui::Sense::click()),
        );
        if resp.clicked()
            && let Some(pos) = resp.interact_pointer_pos()
        {
            clicked = Some(galley.cursor_from_pos(pos - resp.rect.min).index.0);
        }
        if r.scroll_to_item
            && let Some(item) = r.current_item()
        {
            let rect = galley.pos_from_cursor(egui::text::CCursor::new(item.range.start));
            scroll = Some(rect.translate(resp.rect.min.to_vec2()).expand(40.0));
        }
        if let Some(rect) = scroll {
            ui.scroll_to_rect(rect, Some(egui::Align::Center));
            r.scroll_to_item = false;
        }
    });
    if let Some(c) = clicked {
        r.select_at(c);
    }
}

fn merged_job(
    r: &ReviewSession,
    schema: &crate::schema::Schema,
    doc: &crate::corpus::Document,
    text_colour: Color32,
    wrap: f32,
) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap;
    let Some(d) = r.doc() else { return job };
    let mut cuts = vec![0, doc.char_len()];
    for it in &d.items {
        cuts.push(it.range.start);
        cuts.push(it.range.end);
    }
    for g in d.gold.spans() {
        cuts.push(g.start);
        cuts.push(g.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b || b > doc.char_len() {
            continue;
        }
        let mut fmt = theme::article_text(text_colour);
        let item = d
            .items
            .iter()
            .enumerate()
            .find(|(_, it)| it.range.start <= a && b <= it.range.end);
        if let Some((k, it)) = item {
            let resolved = review::is_resolved(&d.gold.file, it);
            match (it.kind, resolved) {
                (Some(kind), false) => {
                    fmt.background = theme::kind(kind);
                    fmt.color = theme::ON_HIGHLIGHT;
                }
                _ => {
                    // Settled (agreed, or resolved into gold): quiet, in the gold span's label
                    // colour, underlined; only disagreements get a background.
                    if let Some(g) = d.gold.spans().iter().find(|g| g.start <= a && b <= g.end) {
                        let c = theme::rgb(schema.colour(&g.label));
                        fmt.color = c;
                        fmt.underline = egui::Stroke::new(2.0, c);
                    }
                }
            }
            if Some(k) == r.item {
                fmt.underline = egui::Stroke::new(3.0, theme::SELECTED);
            }
        }
        if doc.structure.in_boilerplate(a) && item.is_none() {
            fmt.color = theme::dimmed(text_colour);
        }
        job.append(doc.slice(a..b), 0.0, fmt);
    }
    job
}

/// The agreement panel (below the article in review mode): per label exact-span F1 and
/// character kappa, for the open document and the corpus, with a bar chart.
pub fn agreement_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let s = &mut *cx.s;
    let mut recompute = false;
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
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
            egui::Grid::new("agreement-table")
                .striped(true)
                .show(ui, |ui| {
                    for h in ["label", "corpus F1", "kappa", "raw", "document F1", "kappa"] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    let f = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{v:.3}"));
                    let mut labels: BTreeSet<&String> = a.per_label.keys().collect();
                    if let Some((_, per)) = &this_doc {
                        labels.extend(per.keys());
                    }
                    for l in labels {
                        let sc = a.per_label.get(l);
                        let dc = this_doc.as_ref().and_then(|(_, per)| per.get(l));
                        ui.label(l);
                        ui.label(f(sc.and_then(|x| x.f1)));
                        ui.label(f(sc.and_then(|x| x.kappa)));
                        ui.label(f(sc.and_then(|x| x.raw)));
                        ui.label(f(dc.and_then(|x| x.f1)));
                        ui.label(f(dc.and_then(|x| x.kappa)));
                        ui.end_row();
                    }
                    let dc = this_doc.as_ref().map(|(o, _)| *o);
                    ui.strong("overall");
                    ui.label(f(a.overall.f1));
                    ui.label(f(a.overall.kappa));
                    ui.label(f(a.overall.raw));
                    ui.label(f(dc.and_then(|x| x.f1)));
                    ui.label(f(dc.and_then(|x| x.kappa)));
                    ui.end_row();
                });
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
        let Some(a) = &s.agreement else { return };
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
            .height((ui.available_height() - 8.0).max(160.0))
            .width(ui.available_width().min(560.0))
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
    });
    if recompute {
        s.compute_agreement();
    }
}
