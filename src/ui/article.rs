//! The article: the text laid out once per change (a cached galley), spans highlighted in
//! their label's colour, clicks and drags that select spans and text.

use eframe::egui::{self, Color32, RichText, text::LayoutJob};

use super::commands::Cx;
use super::theme;
use super::view::View;
use crate::model::span::Status;
use crate::session::Session;

/// What the article's layout depends on.
#[derive(Clone, PartialEq)]
pub(super) struct ArticleKey {
    doc: usize,
    revision: u64,
    selected: Option<usize>,
    show_rejected: bool,
    hidden: Vec<String>,
    pending: Option<std::ops::Range<usize>>,
    search_hit: Option<std::ops::Range<usize>>,
    width: u32,
    dark: bool,
}

/// What is painted under the article's text, relative to its layout: each highlight (span,
/// search hit, text selected for a new span) as rectangles that stay inside their
/// characters' glyph boxes with a thin gap at each end — adjacent spans of one label show as
/// two — and the frame around the selected span.
#[derive(Default)]
pub(crate) struct Highlights {
    fills: Vec<(egui::Rect, Color32)>,
    frame: Vec<egui::Rect>,
}

/// Per char of the text, the box of its glyph in `galley` (empty for line breaks).
fn char_boxes(galley: &egui::Galley) -> Vec<egui::Rect> {
    let mut out = Vec::new();
    for row in &galley.rows {
        for g in &row.row.glyphs {
            let top = row.pos.y + g.pos.y - g.font_ascent;
            let left = row.pos.x + g.pos.x;
            out.push(egui::Rect::from_min_max(
                egui::pos2(left, top),
                egui::pos2(left + g.advance_width, top + g.font_height),
            ));
        }
        if row.ends_with_newline {
            out.push(egui::Rect::NOTHING);
        }
    }
    out
}

/// The rectangles covering chars `range`, one per line it spans, inset by `gap` at both
/// ends.
fn runs(boxes: &[egui::Rect], range: std::ops::Range<usize>, gap: f32) -> Vec<egui::Rect> {
    let mut out: Vec<egui::Rect> = Vec::new();
    for r in boxes.get(range.clone()).unwrap_or_default() {
        if !r.is_positive() {
            continue;
        }
        match out.last_mut() {
            Some(last) if (last.min.y - r.min.y).abs() < 1.0 && r.min.x >= last.min.x => {
                *last = last.union(*r);
            }
            _ => out.push(*r),
        }
    }
    for r in &mut out {
        r.min.x += gap;
        r.max.x -= gap;
    }
    out
}

/// The highlights of the open document (see [`Highlights`]).
fn highlights(s: &Session, view: &View, galley: &egui::Galley) -> Highlights {
    let boxes = char_boxes(galley);
    let mut out = Highlights::default();
    let Some(d) = s.doc() else { return out };
    for (i, sp) in d.file.spans.iter().enumerate() {
        if !view.visible(sp) || sp.unanchored {
            continue;
        }
        let c = theme::rgb(s.schema.colour(&sp.label));
        let fill = theme::span_background(
            c,
            sp.status == Status::Suggested,
            sp.status == Status::Rejected,
        );
        let r = runs(&boxes, sp.start..sp.end, 1.0);
        out.fills.extend(r.iter().map(|r| (*r, fill)));
        if Some(i) == s.selected {
            out.frame = r;
        }
    }
    for (range, colour) in [
        (&s.search_hit, theme::SEARCH_HIT),
        (&s.pending, theme::PENDING_SELECTION),
    ] {
        if let Some(range) = range {
            let r = runs(&boxes, range.clone(), 0.0);
            out.fills.extend(r.into_iter().map(|r| (r, colour)));
        }
    }
    out
}

impl Highlights {
    /// The shapes, placed at `origin` (where the text is drawn).
    fn shapes(&self, origin: egui::Vec2) -> Vec<egui::Shape> {
        let mut out: Vec<egui::Shape> = self
            .fills
            .iter()
            .map(|(r, c)| egui::Shape::rect_filled(r.translate(origin), 2.0, *c))
            .collect();
        out.extend(self.frame.iter().map(|r| {
            egui::Shape::rect_stroke(
                r.translate(origin).expand(2.0),
                3.0,
                egui::Stroke::new(2.0, theme::SELECTED),
                egui::StrokeKind::Outside,
            )
        }));
        out
    }
}

