//! The desktop app (eframe/egui): a document list, the article with its spans highlighted,
//! and keyboard commands to confirm or correct suggestions. Edits are saved automatically.

pub mod article;
pub mod background;
pub mod commands;
pub mod consistency;
pub mod documents;
pub mod inspector;
pub mod review;
pub mod review_state;
pub mod state;
pub mod stats;
pub mod view;
pub mod watch;

pub use state::Session;
pub use view::BiaozhuApp;

/// Opens the window on the corpus and annotations chosen on the command line.
pub fn run(cli: &crate::cli::Cli) -> anyhow::Result<()> {
    let corpus = cli.open.clone().unwrap_or_else(|| cli.corpus.clone());
    let annotations = cli.annotations.clone();
    let annotator = cli.annotator.clone();
    let review = cli.review.clone();
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_title("标注 Biaozhu"),
        ..Default::default()
    };
    eframe::run_native(
        "biaozhu",
        options,
        Box::new(move |cc| {
            let stored = cc.storage.and_then(|s| s.get_string("annotator"));
            let name = annotator.or(stored);
            let mut app = BiaozhuApp::new(corpus, annotations, name);
            if let Some(r) = cc.storage.and_then(|s| s.get_string("recent_corpora")) {
                let stored: Vec<std::path::PathBuf> = r
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(Into::into)
                    .collect();
                for p in stored {
                    if !app.recent.contains(&p) && app.recent.len() < 8 {
                        app.recent.push(p);
                    }
                }
            }
            if let Some(f) = cc.storage.and_then(|s| s.get_string("font_file")) {
                let path = std::path::PathBuf::from(f);
                if view::load_font_file(&cc.egui_ctx, &path).is_ok() {
                    app.font_file = Some(path);
                }
            }
            if review.len() >= 2
                && let Some(s) = app.session.as_mut()
            {
                s.start_review(review);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}
