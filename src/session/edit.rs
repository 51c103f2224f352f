//! Edits as the analyst means them — accept this, relabel that, take alice's version, label
//! the whole group — turned into [`Action`]s in this one place. What each does to a span is
//! the model's ([`crate::model::decide`]); this file finds the spans and batches the changes.

use std::ops::Range;

use crate::consistency::{Decision, Occurrence};
use crate::model::span::{DocStatus, Normalized, Status};
use crate::model::{Action, AnnotationFile, Span};
use crate::review::Item;
use crate::schema::Schema;

/// One edit of one annotation file.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Accept span `i`.
    Accept(usize),
    /// Reject span `i`.
    Reject(usize),
    /// Give span `i` this label.
    Relabel(usize, String),
    /// Move span `i` to this char range.
    Resize(usize, Range<usize>),
    /// Set span `i`'s normalised value.
    SetValue(usize, Option<Normalized>),
    /// Set span `i`'s note.
    SetNote(usize, Option<String>),
    /// A span drawn by the annotator over this range with this label; a span already there
    /// with that label is accepted instead, a suggestion there with another label relabelled.
    Add(Range<usize>, String),
    /// Accept every unreviewed suggestion with this label.
    AcceptAll(String),
    /// Set the document's review state.
    SetStatus(DocStatus),
    /// Mark the document done, accepting every unreviewed suggestion first (`true`) or
    /// leaving them pending.
    Finish(bool),
    /// Review: resolve a disagreement with one annotator's version, or drop them all (`None`).
    TakeVersion(Item, Option<String>),
    /// Review: give every span overlapping this range this label.
    RelabelAt(Range<usize>, String),
    /// Review: the value the reviewer typed for the gold span with this range and label (of
    /// this item); a disagreement without that gold span yet is resolved with it.
    GoldValue(Item, Range<usize>, String, Option<Normalized>),
    /// Consistency: one decision on a group's occurrences in this file.
    ApplyGroup(Vec<Occurrence>, Decision),
    /// Correct the document's structure: the correction, the structure it gives, and the
    /// suggestions found in text that was boilerplate before. Unreviewed suggestions that now
    /// lie in boilerplate go, the new ones come where nothing overlaps them.
    CorrectStructure(
        crate::structure::Correction,
        Box<crate::structure::Structure>,
        Vec<Span>,
    ),
}

/// What an edit needs to know besides the file.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The document's text (spans take their text from it).
    pub text: &'a str,
    /// Labels (relabelling to an entity drops a figure's value).
    pub schema: &'a Schema,
    /// Who edits (the annotator, or the reviewer of a gold file).
    pub who: &'a str,
}

/// An edit made concrete for one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// What to apply (a no-op when the edit changes nothing).
    pub action: Action,
    /// The one span the edit is about: as it was (`None` for a new one) and as it will be.
    /// The selection follows it, and it says what the edit teaches the suggester.
    pub span: Option<(Option<Span>, Span)>,
}

impl Planned {
    fn whole(action: Action) -> Self {
        Self { action, span: None }
    }

    /// What the edit teaches the suggester: (text, label, accepted). A new or newly accepted
    /// span teaches its label; a relabel teaches that the old label was wrong; a rejection
    /// that the string is not that label.
    pub fn lessons(&self) -> Vec<(String, String, bool)> {
        let Some((before, after)) = &self.span else {
            return Vec::new();
        };
        let lesson = |s: &Span, yes: bool| (s.text.clone(), s.label.clone(), yes);
        match before {
            Some(b) if b.label != after.label => vec![lesson(b, false), lesson(after, true)],
            Some(b) if after.status.is_final() && !b.status.is_final() => vec![lesson(after, true)],
            Some(b) if after.status == Status::Rejected && b.status != Status::Rejected => {
                vec![lesson(after, false)]
            }
            None if after.status.is_final() => vec![lesson(after, true)],
            _ => Vec::new(),
        }
    }
}

