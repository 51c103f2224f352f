//! Spans: stand-off char ranges with a label, a status, where they came from, a normalised
//! value for figures, and every change made to them since.

use serde::{Deserialize, Serialize};

use crate::error::SpanError;

/// A number as stored and printed: integers without a fraction (`530000000`, not `530000000.0`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Num(pub f64);

impl Num {
    /// The value as an exact integer, when it is one.
    pub fn as_i64(self) -> Option<i64> {
        (self.0.fract() == 0.0 && self.0.abs() < 9.0e15).then_some(self.0 as i64)
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.as_i64() {
            Some(i) => write!(f, "{i}"),
            None => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(i) => s.serialize_i64(i),
            None => s.serialize_f64(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A figure's normalised value: a number (money, counts …) or an ISO 8601 date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Quantity {
    /// Magnitudes applied: 5.3亿元 → 530000000.
    Number(Num),
    /// ISO 8601 as far as known: `2017`, `2016-12-07`, `--04-09`, `09:12:25`.
    Date(String),
}

impl Quantity {
    /// The number, if this is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(n.0),
            Self::Date(_) => None,
        }
    }

    /// For JSON: a number or a string.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Number(n) => serde_json::to_value(n).unwrap_or(serde_json::Value::Null),
            Self::Date(s) => serde_json::Value::String(s.clone()),
        }
    }

    /// From JSON as [`Quantity::to_json`] writes it: a number, or a date string.
    pub fn from_json(v: &serde_json::Value) -> Option<Self> {
        match v {
            serde_json::Value::Number(n) => n.as_f64().map(|x| Self::Number(Num(x))),
            serde_json::Value::String(s) => Some(Self::Date(s.clone())),
            _ => None,
        }
    }

    /// Parses what a user typed: a number (digits, decimals) or else a date string.
    pub fn parse_user(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        match s.replace([',', '_'], "").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(Self::Number(Num(v))),
            _ => Some(Self::Date(s.to_owned())),
        }
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Number(n) => n.fmt(f),
            Self::Date(s) => f.write_str(s),
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The normalised value of a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Normalized {
    /// The value, or the lower bound of a range.
    pub value: Quantity,
    /// The upper bound of a range ([两三千户] → 3000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<Quantity>,
    /// 元, %, 户, 人, 亩 … (none for a bare count such as [11.3万]农村贫困人口).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Marked as approximate (余, 多, 来, 近, 约, 超过, 左右, 以上).
    #[serde(default, skip_serializing_if = "is_false")]
    pub approx: bool,
}

impl Normalized {
    /// From the keys of an exported span (`value`, `value_max`, `unit`, `approx`, as the JSONL
    /// export writes them); `None` when it has no `value`.
    pub fn from_json(span: &serde_json::Value) -> Option<Self> {
        Some(Self {
            value: Quantity::from_json(span.get("value")?)?,
            value_max: span.get("value_max").and_then(Quantity::from_json),
            unit: span.get("unit").and_then(|u| u.as_str()).map(str::to_owned),
            approx: span.get("approx").and_then(serde_json::Value::as_bool) == Some(true),
        })
    }
}

/// Where a span reviewed by the annotator stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Proposed by a rule or by memory, not yet reviewed.
    Suggested,
    /// Confirmed by the annotator (possibly after edits).
    Accepted,
    /// Rejected by the annotator; kept so the decision is remembered.
    Rejected,
    /// Added by the annotator by hand.
    Added,
}

impl Status {
    /// All statuses, in display order.
    pub const ALL: [Status; 4] = [
        Status::Suggested,
        Status::Accepted,
        Status::Added,
        Status::Rejected,
    ];

    /// Lower-case name used in exports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Suggested => "suggested",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Added => "added",
        }
    }

    /// Parses [`Status::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.name() == s)
    }

    /// A span that counts as annotated (accepted or added).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Accepted | Self::Added)
    }
}

/// Where a span came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Origin {
    /// A suggestion rule (`money`, `date`, …).
    Rule(String),
    /// Learned from the annotator's earlier decisions.
    Learned,
    /// Drawn by the annotator.
    Manual,
    /// Read from an imported file (its format).
    Imported(String),
}

impl Origin {
    /// Short name for exports: `rule:money`, `learned`, `manual`, `imported:jsonl`.
    pub fn name(&self) -> String {
        match self {
            Self::Rule(r) => format!("rule:{r}"),
            Self::Learned => "learned".into(),
            Self::Manual => "manual".into(),
            Self::Imported(f) => format!("imported:{f}"),
        }
    }
}

