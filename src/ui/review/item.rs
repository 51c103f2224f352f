//! One item of the merged view in the review panel: each annotator's version with the button
//! that takes it, figures' values side by side (what differs on the kind's colour), and the
//! gold spans there — label, boundaries and a value the reviewer can type.

use std::collections::HashMap;

use eframe::egui::{self, RichText};

use super::super::commands::{Command, Cx};
use super::super::theme;
use crate::model::Span;
use crate::model::span::Normalized;
use crate::review::{self, Item, Kind};

/// A gold value being typed: the fields, and the value they were filled from (filled again
/// when gold changes under them, e.g. by undo).
#[derive(Default)]
struct Row {
    filled: bool,
    from: Option<Normalized>,
    value: String,
    value_max: String,
    unit: String,
    approx: bool,
}

/// The value fields of the gold spans, per (document, start, end, label).
#[derive(Default)]
pub struct ValueBuffers {
    rows: HashMap<(usize, usize, usize, String), Row>,
}

/// The selected item: versions, values side by side, gold here.
pub(super) fn item_ui(ui: &mut egui::Ui, cx: &mut Cx, item: &Item) {
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
                    if schema.is_figure(&sp.label) {
                        ui.label(format!("= {}", review::value_text(sp.value.as_ref())));
                    }
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
    values_side_by_side_ui(ui, item, &|l| schema.is_figure(l));
    ui.separator();
    gold_ui(ui, cx, item);
}

/// Each figure span of the item (by range and label) with every annotator's value in a
/// column; a field that differs between them is on the "different value" colour.
fn values_side_by_side_ui(ui: &mut egui::Ui, item: &Item, is_figure: &dyn Fn(&str) -> bool) {
    let mut keys: Vec<(usize, usize, &str)> = item
        .versions
        .iter()
        .flat_map(|(_, v)| v.iter())
        .filter(|s| is_figure(&s.label))
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for (n, key) in keys.into_iter().enumerate() {
        // Who marked exactly this span, and their value.
        let have: Vec<(&str, Option<&Normalized>)> = item
            .versions
            .iter()
            .filter_map(|(name, v)| {
                v.iter()
                    .find(|s| (s.start, s.end, s.label.as_str()) == key)
                    .map(|s| (name.as_str(), s.value.as_ref()))
            })
            .collect();
        if have.len() < 2 {
            continue;
        }
        ui.add_space(4.0);
        ui.label(RichText::new(format!("{} values ({}..{})", key.2, key.0, key.1)).strong());
        egui::Grid::new(("values-side-by-side", n))
            .striped(true)
            .show(ui, |ui| {
                ui.label("");
                for (name, _) in &have {
                    ui.strong(*name);
                }
                ui.end_row();
                for field in ["value", "up to", "unit", "approx"] {
                    let cells: Vec<String> =
                        have.iter().map(|(_, v)| field_text(field, *v)).collect();
                    let differ = cells.iter().any(|c| *c != cells[0]);
                    ui.label(field);
                    for c in cells {
                        let mut text = RichText::new(c);
                        if differ {
                            text = text
                                .background_color(theme::kind(Kind::DifferentValue))
                                .color(theme::ON_HIGHLIGHT);
                        }
                        ui.label(text);
                    }
                    ui.end_row();
                }
            });
    }
}

