//! Consistency decisions in the session: the annotator's files as they stand (in memory where
//! open, else on disk) for the check, one decision applied to a whole group (one undo step
//! per document, undone together), and jumping to an occurrence.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use super::Level;
use super::annotate::Session;
use super::edit::{Context, Edit};
use crate::consistency::{Decision, Group};
use crate::model::AnnotationFile;

impl Session {
    /// The consistency check over the annotator's files, ready to run on another thread:
    /// the documents open in the session as they are in memory, the rest read from disk by
    /// the check itself (a large corpus does not stall the caller).
    pub fn consistency_check(&self) -> impl FnOnce() -> Vec<Group> + Send + 'static {
        let open: Vec<(usize, AnnotationFile)> = self
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let d = d.as_ref()?;
                d.load_error.is_none().then(|| (i, d.file.clone()))
            })
            .collect();
        let corpus = self.corpus.clone();
        let store = self.store.clone();
        let annotator = self.annotator.clone();
        move || {
            let mut files = open;
            let have: HashSet<usize> = files.iter().map(|(i, _)| *i).collect();
            // Only documents with a file of this annotator are read.
            for id in store.docs_of(&annotator) {
                if let Some(i) = corpus.position(&id)
                    && !have.contains(&i)
                    && let Ok(doc) = corpus.read(i)
                    && let Ok(Some(l)) = store.load(&annotator, &doc)
                {
                    files.push((i, l.file));
                }
            }
            files.sort_by_key(|(i, _)| *i);
            crate::consistency::find(&corpus, &files)
        }
    }

    /// Applies one decision to every occurrence in group `g` of the last check: one undo step
    /// per document, undone together by [`Session::undo_group`]. False when nothing changed.
    pub fn apply_group(&mut self, g: usize, decision: &Decision) -> bool {
        let Some(group) = self.consistency.as_ref().and_then(|c| c.get(g)).cloned() else {
            return false;
        };
        let mut per_doc: BTreeMap<usize, Vec<_>> = BTreeMap::new();
        for o in group.occurrences {
            per_doc.entry(o.doc_index).or_default().push(o);
        }
        let mut done = Vec::new();
        for (i, occurrences) in per_doc {
            self.ensure_loaded(i);
            let Ok(doc) = self.corpus.doc(i) else {
                continue;
            };
            let selection = (i == self.current).then_some(self.selected).flatten();
            let Some(Some(d)) = self.docs.get_mut(i) else {
                continue;
            };
            if d.load_error.is_some() {
                continue;
            }
            let cx = Context {
                text: &doc.text,
                schema: &self.schema,
                who: &self.annotator,
            };
            let edit = Edit::ApplyGroup(occurrences, decision.clone());
            if let Some(p) = edit.plan(&d.file, &cx)
                && d.commit(p.action, selection)
            {
                done.push((i, d.history.revision));
            }
        }
        let changed = !done.is_empty();
        if changed {
            self.group_undo.push(done);
            self.generation += 1;
        }
        self.clamp_selection();
        changed
    }

    /// Undoes the last group decision in every document it touched; documents edited since
    /// are left alone and reported.
    pub fn undo_group(&mut self) {
        let Some(done) = self.group_undo.pop() else {
            return;
        };
        let mut skipped = Vec::new();
        for (i, revision) in done {
            let Some(Some(d)) = self.docs.get_mut(i) else {
                continue;
            };
            let mut other = None;
            let selection = if i == self.current {
                &mut self.selected
            } else {
                &mut other
            };
            if d.history.revision != revision || d.undo(selection).is_none() {
                skipped.push(self.corpus.id(i).to_owned());
            }
        }
        if !skipped.is_empty() {
            let m = format!(
                "Group decision not undone in {} (edited since): undo there with Ctrl+Z.",
                skipped.join(", ")
            );
            self.notice(Level::Warning, m);
        }
        self.generation += 1;
        self.clamp_selection();
    }

    /// Opens document `i` with `range` selected: the span there if there is one, else the
    /// text highlighted.
    pub fn jump_to(&mut self, i: usize, range: Range<usize>) {
        if i != self.current {
            self.open_doc(i);
        }
        let span = self.doc().and_then(|d| {
            d.spans()
                .iter()
                .position(|s| s.start == range.start && s.end == range.end)
        });
        self.selected = span;
        self.search_hit = span.is_none().then_some(range);
        self.scroll_to_selection = true;
    }

    /// The value of the figure at occurrence `o` of group `g` (read from its document).
    pub fn occurrence_value(
        &mut self,
        g: usize,
        o: usize,
    ) -> Option<crate::model::span::Normalized> {
        let occ = self
            .consistency
            .as_ref()?
            .get(g)?
            .occurrences
            .get(o)?
            .clone();
        self.ensure_loaded(occ.doc_index);
        self.docs[occ.doc_index]
            .as_ref()?
            .spans()
            .iter()
            .find(|x| x.start == occ.start && x.end == occ.end && x.value.is_some())?
            .value
            .clone()
    }
}
