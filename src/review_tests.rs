//! Merging, every kind of disagreement, adjudication into gold, and the agreement arithmetic
//! against values worked out by hand (figures' values in `review_values_tests.rs`).

use super::*;
use crate::corpus::{Corpus, Document};
use crate::model::span::{ChangeKind, Origin, Status};
use crate::schema::Schema;
use crate::store::Store;

const TEXT: &str = "白城市通榆县投资5.3亿元，陆家村";

fn sp(text: &str, s: usize, e: usize, label: &str) -> Span {
    Span::new(text, s, e, label, Status::Accepted, Origin::Manual).unwrap()
}

fn file(who: &str, spans: Vec<Span>) -> AnnotationFile {
    let mut f = AnnotationFile::new("d", "sha256:x", who);
    f.spans = spans;
    f.sort();
    f
}

fn alice_bob() -> (AnnotationFile, AnnotationFile) {
    let a = file(
        "alice",
        vec![
            sp(TEXT, 0, 3, "LOC"),
            sp(TEXT, 3, 6, "LOC"),
            sp(TEXT, 8, 13, "MONEY"),
            sp(TEXT, 14, 17, "LOC"),
        ],
    );
    let b = file(
        "bob",
        vec![
            sp(TEXT, 0, 3, "ORG"),
            sp(TEXT, 3, 5, "LOC"),
            sp(TEXT, 8, 13, "MONEY"),
        ],
    );
    (a, b)
}

#[test]
fn merge_finds_every_kind_of_disagreement() {
    let (a, b) = alice_bob();
    let items = merge(&[("alice".into(), &a), ("bob".into(), &b)]);
    let kinds: Vec<(Range<usize>, Option<Kind>)> =
        items.iter().map(|i| (i.range.clone(), i.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (0..3, Some(Kind::DifferentLabel)),
            (3..6, Some(Kind::DifferentBoundaries)),
            (8..13, None),
            (14..17, Some(Kind::OnlySome)),
        ]
    );
    // Each annotator's version side by side.
    let labels = &items[0].versions;
    assert_eq!(labels[0].1[0].label, "LOC");
    assert_eq!(labels[1].1[0].label, "ORG");
    assert!(
        items[3].versions[1].1.is_empty(),
        "bob has nothing at 陆家村"
    );
    // Three annotators: agreement needs all three.
    let c = file("carol", vec![sp(TEXT, 8, 13, "MONEY")]);
    let three = merge(&[
        ("alice".into(), &a),
        ("bob".into(), &b),
        ("carol".into(), &c),
    ]);
    assert!(three.iter().find(|i| i.range == (8..13)).unwrap().agreed());
    assert_eq!(three[0].kind, Some(Kind::OnlySome));
}

#[test]
fn gold_takes_agreed_spans_and_each_resolution() {
    let (a, b) = alice_bob();
    let items = merge(&[("alice".into(), &a), ("bob".into(), &b)]);
    let who = ["alice".to_owned(), "bob".to_owned()];
    let mut gold = gold_start("d", "sha256:x", &items, "rita", &who);
    // Agreed spans are in gold without any decision.
    assert_eq!(gold.spans.len(), 1);
    assert_eq!(
        (gold.spans[0].start, gold.spans[0].label.as_str()),
        (8, "MONEY")
    );
    assert!(
        gold.spans[0]
            .changes
            .iter()
            .any(|c| c.what == ChangeKind::Adjudicated && c.who == "rita")
    );
    assert!(!is_resolved(&gold, &items[0]));
    // Take bob's label for 白城市, alice's boundaries for 通榆县, drop 陆家村.
    resolve(&gold, &items[0], Some("bob"), "rita").apply(&mut gold);
    resolve(&gold, &items[1], Some("alice"), "rita").apply(&mut gold);
    resolve(&gold, &items[3], None, "rita").apply(&mut gold);
    let got: Vec<(usize, usize, &str)> = gold
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    assert_eq!(got, vec![(0, 3, "ORG"), (3, 6, "LOC"), (8, 13, "MONEY")]);
    assert!(items.iter().all(|i| is_resolved(&gold, i)));
    let review = gold.review.as_ref().unwrap();
    assert_eq!(
        (review.reviewer.as_str(), review.annotators.len()),
        ("rita", 2)
    );
    // Re-deciding replaces the earlier decision.
    resolve(&gold, &items[0], Some("alice"), "rita").apply(&mut gold);
    assert_eq!(gold.spans[0].label, "LOC");
    assert_eq!(gold.spans.len(), 3);
    // Undo in reverse restores the start.
    let start = gold_start("d", "sha256:x", &items, "rita", &who);
    let mut g2 = start.clone();
    let inv: Vec<Action> = items
        .iter()
        .filter(|i| !i.agreed())
        .map(|i| resolve(&g2.clone(), i, Some("alice"), "rita").apply(&mut g2))
        .collect();
    for a in inv.into_iter().rev() {
        a.apply(&mut g2);
    }
    assert_eq!(g2.spans, start.spans);
    assert_eq!(
        g2.review.as_ref().unwrap().resolved,
        Vec::<(usize, usize)>::new()
    );
}

