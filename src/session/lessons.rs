//! What a decision taught the suggester, kept with the undo step so that undo takes it back:
//! the learned memory's entry for the string before and after the decision.

use std::collections::BTreeSet;

use crate::suggest::memory::Memory;

/// What the memory holds about one string: the label it was accepted with, the labels it was
/// rejected with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Accepted (or added) with this label.
    pub accepted: Option<String>,
    /// Rejected with these labels.
    pub rejected: BTreeSet<String>,
}

impl Entry {
    /// The memory's entry for `text`.
    pub fn of(memory: &Memory, text: &str) -> Self {
        Self {
            accepted: memory.accepted.get(text).cloned(),
            rejected: memory.rejected.get(text).cloned().unwrap_or_default(),
        }
    }

    /// Puts this entry back for `text`, through the memory's own accept/reject so that its
    /// matcher is rebuilt (it covers accepted strings only; rejected labels are plain data).
    fn restore(&self, memory: &mut Memory, text: &str) {
        if memory.accepted.get(text) != self.accepted.as_ref() {
            if let Some(now) = memory.accepted.get(text).cloned() {
                memory.reject(text, &now);
            }
            if let Some(label) = &self.accepted {
                memory.accept(text, label);
            }
        }
        if self.rejected.is_empty() {
            memory.rejected.remove(text);
        } else {
            memory
                .rejected
                .insert(text.to_owned(), self.rejected.clone());
        }
    }
}

/// One string's memory entry before and after a decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// The string.
    pub text: String,
    /// Its entry before.
    pub before: Entry,
    /// Its entry after.
    pub after: Entry,
}

impl Lesson {
    /// Teaches `memory` that `text` is (`accepted`) or is not a `label`; the lesson, or `None`
    /// when the memory already knew.
    pub fn teach(memory: &mut Memory, text: &str, label: &str, accepted: bool) -> Option<Self> {
        let before = Entry::of(memory, text);
        let changed = if accepted {
            memory.accept(text, label)
        } else {
            memory.reject(text, label)
        };
        changed.then(|| Self {
            text: text.to_owned(),
            before,
            after: Entry::of(memory, text),
        })
    }

    /// Takes the lesson back (undo), unless a later decision changed what the memory holds
    /// about the string since (that decision stands). Returns whether the memory changed.
    pub fn unteach(&self, memory: &mut Memory) -> bool {
        Self::back(memory, &self.text, &self.after, &self.before)
    }

    /// Teaches it again (redo), on the same condition.
    pub fn reteach(&self, memory: &mut Memory) -> bool {
        Self::back(memory, &self.text, &self.before, &self.after)
    }

    fn back(memory: &mut Memory, text: &str, from: &Entry, to: &Entry) -> bool {
        if Entry::of(memory, text) != *from {
            return false;
        }
        to.restore(memory, text);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_of_lessons_restore_the_memory_and_its_matches() {
        let mut m = Memory::default();
        m.reject("陆家村", "ORG");
        m.accept("白城市", "LOC");
        let start = m.clone();
        let steps = [
            Lesson::teach(&mut m, "陆家村", "LOC", true),
            Lesson::teach(&mut m, "白城市", "ORG", true),
            Lesson::teach(&mut m, "陆家村", "LOC", false),
        ];
        assert!(Lesson::teach(&mut m, "陆家村", "LOC", false).is_none());
        let end = m.clone();
        assert!(m.find("陆家村").is_empty());
        for l in steps.iter().rev().flatten() {
            assert!(l.unteach(&mut m));
        }
        assert_eq!(m, start);
        assert_eq!(m.find("白城市").len(), 1, "the matcher follows");
        assert!(m.find("陆家村").is_empty());
        assert!(m.is_rejected("陆家村", "ORG"));
        for l in steps.iter().flatten() {
            assert!(l.reteach(&mut m));
        }
        assert_eq!(m, end);
        assert_eq!(m.find("白城市")[0].1, "ORG");
        // A later decision about the string stands when an earlier one is undone.
        let first = Lesson::teach(&mut m, "郑小东", "PER", true).unwrap();
        Lesson::teach(&mut m, "郑小东", "PER", false).unwrap();
        assert!(!first.unteach(&mut m));
        assert!(m.is_rejected("郑小东", "PER"));
    }
}
