//! Every command of the window in one table — its name, its keys, when it is enabled, what it
//! does — read by the key handler, the buttons, the help line, the keys window and the tests
//! (rerun's `UICommand` is the model). Label keys come from the schema.

use std::cmp::Reverse;

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::jobs::Jobs;
use super::view::View;
use crate::session::Session;

/// What a command works on: an annotator's document, or the gold file in review mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Annotating.
    Annotate,
    /// Reviewing (adjudicating into gold).
    Review,
}

impl Mode {
    /// The session's mode.
    pub fn of(s: &Session) -> Self {
        if s.review.is_some() {
            Self::Review
        } else {
            Self::Annotate
        }
    }
}

/// What a command may touch.
pub struct Cx<'a> {
    /// The session.
    pub s: &'a mut Session,
    /// The window's state.
    pub view: &'a mut View,
    /// Background work.
    pub jobs: &'a mut Jobs,
    /// The egui context (jobs wake it).
    pub ctx: &'a egui::Context,
}

/// A command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Select the next unreviewed suggestion.
    Next,
    /// Select the previous unreviewed suggestion.
    Previous,
    /// Accept the selected span and move on.
    Accept,
    /// Reject the selected span and move on.
    Reject,
    /// The label with this hotkey: labels the text selected for a new span, else relabels
    /// the selected span.
    Label(char),
    /// Drop the text selected for a new span.
    CancelSelection,
    /// Widen the span to the left by a char.
    WidenLeft,
    /// Widen the span to the right by a char.
    WidenRight,
    /// Narrow the span from the right by a char.
    NarrowRight,
    /// Narrow the span from the left by a char.
    NarrowLeft,
    /// Widen to the left by a word.
    WidenLeftWord,
    /// Widen to the right by a word.
    WidenRightWord,
    /// Narrow from the right by a word.
    NarrowRightWord,
    /// Narrow from the left by a word.
    NarrowLeftWord,
    /// Undo (in the gold file in review mode).
    Undo,
    /// Redo.
    Redo,
    /// Save now.
    Save,
    /// Mark the document done and open the next unfinished one.
    MarkDone,
    /// Focus the search field.
    Find,
    /// Open or close the window of this name (see [`super::WINDOWS`]).
    Window(&'static str),
    /// Open or close the agreement panel (review mode).
    Agreement,
    /// Review: the next unresolved disagreement.
    NextDisagreement,
    /// Review: the previous one.
    PreviousDisagreement,
    /// Review: take annotator k's version (1-based).
    TakeVersion(u8),
    /// Review: drop every version.
    DropVersions,
    /// Review: relabel the gold spans of the selected disagreement (label by hotkey).
    RelabelGold(char),
    /// Review: mark the gold file done.
    MarkGoldDone,
    /// Structure: the selected line is the title.
    MarkTitle,
    /// Structure: the selected lines are boilerplate.
    MarkBoilerplate,
    /// Structure: the selected lines are the article's text.
    MarkText,
    /// Structure: the body starts at the selected line.
    BodyStart,
    /// Structure: the body ends with the selected line.
    BodyEnd,
    /// Structure: back to what the detector found.
    ResetStructure,
}

use Command::*;

/// The commands of both modes that do not depend on the schema or the windows.
const COMMON: [Command; 4] = [Undo, Redo, Save, Find];
/// Annotation mode's own commands.
const ANNOTATE: [Command; 12] = [
    Next,
    Previous,
    Accept,
    Reject,
    CancelSelection,
    MarkDone,
    MarkTitle,
    MarkBoilerplate,
    MarkText,
    BodyStart,
    BodyEnd,
    ResetStructure,
];
/// Widening and narrowing the selected span (in review mode, the gold span).
const RESIZE: [Command; 8] = [
    WidenLeft,
    WidenRight,
    NarrowRight,
    NarrowLeft,
    WidenLeftWord,
    WidenRightWord,
    NarrowRightWord,
    NarrowLeftWord,
];
/// Review mode's own commands.
const REVIEW: [Command; 5] = [
    NextDisagreement,
    PreviousDisagreement,
    DropVersions,
    MarkGoldDone,
    Agreement,
];

