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

#[test]
fn occurrences_are_whole_units_and_a_decision_keeps_suggestions_and_skips_overlaps() {
    crate::suggest::entities::recognizer();
    let c = Corpus::from_documents(vec![
        Document::from_text("a", "标题\n\n白城市投资14亿元。\n"),
        Document::from_text(
            "b",
            "标题\n\n增加3.14亿元。白城市委组织部发文。学习《白城市发展规划》。白城市很美。\n",
        ),
    ]);
    let (a, b) = (&c.doc(0).unwrap(), &c.doc(1).unwrap());
    let mut fa = AnnotationFile::new("a", &a.fingerprint, "alice");
    fa.spans.push(span(a, "白城市", "LOC", Status::Accepted));
    fa.spans.push(span(a, "14亿元", "MONEY", Status::Accepted));
    fa.sort();
    let mut fb = AnnotationFile::new("b", &b.fingerprint, "alice");
    fb.status = DocStatus::InProgress;
    // The last 白城市 is an unreviewed suggestion from a rule.
    let last = b.chars.char_of_byte(b.text.rfind("白城市").unwrap());
    let sugg = Span::suggestion(&b.text, last, last + 3, "LOC", "gazetteer", None).unwrap();
    fb.spans.push(sugg.clone());
    fb.sort();
    let files = vec![(0, fa), (1, fb.clone())];
    let groups = find(&c, &files);
    let in_b: Vec<(String, State, Option<String>)> = groups
        .iter()
        .flat_map(|g| {
            g.occurrences
                .iter()
                .map(move |o| (g.text.clone(), o.clone()))
        })
        .filter(|(_, o)| o.doc == "b")
        .map(|(t, o)| (t, o.state, o.label))
        .collect();
    // Not 14亿元 inside 3.14亿元, not 白城市 inside 白城市委组织部 or the 《》 title: only the
    // suggestion, as what it is.
    assert_eq!(
        in_b,
        [(
            "白城市".to_owned(),
            State::Suggested,
            Some("LOC".to_owned())
        )],
        "{groups:#?}"
    );
    let g = groups.iter().find(|g| g.text == "白城市").unwrap();
    let o = g.occurrences.iter().find(|o| o.doc == "b").unwrap();
    assert!(
        o.describe().contains("suggested as LOC"),
        "{}",
        o.describe()
    );

    // Labelling the group as ORG: the suggestion is accepted with its origin kept.
    let schema = crate::schema::Schema::default();
    let p = plan(
        &fb,
        &g.occurrences,
        &Decision::Label("ORG".into()),
        &b.text,
        &schema,
        "alice",
    );
    assert_eq!(p.changed.len(), 1);
    let s = &p.changed[0].1;
    assert_eq!((s.label.as_str(), s.status), ("ORG", Status::Accepted));
    assert_eq!(s.origin, sugg.origin);
    assert_eq!(s.suggested, sugg.suggested);
    // A new occurrence where a span has appeared since is skipped, not overlapped.
    let mut clash = vec![o.clone()];
    let mut extra = o.clone();
    extra.state = State::Unlabelled;
    extra.label = None;
    extra.start -= 1;
    extra.end -= 1;
    clash.push(extra);
    let p = plan(
        &fb,
        &clash,
        &Decision::Label("ORG".into()),
        &b.text,
        &schema,
        "alice",
    );
    assert_eq!((p.added.len(), p.skipped.len()), (0, 1));
}
