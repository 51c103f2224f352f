//! Colours and text styles, in one place: labels (their colours come from the schema),
//! review disagreements, highlights, message levels, charts, and how article text is set.

use eframe::egui::{self, Color32};

use crate::review::Kind;
use crate::session::Level;

/// A colour from the schema (sRGB).
pub fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// An error: a failed save, a file that cannot be read.
pub const ERROR: Color32 = Color32::from_rgb(200, 40, 40);
/// Something to look at: a file left out, learning paused.
pub const WARNING: Color32 = Color32::from_rgb(200, 120, 0);
/// Work in progress (saving).
pub const PENDING: Color32 = Color32::from_rgb(200, 140, 0);
/// All is well (saved).
pub const OK: Color32 = Color32::from_rgb(40, 150, 60);

/// The colour of a message of this level (`text` for plain information).
pub fn level(level: Level, text: Color32) -> Color32 {
    match level {
        Level::Info => text,
        Level::Warning => WARNING,
        Level::Error => ERROR,
    }
}

/// A search hit in the article.
pub const SEARCH_HIT: Color32 = Color32::from_rgb(255, 235, 59);
/// Text selected for a new span.
pub const PENDING_SELECTION: Color32 = Color32::from_rgb(120, 170, 255);
/// The underline of the selected span or disagreement.
pub const SELECTED: Color32 = Color32::from_rgb(225, 30, 30);
/// Text on a highlight.
pub const ON_HIGHLIGHT: Color32 = Color32::BLACK;

/// The background of a span with `label_colour`: faint while unreviewed, grey when
/// rejected, full once accepted or added.
pub fn span_background(label_colour: Color32, suggested: bool, rejected: bool) -> Color32 {
    if rejected {
        Color32::from_gray(120).gamma_multiply(0.3)
    } else if suggested {
        label_colour.gamma_multiply(0.35)
    } else {
        label_colour
    }
}

/// Boilerplate (navigation, copyright lines) is dimmed.
pub fn dimmed(text: Color32) -> Color32 {
    text.gamma_multiply(0.35)
}

/// Background of an unresolved disagreement, by kind.
pub fn kind(kind: Kind) -> Color32 {
    match kind {
        Kind::DifferentLabel => Color32::from_rgb(255, 190, 90),
        Kind::DifferentBoundaries => Color32::from_rgb(200, 160, 255),
        Kind::OnlySome => Color32::from_rgb(255, 150, 150),
        Kind::DifferentValue => Color32::from_rgb(110, 215, 200),
    }
}

/// Series colours for charts (one per annotator, or F1 then kappa).
pub const PALETTE: [Color32; 6] = [
    Color32::from_rgb(70, 130, 220),
    Color32::from_rgb(230, 140, 40),
    Color32::from_rgb(90, 180, 90),
    Color32::from_rgb(200, 80, 160),
    Color32::from_rgb(150, 150, 150),
    Color32::from_rgb(220, 200, 60),
];

/// How article text is set (the annotation and the review views alike).
pub fn article_text(colour: Color32) -> egui::TextFormat {
    egui::TextFormat {
        font_id: egui::FontId::proportional(17.0),
        color: colour,
        line_height: Some(28.0),
        ..Default::default()
    }
}
