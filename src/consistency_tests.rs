//! Each kind of inconsistency, and decisions applied to a group.

use super::*;
use crate::corpus::Document;
use crate::model::span::{Num, Quantity};

fn corpus() -> Corpus {
    Corpus {
        dir: "corpus".into(),
        docs: vec![
            Document::from_text("a", "标题\n\n白城市投资5.3亿元。陆家村很美。\n"),
            Document::from_text("b", "标题\n\n白城市的陆家村投资5.3亿元。\n"),
            Document::from_text("c", "标题\n\n还没有人看过白城市。\n"),
        ],
        errors: Vec::new(),
    }
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
    let (a, b) = (&c.docs[0], &c.docs[1]);
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
    assert_eq!(c.docs[1].slice(o.start..o.end), "陆家村");
}

#[test]
fn one_decision_for_a_group_becomes_one_edit_per_document() {
    let c = corpus();
    let mut fs = files(&c);
    let groups = find(&c, &fs);
    let map: HashMap<usize, &AnnotationFile> = fs.iter().map(|(i, f)| (*i, f)).collect();
    // 白城市 is a LOC everywhere.
    let edits = plan(&groups[0], &Decision::Label("LOC".into()), &map, &c, "rev");
    assert_eq!(edits.len(), 1, "a is already LOC: only b changes");
    // 陆家村: accept the rejected one.
    let edits2 = plan(&groups[1], &Decision::Label("LOC".into()), &map, &c, "rev");
    // 5.3亿元: the right value everywhere.
    let edits3 = plan(
        &groups[2],
        &Decision::Value(money(530000000.0).unwrap()),
        &map,
        &c,
        "rev",
    );
    let mut inverses = Vec::new();
    for (i, action) in edits.into_iter().chain(edits2).chain(edits3) {
        let f = &mut fs.iter_mut().find(|(j, _)| *j == i).unwrap().1;
        inverses.push((i, action.apply(f)));
    }
    assert!(find(&c, &fs).is_empty(), "{:?}", find(&c, &fs));
    let b = &fs[1].1;
    let city = b.spans.iter().find(|s| s.text == "白城市").unwrap();
    assert_eq!(city.label, "LOC");
    assert!(city.changes.iter().any(|ch| ch.who == "rev"));
    assert!(
        b.spans
            .iter()
            .any(|s| s.text == "陆家村" && s.status == Status::Accepted)
    );
    // Undo restores the inconsistencies.
    for (i, inv) in inverses.into_iter().rev() {
        let f = &mut fs.iter_mut().find(|(j, _)| *j == i).unwrap().1;
        inv.apply(f);
    }
    assert_eq!(find(&c, &fs).len(), 3);
}

#[test]
fn labelling_unlabelled_occurrences_adds_spans_and_reject_rejects() {
    let c = corpus();
    let mut fs = files(&c);
    fs[1].1.spans.retain(|s| s.text != "陆家村");
    let groups = find(&c, &fs);
    let g = groups.iter().find(|g| g.kind == Kind::Unlabelled).unwrap();
    let map: HashMap<usize, &AnnotationFile> = fs.iter().map(|(i, f)| (*i, f)).collect();
    let edits = plan(g, &Decision::Label("LOC".into()), &map, &c, "rev");
    assert_eq!(edits.len(), 1);
    let (i, a) = edits.into_iter().next().unwrap();
    a.apply(&mut fs[i].1);
    let added = fs[1].1.spans.iter().find(|s| s.text == "陆家村").unwrap();
    assert_eq!((added.status, added.label.as_str()), (Status::Added, "LOC"));
    // Rejecting the whole group instead rejects the labelled ones.
    let groups = find(&c, &files(&c));
    let fs2 = files(&c);
    let map: HashMap<usize, &AnnotationFile> = fs2.iter().map(|(i, f)| (*i, f)).collect();
    let edits = plan(&groups[0], &Decision::Reject, &map, &c, "rev");
    assert_eq!(edits.len(), 2);
}
