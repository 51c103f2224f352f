//! Figures' values in review: the "different value" disagreement, the reviewer's typed value
//! in gold, and value agreement against counts worked out by hand.

use super::*;
use crate::model::span::{ChangeKind, Num, Origin, Quantity, Status};
use crate::schema::Schema;

/// MONEY 4..9, COUNT 12..16, PERCENT 19..23, LOC 24..27.
const TEXT: &str = "完成投资5.3亿元,带动21万人,增长4.9%,陆家村";

fn value(v: f64, unit: &str, approx: bool) -> Normalized {
    Normalized {
        value: Quantity::Number(Num(v)),
        value_max: None,
        unit: Some(unit.into()),
        approx,
    }
}

fn fig(s: usize, e: usize, label: &str, v: Option<Normalized>) -> Span {
    let mut span = Span::new(TEXT, s, e, label, Status::Accepted, Origin::Manual).unwrap();
    span.value = v;
    span
}

fn money(v: f64) -> Span {
    fig(4, 9, "MONEY", Some(value(v, "元", false)))
}

fn file(who: &str, spans: Vec<Span>) -> AnnotationFile {
    let mut f = AnnotationFile::new("d", "sha256:x", who);
    f.spans = spans;
    f.sort();
    f
}

fn merged(a: Vec<Span>, b: Vec<Span>) -> Vec<Item> {
    merge(&[
        ("alice".into(), &file("alice", a)),
        ("bob".into(), &file("bob", b)),
    ])
}

#[test]
fn a_value_unit_or_approx_flag_that_differs_is_a_value_disagreement() {
    let kind = |a: Span, b: Span| merged(vec![a], vec![b])[0].kind;
    assert_eq!(
        kind(money(530000000.0), money(53000000.0)),
        Some(Kind::DifferentValue)
    );
    assert_eq!(kind(money(530000000.0), money(530000000.0)), None);
    let in_yuan = fig(4, 9, "MONEY", Some(value(5.3, "亿元", false)));
    assert_eq!(
        kind(money(5.3), in_yuan),
        Some(Kind::DifferentValue),
        "unit"
    );
    let approx = fig(4, 9, "MONEY", Some(value(530000000.0, "元", true)));
    assert_eq!(
        kind(money(530000000.0), approx),
        Some(Kind::DifferentValue),
        "approx"
    );
    let mut range = money(530000000.0);
    if let Some(v) = range.value.as_mut() {
        v.value_max = Some(Quantity::Number(Num(600000000.0)));
    }
    assert_eq!(
        kind(money(530000000.0), range),
        Some(Kind::DifferentValue),
        "value_max"
    );
    let none = fig(4, 9, "MONEY", None);
    assert_eq!(
        kind(money(530000000.0), none),
        Some(Kind::DifferentValue),
        "one has none"
    );
    // A label or a boundary that differs is reported as that, whatever the values.
    let count = fig(4, 9, "COUNT", Some(value(1.0, "元", false)));
    assert_eq!(kind(money(530000000.0), count), Some(Kind::DifferentLabel));
    let short = fig(4, 8, "MONEY", Some(value(530000000.0, "元", false)));
    assert_eq!(kind(money(1.0), short), Some(Kind::DifferentBoundaries));
    // Entities have no value: the same span and label agree.
    assert_eq!(
        kind(fig(24, 27, "LOC", None), fig(24, 27, "LOC", None)),
        None
    );
}

#[test]
fn gold_waits_for_a_decision_on_the_value() {
    let items = merged(vec![money(530000000.0)], vec![money(53000000.0)]);
    let who = ["alice".to_owned(), "bob".to_owned()];
    let gold = gold_start("d", "sha256:x", &items, "rita", &who);
    assert!(
        gold.spans.is_empty(),
        "no value is taken without a decision"
    );
    assert!(!is_resolved(&gold, &items[0]));
    // Taking bob's version takes bob's value.
    let mut g = gold.clone();
    resolve(&g, &items[0], Some("bob"), "rita").apply(&mut g);
    assert_eq!(g.spans[0].value, Some(value(53000000.0, "元", false)));
    assert!(is_resolved(&g, &items[0]));
}