/// The key for digit `d`.
pub fn digit_key(d: u32) -> Option<Key> {
    Some(match d {
        0 => Key::Num0,
        1 => Key::Num1,
        2 => Key::Num2,
        3 => Key::Num3,
        4 => Key::Num4,
        5 => Key::Num5,
        6 => Key::Num6,
        7 => Key::Num7,
        8 => Key::Num8,
        9 => Key::Num9,
        _ => return None,
    })
}

fn key(modifiers: Modifiers, k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, k)
}

/// How a shortcut is written: `Ctrl+Shift+←`.
pub fn shortcut_text(sc: &KeyboardShortcut) -> String {
    let m = sc.modifiers;
    let mut out = String::new();
    for (on, name) in [
        (m.command || m.ctrl, "Ctrl+"),
        (m.shift, "Shift+"),
        (m.alt, "Alt+"),
    ] {
        if on {
            out.push_str(name);
        }
    }
    out.push_str(match sc.logical_key {
        Key::ArrowLeft => "←",
        Key::ArrowRight => "→",
        Key::Escape => "Esc",
        k => k.name(),
    });
    out
}

impl Command {
    /// Every command of `mode`, label keys from `schema`'s hotkeys.
    pub fn all(mode: Mode, schema: &crate::schema::Schema) -> Vec<Command> {
        let digits = || schema.labels.iter().filter_map(|l| l.hotkey);
        let mut out: Vec<Command> = match mode {
            Mode::Annotate => ANNOTATE.to_vec(),
            Mode::Review => REVIEW.to_vec(),
        };
        out.extend(RESIZE);
        out.extend(COMMON);
        out.extend(super::WINDOWS.iter().map(|w| Window(w.name)));
        match mode {
            Mode::Annotate => out.extend(digits().map(Label)),
            Mode::Review => {
                out.extend((1..=9).map(TakeVersion));
                out.extend(digits().map(RelabelGold));
            }
        }
        out
    }

    /// The name, as on its button.
    pub fn name(self) -> String {
        match self {
            Next => "Next suggestion".into(),
            Previous => "Previous suggestion".into(),
            Accept => "Accept".into(),
            Reject => "Reject".into(),
            Label(k) => format!("Label {k}"),
            CancelSelection => "Cancel the selection".into(),
            WidenLeft => "Widen left".into(),
            WidenRight => "Widen right".into(),
            NarrowRight => "Narrow from the right".into(),
            NarrowLeft => "Narrow from the left".into(),
            WidenLeftWord => "Widen left by a word".into(),
            WidenRightWord => "Widen right by a word".into(),
            NarrowRightWord => "Narrow from the right by a word".into(),
            NarrowLeftWord => "Narrow from the left by a word".into(),
            Undo => "Undo".into(),
            Redo => "Redo".into(),
            Save => "Save".into(),
            MarkDone => "Mark done".into(),
            Find => "Find".into(),
            Window(name) => name.into(),
            Agreement => "Agreement".into(),
            NextDisagreement => "Next disagreement".into(),
            PreviousDisagreement => "Previous".into(),
            TakeVersion(k) => format!("Take version {k}"),
            DropVersions => "Drop all versions".into(),
            RelabelGold(k) => format!("Relabel gold {k}"),
            MarkGoldDone => "Mark gold done".into(),
            MarkTitle => "Title".into(),
            MarkBoilerplate => "Boilerplate".into(),
            MarkText => "Article text".into(),
            BodyStart => "Body starts here".into(),
            BodyEnd => "Body ends here".into(),
            ResetStructure => "Reset structure".into(),
        }
    }