#[test]
fn an_item_agreed_later_goes_into_gold_unless_decided() {
    let (a, b) = alice_bob();
    let who = ["alice".to_owned(), "bob".to_owned()];
    let items = merge(&[("alice".into(), &a), ("bob".into(), &b)]);
    let mut gold = gold_start("d", "sha256:x", &items, "rita", &who);
    resolve(&gold, &items[3], None, "rita").apply(&mut gold); // 陆家村 dropped
    // Bob's file changes on disk: now the same as alice's.
    let mut b2 = a.clone();
    b2.annotator = "bob".into();
    let now = merge(&[("alice".into(), &a), ("bob".into(), &b2)]);
    assert!(now.iter().all(Item::agreed));
    agreed_missing(&gold, &now, "rita").apply(&mut gold);
    let got: Vec<(usize, usize, &str)> = gold
        .spans
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    // 白城市 and 通榆县 come in; 5.3亿元 was there already; 陆家村 stays dropped.
    assert_eq!(got, vec![(0, 3, "LOC"), (3, 6, "LOC"), (8, 13, "MONEY")]);
    assert!(agreed_missing(&gold, &now, "rita").is_noop());
}

#[test]
fn document_agreement_from_items() {
    let (a, b) = alice_bob();
    let items = merge(&[("alice".into(), &a), ("bob".into(), &b)]);
    let DocumentAgreement {
        overall, per_label, ..
    } = document_agreement("d", TEXT.chars().count(), &items, &Schema::default(), 0.0);
    // alice 4 spans, bob 3, one exact match: F1 = 2/7.
    assert!((overall.f1.unwrap() - 2.0 / 7.0).abs() < 1e-12);
    assert_eq!(per_label["MONEY"].f1, Some(1.0));
    assert_eq!(per_label["ORG"].f1, Some(0.0));
}

#[test]
fn f1_and_kappa_match_hand_computation() {
    let text = "一二三四五六七八九十";
    let a = vec![sp(text, 0, 2, "X"), sp(text, 4, 6, "Y")];
    let b = vec![sp(text, 0, 2, "X"), sp(text, 5, 7, "Y")];
    let mut c = Counts::default();
    c.add(10, &a, &b);
    // F1 = 2·1 / (2 + 2).
    assert_eq!(c.f1(None), Some(0.5));
    assert_eq!(c.f1(Some("X")), Some(1.0));
    assert_eq!(c.f1(Some("Y")), Some(0.0));
    // Chars: A = X X O O Y Y O O O O, B = X X O O O Y Y O O O.
    // po = 8/10; pe = .2·.2 + .6·.6 + .2·.2 = .44; κ = (.8 − .44)/(1 − .44) = .642857…
    let k = c.kappa(None).unwrap();
    assert!((k - 0.36 / 0.56).abs() < 1e-12, "{k}");
    // Y alone: po = .8, pe = .2·.2 + .8·.8 = .68, κ = .12/.32 = .375.
    assert!((c.kappa(Some("Y")).unwrap() - 0.375).abs() < 1e-12);
    assert_eq!(c.raw_agreement(None), Some(0.8));
}

#[test]
fn kappa_differs_sharply_from_raw_agreement_on_a_rare_label() {
    // 100 chars; A marks chars 0..2, B marks 2..4: they agree on 96% of the chars, but on
    // nothing they marked. κ = (.96 − .9608)/(1 − .9608) = −0.0204…
    let text: String = "字".repeat(100);
    let mut c = Counts::default();
    c.add(100, &[sp(&text, 0, 2, "PER")], &[sp(&text, 2, 4, "PER")]);
    assert_eq!(c.raw_agreement(None), Some(0.96));
    let k = c.kappa(Some("PER")).unwrap();
    assert!((k - (0.96 - 0.9608) / (1.0 - 0.9608)).abs() < 1e-12, "{k}");
    assert!(k < 0.0);
    assert_eq!(c.f1(None), Some(0.0));
}

#[test]
fn corpus_agreement_lists_documents_only_some_annotated() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::from_documents(vec![
        Document::from_text("d1", TEXT),
        Document::from_text("d2", "吉林省长春市"),
    ]);
    let store = Store::new(dir.path().join("annotations"));
    let (a, b) = alice_bob();
    let mut a = a;
    let mut b = b;
    a.fingerprint = corpus.doc(0).unwrap().fingerprint.clone();
    b.fingerprint = corpus.doc(0).unwrap().fingerprint.clone();
    a.doc = "d1".into();
    b.doc = "d1".into();
    store.overwrite(&a).unwrap();
    store.overwrite(&b).unwrap();
    let d2 = corpus.doc(1).unwrap();
    let mut only = AnnotationFile::new("d2", &d2.fingerprint, "alice");
    only.spans.push(sp(&d2.text, 0, 3, "LOC"));
    store.overwrite(&only).unwrap();
    let r = agreement(
        &corpus,
        &store,
        &Schema::default(),
        &["alice".into(), "bob".into()],
        0.0,
    );
    assert_eq!(r.partial["d2"], vec!["alice".to_owned()]);
    assert_eq!(r.per_document.len(), 1);
    // Alice 4 spans, bob 3, one exact match (5.3亿元): F1 = 2/7.
    assert!((r.overall.f1.unwrap() - 2.0 / 7.0).abs() < 1e-12);
    assert_eq!(r.per_label["MONEY"].f1, Some(1.0));
    assert_eq!(r.per_label["ORG"].f1, Some(0.0));
    assert!(r.overall.kappa.is_some());
}