#[test]
fn a_typed_value_resolves_the_disagreement_and_is_recorded() {
    let items = merged(vec![money(530000000.0)], vec![money(53000000.0)]);
    let who = ["alice".to_owned(), "bob".to_owned()];
    let start = gold_start("d", "sha256:x", &items, "rita", &who);
    let mut gold = start.clone();
    let typed = Some(value(5.3e8, "元", true));
    let span = (4..9, "MONEY");
    resolve_value(&gold, &items[0], span.clone(), typed.clone(), "rita")
        .unwrap()
        .apply(&mut gold);
    assert_eq!(gold.spans.len(), 1);
    assert_eq!(gold.spans[0].value, typed);
    assert!(is_resolved(&gold, &items[0]));
    let last: Vec<(&ChangeKind, &str)> = gold.spans[0]
        .changes
        .iter()
        .map(|c| (&c.what, c.who.as_str()))
        .collect();
    assert_eq!(
        last,
        [
            (&ChangeKind::Adjudicated, "rita"),
            (&ChangeKind::ValueEdited, "rita")
        ]
    );
    // Typing again changes the gold span in place (it keeps its history).
    let again = Some(value(530000000.0, "元", false));
    resolve_value(&gold, &items[0], span.clone(), again.clone(), "rita")
        .unwrap()
        .apply(&mut gold);
    assert_eq!((gold.spans.len(), &gold.spans[0].value), (1, &again));
    assert_eq!(gold.spans[0].changes.len(), 3);
    // Undo restores the start exactly.
    let mut g = start.clone();
    let inv = resolve_value(&g, &items[0], span, typed, "rita")
        .unwrap()
        .apply(&mut g);
    inv.apply(&mut g);
    assert_eq!(
        (g.spans, g.review),
        (start.spans.clone(), start.review.clone())
    );
    // No span there with that label: nothing to do.
    assert!(resolve_value(&start, &items[0], (4..9, "COUNT"), None, "rita").is_none());
}

#[test]
fn values_within_a_relative_tolerance() {
    let v = |x: f64| value(x, "元", false);
    assert!(within(Some(&v(100.0)), Some(&v(100.0)), 0.0));
    assert!(!within(Some(&v(100.0)), Some(&v(101.0)), 0.0));
    // |100 − 101| = 1 ≤ 0.01 × 101; |100 − 102| = 2 > 0.01 × 102.
    assert!(within(Some(&v(100.0)), Some(&v(101.0)), 0.01));
    assert!(!within(Some(&v(100.0)), Some(&v(102.0)), 0.01));
    assert!(
        !within(Some(&v(100.0)), Some(&value(100.0, "美元", false)), 0.5),
        "unit"
    );
    assert!(
        !within(Some(&v(100.0)), Some(&value(100.0, "元", true)), 0.5),
        "approx"
    );
    assert!(!within(Some(&v(100.0)), None, 0.5));
    assert!(within(None, None, 0.0));
    let date = |d: &str| Normalized {
        value: Quantity::Date(d.into()),
        value_max: None,
        unit: None,
        approx: false,
    };
    assert!(within(Some(&date("2017")), Some(&date("2017")), 0.0));
    assert!(
        !within(Some(&date("2017")), Some(&date("2018")), 0.5),
        "dates only equal"
    );
    let mut range = v(100.0);
    range.value_max = Some(Quantity::Number(Num(200.0)));
    assert!(
        !within(Some(&range), Some(&v(100.0)), 0.5),
        "a range and a number"
    );
    assert_eq!(value_text(Some(&range)), "100..200 元");
    assert_eq!(value_text(Some(&value(3.0, "户", true))), "3 户 ≈");
}