    /// What it does, for tooltips and the keys window.
    pub fn describe(self) -> &'static str {
        match self {
            Next | Previous => "select the next / previous unreviewed suggestion",
            Accept => "accept the selected span and move on",
            Reject => "reject the selected span and move on",
            Label(_) => "label the selected text as a new span, or relabel the selected span",
            CancelSelection => "drop the text selected for a new span",
            WidenLeft | WidenRight | NarrowRight | NarrowLeft => {
                "move one edge of the span (in review mode, the gold span) by a char"
            }
            WidenLeftWord | WidenRightWord | NarrowRightWord | NarrowLeftWord => {
                "move one edge of the span by a word (the segmenter's words)"
            }
            Undo | Redo => "undo / redo the last edit (in review mode, of the gold file)",
            Save => "save now (edits are also saved 0.8 s after the last one and on exit)",
            MarkDone => "mark the document done and open the next unfinished one",
            Find => "search the article",
            Window(name) => window(name).map_or("", |w| w.describe),
            Agreement => "agreement between the annotators per label",
            NextDisagreement | PreviousDisagreement => {
                "the next / previous unresolved disagreement"
            }
            TakeVersion(_) => "resolve the disagreement with this annotator's version",
            DropVersions => "resolve the disagreement by dropping every version",
            RelabelGold(_) => "give the gold spans of the disagreement this label",
            MarkGoldDone => "mark the gold file done",
            MarkTitle => "the selected line is the article's title",
            MarkBoilerplate => {
                "the selected lines are boilerplate (navigation, links, credits): no suggestions there"
            }
            MarkText => "the selected lines are the article's text: suggestions come there too",
            BodyStart | BodyEnd => "the article's body starts / ends at the selected line",
            ResetStructure => "forget the corrections: the detected title, body and boilerplate",
        }
    }

    /// Its keys, the first one shown.
    pub fn keys(self) -> Vec<KeyboardShortcut> {
        let none = Modifiers::NONE;
        let (ctrl, shift, alt) = (Modifiers::COMMAND, Modifiers::SHIFT, Modifiers::ALT);
        let digit = |c: char, m| c.to_digit(10).and_then(digit_key).map(|k| key(m, k));
        match self {
            Next => vec![key(none, Key::Tab)],
            Previous | PreviousDisagreement => vec![key(shift, Key::Tab)],
            Accept => vec![key(none, Key::Enter), key(none, Key::A)],
            Reject | DropVersions => vec![key(none, Key::X), key(none, Key::Delete)],
            Label(c) => digit(c, none).into_iter().collect(),
            CancelSelection => vec![key(none, Key::Escape)],
            WidenLeft => vec![key(shift, Key::ArrowLeft)],
            WidenRight => vec![key(shift, Key::ArrowRight)],
            NarrowRight => vec![key(alt, Key::ArrowLeft)],
            NarrowLeft => vec![key(alt, Key::ArrowRight)],
            WidenLeftWord => vec![key(ctrl | shift, Key::ArrowLeft)],
            WidenRightWord => vec![key(ctrl | shift, Key::ArrowRight)],
            NarrowRightWord => vec![key(ctrl | alt, Key::ArrowLeft)],
            NarrowLeftWord => vec![key(ctrl | alt, Key::ArrowRight)],
            Undo => vec![key(ctrl, Key::Z)],
            Redo => vec![key(ctrl | shift, Key::Z), key(ctrl, Key::Y)],
            Save => vec![key(ctrl, Key::S)],
            MarkDone | MarkGoldDone => vec![key(ctrl, Key::D)],
            Find => vec![key(ctrl, Key::F)],
            Window(name) => window(name).and_then(|w| w.key).into_iter().collect(),
            Agreement => Vec::new(),
            NextDisagreement => vec![key(none, Key::Tab), key(none, Key::N)],
            TakeVersion(k) => digit_key(u32::from(k))
                .map(|d| key(none, d))
                .into_iter()
                .collect(),
            RelabelGold(c) => digit(c, ctrl).into_iter().collect(),
            MarkTitle => vec![key(ctrl, Key::T)],
            MarkBoilerplate => vec![key(ctrl, Key::B)],
            MarkText => vec![key(ctrl | shift, Key::B)],
            BodyStart | BodyEnd | ResetStructure => Vec::new(),
        }
    }

    /// Its keys as written, `Enter or A`.
    pub fn keys_text(self) -> String {
        self.keys()
            .iter()
            .map(shortcut_text)
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// In the help line under the top bar: a short verb (label keys are shown together).
    pub fn help(self) -> Option<&'static str> {
        Some(match self {
            Next | NextDisagreement => "next",
            Previous | PreviousDisagreement => "previous",
            Accept => "accept",
            Reject => "reject",
            DropVersions => "drop all versions",
            WidenLeft | WidenRight => "widen",
            NarrowRight | NarrowLeft => "narrow",
            Undo => "undo",
            Redo => "redo",
            MarkDone | MarkGoldDone => "done",
            Find => "find",
            Window(name) if !self.keys().is_empty() => name,
            _ => return None,
        })
    }

    /// Whether it can run now.
    pub fn enabled(self, cx: &Cx) -> bool {
        let s = &*cx.s;
        let selected = s.selected.is_some();
        let item = s.review.as_ref().and_then(|r| r.current_item());
        let history = |undo: bool| match &s.review {
            Some(r) => r.doc().is_some_and(|d| {
                if undo {
                    d.gold.history.can_undo()
                } else {
                    d.gold.history.can_redo()
                }
            }),
            None => s.doc().is_some_and(|d| {
                if undo {
                    d.history.can_undo()
                } else {
                    d.history.can_redo()
                }
            }),
        };
        match self {
            Accept | Reject => selected,
            WidenLeft | WidenRight | NarrowRight | NarrowLeft | WidenLeftWord | WidenRightWord
            | NarrowRightWord | NarrowLeftWord => match &s.review {
                Some(r) => r.gold_span().is_some(),
                None => selected,
            },
            Undo => history(true),
            Redo => history(false),
            TakeVersion(k) => {
                item.is_some_and(|i| !i.agreed() && usize::from(k) <= i.versions.len())
            }
            DropVersions | RelabelGold(_) => item.is_some_and(|i| !i.agreed()),
            MarkTitle | MarkBoilerplate | MarkText | BodyStart | BodyEnd => s.pending.is_some(),
            ResetStructure => s.doc().is_some_and(|d| !d.file.structure.is_empty()),
            _ => true,
        }
    }

    /// Whether it shows as switched on (a panel that is open).
    pub fn checked(self, view: &View) -> Option<bool> {
        match self {
            Window(name) => Some(view.is_open(name)),
            Agreement => Some(view.show_agreement),
            _ => None,
        }
    }

    /// Runs it.
    pub fn run(self, cx: &mut Cx) {
        let s = &mut *cx.s;
        let label = |s: &Session, c: char| s.schema.by_hotkey(c).map(|l| l.name.clone());
        match self {
            Next => s.select_next(true),
            Previous => s.select_next(false),
            Accept => s.accept(),
            Reject => s.reject(),
            Label(c) => {
                if let Some(l) = label(s, c) {
                    s.label_key(&l);
                }
            }
            CancelSelection => s.pending = None,
            WidenLeft | WidenRight | NarrowRight | NarrowLeft => {
                let (ds, de) = match self {
                    WidenLeft => (-1, 0),
                    WidenRight => (0, 1),
                    NarrowRight => (0, -1),
                    _ => (1, 0),
                };
                match s.review.as_mut() {
                    Some(r) => r.resize(ds, de),
                    None => s.resize(ds, de),
                }
            }
            WidenLeftWord | WidenRightWord | NarrowRightWord | NarrowLeftWord => {
                let (start_edge, forward) = match self {
                    WidenLeftWord => (true, false),
                    WidenRightWord => (false, true),
                    NarrowRightWord => (false, false),
                    _ => (true, true),
                };
                match s.review.as_mut() {
                    Some(r) => r.resize_by_word(start_edge, forward),
                    None => s.resize_by_word(start_edge, forward),
                }
            }
            Undo => match s.review.as_mut() {
                Some(r) => r.undo(),
                None => s.undo(),
            },
            Redo => match s.review.as_mut() {
                Some(r) => r.redo(),
                None => s.redo(),
            },
            Save => s.save_all(),
            MarkDone => s.mark_done_and_next(),
            Find => cx.view.focus_search = true,
            Window(name) => {
                if cx.view.toggle(name)
                    && let Some(w) = window(name)
                {
                    (w.on_open)(cx);
                }
            }
            Agreement => cx.view.show_agreement = !cx.view.show_agreement,
            NextDisagreement | PreviousDisagreement => {
                if let Some(r) = s.review.as_mut() {
                    r.next(self == NextDisagreement);
                }
            }
            TakeVersion(k) => {
                if let Some(r) = s.review.as_mut() {
                    r.take(Some(usize::from(k) - 1));
                }
            }
            DropVersions => {
                if let Some(r) = s.review.as_mut() {
                    r.take(None);
                }
            }
            RelabelGold(c) => {
                if let (Some(l), Some(r)) = (label(s, c), s.review.as_mut()) {
                    r.relabel_item(&l);
                }
            }
            MarkGoldDone => {
                if let Some(r) = s.review.as_mut() {
                    r.mark_done();
                }
            }
            MarkTitle | MarkBoilerplate | MarkText | BodyStart | BodyEnd | ResetStructure => {
                use crate::session::structure::Correct;
                let r = s.pending.clone().unwrap_or_default();
                let what = match self {
                    MarkTitle => Correct::Title(r),
                    MarkBoilerplate => Correct::Boilerplate(r),
                    MarkText => Correct::Text(r),
                    BodyStart => Correct::BodyStart(r.start),
                    BodyEnd => Correct::BodyEnd(r.end.saturating_sub(1).max(r.start)),
                    _ => Correct::Reset,
                };
                if s.correct_structure(what) {
                    s.pending = None;
                    cx.view.relayout();
                }
            }
        }
    }

    /// Its button: enabled when it can run, its keys in the tooltip; runs when clicked.
    pub fn button_ui(self, ui: &mut egui::Ui, cx: &mut Cx) -> bool {
        self.named_button_ui(ui, cx, &self.name())
    }

    /// Its button under another name (a label chip, a version with the annotator's name).
    pub fn named_button_ui(self, ui: &mut egui::Ui, cx: &mut Cx, text: &str) -> bool {
        let keys = self.keys_text();
        let tip = if keys.is_empty() {
            self.describe().to_owned()
        } else {
            format!("{keys}: {}", self.describe())
        };
        let button = match self.checked(cx.view) {
            Some(on) => egui::Button::selectable(on, text),
            None => egui::Button::new(text),
        };
        let clicked = ui
            .add_enabled(self.enabled(cx), button)
            .on_hover_text(tip)
            .clicked();
        if clicked {
            self.run(cx);
        }
        clicked
    }
}

