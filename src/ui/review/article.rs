//! The merged article in review mode: settled text (agreed, or resolved into gold) in the gold
//! span's label colour, underlined; unresolved disagreements on a background by kind; the
//! selected item underlined in red. Laid out once per change.

use eframe::egui::{self, Color32, text::LayoutJob};

use super::super::commands::Cx;
use super::super::theme;
use crate::review;
use crate::session::ReviewSession;

/// What the merged article's layout depends on: document, merges of the annotators' files,
/// gold revision, selected item, width, dark mode.
pub type GalleyKey = (usize, u64, u64, Option<usize>, u32, bool);

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
            ui.colored_label(theme::ERROR, format!("This article cannot be opened: {e}"));
            return;
        }
    };
    ui.heading(doc.title());
    ui.separator();
    let text_colour = ui.visuals().text_color();
    let wrap = ui.available_width();
    // Laid out again only when the document, the merge, its gold file, the selection or the
    // width change.
    let key = (
        r.current,
        r.revision,
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
        let open =
            item.and_then(|(_, it)| it.kind.filter(|_| !review::is_resolved(&d.gold.file, it)));
        let gold = d.gold.spans().iter().find(|g| g.start <= a && b <= g.end);
        match (open, gold) {
            (Some(kind), _) => {
                fmt.background = theme::kind(kind);
                fmt.color = theme::ON_HIGHLIGHT;
            }
            // Settled (agreed, or resolved into gold, perhaps widened past the annotators'
            // spans): quiet, in the gold span's label colour, underlined.
            (None, Some(g)) => {
                let c = theme::rgb(schema.colour(&g.label));
                fmt.color = c;
                fmt.underline = egui::Stroke::new(2.0, c);
            }
            (None, None) => {}
        }
        if let Some((k, _)) = item
            && Some(k) == r.item
        {
            fmt.underline = egui::Stroke::new(3.0, theme::SELECTED);
        }
        if doc.structure.in_boilerplate(a) && item.is_none() && gold.is_none() {
            fmt.color = theme::dimmed(text_colour);
        }
        job.append(doc.slice(a..b), 0.0, fmt);
    }
    job
}
