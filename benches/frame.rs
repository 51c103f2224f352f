//! Cost of one frame of the annotation window on the largest seed with all spans shown:
//! a frame where nothing changed (the article's layout is reused) and a frame right after an
//! edit (layout rebuilt). egui pass + tessellation, no GPU. Prints figures.
//!
//! Run: `cargo bench --bench frame`

use std::sync::Arc;
use std::time::Instant;

use biaozhu::ui::BiaozhuApp;
use eframe::egui;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    // The largest seed.
    let seeds = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"));
    let largest = biaozhu::corpus::txt_files(seeds)
        .expect("seeds")
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .expect("a seed");
    std::fs::copy(&largest, corpus.join(largest.file_name().expect("name"))).expect("copy");
    let mut app = BiaozhuApp::new(corpus, dir.path().join("annotations"), Some("bench".into()));
    app.view.show_rejected = true;

    let ctx = egui::Context::default();
    ctx.add_font_provider(Arc::new(
        egui_system_font_provider::SystemFontProvider::new(),
    ));
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let frame = |app: &mut BiaozhuApp, events: Vec<egui::Event>| {
        let mut raw = input();
        raw.events = events;
        let t = Instant::now();
        let out = ctx.run_ui(raw, |ui| app.frame_ui(ui));
        let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(prims);
        t.elapsed().as_secs_f64()
    };
    for _ in 0..20 {
        frame(&mut app, Vec::new());
    }
    let n = 300;
    let mut idle: Vec<f64> = (0..n).map(|_| frame(&mut app, Vec::new())).collect();
    let key = |k, modifiers| egui::Event::Key {
        key: k,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers,
    };
    let mut edit: Vec<f64> = (0..60)
        .map(|i| {
            // Alternate accept and undo so there is always something to edit.
            let ev = if i % 2 == 0 {
                vec![key(egui::Key::Enter, egui::Modifiers::NONE)]
            } else {
                vec![key(egui::Key::Z, egui::Modifiers::COMMAND)]
            };
            frame(&mut app, ev)
        })
        .collect();
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2] * 1e3, v[v.len() * 95 / 100] * 1e3)
    };
    let (m, p) = stats(&mut idle);
    println!(
        "frame with no change, {}: median {m:.3} ms, p95 {p:.3} ms",
        largest.file_name().unwrap_or_default().to_string_lossy()
    );
    let (m, p) = stats(&mut edit);
    println!("frame after one edit: median {m:.3} ms, p95 {p:.3} ms");
    let spans = app
        .session
        .as_ref()
        .and_then(|s| s.doc())
        .map_or(0, |d| d.file.spans.len());
    println!("spans shown: {spans}");
}
