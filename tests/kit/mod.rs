//! What the kittest files share (kit): a corpus in a temporary folder, the app in a harness, the
//! files it wrote.
#![allow(dead_code)] // each test file uses its part

use std::path::Path;
use std::sync::Arc;

use biaozhu::store::{Store, from_ron};
use biaozhu::ui::BiaozhuApp;
use eframe::egui;
use egui_kittest::Harness;

/// Figures only (no entity is suggested here), so that Tab steps through known figures.
pub const ARTICLE: &str =
    "扶贫标题\n\n2018-04-09 来源:本报\n\n完成投资5.3亿元,带动贫困人口21万人,增长4.9%。\n";

pub fn setup() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    corpus_with(&[("a", ARTICLE), ("b", "第二篇\n\n新增投资200万元。\n")])
}

/// A temporary corpus of these (id, text) articles, and where annotations go.
pub fn corpus_with(
    articles: &[(&str, &str)],
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (id, text) in articles {
        std::fs::write(corpus.join(format!("{id}.txt")), text).unwrap();
    }
    let ann = dir.path().join("annotations");
    (dir, corpus, ann)
}

pub fn harness(app: BiaozhuApp) -> Harness<'static, BiaozhuApp> {
    // The segmenter loads on a thread in the app; wait for it here so that frames settle.
    biaozhu::suggest::entities::recognizer();
    Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        // The app repaints when files under annotations/ change (its own saves included).
        .with_max_steps(64)
        .with_context_setup(|ctx| {
            ctx.add_font_provider(Arc::new(
                egui_system_font_provider::SystemFontProvider::new(),
            ))
        })
        .build_ui_state(|ui, app: &mut BiaozhuApp| app.frame_ui(ui), app)
}

pub fn saved(ann: &Path, doc: &str) -> biaozhu::model::AnnotationFile {
    let path = Store::new(ann).path("alice", doc);
    from_ron(
        &path,
        &std::fs::read_to_string(&path).expect("file written"),
    )
    .unwrap()
}

pub fn selected_text(h: &Harness<'_, BiaozhuApp>) -> String {
    let s = h.state().session.as_ref().unwrap();
    let d = s.doc().unwrap();
    d.file.spans[s.selected.unwrap()].text.clone()
}

/// Steps the app until `done` holds (file-watch events arrive on their own thread).
pub fn step_until(h: &mut Harness<'_, BiaozhuApp>, what: &str, done: impl Fn(&BiaozhuApp) -> bool) {
    let start = std::time::Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed().as_secs() < 20,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
}
