//! The desktop app (eframe/egui), the only code that uses egui: it draws a
//! [`crate::session::Session`] and calls its commands. Keys, buttons and the help line come
//! from one command table ([`commands`]); background work is one job type ([`jobs`]);
//! messages go to one notification list ([`notifications`]); colours live in [`theme`].

pub mod anchors;
pub mod app;
pub mod article;
pub mod commands;
pub mod consistency;
pub mod documents;
pub mod fonts;
pub mod help;
pub mod inspector;
pub mod jobs;
pub mod notifications;
pub mod review;
pub mod search;
pub mod stats;
pub mod theme;
pub mod top;
pub mod view;
pub mod watch;

pub use crate::session::Session;
pub use app::BiaozhuApp;

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

/// A window the top bar opens and closes: its name (on its button), its key, what it shows,
/// what opening it starts, and how it is drawn. A new panel is its own file with its `_ui`
/// function, and one entry in [`WINDOWS`].
pub struct Window {
    /// Name, on the button and the window.
    pub name: &'static str,
    /// Key that opens and closes it.
    pub key: Option<KeyboardShortcut>,
    /// What it shows (the button's tooltip).
    pub describe: &'static str,
    /// Run when it opens (start the work whose result it shows).
    pub on_open: fn(&mut commands::Cx),
    /// Draws it; sets the flag false when the analyst closes it.
    pub show: fn(&egui::Context, &mut commands::Cx, &mut bool),
}

/// The windows, in the order of their buttons.
pub const WINDOWS: [Window; 4] = [
    Window {
        name: "Statistics",
        key: None,
        describe: "progress per annotator, label counts, how each rule fared",
        on_open: |cx| cx.jobs.start_stats(cx.s, cx.ctx),
        show: stats::stats_ui,
    },
    Window {
        name: "Consistency",
        key: Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::K)),
        describe: "the same string labelled differently across the corpus",
        on_open: |cx| cx.jobs.start_consistency(cx.s, cx.ctx),
        show: consistency::consistency_ui,
    },
    Window {
        name: "Search",
        key: Some(KeyboardShortcut::new(
            Modifiers::COMMAND.plus(Modifiers::SHIFT),
            Key::F,
        )),
        describe: "search the text of every article (hits stream in as files are read)",
        on_open: |_| {},
        show: search::search_ui,
    },
    Window {
        name: "Keys",
        key: None,
        describe: "every command and its keys",
        on_open: |_| {},
        show: help::keys_ui,
    },
];

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
