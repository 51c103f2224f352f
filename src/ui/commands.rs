//! Keyboard commands of the annotation window, handled before the widgets each frame.

use eframe::egui::{self, Key, Modifiers};

use super::state::Session;

use super::view::digit_key;

/// Handles the annotation keys; returns true when Ctrl+F asked for the search field.
pub(super) fn handle_keys(ctx: &egui::Context, s: &mut Session) -> bool {
    if ctx.egui_wants_keyboard_input() {
        return false; // typing in a text field
    }
    let mut search = false;
    // Tab belongs to the annotation commands, not to focus navigation between buttons.
    ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.surrender_focus(id);
        }
        m.move_focus(egui::FocusDirection::None);
    });
    let labels: Vec<(char, String)> = s
        .schema
        .labels
        .iter()
        .filter_map(|l| l.hotkey.map(|k| (k, l.name.clone())))
        .collect();
    ctx.input_mut(|i| {
        let ctrl = Modifiers::COMMAND;
        if i.consume_key(ctrl | Modifiers::SHIFT, Key::Z) || i.consume_key(ctrl, Key::Y) {
            s.redo();
        }
        if i.consume_key(ctrl, Key::Z) {
            s.undo();
        }
        if i.consume_key(ctrl, Key::S) {
            s.save_all();
        }
        if i.consume_key(ctrl, Key::D) {
            s.mark_done_and_next();
        }
        if i.consume_key(ctrl, Key::F) {
            search = true;
        }
        if i.consume_key(ctrl, Key::K) {
            s.show_consistency = !s.show_consistency;
            if s.show_consistency {
                s.check_consistency();
            }
        }
        if i.consume_key(Modifiers::NONE, Key::Escape) {
            s.pending = None;
        }
        if i.consume_key(Modifiers::SHIFT, Key::Tab) {
            s.select_next(false);
        }
        if i.consume_key(Modifiers::NONE, Key::Tab) {
            s.select_next(true);
        }
        if i.consume_key(Modifiers::NONE, Key::Enter) || i.consume_key(Modifiers::NONE, Key::A) {
            s.accept();
        }
        if i.consume_key(Modifiers::NONE, Key::X) || i.consume_key(Modifiers::NONE, Key::Delete) {
            s.reject();
        }
        // By words first (Ctrl+Shift / Ctrl+Alt), then by chars (Shift / Alt).
        if i.consume_key(ctrl | Modifiers::SHIFT, Key::ArrowLeft) {
            s.resize_by_word(true, false);
        }
        if i.consume_key(ctrl | Modifiers::SHIFT, Key::ArrowRight) {
            s.resize_by_word(false, true);
        }
        if i.consume_key(ctrl | Modifiers::ALT, Key::ArrowLeft) {
            s.resize_by_word(false, false);
        }
        if i.consume_key(ctrl | Modifiers::ALT, Key::ArrowRight) {
            s.resize_by_word(true, true);
        }
        if i.consume_key(Modifiers::SHIFT, Key::ArrowLeft) {
            s.resize(-1, 0);
        }
        if i.consume_key(Modifiers::SHIFT, Key::ArrowRight) {
            s.resize(0, 1);
        }
        if i.consume_key(Modifiers::ALT, Key::ArrowLeft) {
            s.resize(0, -1);
        }
        if i.consume_key(Modifiers::ALT, Key::ArrowRight) {
            s.resize(1, 0);
        }
        for (k, name) in &labels {
            if let Some(key) = k.to_digit(10).and_then(digit_key)
                && i.consume_key(Modifiers::NONE, key)
            {
                match s.pending.clone() {
                    Some(r) => s.add_span(r, name),
                    None => s.relabel(name),
                }
            }
        }
    });
    search
}
