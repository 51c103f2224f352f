//! Messages for the analyst — a save that failed, a file reloaded, an export written — in one
//! list, each with its level and time, dismissed by hand; information fades by itself after a
//! while, warnings and errors stay until dismissed.

use std::time::{Duration, Instant};

use eframe::egui::{self, RichText};

use super::theme;
use crate::session::{Level, Notice};

/// How long information stays.
const INFO_FOR: Duration = Duration::from_secs(20);

/// One message.
#[derive(Debug, Clone)]
pub struct Notification {
    /// How much it matters.
    pub level: Level,
    /// What it says.
    pub text: String,
    /// When it was (last) said.
    pub at: Instant,
}

/// The messages shown, oldest first.
#[derive(Debug, Default)]
pub struct Notifications {
    items: Vec<Notification>,
}

impl Notifications {
    /// Adds a message; the same text again is moved to the end with the new time, not repeated.
    pub fn push(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        self.items.retain(|n| n.text != text);
        self.items.push(Notification {
            level,
            text,
            at: Instant::now(),
        });
    }

    /// Adds the session's notices.
    pub fn extend(&mut self, notices: Vec<Notice>) {
        for n in notices {
            self.push(n.level, n.text);
        }
    }

    /// The messages shown now.
    pub fn items(&self) -> &[Notification] {
        &self.items
    }

    /// Removes message `i`.
    pub fn dismiss(&mut self, i: usize) {
        if i < self.items.len() {
            self.items.remove(i);
        }
    }

    /// Shows the messages, newest last, each with a button that dismisses it.
    pub fn show_ui(&mut self, ui: &mut egui::Ui) {
        self.items
            .retain(|n| n.level != Level::Info || n.at.elapsed() < INFO_FOR);
        if let Some(first) = self
            .items
            .iter()
            .filter(|n| n.level == Level::Info)
            .map(|n| n.at)
            .min()
        {
            ui.ctx()
                .request_repaint_after(INFO_FOR.saturating_sub(first.elapsed()));
        }
        let text = ui.visuals().text_color();
        let mut dismiss = None;
        for (i, n) in self.items.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .small_button("✕")
                    .on_hover_text("Dismiss this message")
                    .clicked()
                {
                    dismiss = Some(i);
                }
                ui.label(RichText::new(&n.text).color(theme::level(n.level, text)))
                    .on_hover_text(age(n.at));
            });
        }
        if let Some(i) = dismiss {
            self.dismiss(i);
        }
    }
}

/// How long ago `at` was, in words.
fn age(at: Instant) -> String {
    match at.elapsed().as_secs() {
        0..=4 => "just now".into(),
        s @ 5..=119 => format!("{s} s ago"),
        s => format!("{} min ago", s / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_message_is_not_repeated_and_dismiss_removes() {
        let mut n = Notifications::default();
        n.push(Level::Error, "could not save");
        n.push(Level::Info, "exported");
        n.push(Level::Error, "could not save");
        let texts: Vec<&str> = n.items().iter().map(|x| x.text.as_str()).collect();
        assert_eq!(texts, ["exported", "could not save"]);
        n.dismiss(1);
        n.dismiss(7);
        assert_eq!(n.items().len(), 1);
    }
}