/// Builds the article's text: reviewed spans in dark text on their label's colour (painted
/// under it, see [`Highlights`]), rejected ones struck through, boilerplate dimmed.
fn article_job(s: &Session, view: &View, text_colour: Color32, wrap: f32) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.wrap.max_width = wrap;
    let Some(doc) = s.document() else { return job };
    let Some(d) = s.doc() else { return job };
    let spans: Vec<(usize, &crate::model::Span)> = d
        .file
        .spans
        .iter()
        .enumerate()
        .filter(|(_, x)| view.visible(x) && !x.unanchored)
        .collect();
    let mut cuts: Vec<usize> = vec![0, doc.char_len()];
    for (_, sp) in &spans {
        cuts.push(sp.start);
        cuts.push(sp.end);
    }
    // The detected structure with the analyst's corrections.
    let structure = s
        .structure(s.current)
        .unwrap_or_else(|| doc.structure.clone());
    for b in &structure.boilerplate {
        cuts.push(b.start);
        cuts.push(b.end);
    }
    for r in s.pending.iter().chain(s.search_hit.iter()) {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        let mut fmt = theme::article_text(text_colour);
        if structure.in_boilerplate(a) {
            fmt.color = theme::dimmed(text_colour);
        }
        if let Some((_, sp)) = spans.iter().find(|(_, sp)| sp.start <= a && b <= sp.end) {
            let suggested = sp.status == Status::Suggested;
            let rejected = sp.status == Status::Rejected;
            if !suggested && !rejected {
                fmt.color = theme::ON_HIGHLIGHT;
            }
            if rejected {
                fmt.strikethrough = egui::Stroke::new(1.0, text_colour);
            }
        }
        let on = |r: &Option<std::ops::Range<usize>>| {
            r.as_ref().is_some_and(|h| h.start <= a && b <= h.end)
        };
        if on(&s.search_hit) || on(&s.pending) {
            fmt.color = theme::ON_HIGHLIGHT;
        }
        job.append(doc.slice(a..b), 0.0, fmt);
    }
    job
}

