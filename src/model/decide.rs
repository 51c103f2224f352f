//! What a decision does to a span — accept, reject, relabel, resize, a new value or note, a new
//! span by hand, an adjudication — defined once, so that the annotation view, review,
//! consistency decisions and imports give a span the same status, value and history.

use std::ops::Range;

use super::span::{Change, ChangeKind, Normalized, Origin, Span, Status};
use crate::error::SpanError;
use crate::schema::Schema;

impl Span {
    /// A span the annotator drew over `range` of `doc_text`: status added, origin manual, its
    /// creation recorded.
    pub fn added(
        doc_text: &str,
        range: Range<usize>,
        label: &str,
        who: &str,
    ) -> Result<Self, SpanError> {
        let mut s = Self::new(
            doc_text,
            range.start,
            range.end,
            label,
            Status::Added,
            Origin::Manual,
        )?;
        s.changes.push(Change::now(ChangeKind::Added, who));
        Ok(s)
    }

    /// Accepts the span. False (and nothing recorded) when it already counts as annotated
    /// (accepted or added).
    pub fn accept(&mut self, who: &str) -> bool {
        if self.status.is_final() {
            return false;
        }
        self.status = Status::Accepted;
        self.changes.push(Change::now(ChangeKind::Accepted, who));
        true
    }

    /// Rejects the span (it is kept, so the decision is remembered). False when it already is.
    pub fn reject(&mut self, who: &str) -> bool {
        if self.status == Status::Rejected {
            return false;
        }
        self.status = Status::Rejected;
        self.changes.push(Change::now(ChangeKind::Rejected, who));
        true
    }

    /// Gives the span `label`. A relabel is a correction: the span counts as reviewed
    /// afterwards (a suggestion or a rejected span is accepted), and a span that becomes an
    /// entity loses its figure value. False when nothing changed.
    pub fn relabel(&mut self, label: &str, schema: &Schema, who: &str) -> bool {
        let mut changed = false;
        if self.label != label {
            self.changes.push(Change::now(
                ChangeKind::Relabeled {
                    from: self.label.clone(),
                    to: label.to_owned(),
                },
                who,
            ));
            self.label = label.to_owned();
            if !schema.is_figure(label) {
                self.value = None;
            }
            changed = true;
        }
        self.accept(who) || changed
    }

    /// Moves the span to `range` of `doc_text` (its text follows). False when the range is
    /// empty, runs past the text, or is the span's range already.
    pub fn resize(&mut self, doc_text: &str, range: Range<usize>, who: &str) -> bool {
        if range.start >= range.end
            || range == self.range()
            || range.end > crate::text::char_len(doc_text)
        {
            return false;
        }
        self.changes.push(Change::now(
            ChangeKind::Resized {
                from: (self.start, self.end),
                to: (range.start, range.end),
            },
            who,
        ));
        self.text = crate::text::char_slice(doc_text, range.clone()).to_owned();
        self.start = range.start;
        self.end = range.end;
        true
    }

    /// Sets the figure's normalised value (`None` clears it). False when it is unchanged.
    pub fn set_value(&mut self, value: Option<Normalized>, who: &str) -> bool {
        if self.value == value {
            return false;
        }
        self.value = value;
        self.changes.push(Change::now(ChangeKind::ValueEdited, who));
        true
    }

    /// Sets the note (`None` or blank removes it). False when it is unchanged.
    pub fn set_note(&mut self, note: Option<String>, who: &str) -> bool {
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if self.note == note {
            return false;
        }
        self.note = note;
        self.changes.push(Change::now(ChangeKind::NoteEdited, who));
        true
    }

    /// This span as a reviewer takes it into the gold set: accepted, the adjudication
    /// recorded after its history.
    pub fn adjudicated(&self, reviewer: &str) -> Span {
        let mut g = self.clone();
        g.status = Status::Accepted;
        g.changes
            .push(Change::now(ChangeKind::Adjudicated, reviewer));
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Num, Quantity};

    const TEXT: &str = "完成投资5.3亿元,带动贫困人口21万人";

    fn money() -> Span {
        let v = Normalized {
            value: Quantity::Number(Num(530000000.0)),
            value_max: None,
            unit: Some("元".into()),
            approx: false,
        };
        Span::suggestion(TEXT, 4, 9, "MONEY", "money", Some(v)).unwrap()
    }

    fn kinds(s: &Span) -> Vec<&ChangeKind> {
        s.changes.iter().map(|c| &c.what).collect()
    }

    #[test]
    fn accept_and_reject_record_once() {
        let mut s = money();
        assert!(s.accept("a"));
        assert!(!s.accept("a"), "accepting twice changes nothing");
        assert_eq!(s.provenance(), "accepted");
        assert!(s.reject("a"));
        assert!(!s.reject("a"));
        assert_eq!(kinds(&s), [&ChangeKind::Accepted, &ChangeKind::Rejected]);
        let mut added = Span::added(TEXT, 0..2, "ORG", "a").unwrap();
        assert!(!added.accept("a"), "an added span stays added");
        assert_eq!(added.status, Status::Added);
    }

    #[test]
    fn relabel_is_a_reviewed_correction() {
        let schema = Schema::default();
        // A suggestion relabelled as another figure: accepted, edited, value kept.
        let mut s = money();
        assert!(s.relabel("COUNT", &schema, "a"));
        assert_eq!((s.status, s.provenance()), (Status::Accepted, "edited"));
        assert!(s.value.is_some());
        assert_eq!(s.edits(), ["label"]);
        // As an entity: the value goes.
        assert!(s.relabel("ORG", &schema, "a"));
        assert!(s.value.is_none());
        // A rejected span given its own label again is accepted back.
        let mut r = money();
        r.reject("a");
        assert!(r.relabel("MONEY", &schema, "a"));
        assert_eq!(r.status, Status::Accepted);
        assert!(r.edits().is_empty(), "the label did not change");
        // Same label on an accepted span: nothing.
        assert!(!r.relabel("MONEY", &schema, "a"));
    }

    #[test]
    fn resize_checks_the_range_and_follows_the_text() {
        let mut s = money();
        assert!(!s.resize(TEXT, 4..4, "a"));
        assert!(!s.resize(TEXT, 4..99, "a"));
        assert!(!s.resize(TEXT, 4..9, "a"), "unchanged");
        assert!(s.resize(TEXT, 4..8, "a"));
        assert_eq!((s.text.as_str(), s.edits()), ("5.3亿", vec!["boundaries"]));
        assert_eq!(s.suggested.as_ref().map(|x| x.end), Some(9), "origin kept");
    }

    #[test]
    fn value_and_note_record_only_changes() {
        let mut s = money();
        let v = s.value.clone();
        assert!(!s.set_value(v, "a"));
        assert!(s.set_value(None, "a"));
        assert!(
            !s.set_note(Some("  ".into()), "a"),
            "a blank note is no note"
        );
        assert!(s.set_note(Some(" 原文有误 ".into()), "a"));
        assert_eq!(s.note.as_deref(), Some("原文有误"));
        assert_eq!(
            kinds(&s),
            [&ChangeKind::ValueEdited, &ChangeKind::NoteEdited]
        );
    }

    #[test]
    fn adjudicated_spans_are_accepted_with_their_history() {
        let mut s = money();
        s.reject("alice");
        let g = s.adjudicated("rita");
        assert_eq!(g.status, Status::Accepted);
        assert_eq!(g.changes.len(), 2);
        assert_eq!(g.changes[1].who, "rita");
    }
}
