//! Each kind of inconsistency, and decisions applied to a group.

use super::*;
use crate::corpus::Document;
use crate::model::span::{Num, Origin, Quantity};

fn corpus() -> Corpus {
    Corpus::from_documents(vec![
        Document::from_text("a", "标题\n\n白城市投资5.3亿元。陆家村很美。\n"),
        Document::from_text("b", "标题\n\n白城市的陆家村投资5.3亿元。\n"),
        Document::from_text("c", "标题\n\n还没有人看过白城市。\n"),
    ])
}

fn at(doc: &Document, t: &str) -> (usize, usize) {
    let s = doc.chars.char_of_byte(doc.text.find(t).unwrap());
    (s, s + t.chars().count())
}

fn span(doc: &Document, t: &str, label: &str, status: Status) -> Span {
    let (s, e) = at(doc, t);
    Span::new(&doc.text, s, e, label, status, Origin::Manual).unwrap()
}

fn money(v: f64) -> Option<Normalized> {
    Some(Normalized {
        value: Quantity::Number(Num(v)),
        value_max: None,
        unit: Some("元".into()),
        approx: false,
    })
}

fn files(c: &Corpus) -> Vec<(usize, AnnotationFile)> {
    let (a, b) = (&*c.doc(0).unwrap(), &*c.doc(1).unwrap());
    let mut fa = AnnotationFile::new("a", &a.fingerprint, "alice");
    fa.spans.push(span(a, "白城市", "LOC", Status::Accepted));
    let mut m = span(a, "5.3亿元", "MONEY", Status::Accepted);
    m.value = money(530000000.0);
    fa.spans.push(m);
    fa.spans.push(span(a, "陆家村", "LOC", Status::Added));
    fa.sort();
    let mut fb = AnnotationFile::new("b", &b.fingerprint, "alice");
    fb.spans.push(span(b, "白城市", "ORG", Status::Accepted));
    let mut m = span(b, "5.3亿元", "MONEY", Status::Accepted);
    m.value = money(53000000.0); // a typo: one zero short
    fb.spans.push(m);
    fb.spans.push(span(b, "陆家村", "LOC", Status::Rejected));
    fb.status = DocStatus::Done;
    fb.sort();
    // c has no file: its 白城市 is not counted as unlabelled.
    vec![(0, fa), (1, fb)]
}

#[test]
fn finds_each_kind() {
    let c = corpus();
    let groups = find(&c, &files(&c));
    let kinds: Vec<(Kind, &str)> = groups.iter().map(|g| (g.kind, g.text.as_str())).collect();
    assert_eq!(
        kinds,
        vec![
            (Kind::DifferentLabels, "白城市"),
            (Kind::Unlabelled, "陆家村"),
            (Kind::DifferentValues, "5.3亿元"),
        ]
    );
    let labels = &groups[0];
    assert_eq!(
        labels.labels,
        BTreeMap::from([("LOC".into(), 1), ("ORG".into(), 1)])
    );
    assert_eq!(labels.occurrences.len(), 2);
    assert!(labels.occurrences[1].sentence.contains("白城市的陆家村"));
    let rejected = &groups[1];
    let states: Vec<State> = rejected.occurrences.iter().map(|o| o.state).collect();
    assert_eq!(states, vec![State::Labelled, State::Rejected]);
    let values: Vec<Option<String>> = groups[2]
        .occurrences
        .iter()
        .map(|o| o.value.clone())
        .collect();
    assert_eq!(
        values,
        vec![Some("530000000 元".into()), Some("53000000 元".into())]
    );
}

#[test]
fn unlabelled_occurrences_in_worked_documents() {
    let c = corpus();
    let mut fs = files(&c);
    // Remove b's rejected 陆家村: now it is simply unlabelled there.
    fs[1].1.spans.retain(|s| s.text != "陆家村");
    let groups = find(&c, &fs);
    let g = groups.iter().find(|g| g.kind == Kind::Unlabelled).unwrap();
    assert_eq!(g.text, "陆家村");
    let o = g
        .occurrences
        .iter()
        .find(|o| o.state == State::Unlabelled)
        .unwrap();
    assert_eq!((o.doc.as_str(), o.label.as_ref()), ("b", None));
    assert_eq!(c.doc(1).unwrap().slice(o.start..o.end), "陆家村");
}
