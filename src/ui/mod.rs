//! The desktop app (eframe/egui), the only code that uses egui: it draws a
//! [`crate::session::Session`] and calls its commands. Keys, buttons and the help line come
//! from one command table ([`commands`]); background work is one job type ([`jobs`]);
//! messages go to one notification list ([`notifications`]); colours live in [`theme`].

pub mod app;
pub mod article;
pub mod commands;
pub mod consistency;
pub mod documents;
pub mod fonts;
pub mod inspector;
pub mod jobs;
pub mod notifications;
pub mod review;
pub mod stats;
pub mod theme;
pub mod top;
pub mod view;
pub mod watch;

pub use crate::session::Session;
pub use app::BiaozhuApp;

/// What the window opens on (the command line fills it in).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Folder of .txt articles.
    pub corpus: std::path::PathBuf,
    /// Folder of annotation files.
    pub annotations: std::path::PathBuf,
    /// The annotator, when known (else asked once and remembered).
    pub annotator: Option<String>,
    /// Annotators to compare in review mode from the start (two or more).
    pub review: Vec<String>,
}

/// Opens the window.
pub fn run(options: Options) -> Result<(), eframe::Error> {
    let Options {
        corpus,
        annotations,
        annotator,
        review,
    } = options;
    let native = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_title("标注 Biaozhu"),
        ..Default::default()
    };
    eframe::run_native(
        "biaozhu",
        native,
        Box::new(move |cc| {
            let stored = cc.storage.and_then(|s| s.get_string("annotator"));
            let name = annotator.or(stored);
            let mut app = BiaozhuApp::new(corpus, annotations, name);
            if let Some(r) = cc.storage.and_then(|s| s.get_string("recent_corpora")) {
                for p in r
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(std::path::PathBuf::from)
                {
                    if !app.recent.contains(&p) && app.recent.len() < 8 {
                        app.recent.push(p);
                    }
                }
            }
            if let Some(f) = cc.storage.and_then(|s| s.get_string("font_file")) {
                let path = std::path::PathBuf::from(f);
                if fonts::load_font_file(&cc.egui_ctx, &path).is_ok() {
                    app.font_file = Some(path);
                }
            }
            if review.len() >= 2 {
                app.start_review(review);
            }
            Ok(Box::new(app))
        }),
    )
}
