//! The review session without a window: values typed into gold, gold spans widened and
//! narrowed (undoable), the agreement's tolerance, and annotators' files changed on disk.

use std::sync::Arc;

use super::*;
use crate::corpus::{Corpus, Document};
use crate::model::span::{Num, Origin, Quantity, Status};
use crate::model::{AnnotationFile, Span};
use crate::review::Kind;
use crate::schema::Schema;
use crate::store::Store;

/// 5.3亿元 at 2..7, 21万人 at 10..14.
const TEXT: &str = "投资5.3亿元，带动21万人";

fn value(v: f64, unit: &str) -> Normalized {
    Normalized {
        value: Quantity::Number(Num(v)),
        value_max: None,
        unit: Some(unit.into()),
        approx: false,
    }
}

fn write(store: &Store, d: &Document, who: &str, money: f64, people: f64) {
    let fig = |s, e, label: &str, v: Normalized| {
        let mut span = Span::new(&d.text, s, e, label, Status::Accepted, Origin::Manual).unwrap();
        span.value = Some(v);
        span
    };
    let mut f = AnnotationFile::new(&d.id, &d.fingerprint, who);
    f.spans = vec![
        fig(2, 7, "MONEY", value(money, "元")),
        fig(10, 14, "COUNT", value(people, "人")),
    ];
    store.overwrite(&f).unwrap();
}

/// rita reviewing alice (530000000, 210000) and bob (53000000, 212000).
fn reviewing() -> (tempfile::TempDir, Store, Arc<Corpus>, ReviewSession) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Arc::new(Corpus::from_documents(vec![Document::from_text("a", TEXT)]));
    let store = Store::new(dir.path().join("annotations"));
    let d = corpus.doc(0).unwrap();
    write(&store, &d, "alice", 530000000.0, 210000.0);
    write(&store, &d, "bob", 53000000.0, 212000.0);
    let names = vec!["alice".to_owned(), "bob".to_owned()];
    let r = ReviewSession::new(
        corpus.clone(),
        store.clone(),
        Schema::default(),
        names,
        "rita".into(),
        0,
    );
    (dir, store, corpus, r)
}

fn gold(r: &ReviewSession) -> Vec<(usize, usize, Option<f64>)> {
    r.doc()
        .unwrap()
        .gold
        .spans()
        .iter()
        .map(|s| {
            (
                s.start,
                s.end,
                s.value.as_ref().and_then(|v| v.value.number()),
            )
        })
        .collect()
}

#[test]
fn a_typed_value_resolves_and_undo_takes_it_back() {
    let (_dir, _store, _corpus, mut r) = reviewing();
    let kinds: Vec<Option<Kind>> = r.doc().unwrap().items.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [Some(Kind::DifferentValue), Some(Kind::DifferentValue)]
    );
    assert!(gold(&r).is_empty());
    assert_eq!(r.current_item().map(|i| i.range.clone()), Some(2..7));
    // Blank unit, a range typed: what was typed is what gold gets.
    assert!(r.set_gold_value((2..7, "MONEY"), "530,000,000", "6e8", " ", true));
    let g = &r.doc().unwrap().gold.spans()[0];
    let v = g.value.as_ref().unwrap();
    assert_eq!(
        (
            v.value.number(),
            v.value_max.as_ref().and_then(Quantity::number)
        ),
        (Some(530000000.0), Some(600000000.0))
    );
    assert_eq!((v.unit.as_deref(), v.approx), (None, true));
    assert_eq!(r.doc().unwrap().progress(), (1, 2));
    r.undo();
    assert!(gold(&r).is_empty());
    assert_eq!(r.doc().unwrap().progress(), (0, 2));
    assert_eq!(
        r.current_item().map(|i| i.range.clone()),
        Some(2..7),
        "selection back"
    );
    r.redo();
    assert_eq!(gold(&r), [(2, 7, Some(530000000.0))]);
}

#[test]
fn gold_spans_are_widened_and_narrowed_one_undo_step_each() {
    let (_dir, _store, _corpus, mut r) = reviewing();
    r.take(Some(0)); // alice's 5.3亿元
    r.select_at(3);
    assert_eq!(r.gold_span(), Some(0));
    r.resize(-1, 0); // widen left: 资5.3亿元
    r.resize(0, -1); // narrow from the right: 资5.3亿
    assert_eq!(gold(&r), [(1, 6, Some(530000000.0))]);
    // Nothing to the left of char 0, nothing when the span would vanish.
    r.resize(-2, 0);
    r.resize(5, 0);
    assert_eq!(gold(&r)[0].0..gold(&r)[0].1, 1..6);
    r.undo();
    r.undo();
    assert_eq!(gold(&r), [(2, 7, Some(530000000.0))]);
}

#[test]
fn the_tolerance_counts_near_values_as_agreeing() {
    let (_dir, _store, _corpus, mut r) = reviewing();
    let within = |r: &ReviewSession| r.doc().unwrap().agreement.values.overall.within;
    assert_eq!(within(&r), 0);
    // 210000 vs 212000 differ by 2000 ≤ 1% of 212000; the tenfold money does not.
    r.tolerance = 0.01;
    r.refresh_agreement();
    assert_eq!(within(&r), 1);
}

#[test]
fn an_annotators_file_changed_on_disk_merges_the_document_again() {
    let (_dir, store, corpus, mut r) = reviewing();
    let d = corpus.doc(0).unwrap();
    // Someone else's folder, or a document not open: nothing to do.
    assert!(!r.file_changed(&store.path("carol", "a")));
    assert!(!r.file_changed(&store.path("alice", "zz")));
    // Unchanged on disk: nothing either.
    assert!(!r.file_changed(&store.path("bob", "a")));
    // Bob corrects his money: that item is agreed now and goes into gold (undoable).
    write(&store, &d, "bob", 530000000.0, 212000.0);
    assert!(r.file_changed(&store.path("bob", "a")));
    let kinds: Vec<Option<Kind>> = r.doc().unwrap().items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [None, Some(Kind::DifferentValue)]);
    assert_eq!(gold(&r), [(2, 7, Some(530000000.0))]);
    assert_eq!(r.doc().unwrap().agreement.values.disagreements.len(), 1);
    assert_eq!(r.revision, 1);
    assert!(
        r.notices
            .iter()
            .any(|n| n.text.contains("bob's file changed on disk"))
    );
    r.undo();
    assert!(gold(&r).is_empty());
}
