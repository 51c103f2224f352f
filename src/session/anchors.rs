//! Spans the store re-anchored because the article changed since the file was written: the
//! open document lists them (moved, or lost and flagged) until the analyst has looked and
//! confirms, which writes the file against the new text.

use std::time::Instant;

use super::annotate::Session;
use crate::store::{ReanchorReport, Reanchored};

impl Session {
    /// What re-anchoring did to the open document, until confirmed.
    pub fn reanchored(&self) -> Option<&ReanchorReport> {
        self.doc()?.reanchored.as_ref()
    }

    /// Selects the span of entry `k` of the list (moved ones first, then lost ones).
    pub fn select_reanchored(&mut self, k: usize) {
        let Some(d) = self.doc() else { return };
        let Some(r) = &d.reanchored else { return };
        let Some(entry) = r.moved.iter().chain(&r.lost).nth(k) else {
            return;
        };
        let found = d.spans().iter().position(|s| is(entry, s));
        if found.is_some() {
            self.selected = found;
            self.scroll_to_selection = true;
        }
    }

    /// The analyst has looked at the moved and lost spans: the list goes and the file is
    /// written (at the next save) with the article's new fingerprint, so it is not
    /// re-anchored again.
    pub fn confirm_reanchored(&mut self) {
        let Some(Some(d)) = self.docs.get_mut(self.current) else {
            return;
        };
        if d.reanchored.take().is_some() {
            d.saved_revision = d.saved_revision.wrapping_sub(1);
            d.edited_at = Some(Instant::now());
        }
    }
}

/// Is `s` the span `entry` is about (where it is now)?
fn is(entry: &Reanchored, s: &crate::model::Span) -> bool {
    s.label == entry.label
        && s.text == entry.text
        && match &entry.to {
            Some(to) => s.range() == *to,
            None => s.unanchored,
        }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn moved_and_lost_spans_are_listed_selected_and_confirmed() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let old = "标题\n\n白城市投入资金。长春市也投入。\n";
        std::fs::write(corpus.join("d.txt"), old).unwrap();
        let ann = dir.path().join("annotations");
        let doc = crate::corpus::Document::from_text("d", old);
        let mut f = crate::model::AnnotationFile::new("d", &doc.fingerprint, "alice");
        for (a, b) in [(4, 7), (12, 15)] {
            f.spans.push(
                crate::model::Span::new(
                    &doc.text,
                    a,
                    b,
                    "LOC",
                    crate::model::Status::Accepted,
                    crate::model::Origin::Manual,
                )
                .unwrap(),
            );
        }
        Store::new(&ann).overwrite(&f).unwrap();
        std::fs::write(
            corpus.join("d.txt"),
            "标题\n\n白城县投入资金。今年长春市也投入。\n",
        )
        .unwrap();
        let mut s = super::Session::open(corpus, ann.clone(), "alice".into()).unwrap();
        let r = s.reanchored().unwrap().clone();
        assert_eq!((r.moved.len(), r.lost.len()), (1, 1));
        s.select_reanchored(0);
        assert_eq!(s.selected_span().unwrap().range(), 14..17);
        s.select_reanchored(1);
        assert!(s.selected_span().unwrap().unanchored);
        s.confirm_reanchored();
        assert!(s.reanchored().is_none());
        s.save_all();
        let doc = s.corpus.doc(0).unwrap();
        let l = Store::new(&ann).load("alice", &doc).unwrap().unwrap();
        assert!(l.reanchor.is_none(), "written against the new text");
        assert_eq!(l.file.fingerprint, doc.fingerprint);
    }
}
