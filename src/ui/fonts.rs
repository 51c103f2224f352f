//! Fonts for Chinese text: a font file the analyst chooses when the system has no CJK font.

use eframe::egui;

/// Adds a user-chosen font file as the first font for all text.
pub fn load_font_file(ctx: &egui::Context, path: &std::path::Path) -> Result<(), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("Cannot read the font file {}: {e}", path.display()))?;
    let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
        .into_iter()
        .map(|family| egui::epaint::text::InsertFontFamily {
            family,
            priority: egui::epaint::text::FontPriority::Highest,
        })
        .collect();
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "user_font",
        egui::FontData::from_owned(bytes),
        families,
    ));
    Ok(())
}