/// Handles the keys of the session's mode; called once per frame before the widgets.
pub fn handle_keys(cx: &mut Cx) {
    if cx.ctx.egui_wants_keyboard_input() {
        return; // typing in a text field
    }
    // Tab belongs to the commands, not to focus navigation between buttons.
    cx.ctx.memory_mut(|m| {
        if let Some(id) = m.focused() {
            m.surrender_focus(id);
        }
        m.move_focus(egui::FocusDirection::None);
    });
    let mode = Mode::of(cx.s);
    let mut table: Vec<(KeyboardShortcut, Command)> = Command::all(mode, &cx.s.schema)
        .into_iter()
        .flat_map(|c| c.keys().into_iter().map(move |k| (k, c)))
        .collect();
    // Extra Shift and Alt do not stop a shortcut from matching: the most specific go first.
    table.sort_by_key(|(k, _)| {
        let m = k.modifiers;
        Reverse(u8::from(m.command) + u8::from(m.shift) + u8::from(m.alt))
    });
    let pressed: Vec<Command> = cx.ctx.input_mut(|i| {
        table
            .iter()
            .filter(|(k, _)| i.consume_shortcut(k))
            .map(|(_, c)| *c)
            .collect()
    });
    for c in pressed {
        if c.enabled(cx) {
            c.run(cx);
        }
    }
}

/// The window called `name`.
fn window(name: &str) -> Option<&'static super::Window> {
    super::WINDOWS.iter().find(|w| w.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn no_two_commands_of_a_mode_share_a_key() {
        let schema = Schema::default();
        for mode in [Mode::Annotate, Mode::Review] {
            let mut seen = std::collections::HashMap::new();
            for c in Command::all(mode, &schema) {
                for k in c.keys() {
                    if let Some(other) = seen.insert(shortcut_text(&k), c) {
                        panic!("{mode:?}: {} is {other:?} and {c:?}", shortcut_text(&k));
                    }
                }
            }
        }
    }

    #[test]
    fn shortcuts_are_written_as_in_the_readme() {
        assert_eq!(Redo.keys_text(), "Ctrl+Shift+Z or Ctrl+Y");
        assert_eq!(WidenLeftWord.keys_text(), "Ctrl+Shift+←");
        assert_eq!(Reject.keys_text(), "X or Delete");
        assert_eq!(Label('7').keys_text(), "7");
        assert_eq!(RelabelGold('8').keys_text(), "Ctrl+8");
    }
}
