//! A 10,000-article corpus (~100 MB, made from the seeds): time until the window's first frame
//! with the document list (without and with the corpus index cached), frame times while the
//! index and the suggestions run in the background, time until every title and suggestion
//! summary is known, and peak memory. Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench --bench large` (`BIAOZHU_DOCS=N` for another size).

use std::sync::Arc;
use std::time::{Duration, Instant};

use biaozhu::ui::BiaozhuApp;
use eframe::egui;

mod common;
use common::peak_mb;

/// How long this thread has waited for a CPU while runnable, in seconds (Linux schedstat's
/// run delay; 0 elsewhere): a long frame that mostly waited was the machine's load (other
/// processes, or the background threads), not the frame's own work.
fn waited() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

fn main() {
    let n: usize = std::env::var("BIAOZHU_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    let seeds = biaozhu::corpus::Corpus::open(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds"
    )))
    .expect("seeds");
    let mut bytes = 0;
    for i in 0..n {
        let s = seeds.doc(i % seeds.len()).expect("seed");
        // Each article differs: its title carries a number, and so does one figure.
        let text = s.text.replacen('\n', &format!(" 第{i}期\n"), 1).replacen(
            "5.3亿元",
            &format!("{}.{}亿元", i % 97, i % 10),
            1,
        );
        bytes += text.len();
        std::fs::write(corpus.join(format!("{i:05}_{}.txt", s.id)), text).expect("write");
    }
    println!(
        "corpus: {n} articles, {:.1} MB, peak memory before opening {:.0} MB",
        bytes as f64 / 1e6,
        peak_mb()
    );

    let annotations = dir.path().join("annotations");
    // First with no index cache (every file read once on the index thread), then again with
    // the cache the first run wrote. The page cache is warm in both: the files were just
    // written.
    run(&corpus, &annotations, n, "no index cache");
    println!("peak memory: {:.0} MB", peak_mb());
    run(&corpus, &annotations, n, "index cached");
}

/// Opens the app on `corpus`, draws frames until the index and every background suggestion
/// are done, and prints the figures.
fn run(corpus: &std::path::Path, annotations: &std::path::Path, n: usize, label: &str) {
    println!("-- {label}");
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
    let t = Instant::now();
    let mut app = BiaozhuApp::new(corpus.into(), annotations.into(), Some("bench".into()));
    let opened = t.elapsed().as_secs_f64();
    let out = ctx.run_ui(input(), |ui| app.frame_ui(ui));
    std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    let first = t.elapsed().as_secs_f64();
    println!(
        "open: folder listed and session ready {opened:.2} s; first frame with the document list {first:.2} s"
    );

    // Frames while the index and the suggestions run in the background: the UI keeps drawing.
    let mut frames = Vec::new();
    let mut own = Vec::new();
    let mut last_report = Instant::now();
    let mut titles_at = None;
    loop {
        let s = app.session.as_ref().expect("session");
        let (done, total) = app.background_progress();
        let indexing = s.indexing();
        if !indexing && titles_at.is_none() {
            titles_at = Some(t.elapsed().as_secs_f64());
        }
        let f = Instant::now();
        let wait0 = waited();
        let out = ctx.run_ui(input(), |ui| app.frame_ui(ui));
        std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
        let wall = f.elapsed().as_secs_f64();
        frames.push(wall);
        // The frame's own time: wall time less the time it stood waiting for a core.
        own.push(wall - (waited() - wait0).min(wall));
        if done >= total && total > 0 && !indexing {
            break;
        }
        if last_report.elapsed() > Duration::from_secs(5) {
            println!("  … {done}/{total} documents suggested");
            last_report = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(16));
    }
    let all = t.elapsed().as_secs_f64();
    frames.sort_by(f64::total_cmp);
    let s = app.session.as_ref().expect("session");
    println!(
        "every title known after {:.2} s ({:?}); all suggestions summarised after {all:.2} s",
        titles_at.unwrap_or(all),
        s.index_summary
    );
    println!(
        "frames meanwhile: median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} frames)",
        frames[frames.len() / 2] * 1e3,
        frames[frames.len() * 95 / 100] * 1e3,
        frames[frames.len() - 1] * 1e3,
        frames.len()
    );
    own.sort_by(f64::total_cmp);
    println!(
        "  less the time they waited for a core: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        own[own.len() / 2] * 1e3,
        own[own.len() * 95 / 100] * 1e3,
        own[own.len() - 1] * 1e3
    );
    let mut idle: Vec<f64> = (0..100)
        .map(|_| {
            let f = Instant::now();
            let out = ctx.run_ui(input(), |ui| app.frame_ui(ui));
            std::hint::black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
            f.elapsed().as_secs_f64()
        })
        .collect();
    idle.sort_by(f64::total_cmp);
    println!(
        "frame with the {n}-document list afterwards: median {:.2} ms, p95 {:.2} ms",
        idle[50] * 1e3,
        idle[95] * 1e3
    );
}
