//! Undo and redo stacks of inverse actions, and a revision number that changes with every
//! edit (it drives autosave and layout caching).

use super::action::Action;
use super::span::AnnotationFile;

/// Undo/redo for one annotation file.
#[derive(Debug, Default, Clone)]
pub struct History {
    undo: Vec<Action>,
    redo: Vec<Action>,
    /// Bumped by every apply, undo and redo.
    pub revision: u64,
}

impl History {
    /// Applies `action` as one undoable step.
    pub fn apply(&mut self, file: &mut AnnotationFile, action: Action) {
        let inverse = action.apply(file);
        if !inverse.is_noop() {
            self.undo.push(inverse);
            self.redo.clear();
            self.revision += 1;
        }
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self, file: &mut AnnotationFile) -> bool {
        let Some(a) = self.undo.pop() else {
            return false;
        };
        self.redo.push(a.apply(file));
        self.revision += 1;
        true
    }

    /// Redoes the last undone step; false when there is none.
    pub fn redo(&mut self, file: &mut AnnotationFile) -> bool {
        let Some(a) = self.redo.pop() else {
            return false;
        };
        self.undo.push(a.apply(file));
        self.revision += 1;
        true
    }

    /// Can undo?
    /// Joins the last two undo steps into one (an accept and the suggestions it taught).
    pub fn merge_last(&mut self) {
        if self.undo.len() >= 2 {
            let last = self.undo.pop().expect("two steps");
            let before = self.undo.pop().expect("two steps");
            self.undo.push(Action::Batch(vec![last, before]));
        }
    }

    /// Whether any edit was made since the file was loaded.
    pub fn is_pristine(&self) -> bool {
        self.undo.is_empty() && self.redo.is_empty()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Can redo?
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{DocStatus, Origin, Span, Status};
    use proptest::prelude::*;

    fn arb_action(text: &'static str) -> impl Strategy<Value = Action> {
        let n = text.chars().count();
        prop_oneof![
            (0..n - 1, 1..4usize, 0..3usize).prop_map(move |(s, l, lab)| {
                let e = (s + l).min(n);
                Action::Insert(
                    Span::new(
                        text,
                        s,
                        e,
                        ["MONEY", "COUNT", "LOC"][lab],
                        Status::Added,
                        Origin::Manual,
                    )
                    .unwrap(),
                )
            }),
            (0..6usize).prop_map(Action::Remove),
            (0..6usize, 0..n - 1).prop_map(move |(i, s)| Action::Replace(
                i,
                Span::new(text, s, s + 1, "DATE", Status::Accepted, Origin::Manual).unwrap()
            )),
            prop_oneof![Just(DocStatus::Done), Just(DocStatus::InProgress)]
                .prop_map(Action::SetStatus),
        ]
    }

    proptest! {
        #[test]
        fn undo_after_any_sequence_restores_the_start(actions in proptest::collection::vec(arb_action("完成投资5.3亿元,带动贫困人口21万人"), 0..12)) {
            let start = AnnotationFile::new("d", "fp", "a");
            let mut f = start.clone();
            let mut h = History::default();
            for a in actions.clone() { h.apply(&mut f, a); }
            let end = f.clone();
            while h.undo(&mut f) {}
            prop_assert_eq!(&f, &start);
            while h.redo(&mut f) {}
            prop_assert_eq!(&f, &end);
        }
    }
}
