//! Review mode's widgets: choosing annotators, the review panel (progress, the selected
//! item's versions and values side by side, gold there, the legend), the merged article
//! ([`article`]) and the agreement panel ([`agreement`]).

mod agreement;
mod article;
mod item;

use std::collections::BTreeSet;

use eframe::egui::{self, RichText};

pub use agreement::agreement_ui;
pub use article::{GalleyKey, review_article_ui};
pub use item::ValueBuffers;

use super::commands::{Command, Cx};
use super::theme;
use crate::review::{self, Kind};

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
    legend_ui(ui);
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
        Some(item) => item::item_ui(ui, cx, &item),
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
}

fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        for k in Kind::ALL {
            ui.label(
                RichText::new(k.describe())
                    .background_color(theme::kind(k))
                    .color(theme::ON_HIGHLIGHT),
            );
        }
        ui.label(RichText::new("settled (agreed or in gold): label colour, underlined").small());
    });
}
