//! The annotation model: spans with status and history, what each decision does to a span,
//! actions with exact inverses, and undo history. One file per annotator per document.

pub mod action;
pub mod decide;
pub mod history;
pub mod span;

pub use action::Action;
pub use history::History;
pub use span::{
    AnnotationFile, Change, ChangeKind, DocStatus, Normalized, Num, Origin, Quantity, Span, Status,
    Suggested,
};