/// One field of a value as shown side by side: `value`, `up to`, `unit` or `approx`.
fn field_text(field: &str, v: Option<&Normalized>) -> String {
    let none = || "–".to_owned();
    match field {
        "value" => v.map_or_else(none, |v| v.value.to_string()),
        "up to" => v
            .and_then(|v| v.value_max.as_ref())
            .map_or_else(none, ToString::to_string),
        "unit" => v.and_then(|v| v.unit.clone()).unwrap_or_else(none),
        _ => if v.is_some_and(|v| v.approx) {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
    }
}

/// The gold spans overlapping the item: label, a pick for widening and narrowing, and the
/// value fields of a figure. While a value disagreement is open and gold has nothing there,
/// the value typed here decides it.
fn gold_ui(ui: &mut egui::Ui, cx: &mut Cx, item: &Item) {
    let s = &*cx.s;
    let Some(r) = s.review.as_ref() else { return };
    let Some(d) = r.doc() else { return };
    let schema = s.schema.clone();
    ui.label(RichText::new("Gold here").strong());
    let gold: Vec<(usize, Span)> = d
        .gold
        .spans()
        .iter()
        .enumerate()
        .filter(|(_, g)| g.overlaps(&item.range))
        .map(|(i, g)| (i, g.clone()))
        .collect();
    // Spans whose value is still to be decided: in a version, not in gold.
    let undecided: Vec<Span> = if item.kind == Some(Kind::DifferentValue) {
        let first = item.versions.first().map_or(&[][..], |(_, v)| v.as_slice());
        first
            .iter()
            .filter(|s| !gold.iter().any(|(_, g)| g.range() == s.range()))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    if gold.is_empty() && undecided.is_empty() {
        ui.label(RichText::new("nothing").weak());
    }
    let picked = r.gold_span();
    let current = r.current;
    let mut relabel = None;
    let mut pick = None;
    let mut typed = None;
    for (i, g) in &gold {
        ui.horizontal(|ui| {
            if ui
                .radio(picked == Some(*i), &g.text)
                .on_hover_text("the span that widen and narrow change")
                .clicked()
            {
                pick = Some(*i);
            }
            ui.label(format!("{}..{}", g.start, g.end));
            let mut label = g.label.clone();
            egui::ComboBox::new(("gold-label", *i), "label")
                .selected_text(&label)
                .show_ui(ui, |ui| {
                    for l in &schema.labels {
                        ui.selectable_value(&mut label, l.name.clone(), &l.name);
                    }
                });
            if label != g.label {
                relabel = Some((*i, label));
            }
        });
        if schema.is_figure(&g.label) {
            typed = typed.or(value_fields_ui(ui, cx, current, g, g.value.as_ref()));
        }
    }
    for u in &undecided {
        ui.label(format!(
            "{} ({}..{}): type the gold value",
            u.text, u.start, u.end
        ));
        typed = typed.or(value_fields_ui(ui, cx, current, u, None));
    }
    ui.horizontal_wrapped(|ui| {
        for c in [
            Command::WidenLeft,
            Command::WidenRight,
            Command::NarrowLeft,
            Command::NarrowRight,
        ] {
            c.button_ui(ui, cx);
        }
    });
    let Some(r) = cx.s.review.as_mut() else {
        return;
    };
    if let Some(i) = pick {
        r.span = Some(i);
    }
    if let Some((i, l)) = relabel {
        r.relabel_gold(i, &l);
    }
    if let Some((span, row)) = typed {
        r.set_gold_value((span.range(), &span.label), &row.0, &row.1, &row.2, row.3);
    }
}

/// What was typed: value, upper bound, unit, approx.
type Typed = (String, String, String, bool);

/// The value fields for gold span `g` (or a span still to be decided, `value` `None`); what
/// was typed once a field is left or Enter pressed.
fn value_fields_ui(
    ui: &mut egui::Ui,
    cx: &mut Cx,
    doc: usize,
    g: &Span,
    value: Option<&Normalized>,
) -> Option<(Span, Typed)> {
    let key = (doc, g.start, g.end, g.label.clone());
    let row = cx.view.review_values.rows.entry(key).or_default();
    let decided = value.cloned();
    if !row.filled || row.from != decided {
        // Filled from gold; a span to decide starts with an empty value and the first
        // version's unit and approx flag.
        let fill = decided.as_ref().or(g.value.as_ref());
        *row = Row {
            filled: true,
            from: decided.clone(),
            value: decided
                .as_ref()
                .map(|v| v.value.to_string())
                .unwrap_or_default(),
            value_max: fill
                .and_then(|v| v.value_max.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default(),
            unit: fill.and_then(|v| v.unit.clone()).unwrap_or_default(),
            approx: fill.is_some_and(|v| v.approx),
        };
    }
    let mut apply = false;
    egui::Grid::new(("gold-value", g.start, g.end))
        .num_columns(2)
        .show(ui, |ui| {
            let fields = [
                ("gold value", &mut row.value, "type the value"),
                ("up to", &mut row.value_max, "a range's upper bound"),
                ("gold unit", &mut row.unit, "元, 人, % …"),
            ];
            for (name, text, hint) in fields {
                let l = ui.label(name);
                apply |= ui
                    .add(
                        egui::TextEdit::singleline(text)
                            .hint_text(hint)
                            .desired_width(160.0),
                    )
                    .labelled_by(l.id)
                    .lost_focus();
                ui.end_row();
            }
            ui.label("");
            apply |= ui.checkbox(&mut row.approx, "approximate").changed();
            ui.end_row();
        });
    // A span still to be decided needs a value; a gold span's value may be cleared.
    if !apply || (decided.is_none() && row.value.trim().is_empty()) {
        return None;
    }
    let typed = (
        row.value.clone(),
        row.value_max.clone(),
        row.unit.clone(),
        row.approx,
    );
    Some((g.clone(), typed))
}
