//! Agreement between annotators: pairwise exact-span F1 and Cohen's kappa at character level,
//! per label, per document and overall (the mean over annotator pairs), and agreement on
//! figures' normalised values ([`super::values`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::Item;
use super::values::ValueAgreement;
use crate::corpus::Corpus;
use crate::model::{AnnotationFile, Span};
use crate::schema::Schema;
use crate::store::Store;

/// Confusion counts between two annotators, accumulated over documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Spans per label in A's and B's files, and spans both have exactly.
    spans: BTreeMap<String, (usize, usize, usize)>,
    /// (A's label, B's label) per character; "O" outside spans.
    chars: HashMap<(String, String), usize>,
}

/// The label outside every span, at character level.
pub const OUTSIDE: &str = "O";

impl Counts {
    /// Adds one document: `len` chars, A's and B's accepted/added spans.
    pub fn add(&mut self, len: usize, a: &[Span], b: &[Span]) {
        let key = |s: &Span| (s.start, s.end, s.label.clone());
        let bs: BTreeSet<_> = b.iter().map(key).collect();
        let as_: BTreeSet<_> = a.iter().map(key).collect();
        for s in &as_ {
            let e = self.spans.entry(s.2.clone()).or_default();
            e.0 += 1;
            if bs.contains(s) {
                e.2 += 1;
            }
        }
        for s in &bs {
            self.spans.entry(s.2.clone()).or_default().1 += 1;
        }
        fn tags(spans: &[Span], len: usize) -> Vec<&str> {
            let mut t: Vec<&str> = vec![OUTSIDE; len];
            // Longer spans first, so a nested shorter one does not hide them.
            let mut sorted: Vec<&Span> = spans.iter().collect();
            sorted.sort_by_key(|s| std::cmp::Reverse(s.end - s.start));
            for s in sorted {
                for c in t.iter_mut().take(s.end.min(len)).skip(s.start) {
                    if *c == OUTSIDE {
                        *c = &s.label;
                    }
                }
            }
            t
        }
        let (ta, tb) = (tags(a, len), tags(b, len));
        for (x, y) in ta.iter().zip(&tb) {
            *self
                .chars
                .entry(((*x).to_owned(), (*y).to_owned()))
                .or_default() += 1;
        }
    }

    /// Labels seen in spans.
    pub fn labels(&self) -> Vec<String> {
        let mut l: BTreeSet<String> = self.spans.keys().cloned().collect();
        for (a, b) in self.chars.keys() {
            l.insert(a.clone());
            l.insert(b.clone());
        }
        l.remove(OUTSIDE);
        l.into_iter().collect()
    }

    /// Exact-span F1 for one label, or all labels (`None`). `None` when neither has spans.
    pub fn f1(&self, label: Option<&str>) -> Option<f64> {
        let (a, b, both) = self
            .spans
            .iter()
            .filter(|(l, _)| label.is_none_or(|x| x == l.as_str()))
            .fold((0, 0, 0), |acc, (_, c)| {
                (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2)
            });
        (a + b > 0).then(|| 2.0 * both as f64 / (a + b) as f64)
    }

    /// Cohen's kappa at character level: for one label (in it or not), or over all labels and
    /// O (`None`). `None` when there are no characters; 1 when both agree on a single class.
    pub fn kappa(&self, label: Option<&str>) -> Option<f64> {
        fn class<'a>(l: &'a str, label: Option<&'a str>) -> &'a str {
            match label {
                Some(x) if l != x => OUTSIDE,
                _ => l,
            }
        }
        let mut n = 0usize;
        let mut agree = 0usize;
        let mut pa: HashMap<&str, usize> = HashMap::new();
        let mut pb: HashMap<&str, usize> = HashMap::new();
        for ((x, y), &c) in &self.chars {
            let (x, y) = (class(x, label), class(y, label));
            n += c;
            if x == y {
                agree += c;
            }
            *pa.entry(x).or_default() += c;
            *pb.entry(y).or_default() += c;
        }
        if n == 0 {
            return None;
        }
        let n = n as f64;
        let po = agree as f64 / n;
        let pe: f64 = pa
            .iter()
            .map(|(k, &ca)| ca as f64 / n * pb.get(k).copied().unwrap_or(0) as f64 / n)
            .sum();
        Some(if (1.0 - pe).abs() < 1e-12 {
            1.0
        } else {
            (po - pe) / (1.0 - pe)
        })
    }

    /// Share of characters on which both agree (raw agreement), for one label or all.
    pub fn raw_agreement(&self, label: Option<&str>) -> Option<f64> {
        let mut n = 0;
        let mut agree = 0;
        for ((x, y), &c) in &self.chars {
            n += c;
            let same = match label {
                Some(l) => (x == l) == (y == l),
                None => x == y,
            };
            if same {
                agree += c;
            }
        }
        (n > 0).then(|| agree as f64 / n as f64)
    }
}