impl Edit {
    /// The action that makes this edit on `file`; `None` when it does not apply (no such span).
    pub fn plan(&self, file: &AnnotationFile, cx: &Context) -> Option<Planned> {
        let who = cx.who;
        // One span changed in place.
        let change = |i: usize, f: &dyn Fn(&mut Span) -> bool| -> Option<Planned> {
            let old = file.spans.get(i)?;
            let mut new = old.clone();
            let action = if f(&mut new) {
                Action::Replace(i, new.clone())
            } else {
                Action::Batch(Vec::new())
            };
            Some(Planned {
                action,
                span: Some((Some(old.clone()), new)),
            })
        };
        match self {
            Self::Accept(i) => change(*i, &|s| s.accept(who)),
            Self::Reject(i) => change(*i, &|s| s.reject(who)),
            Self::Relabel(i, label) => change(*i, &|s| s.relabel(label, cx.schema, who)),
            Self::Resize(i, r) => change(*i, &|s| s.resize(cx.text, r.clone(), who)),
            Self::SetValue(i, v) => change(*i, &|s| s.set_value(v.clone(), who)),
            Self::SetNote(i, n) => change(*i, &|s| s.set_note(n.clone(), who)),
            Self::Add(r, label) => {
                let same = |s: &Span| s.start == r.start && s.end == r.end && s.label == *label;
                if let Some(i) = file.spans.iter().position(same) {
                    return change(i, &|s| s.accept(who));
                }
                // A pending suggestion over the very same chars is relabelled rather than left
                // under the new span (two labels on one string).
                let pending = |s: &Span| {
                    s.start == r.start && s.end == r.end && s.status == Status::Suggested
                };
                if let Some(i) = file.spans.iter().position(pending) {
                    return change(i, &|s| s.relabel(label, cx.schema, who));
                }
                let span = Span::added(cx.text, r.clone(), label, who).ok()?;
                Some(Planned {
                    action: Action::Insert(span.clone()),
                    span: Some((None, span)),
                })
            }
            Self::AcceptAll(label) => {
                let changed = file
                    .spans
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.label == *label && s.status == Status::Suggested)
                    .map(|(i, s)| {
                        let mut s = s.clone();
                        s.accept(who);
                        (i, s)
                    })
                    .collect();
                Some(Planned::whole(rewrite(Vec::new(), changed, Vec::new())))
            }
            Self::SetStatus(st) => Some(Planned::whole(Action::SetStatus(*st))),
            Self::Finish(accept_pending) => {
                let mut changed = Vec::new();
                if *accept_pending {
                    for (i, s) in file.spans.iter().enumerate() {
                        let mut s = s.clone();
                        if s.status == Status::Suggested && s.accept(who) {
                            changed.push((i, s));
                        }
                    }
                }
                let accepts = rewrite(Vec::new(), changed, Vec::new());
                Some(Planned::whole(Action::Batch(vec![
                    accepts,
                    Action::SetStatus(DocStatus::Done),
                ])))
            }
            Self::TakeVersion(item, annotator) => Some(Planned::whole(crate::review::resolve(
                file,
                item,
                annotator.as_deref(),
                who,
            ))),
            Self::GoldValue(item, range, label, value) => {
                crate::review::resolve_value(file, item, (range.clone(), label), value.clone(), who)
                    .map(Planned::whole)
            }
            Self::RelabelAt(r, label) => {
                let changed = file
                    .spans
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.overlaps(r))
                    .filter_map(|(i, s)| {
                        let mut s = s.clone();
                        s.relabel(label, cx.schema, who).then_some((i, s))
                    })
                    .collect();
                Some(Planned::whole(rewrite(Vec::new(), changed, Vec::new())))
            }
            Self::ApplyGroup(occurrences, decision) => Some(Planned::whole(group_action(
                file,
                occurrences,
                decision,
                cx,
            ))),
            Self::CorrectStructure(correction, structure, found) => {
                if *correction == file.structure {
                    return Some(Planned::whole(Action::Batch(Vec::new())));
                }
                let removed: Vec<usize> = file
                    .spans
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        s.status == Status::Suggested && structure.overlaps_boilerplate(&s.range())
                    })
                    .map(|(i, _)| i)
                    .collect();
                let kept = |k: usize| !removed.contains(&k);
                let added: Vec<Span> = found
                    .iter()
                    .filter(|n| {
                        !file
                            .spans
                            .iter()
                            .enumerate()
                            .any(|(k, s)| kept(k) && s.overlaps(&n.range()))
                    })
                    .cloned()
                    .collect();
                let Action::Batch(mut actions) = rewrite(removed, Vec::new(), added) else {
                    unreachable!("rewrite makes a batch");
                };
                actions.insert(0, Action::SetStructure(correction.clone()));
                Some(Planned::whole(Action::Batch(actions)))
            }
        }
    }
}

/// One action that removes spans `removed`, puts in the new versions of spans `changed`
/// (index, new version) and inserts `added`, keeping document order: every old span removed
/// from the back first, the new ones inserted in order.
fn rewrite(removed: Vec<usize>, changed: Vec<(usize, Span)>, added: Vec<Span>) -> Action {
    let mut out = removed;
    out.extend(changed.iter().map(|(i, _)| *i));
    out.sort_unstable();
    out.dedup();
    let mut actions: Vec<Action> = out.into_iter().rev().map(Action::Remove).collect();
    actions.extend(changed.into_iter().map(|(_, s)| Action::Insert(s)));
    actions.extend(added.into_iter().map(Action::Insert));
    Action::Batch(actions)
}

/// One decision on the occurrences of a group in `file` (see [`crate::consistency::plan`]).
fn group_action(
    file: &AnnotationFile,
    occurrences: &[Occurrence],
    decision: &Decision,
    cx: &Context,
) -> Action {
    let p = crate::consistency::plan(file, occurrences, decision, cx.text, cx.schema, cx.who);
    rewrite(p.removed, p.changed, p.added)
}
