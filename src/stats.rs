//! Corpus statistics: progress per annotator, label counts, and per suggestion rule how its
//! suggestions fared (accepted as suggested, edited, rejected, still pending) — the analyst's
//! view of which suggestions to trust, and ours of which rules to improve.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::Corpus;
use crate::model::AnnotationFile;
use crate::model::span::{DocStatus, Status};
use crate::store::Store;

/// One annotator's progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
    /// Annotator name (or `gold`).
    pub annotator: String,
    /// Documents in the corpus.
    pub documents: usize,
    /// Documents with a file (opened and edited at least once).
    pub started: usize,
    /// Documents marked done.
    pub done: usize,
    /// Spans accepted or added.
    pub spans: usize,
    /// Suggestions still unreviewed in the files.
    pub pending: usize,
    /// Accepted or added spans per label.
    pub labels: BTreeMap<String, usize>,
}

/// How one rule's suggestions fared.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleOutcome {
    /// Suggestions made by the rule that are in files.
    pub suggested: usize,
    /// Accepted exactly as suggested.
    pub accepted: usize,
    /// Accepted after a change of label, boundaries or value.
    pub edited: usize,
    /// Rejected.
    pub rejected: usize,
    /// Not reviewed yet.
    pub pending: usize,
}

impl RuleOutcome {
    /// Share of reviewed suggestions accepted as they were (None before any review).
    pub fn trust(&self) -> Option<f64> {
        let reviewed = self.accepted + self.edited + self.rejected;
        (reviewed > 0).then(|| self.accepted as f64 / reviewed as f64)
    }
}

/// Statistics over a corpus and the annotators' files.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// Per annotator, sorted by name.
    pub annotators: Vec<Progress>,
    /// Per rule (`money`, `pattern:org-suffix`, `learned`, …) over all annotators.
    pub rules: BTreeMap<String, RuleOutcome>,
    /// Files that could not be read, and other problems.
    pub problems: Vec<String>,
}

/// Adds one annotator's files to `stats`.
pub fn add_files(stats: &mut Stats, annotator: &str, documents: usize, files: &[AnnotationFile]) {
    let mut p = Progress {
        annotator: annotator.to_owned(),
        documents,
        started: files.len(),
        ..Progress::default()
    };
    for f in files {
        if f.status == DocStatus::Done {
            p.done += 1;
        }
        for s in &f.spans {
            match s.status {
                Status::Accepted | Status::Added => {
                    p.spans += 1;
                    *p.labels.entry(s.label.clone()).or_default() += 1;
                }
                Status::Suggested => p.pending += 1,
                Status::Rejected => {}
            }
            let Some(sug) = &s.suggested else { continue };
            let r = stats.rules.entry(sug.rule.clone()).or_default();
            r.suggested += 1;
            match s.status {
                Status::Suggested => r.pending += 1,
                Status::Rejected => r.rejected += 1,
                Status::Accepted | Status::Added => {
                    if s.edits().is_empty() {
                        r.accepted += 1;
                    } else {
                        r.edited += 1;
                    }
                }
            }
        }
    }
    stats.annotators.push(p);
}

/// Statistics for `annotators` (all annotators with a folder when empty).
pub fn compute(corpus: &Corpus, store: &Store, annotators: &[String]) -> Stats {
    let names = if annotators.is_empty() {
        store.annotators()
    } else {
        annotators.to_vec()
    };
    let mut stats = Stats::default();
    for name in names {
        let (files, problems) = store.load_all(&name, corpus);
        let files: Vec<AnnotationFile> = files.into_iter().map(|(_, f)| f).collect();
        add_files(&mut stats, &name, corpus.len(), &files);
        stats.problems.extend(problems);
    }
    stats
}

/// The plain-text report `biaozhu stats` prints.
pub fn report(stats: &Stats) -> String {
    let mut out = String::new();
    out.push_str("annotator      docs  started  done  spans  pending\n");
    for p in &stats.annotators {
        out.push_str(&format!(
            "{:<12} {:>6} {:>8} {:>5} {:>6} {:>8}\n",
            p.annotator, p.documents, p.started, p.done, p.spans, p.pending
        ));
    }
    let mut labels: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in stats.annotators.iter().enumerate() {
        for (l, n) in &p.labels {
            labels
                .entry(l)
                .or_insert_with(|| vec![0; stats.annotators.len()])[i] = *n;
        }
    }
    if !labels.is_empty() {
        out.push_str("\nlabel     ");
        for p in &stats.annotators {
            out.push_str(&format!(" {:>10}", p.annotator));
        }
        out.push('\n');
        for (l, counts) in &labels {
            out.push_str(&format!("{l:<10}"));
            for n in counts {
                out.push_str(&format!(" {n:>10}"));
            }
            out.push('\n');
        }
    }
    if !stats.rules.is_empty() {
        out.push_str(
            "\nrule                        suggested  accepted  edited  rejected  pending  trust\n",
        );
        for (rule, r) in &stats.rules {
            let trust = r
                .trust()
                .map_or("-".to_owned(), |t| format!("{:.0}%", t * 100.0));
            out.push_str(&format!(
                "{rule:<28} {:>9} {:>9} {:>7} {:>9} {:>8} {trust:>6}\n",
                r.suggested, r.accepted, r.edited, r.rejected, r.pending
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Change, ChangeKind, Origin, Span};

    fn span(text: &str, s: usize, e: usize, label: &str, rule: &str, st: Status) -> Span {
        let mut sp = Span::suggestion(text, s, e, label, rule, None).unwrap();
        sp.status = st;
        sp
    }

    #[test]
    fn rules_count_accepted_edited_rejected_pending() {
        let text = "白城市投资5.3亿元和4.9%";
        let mut f = AnnotationFile::new("d", "sha256:x", "alice");
        f.spans.push(span(
            text,
            0,
            3,
            "LOC",
            "gazetteer:prefecture",
            Status::Accepted,
        ));
        let mut edited = span(text, 5, 10, "MONEY", "money", Status::Accepted);
        edited
            .changes
            .push(Change::now(ChangeKind::ValueEdited, "alice"));
        f.spans.push(edited);
        f.spans
            .push(span(text, 11, 15, "PERCENT", "percent", Status::Rejected));
        f.spans
            .push(span(text, 5, 10, "MONEY", "money", Status::Suggested));
        f.spans
            .push(Span::new(text, 0, 2, "LOC", Status::Added, Origin::Manual).unwrap());
        f.status = DocStatus::Done;
        let mut stats = Stats::default();
        add_files(&mut stats, "alice", 3, &[f]);
        let money = &stats.rules["money"];
        assert_eq!(
            (
                money.suggested,
                money.accepted,
                money.edited,
                money.rejected,
                money.pending
            ),
            (2, 0, 1, 0, 1)
        );
        assert_eq!(stats.rules["percent"].trust(), Some(0.0));
        assert_eq!(stats.rules["gazetteer:prefecture"].trust(), Some(1.0));
        assert!(
            !stats.rules.contains_key("manual"),
            "hand-added spans are not a rule's"
        );
        let p = &stats.annotators[0];
        assert_eq!(
            (p.documents, p.started, p.done, p.spans, p.pending),
            (3, 1, 1, 3, 1)
        );
        assert_eq!(p.labels["LOC"], 2);
        let r = report(&stats);
        assert!(
            r.contains("gazetteer:prefecture") && r.contains("100%"),
            "{r}"
        );
    }
}