/// One score: exact-span F1 and character kappa (mean over annotator pairs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// Exact-span F1.
    pub f1: Option<f64>,
    /// Cohen's kappa at character level.
    pub kappa: Option<f64>,
    /// Raw character agreement.
    pub raw: Option<f64>,
}

fn mean(xs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = xs.flatten().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn score(pairs: &[&Counts], label: Option<&str>) -> Score {
    Score {
        f1: mean(pairs.iter().map(|c| c.f1(label))),
        kappa: mean(pairs.iter().map(|c| c.kappa(label))),
        raw: mean(pairs.iter().map(|c| c.raw_agreement(label))),
    }
}

/// Agreement between annotators over a corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// The annotators compared.
    pub annotators: Vec<String>,
    /// Over all labels and documents (mean over pairs).
    pub overall: Score,
    /// Per label (mean over pairs).
    pub per_label: BTreeMap<String, Score>,
    /// Per document annotated by every annotator.
    pub per_document: BTreeMap<String, Score>,
    /// Per pair of annotators, overall.
    pub pairs: Vec<(String, String, Score)>,
    /// Documents some annotators have files for and others do not: document → who has one.
    pub partial: BTreeMap<String, Vec<String>>,
    /// Files that could not be read.
    pub problems: Vec<String>,
    /// Figures' normalised values among exactly matching spans.
    pub values: ValueAgreement,
}

/// Agreement on one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentAgreement {
    /// Over all labels (mean over pairs).
    pub overall: Score,
    /// Per label.
    pub per_label: BTreeMap<String, Score>,
    /// Figures' values among exactly matching spans.
    pub values: ValueAgreement,
}

/// Agreement on one document from its merged items (each annotator's spans are in the items'
/// versions): overall and per label, mean over pairs; values compared with relative
/// `tolerance` on the labels `schema` calls figures.
pub fn document_agreement(
    doc: &str,
    len: usize,
    items: &[Item],
    schema: &Schema,
    tolerance: f64,
) -> DocumentAgreement {
    let names: Vec<String> = items.first().map_or_else(Vec::new, |i| {
        i.versions.iter().map(|(n, _)| n.clone()).collect()
    });
    let spans: Vec<Vec<Span>> = (0..names.len())
        .map(|a| {
            items
                .iter()
                .flat_map(|i| i.versions[a].1.iter().cloned())
                .collect()
        })
        .collect();
    let n = spans.len();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let mut c = Counts::default();
            c.add(len, &spans[i], &spans[j]);
            pairs.push(c);
        }
    }
    let refs: Vec<&Counts> = pairs.iter().collect();
    let labels: BTreeSet<String> = pairs.iter().flat_map(Counts::labels).collect();
    let per_label = labels
        .into_iter()
        .map(|l| {
            let s = score(&refs, Some(&l));
            (l, s)
        })
        .collect();
    let mut values = ValueAgreement::new(tolerance);
    values.add(doc, &names, &spans, &|l| schema.is_figure(l));
    DocumentAgreement {
        overall: score(&refs, None),
        per_label,
        values,
    }
}

/// Agreement between `annotators` (folders under `store`) over the documents of `corpus` that
/// all of them annotated; figures' values compared with relative `tolerance` on the labels
/// `schema` calls figures.
pub fn agreement(
    corpus: &Corpus,
    store: &Store,
    schema: &Schema,
    annotators: &[String],
    tolerance: f64,
) -> Agreement {
    let mut problems = Vec::new();
    let mut files: Vec<HashMap<usize, AnnotationFile>> = Vec::new();
    for a in annotators {
        let (f, p) = store.load_all(a, corpus);
        problems.extend(p);
        files.push(f.into_iter().collect());
    }
    let final_spans = |f: &AnnotationFile| -> Vec<Span> {
        f.spans
            .iter()
            .filter(|s| s.status.is_final() && !s.unanchored)
            .cloned()
            .collect()
    };
    let n = annotators.len();
    let pair_ids: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect();
    let mut corpus_counts: Vec<Counts> = vec![Counts::default(); pair_ids.len()];
    let mut per_document = BTreeMap::new();
    let mut partial = BTreeMap::new();
    let mut values = ValueAgreement::new(tolerance);
    for d in 0..corpus.len() {
        let have: Vec<usize> = (0..n).filter(|&a| files[a].contains_key(&d)).collect();
        if have.is_empty() {
            continue;
        }
        if have.len() < n {
            partial.insert(
                corpus.id(d).to_owned(),
                have.iter().map(|&a| annotators[a].clone()).collect(),
            );
            continue;
        }
        let Ok(doc) = corpus.read(d) else {
            continue;
        };
        let spans: Vec<Vec<Span>> = (0..n).map(|a| final_spans(&files[a][&d])).collect();
        let mut doc_counts = Vec::new();
        for (k, &(i, j)) in pair_ids.iter().enumerate() {
            let mut c = Counts::default();
            c.add(doc.char_len(), &spans[i], &spans[j]);
            corpus_counts[k].add(doc.char_len(), &spans[i], &spans[j]);
            doc_counts.push(c);
        }
        values.add(&doc.id, annotators, &spans, &|l| schema.is_figure(l));
        let refs: Vec<&Counts> = doc_counts.iter().collect();
        per_document.insert(doc.id.clone(), score(&refs, None));
    }
    let refs: Vec<&Counts> = corpus_counts.iter().collect();
    let labels: BTreeSet<String> = corpus_counts.iter().flat_map(Counts::labels).collect();
    Agreement {
        annotators: annotators.to_vec(),
        overall: score(&refs, None),
        per_label: labels
            .into_iter()
            .map(|l| {
                let s = score(&refs, Some(&l));
                (l, s)
            })
            .collect(),
        per_document,
        pairs: pair_ids
            .iter()
            .zip(&corpus_counts)
            .map(|(&(i, j), c)| {
                (
                    annotators[i].clone(),
                    annotators[j].clone(),
                    score(&[c], None),
                )
            })
            .collect(),
        partial,
        problems,
        values,
    }
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |v| format!("{v:.3}"))
}