/// The suggestion a span started as, kept unchanged for provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggested {
    /// The rule that made it.
    pub rule: String,
    /// Original start.
    pub start: usize,
    /// Original end.
    pub end: usize,
    /// Original label.
    pub label: String,
    /// Original value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Normalized>,
}

/// What one change did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ChangeKind {
    /// Created by hand.
    Added,
    /// Status set to accepted.
    Accepted,
    /// Status set to rejected.
    Rejected,
    /// Back to unreviewed.
    Reopened,
    /// Label changed.
    Relabeled {
        /// Old label.
        from: String,
        /// New label.
        to: String,
    },
    /// Boundaries changed.
    Resized {
        /// Old (start, end).
        from: (usize, usize),
        /// New (start, end).
        to: (usize, usize),
    },
    /// Normalised value edited.
    ValueEdited,
    /// Note edited.
    NoteEdited,
    /// Moved because the document's text changed.
    Reanchored {
        /// Old (start, end).
        from: (usize, usize),
        /// New (start, end).
        to: (usize, usize),
    },
    /// Could not be found after the document's text changed.
    Unanchored,
    /// Read from an import.
    Imported,
    /// Decided by a reviewer in adjudication.
    Adjudicated,
}

/// One change to a span: what, who, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// What changed.
    pub what: ChangeKind,
    /// The annotator (or `biaozhu` for automatic re-anchoring).
    pub who: String,
    /// RFC 3339 UTC timestamp.
    pub when: String,
}

impl Change {
    /// A change made now.
    pub fn now(what: ChangeKind, who: &str) -> Self {
        Self {
            what,
            who: who.to_owned(),
            when: timestamp(),
        }
    }
}

/// Now, as RFC 3339 UTC with seconds.
pub fn timestamp() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// A labelled char range of a document, with status and history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// First char (inclusive).
    pub start: usize,
    /// Last char + 1 (exclusive).
    pub end: usize,
    /// Label name from the schema.
    pub label: String,
    /// The covered text, for readability and for re-anchoring when the document changes.
    pub text: String,
    /// Review status.
    pub status: Status,
    /// Where it came from.
    pub origin: Origin,
    /// Normalised value (figures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Normalized>,
    /// The annotator's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The suggestion it came from, unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<Suggested>,
    /// Every change since, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Set when the document's text changed and the span's text could not be found again.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unanchored: bool,
}

impl Span {
    /// A span over `start..end` of `doc_text`; checks the range.
    pub fn new(
        doc_text: &str,
        start: usize,
        end: usize,
        label: &str,
        status: Status,
        origin: Origin,
    ) -> Result<Self, SpanError> {
        if start >= end {
            return Err(SpanError::Empty { start, end });
        }
        let len = doc_text.chars().count();
        if end > len {
            return Err(SpanError::OutOfRange { start, end, len });
        }
        let text = crate::text::char_slice(doc_text, start..end).to_owned();
        Ok(Self {
            start,
            end,
            label: label.to_owned(),
            text,
            status,
            origin,
            value: None,
            note: None,
            suggested: None,
            changes: Vec::new(),
            unanchored: false,
        })
    }

    /// A suggestion from `rule`, remembering its original form.
    pub fn suggestion(
        doc_text: &str,
        start: usize,
        end: usize,
        label: &str,
        rule: &str,
        value: Option<Normalized>,
    ) -> Result<Self, SpanError> {
        let mut s = Self::new(
            doc_text,
            start,
            end,
            label,
            Status::Suggested,
            Origin::Rule(rule.to_owned()),
        )?;
        s.value = value.clone();
        s.suggested = Some(Suggested {
            rule: rule.to_owned(),
            start,
            end,
            label: label.to_owned(),
            value,
        });
        Ok(s)
    }

    /// The char range.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// Number of chars covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Never true for a valid span; here for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Does this span overlap `r`?
    pub fn overlaps(&self, r: &std::ops::Range<usize>) -> bool {
        self.start < r.end && r.start < self.end
    }

    /// How the span came to be, in one word: `suggested` (unreviewed), `accepted` (as
    /// suggested), `edited` (accepted after changing label, boundaries or value), `added`,
    /// `rejected`.
    pub fn provenance(&self) -> &'static str {
        match self.status {
            Status::Suggested => "suggested",
            Status::Rejected => "rejected",
            Status::Added => "added",
            Status::Accepted => {
                let edited = self.changes.iter().any(|c| {
                    matches!(
                        c.what,
                        ChangeKind::Relabeled { .. }
                            | ChangeKind::Resized { .. }
                            | ChangeKind::ValueEdited
                    )
                });
                if edited { "edited" } else { "accepted" }
            }
        }
    }

    /// What the analyst changed about a suggestion or span: any of `label`, `boundaries`,
    /// `value`, in that order (empty when accepted as suggested or untouched).
    pub fn edits(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut push = |what| {
            if !out.contains(&what) {
                out.push(what);
            }
        };
        for c in &self.changes {
            match c.what {
                ChangeKind::Relabeled { .. } => push("label"),
                ChangeKind::Resized { .. } => push("boundaries"),
                ChangeKind::ValueEdited => push("value"),
                _ => {}
            }
        }
        out.sort_by_key(|w| ["label", "boundaries", "value"].iter().position(|x| x == w));
        out
    }

    /// Sort key: position, then label.
    pub fn sort_key(&self) -> (usize, usize, &str) {
        (self.start, self.end, &self.label)
    }
}

