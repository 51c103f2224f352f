//! The annotation model: spans with status and history, one file per annotator per document.

pub mod action;
pub mod history;
pub mod span;

pub use action::Action;
pub use history::History;
pub use span::{
    AnnotationFile, Change, ChangeKind, DocStatus, Normalized, Num, Origin, Quantity, Span, Status,
    Suggested,
};
