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

/// Builds the article's layout: spans on a tinted background in their label's colour
/// (stronger once reviewed), the selection underlined, boilerplate dimmed.
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
        if let Some((i, sp)) = spans.iter().find(|(_, sp)| sp.start <= a && b <= sp.end) {
            let suggested = sp.status == Status::Suggested;
            let rejected = sp.status == Status::Rejected;
            let c = theme::rgb(s.schema.colour(&sp.label));
            fmt.background = theme::span_background(c, suggested, rejected);
            if !suggested && !rejected {
                fmt.color = theme::ON_HIGHLIGHT;
            }
            if rejected {
                fmt.strikethrough = egui::Stroke::new(1.0, text_colour);
            }
            if Some(*i) == s.selected {
                fmt.underline = egui::Stroke::new(2.5, theme::SELECTED);
            }
        }
        if s.search_hit
            .as_ref()
            .is_some_and(|h| h.start <= a && b <= h.end)
        {
            fmt.background = theme::SEARCH_HIT;
            fmt.color = theme::ON_HIGHLIGHT;
        }
        if s.pending
            .as_ref()
            .is_some_and(|p| p.start <= a && b <= p.end)
        {
            fmt.background = theme::PENDING_SELECTION;
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
            let galley = match &view.article {
                Some((k, g)) if *k == key => g.clone(),
                _ => {
                    let job = article_job(s, view, text_colour, width);
                    let g = ui.fonts_mut(|f| f.layout_job(job));
                    view.article = Some((key, g.clone()));
                    g
                }
            };
            let resp = ui.add(
                egui::Label::new(galley.clone())
                    .selectable(false)
                    .sense(egui::Sense::click_and_drag()),
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
