//! The list of spans that moved or lost their place because the article changed since the
//! file was written, above the article until the analyst confirms: each entry selects its
//! span.

use eframe::egui::{self, RichText};

use super::theme;
use crate::session::Session;

/// The list for the open document, if re-anchoring moved or lost spans there.
pub(super) fn reanchored_ui(ui: &mut egui::Ui, s: &mut Session) {
    let Some(r) = s.reanchored() else { return };
    let mut select = None;
    let mut confirm = false;
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(
            theme::WARNING,
            format!(
                "The article changed since this file was written: {} spans moved, {} could not be found. Check them:",
                r.moved.len(),
                r.lost.len()
            ),
        );
        confirm = ui
            .button("Confirm")
            .on_hover_text("The list goes and the file is saved against the new text")
            .clicked();
    });
    egui::ScrollArea::vertical()
        .id_salt("reanchored")
        .max_height(90.0)
        .show(ui, |ui| {
            for (k, entry) in r.moved.iter().chain(&r.lost).enumerate() {
                let text = match &entry.to {
                    Some(to) => format!(
                        "{} “{}” moved {}..{} → {}..{}",
                        entry.label, entry.text, entry.from.start, entry.from.end, to.start, to.end
                    ),
                    None => format!(
                        "{} “{}” at {}..{}: not found, kept and flagged",
                        entry.label, entry.text, entry.from.start, entry.from.end
                    ),
                };
                let text = if entry.to.is_some() {
                    RichText::new(text)
                } else {
                    RichText::new(text).color(theme::ERROR)
                };
                if ui.link(text).clicked() {
                    select = Some(k);
                }
            }
        });
    if let Some(k) = select {
        s.select_reanchored(k);
    }
    if confirm {
        s.confirm_reanchored();
    }
}