/// The article panel: title and metadata, a conflict or load error, the text.
pub(super) fn article_ui(ui: &mut egui::Ui, cx: &mut Cx) {
    let (s, view) = (&mut *cx.s, &mut *cx.view);
    if s.corpus.is_empty() {
        return;
    }
    let doc = match s.corpus.doc(s.current) {
        Ok(d) => d,
        Err(e) => {
            ui.heading(s.corpus.id(s.current));
            ui.colored_label(
                super::theme::ERROR,
                format!("This article cannot be opened: {e}"),
            );
            return;
        }
    };
    let st = s
        .structure(s.current)
        .unwrap_or_else(|| doc.structure.clone());
    let title = st.title.clone().map_or("(no title)", |r| doc.slice(r));
    ui.heading(title);
    let meta: Vec<String> = [
        st.date_iso.clone().map(|d| format!("date {d}")),
        st.source
            .clone()
            .map(|r| format!("source {}", doc.slice(r))),
        (!st.authors.is_empty()).then(|| {
            format!(
                "by {}",
                st.authors
                    .iter()
                    .map(|r| doc.slice(r.clone()))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }),
        Some(format!("{} · {}", doc.id, doc.encoding)),
    ]
    .into_iter()
    .flatten()
    .collect();
    ui.label(RichText::new(meta.join("  ·  ")).weak());
    let mut resolve = None;
    if let Some(d) = s.doc() {
        if d.conflict.is_some() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    theme::ERROR,
                    "This document's file changed on disk while you had unsaved edits. Nothing is saved until you choose:",
                );
                if ui.button("Keep mine").on_hover_text("Your version is saved; the disk version is kept in .conflicts/").clicked() {
                    resolve = Some(true);
                }
                if ui.button("Take the disk version").on_hover_text("Ctrl+Z brings yours back").clicked() {
                    resolve = Some(false);
                }
            });
        }
        if let Some(e) = &d.load_error {
            ui.colored_label(theme::ERROR, e);
        }
    }
    if let Some(keep_mine) = resolve {
        s.resolve_conflict(keep_mine);
    }
    super::anchors::reanchored_ui(ui, s);
    ui.separator();
    let text_colour = ui.visuals().text_color();
    let mut clicked = None;
    let mut scroll_rect = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let width = ui.available_width();
            let hidden: Vec<String> = view.hidden_labels.iter().cloned().collect();
            let key = ArticleKey {
                doc: s.current,
                revision: s.doc().map_or(0, |d| d.history.revision),
                selected: s.selected,
                show_rejected: view.show_rejected,
                hidden,
                pending: s.pending.clone(),
                search_hit: s.search_hit.clone(),
                width: width as u32,
                dark: ui.visuals().dark_mode,
            };
            let (galley, marks) = match &view.article {
                Some((k, g, h)) if *k == key => (g.clone(), h.clone()),
                _ => {
                    let job = article_job(s, view, text_colour, width);
                    let g = ui.fonts_mut(|f| f.layout_job(job));
                    let h = std::sync::Arc::new(highlights(s, view, &g));
                    view.article = Some((key, g.clone(), h.clone()));
                    (g, h)
                }
            };
            // Highlights go under the text: a place for them before it is drawn.
            let under = ui.painter().add(egui::Shape::Noop);
            let resp = ui.add(
                egui::Label::new(galley.clone())
                    .selectable(false)
                    .sense(egui::Sense::click_and_drag()),
            );
            ui.painter().set(
                under,
                egui::Shape::Vec(marks.shapes(resp.rect.min.to_vec2())),
            );
            let at = |pos: egui::Pos2| galley.cursor_from_pos(pos - resp.rect.min).index.0;
            if resp.clicked()
                && let Some(pos) = resp.interact_pointer_pos()
            {
                clicked = Some(at(pos));
            }
            // Dragging over text selects it for a new span.
            if resp.drag_started() {
                // The anchor is where the button went down, not where the drag was recognised.
                if let Some(pos) = ui
                    .input(|i| i.pointer.press_origin())
                    .or(resp.interact_pointer_pos())
                {
                    let c = at(pos);
                    s.pending = Some(c..c);
                    ui.memory_mut(|m| m.data.insert_temp(egui::Id::unique("drag_anchor"), c));
                }
            }
            if resp.dragged()
                && let (Some(pos), Some(anchor)) = (
                    resp.interact_pointer_pos(),
                    ui.memory(|m| m.data.get_temp::<usize>(egui::Id::unique("drag_anchor"))),
                )
            {
                let c = at(pos);
                let raw = anchor.min(c)..anchor.max(c);
                // Snaps to a whole figure, name or words; Alt selects freely.
                s.pending = Some(if ui.input(|i| i.modifiers.alt) {
                    raw
                } else {
                    crate::snap::snap(&doc, raw)
                });
            }
            if resp.drag_stopped() && s.pending.as_ref().is_some_and(|p| p.is_empty()) {
                s.pending = None;
            }
            if s.scroll_to_selection {
                let target = s.search_hit.as_ref().map(|h| h.start).or_else(|| {
                    s.selected
                        .and_then(|i| s.doc().and_then(|d| d.file.spans.get(i)))
                        .map(|sp| sp.start)
                });
                if let Some(start) = target {
                    let r = galley.pos_from_cursor(egui::text::CCursor::new(start));
                    scroll_rect = Some(r.translate(resp.rect.min.to_vec2()).expand(40.0));
                }
            }
            if let Some(r) = scroll_rect {
                ui.scroll_to_rect(r, Some(egui::Align::Center));
            }
        });
    if scroll_rect.is_some() {
        s.scroll_to_selection = false;
    }
    if let Some(c) = clicked {
        s.select_at(c, |sp| view.visible(sp));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_stay_inside_their_chars_with_a_gap_and_break_at_lines() {
        let r = |x0: f32, x1: f32, y: f32| {
            egui::Rect::from_min_max(egui::pos2(x0, y), egui::pos2(x1, y + 20.0))
        };
        // Four chars on one line, a line break, two on the next.
        let boxes = vec![
            r(0.0, 17.0, 4.0),
            r(17.0, 34.0, 4.0),
            r(34.0, 51.0, 4.0),
            r(51.0, 68.0, 4.0),
            egui::Rect::NOTHING,
            r(0.0, 17.0, 32.0),
            r(17.0, 34.0, 32.0),
        ];
        // Two adjacent spans: a gap between them, each inside its chars.
        let a = runs(&boxes, 0..2, 1.0);
        let b = runs(&boxes, 2..4, 1.0);
        assert_eq!(
            a,
            [egui::Rect::from_min_max(
                egui::pos2(1.0, 4.0),
                egui::pos2(33.0, 24.0)
            )]
        );
        assert!(a[0].max.x < b[0].min.x, "{a:?} {b:?}");
        // A span over the line break: one rectangle per line, none over the break.
        let both = runs(&boxes, 3..7, 1.0);
        assert_eq!(both.len(), 2);
        assert!(both[0].min.x >= 51.0 && both[1].max.x <= 34.0);
    }
}
