//! What the command table says about itself: the help line under the top bar and the keys
//! window, both generated from [`super::commands::Command`].

use eframe::egui;

use super::commands::Command::{self, Label, PreviousDisagreement, Reject, RelabelGold};
use super::commands::{Cx, Mode};

/// The help line under the top bar: the keys of the mode's everyday commands.
pub fn help_line(mode: Mode, schema: &crate::schema::Schema) -> String {
    let all = Command::all(mode, schema);
    let mut parts: Vec<String> = Vec::new();
    let digits: Vec<char> = schema.labels.iter().filter_map(|l| l.hotkey).collect();
    let span = match (digits.iter().min(), digits.iter().max()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    for c in &all {
        if let Some(h) = c.help() {
            parts.push(format!("{} {h}", c.keys_text()));
        }
        match (mode, c) {
            (Mode::Annotate, Reject) if !span.is_empty() => parts.push(format!("{span} label")),
            (Mode::Review, PreviousDisagreement) => {
                parts.push("1–9 take a version".into());
                if !span.is_empty() {
                    parts.push(format!("Ctrl+{span} relabel gold here"));
                }
            }
            _ => {}
        }
    }
    parts.join(" · ")
}

/// The keys window: every command of the mode with its keys.
pub fn keys_ui(ctx: &egui::Context, cx: &mut Cx, open: &mut bool) {
    let (mode, schema) = (Mode::of(cx.s), &cx.s.schema);
    egui::Window::new("Keys").open(open).show(ctx, |ui| {
        egui::Grid::new("keys").striped(true).show(ui, |ui| {
            for c in Command::all(mode, schema) {
                let keys = c.keys_text();
                if keys.is_empty() {
                    continue;
                }
                let label = |k| {
                    schema
                        .by_hotkey(k)
                        .map(|l| l.name.clone())
                        .unwrap_or_default()
                };
                let name = match c {
                    Label(k) => format!("Label {}", label(k)),
                    RelabelGold(k) => format!("Relabel gold {}", label(k)),
                    _ => c.name(),
                };
                ui.label(keys);
                ui.label(name);
                ui.label(egui::RichText::new(c.describe()).weak());
                ui.end_row();
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn the_help_line_names_the_everyday_keys() {
        let line = help_line(Mode::Annotate, &Schema::default());
        for part in ["Tab next", "Enter or A accept", "0–9 label", "Ctrl+Z undo"] {
            assert!(line.contains(part), "{part} in {line}");
        }
        let review = help_line(Mode::Review, &Schema::default());
        assert!(review.contains("Tab or N next"), "{review}");
        assert!(review.contains("1–9 take a version"), "{review}");
    }
}
