//! Undo and redo stacks of inverse actions, and a revision number that changes with every
//! edit (it drives autosave and layout caching).

use super::action::Action;
use super::span::AnnotationFile;

/// One undo (or redo) step: the action that reverses it, and what the caller keeps with it
/// (the selection to restore, what the step taught the suggester).
#[derive(Debug, Clone)]
struct Step<M> {
    action: Action,
    mark: M,
}

/// Undo/redo for one annotation file. `M` is kept with each step and handed back when the
/// step is undone or redone.
#[derive(Debug, Clone)]
pub struct History<M = ()> {
    undo: Vec<Step<M>>,
    redo: Vec<Step<M>>,
    /// Bumped by every apply, amend, undo and redo.
    pub revision: u64,
}

impl<M> Default for History<M> {
    fn default() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
        }
    }
}

impl<M> History<M> {
    /// Applies `action` as one undoable step carrying `mark`. False when it changed nothing
    /// (no step is recorded then).
    pub fn apply(&mut self, file: &mut AnnotationFile, action: Action, mark: M) -> bool {
        let inverse = action.apply(file);
        if inverse.is_noop() {
            return false;
        }
        self.undo.push(Step {
            action: inverse,
            mark,
        });
        self.redo.clear();
        self.revision += 1;
        true
    }

    /// Applies `action` as part of the last step (what an accept taught, added with it), so
    /// that one undo takes both back; with no step to join, it is a step of its own carrying
    /// `mark`. False when it changed nothing.
    pub fn amend_or(&mut self, file: &mut AnnotationFile, action: Action, mark: M) -> bool {
        let inverse = action.apply(file);
        if inverse.is_noop() {
            return false;
        }
        match self.undo.last_mut() {
            Some(last) => {
                let earlier = std::mem::replace(&mut last.action, Action::Batch(Vec::new()));
                last.action = Action::Batch(vec![inverse, earlier]);
            }
            None => self.undo.push(Step {
                action: inverse,
                mark,
            }),
        }
        self.redo.clear();
        self.revision += 1;
        true
    }

    /// The mark of the last step, to add to what it holds.
    pub fn last_mark_mut(&mut self) -> Option<&mut M> {
        self.undo.last_mut().map(|s| &mut s.mark)
    }

    /// Undoes the last step; `swap` receives its mark (to restore what it holds) and returns
    /// the mark the redo step keeps. False when there is nothing to undo.
    pub fn undo(&mut self, file: &mut AnnotationFile, swap: impl FnOnce(M) -> M) -> bool {
        let Some(step) = self.undo.pop() else {
            return false;
        };
        let action = step.action.apply(file);
        self.redo.push(Step {
            action,
            mark: swap(step.mark),
        });
        self.revision += 1;
        true
    }

    /// Redoes the last undone step; `swap` as for [`History::undo`]. False when there is none.
    pub fn redo(&mut self, file: &mut AnnotationFile, swap: impl FnOnce(M) -> M) -> bool {
        let Some(step) = self.redo.pop() else {
            return false;
        };
        let action = step.action.apply(file);
        self.undo.push(Step {
            action,
            mark: swap(step.mark),
        });
        self.revision += 1;
        true
    }

    /// Whether any edit was made since the file was loaded.
    pub fn is_pristine(&self) -> bool {
        self.undo.is_empty() && self.redo.is_empty()
    }

    /// Can undo?
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Can redo?
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Number of steps that can be undone.
    pub fn depth(&self) -> usize {
        self.undo.len()
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
            let mut h: History = History::default();
            for a in actions.clone() { h.apply(&mut f, a, ()); }
            let end = f.clone();
            while h.undo(&mut f, |m| m) {}
            prop_assert_eq!(&f, &start);
            while h.redo(&mut f, |m| m) {}
            prop_assert_eq!(&f, &end);
        }
    }
    #[test]
    fn marks_travel_between_undo_and_redo_and_amends_join_the_step() {
        let text = "完成投资5.3亿元";
        let mut f = AnnotationFile::new("d", "fp", "a");
        let mut h: History<u32> = History::default();
        let span = |s, e| Span::new(text, s, e, "X", Status::Added, Origin::Manual).unwrap();
        assert!(h.apply(&mut f, Action::Insert(span(0, 2)), 1));
        assert!(!h.apply(&mut f, Action::Remove(7), 9), "a no-op is no step");
        assert!(h.amend_or(&mut f, Action::Insert(span(4, 9)), 0));
        assert_eq!((h.depth(), f.spans.len()), (1, 2));
        let mut seen = None;
        assert!(h.undo(&mut f, |m| {
            seen = Some(m);
            m + 10
        }));
        assert_eq!(
            (seen, f.spans.len()),
            (Some(1), 0),
            "one undo takes both back"
        );
        assert!(h.redo(&mut f, |m| {
            seen = Some(m);
            m - 10
        }));
        assert_eq!((seen, f.spans.len()), (Some(11), 2));
    }
}