#[test]
fn value_agreement_per_figure_label_matches_hand_counts() {
    let alice = vec![
        money(530000000.0),
        fig(12, 16, "COUNT", Some(value(210000.0, "人", false))),
        fig(19, 23, "PERCENT", Some(value(4.9, "%", false))),
        fig(24, 27, "LOC", None),
    ];
    let bob = vec![
        money(53000000.0),
        fig(12, 16, "COUNT", Some(value(212000.0, "人", false))),
        fig(19, 23, "PERCENT", Some(value(4.9, "%", true))),
        fig(24, 27, "LOC", None),
    ];
    let carol = vec![
        money(530000000.0),
        fig(12, 15, "COUNT", Some(value(210000.0, "人", false))),
        fig(19, 23, "PERCENT", Some(value(4.9, "%", false))),
    ];
    let names = ["alice".to_owned(), "bob".to_owned(), "carol".to_owned()];
    let schema = Schema::default();
    let figure = |l: &str| schema.is_figure(l);
    // Two annotators, tolerance 1%: MONEY differs tenfold; COUNT 210000 vs 212000 is
    // within 1% (2000 ≤ 2120) but not identical; PERCENT differs in approx only. LOC is not
    // a figure and is not counted.
    let mut v = ValueAgreement::new(0.01);
    v.add("d", &names[..2], &[alice.clone(), bob.clone()], &figure);
    let got = |v: &ValueAgreement, l: &str| {
        let s = v.per_label[l];
        (s.matched, s.identical, s.within)
    };
    assert_eq!(got(&v, "MONEY"), (1, 0, 0));
    assert_eq!(got(&v, "COUNT"), (1, 0, 1));
    assert_eq!(got(&v, "PERCENT"), (1, 0, 0));
    assert!(!v.per_label.contains_key("LOC"));
    assert_eq!(
        (v.overall.matched, v.overall.identical, v.overall.within),
        (3, 0, 1)
    );
    assert_eq!(v.overall.within_share, Some(1.0 / 3.0));
    let listed: Vec<(&str, bool)> = v
        .disagreements
        .iter()
        .map(|d| (d.label.as_str(), d.within_tolerance))
        .collect();
    assert_eq!(
        listed,
        [("MONEY", false), ("COUNT", true), ("PERCENT", false)]
    );
    // Three annotators, tolerance 0, pooled over the three pairs. MONEY: alice = carol ≠ bob,
    // so 3 matched pairs, 1 identical. COUNT: carol's boundaries differ, so only alice–bob
    // match, not identical. PERCENT: alice = carol, bob approx: 3 pairs, 1 identical.
    let mut three = ValueAgreement::new(0.0);
    three.add("d", &names, &[alice, bob, carol], &figure);
    assert_eq!(got(&three, "MONEY"), (3, 1, 1));
    assert_eq!(got(&three, "COUNT"), (1, 0, 0));
    assert_eq!(got(&three, "PERCENT"), (3, 1, 1));
    assert_eq!(three.overall.identical_share, Some(2.0 / 7.0));
    let m = &three.disagreements[0];
    assert_eq!((m.start, m.end, m.text.as_str()), (4, 9, "5.3亿元"));
    let who: Vec<(&str, String)> = m
        .values
        .iter()
        .map(|x| (x.annotator.as_str(), value_text(x.value.as_ref())))
        .collect();
    assert_eq!(
        who,
        [
            ("alice", "530000000 元".to_owned()),
            ("bob", "53000000 元".to_owned()),
            ("carol", "530000000 元".to_owned())
        ]
    );
    // As JSON: the value as in the exports.
    let json = serde_json::to_value(&m.values[1]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"annotator": "bob", "value": 53000000, "value_max": null, "unit": "元", "approx": false})
    );
}

#[test]
fn document_agreement_counts_values_from_the_merged_items() {
    let items = merged(
        vec![
            money(530000000.0),
            fig(12, 16, "COUNT", Some(value(210000.0, "人", false))),
        ],
        vec![
            money(53000000.0),
            fig(12, 16, "COUNT", Some(value(210000.0, "人", false))),
        ],
    );
    let a = document_agreement("d", TEXT.chars().count(), &items, &Schema::default(), 0.0);
    assert_eq!(a.values.overall.matched, 2);
    assert_eq!(a.values.overall.identical_share, Some(0.5));
    assert_eq!(a.values.disagreements.len(), 1);
    // Exact spans agree on everything: F1 1, whatever the values.
    assert_eq!(a.overall.f1, Some(1.0));
}
