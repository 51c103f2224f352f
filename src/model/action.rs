//! Edits to an annotation file as data: `apply` performs one and returns its inverse, so
//! undo/redo is exact and one keystroke is one step.

use super::span::{AnnotationFile, DocStatus, Review, Span};

/// One edit of an [`AnnotationFile`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Add a span (kept in document order).
    Insert(Span),
    /// Remove the span at this index.
    Remove(usize),
    /// Replace the span at this index.
    Replace(usize, Span),
    /// Set the document's review state.
    SetStatus(DocStatus),
    /// Set the gold file's review record (who adjudicated, what was resolved).
    SetReview(Option<Review>),
    /// Set the analyst's correction of the document's structure.
    SetStructure(crate::structure::Correction),
    /// Several edits as one step (e.g. "accept all MONEY").
    Batch(Vec<Action>),
}

impl Action {
    /// Applies the edit and returns the action that undoes it. Indices out of range are
    /// ignored (and undone by nothing) rather than panicking.
    pub fn apply(self, file: &mut AnnotationFile) -> Action {
        match self {
            Action::Insert(span) => {
                let i = insert_sorted(&mut file.spans, span);
                Action::Remove(i)
            }
            Action::Remove(i) => {
                if i >= file.spans.len() {
                    return Action::Batch(Vec::new());
                }
                Action::Insert(file.spans.remove(i))
            }
            Action::Replace(i, span) => {
                if i >= file.spans.len() {
                    return Action::Batch(Vec::new());
                }
                let old = file.spans.remove(i);
                let j = insert_sorted(&mut file.spans, span);
                Action::Replace(j, old)
            }
            Action::SetStatus(s) => {
                let old = std::mem::replace(&mut file.status, s);
                Action::SetStatus(old)
            }
            Action::SetReview(r) => {
                let old = std::mem::replace(&mut file.review, r);
                Action::SetReview(old)
            }
            Action::SetStructure(c) => {
                let old = std::mem::replace(&mut file.structure, c);
                Action::SetStructure(old)
            }
            Action::Batch(actions) => {
                let mut inverse: Vec<Action> = actions.into_iter().map(|a| a.apply(file)).collect();
                inverse.reverse();
                Action::Batch(inverse)
            }
        }
    }

    /// Does this action change anything?
    pub fn is_noop(&self) -> bool {
        matches!(self, Action::Batch(v) if v.iter().all(Action::is_noop))
    }
}

/// Inserts keeping `(start, end, label)` order (after equal keys) and returns the index.
fn insert_sorted(spans: &mut Vec<Span>, span: Span) -> usize {
    let key = (span.start, span.end, span.label.clone());
    let i = spans
        .partition_point(|s| (s.start, s.end, s.label.as_str()) <= (key.0, key.1, key.2.as_str()));
    spans.insert(i, span);
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Origin, Status};

    fn file() -> AnnotationFile {
        let text = "完成投资5.3亿元,带动贫困人口21万人";
        let mut f = AnnotationFile::new("d", "fp", "a");
        f.spans
            .push(Span::suggestion(text, 4, 9, "MONEY", "money", None).unwrap());
        f.spans
            .push(Span::suggestion(text, 16, 20, "COUNT", "count", None).unwrap());
        f
    }

    #[test]
    fn every_action_is_undone_by_its_inverse() {
        let text = "完成投资5.3亿元,带动贫困人口21万人";
        let start = file();
        let mut accepted = start.spans[0].clone();
        accepted.status = Status::Accepted;
        let mut moved = start.spans[0].clone();
        moved.start = 12;
        moved.end = 14;
        let actions = vec![
            Action::Insert(Span::new(text, 0, 2, "X", Status::Added, Origin::Manual).unwrap()),
            Action::Remove(1),
            Action::Replace(0, accepted),
            Action::Replace(0, moved),
            Action::SetStatus(DocStatus::Done),
            Action::SetStructure(crate::structure::Correction {
                title: Some(None),
                ..Default::default()
            }),
            Action::Batch(vec![Action::Remove(0), Action::Remove(0)]),
            Action::Remove(9),
        ];
        for a in actions {
            let mut f = start.clone();
            let inv = a.clone().apply(&mut f);
            assert_eq!(f == start, inv.is_noop(), "{a:?}");
            inv.apply(&mut f);
            assert_eq!(f, start, "{a:?} not undone");
        }
    }

    #[test]
    fn replace_keeps_document_order() {
        let mut f = file();
        let mut s = f.spans[0].clone();
        s.start = 19;
        s.end = 20;
        Action::Replace(0, s).apply(&mut f);
        assert_eq!(f.spans[0].label, "COUNT");
        assert_eq!(f.spans[1].start, 19);
    }
}