/// The plain-text table `biaozhu agree` prints.
pub fn report(a: &Agreement) -> String {
    let mut out = format!("annotators: {}\n\n", a.annotators.join(", "));
    out.push_str("label        f1     kappa  raw\n");
    for (l, s) in &a.per_label {
        out.push_str(&format!(
            "{l:<10} {:>6} {:>7} {:>6}\n",
            fmt(s.f1),
            fmt(s.kappa),
            fmt(s.raw)
        ));
    }
    out.push_str(&format!(
        "{:<10} {:>6} {:>7} {:>6}\n",
        "overall",
        fmt(a.overall.f1),
        fmt(a.overall.kappa),
        fmt(a.overall.raw)
    ));
    if a.pairs.len() > 1 {
        out.push_str("\npair                 f1     kappa\n");
        for (x, y, s) in &a.pairs {
            out.push_str(&format!(
                "{:<18} {:>6} {:>7}\n",
                format!("{x}–{y}"),
                fmt(s.f1),
                fmt(s.kappa)
            ));
        }
    }
    out.push_str(&values_report(&a.values));
    out.push_str("\ndocument                   f1     kappa\n");
    for (d, s) in &a.per_document {
        out.push_str(&format!("{d:<24} {:>6} {:>7}\n", fmt(s.f1), fmt(s.kappa)));
    }
    if !a.partial.is_empty() {
        out.push_str("\nnot annotated by everyone (left out of the scores):\n");
        for (d, who) in &a.partial {
            out.push_str(&format!("  {d}: only {}\n", who.join(", ")));
        }
    }
    out
}

/// Disagreements on values listed in the plain-text report (`--json` lists them all).
const LISTED: usize = 20;

/// The values section of the report: per figure label, the spans marked exactly alike and the
/// share with identical values and within the tolerance; then the spans valued differently.
fn values_report(v: &ValueAgreement) -> String {
    if v.overall.matched == 0 {
        return String::new();
    }
    let mut out = format!(
        "\nfigure values (spans marked exactly alike, tolerance {})\nlabel      matched identical within\n",
        v.tolerance
    );
    let rows = v.per_label.iter().map(|(l, s)| (l.as_str(), s));
    for (l, s) in rows.chain([("all", &v.overall)]) {
        out.push_str(&format!(
            "{l:<10} {:>7} {:>9} {:>6}\n",
            s.matched,
            fmt(s.identical_share),
            fmt(s.within_share)
        ));
    }
    if !v.disagreements.is_empty() {
        out.push_str(&format!(
            "\nvalued differently ({}):\n",
            v.disagreements.len()
        ));
        for d in v.disagreements.iter().take(LISTED) {
            let values: Vec<String> = d
                .values
                .iter()
                .map(|x| format!("{} {}", x.annotator, super::value_text(x.value.as_ref())))
                .collect();
            out.push_str(&format!(
                "  {} {}..{} {} {}: {}\n",
                d.doc,
                d.start,
                d.end,
                d.label,
                d.text,
                values.join(", ")
            ));
        }
        if v.disagreements.len() > LISTED {
            out.push_str(&format!(
                "  … and {} more (--json lists them all)\n",
                v.disagreements.len() - LISTED
            ));
        }
    }
    out
}
