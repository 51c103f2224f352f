//! 标注 Biaozhu: annotate figures and entities in Chinese news articles.
//!
//! The library holds everything but the window and the command line: the corpus and its
//! structure, the annotation model and its RON files, suggestions, exports, review, and the
//! editing [`session`]. Nothing here depends on egui (the desktop app lives in [`ui`] behind
//! the `gui` feature), nor on clap or anyhow (the binary's `cli` converts).

pub mod consistency;
pub mod corpus;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod index;
pub mod model;
pub mod pool;
pub mod prefs;
pub mod review;
pub mod schema;
pub mod session;
pub mod snap;
pub mod stats;
pub mod store;
pub mod structure;
pub mod suggest;
pub mod text;
#[cfg(feature = "gui")]
pub mod ui;