/// A document's review state for one annotator.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub enum DocStatus {
    /// No decision yet.
    #[default]
    NotStarted,
    /// Some decisions made.
    InProgress,
    /// Marked done by the annotator.
    Done,
}

impl DocStatus {
    /// Human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }
}

/// Who adjudicated a gold file and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// The reviewer.
    pub reviewer: String,
    /// The annotators whose work was merged.
    pub annotators: Vec<String>,
    /// When.
    pub when: String,
    /// Disagreements the reviewer resolved (char ranges), whether a version was taken or all
    /// were dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<(usize, usize)>,
}

/// Current version of the annotation file format.
pub const FORMAT_VERSION: u32 = 1;

/// One annotator's annotations of one document: `annotations/<annotator>/<doc-id>.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationFile {
    /// Format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// The document id (file stem of the article).
    pub doc: String,
    /// Fingerprint of the text the offsets refer to.
    pub fingerprint: String,
    /// Whose annotations these are.
    pub annotator: String,
    /// Review state.
    pub status: DocStatus,
    /// For gold files: who adjudicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// The analyst's corrections of the detected title, body and boilerplate (none when
    /// the detection was right).
    #[serde(
        default,
        skip_serializing_if = "crate::structure::Correction::is_empty"
    )]
    pub structure: crate::structure::Correction,
    /// Spans in document order.
    pub spans: Vec<Span>,
}

impl AnnotationFile {
    /// An empty file for a document.
    pub fn new(doc: &str, fingerprint: &str, annotator: &str) -> Self {
        Self {
            format: FORMAT_VERSION,
            doc: doc.to_owned(),
            fingerprint: fingerprint.to_owned(),
            annotator: annotator.to_owned(),
            status: DocStatus::NotStarted,
            review: None,
            structure: crate::structure::Correction::default(),
            spans: Vec::new(),
        }
    }

    /// Puts spans in the stable order files are written in.
    pub fn sort(&mut self) {
        self.spans.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }

    /// Number of suggestions reviewed (accepted or rejected) and the number there are in all
    /// (added spans count as reviewed).
    pub fn progress(&self) -> (usize, usize) {
        let total = self.spans.len();
        let open = self
            .spans
            .iter()
            .filter(|s| s.status == Status::Suggested)
            .count();
        (total - open, total)
    }

    /// Does the file hold a span with this range and label (any status)?
    pub fn has(&self, start: usize, end: usize, label: &str) -> bool {
        self.spans
            .iter()
            .any(|s| s.start == start && s.end == end && s.label == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_checks_its_range() {
        assert_eq!(
            Span::new("abc", 2, 2, "X", Status::Added, Origin::Manual).unwrap_err(),
            SpanError::Empty { start: 2, end: 2 }
        );
        assert!(matches!(
            Span::new("abc", 1, 4, "X", Status::Added, Origin::Manual),
            Err(SpanError::OutOfRange { .. })
        ));
        let s = Span::new("投资5.3亿元", 2, 7, "MONEY", Status::Added, Origin::Manual).unwrap();
        assert_eq!(s.text, "5.3亿元");
    }

    #[test]
    fn num_prints_integers_without_fraction() {
        assert_eq!(
            serde_json::to_string(&Num(530000000.0)).unwrap(),
            "530000000"
        );
        assert_eq!(serde_json::to_string(&Num(4.9)).unwrap(), "4.9");
        assert_eq!(Num(1.5e8).to_string(), "150000000");
    }

    #[test]
    fn provenance_tells_edited_from_accepted() {
        let mut s = Span::suggestion("共5.3亿元", 1, 6, "MONEY", "money", None).unwrap();
        assert_eq!(s.provenance(), "suggested");
        s.status = Status::Accepted;
        assert_eq!(s.provenance(), "accepted");
        s.changes.push(Change::now(
            ChangeKind::Relabeled {
                from: "MONEY".into(),
                to: "COUNT".into(),
            },
            "a",
        ));
        assert_eq!(s.provenance(), "edited");
    }
}
