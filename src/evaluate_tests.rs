//! Scoring arithmetic on a hand-made case whose expected figures are `dev/score.py`'s output
//! on the same two files (`tests/fixtures/evaluate/`).

use super::*;

fn fixture(name: &str) -> SpansByDoc {
    read_jsonl(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/evaluate")
            .join(name),
    )
    .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 5e-4
}

/// `python3 score.py gold.jsonl pred.jsonl` prints:
/// ```text
/// COUNT          2     2  1.000 1.000 1.000 |         1.000 1.000 1.000 | 0/2
/// DATE           1     1  1.000 1.000 1.000 |         1.000 1.000 1.000 | 1/1
/// DURATION       1     1  1.000 1.000 1.000 |         1.000 1.000 1.000 | 1/1
/// LOC            1     1  0.000 0.000 0.000 |         1.000 1.000 1.000 | -
/// MEASURE        1     0  0.000 0.000 0.000 |         0.000 0.000 0.000 | -
/// MONEY          1     1  1.000 1.000 1.000 |         1.000 1.000 1.000 | 1/1
/// ORG            1     2  0.500 1.000 0.667 |         0.500 1.000 0.667 | -
/// PER            1     0  0.000 0.000 0.000 |         0.000 0.000 0.000 | -
/// PERCENT        1     1  0.000 0.000 0.000 |         0.000 0.000 0.000 | -
/// __micro__     10     9  0.667 0.600 0.632 |         0.778 0.700 0.737 | 3/5
/// ```
#[test]
fn agrees_with_score_py() {
    let r = score(
        &fixture("gold.jsonl"),
        &fixture("pred.jsonl"),
        &Schema::default(),
    );
    let row = |l: &str| r.per_label[l];
    let expect = |c: Counts, gold, pred, ef: f64, of: f64, v: (usize, usize)| {
        assert_eq!((c.gold, c.pred), (gold, pred), "{c:?}");
        assert!(close(c.exact_prf().f1, ef), "{c:?} {:?}", c.exact_prf());
        assert!(close(c.overlap_prf().f1, of), "{c:?} {:?}", c.overlap_prf());
        assert_eq!((c.value_ok, c.value_n), v, "{c:?}");
    };
    expect(row("COUNT"), 2, 2, 1.0, 1.0, (0, 2));
    expect(row("DATE"), 1, 1, 1.0, 1.0, (1, 1));
    expect(row("DURATION"), 1, 1, 1.0, 1.0, (1, 1));
    expect(row("LOC"), 1, 1, 0.0, 1.0, (0, 0));
    expect(row("MEASURE"), 1, 0, 0.0, 0.0, (0, 0));
    expect(row("MONEY"), 1, 1, 1.0, 1.0, (1, 1));
    expect(row("ORG"), 1, 2, 0.667, 0.667, (0, 0));
    expect(row("PER"), 1, 0, 0.0, 0.0, (0, 0));
    expect(row("PERCENT"), 1, 1, 0.0, 0.0, (0, 0));
    assert_eq!(r.per_label.len(), 9);
    let all = r.all;
    expect(all, 10, 9, 0.632, 0.737, (3, 5));
    let p = all.exact_prf();
    assert!(close(p.p, 0.667) && close(p.r, 0.6));
    let o = all.overlap_prf();
    assert!(close(o.p, 0.778) && close(o.r, 0.7));
    // Figures and entities add up to all (every label here is in the schema).
    let mut sum = r.figures;
    sum += r.entities;
    assert_eq!(sum, all);
    assert_eq!((r.figures.gold, r.entities.gold), (7, 3));
    assert_eq!(r.figures.value_accuracy(), Some(0.6));
    // The prediction for document z (not in gold) is not counted.
    assert!(!r.per_doc.contains_key("z"));
    assert_eq!(r.per_doc["c"].gold, 1);
}

/// `score.py … --labels MONEY,COUNT,LOC`: micro 4 gold, 4 predicted, exact F1 0.750,
/// overlap F1 1.000, values 1/3.
#[test]
fn label_filter_agrees_with_score_py() {
    let labels: Vec<String> = ["MONEY", "COUNT", "LOC"].map(String::from).into();
    let e = evaluate(
        &fixture("gold.jsonl"),
        &fixture("pred.jsonl"),
        &[],
        Scope::All,
        &labels,
        &Schema::default(),
    );
    let all = e.report.all;
    assert_eq!(
        (all.gold, all.pred, all.value_ok, all.value_n),
        (4, 4, 1, 3)
    );
    assert!(close(all.exact_prf().f1, 0.75));
    assert!(close(all.overlap_prf().f1, 1.0));
    assert_eq!(e.report.per_label.len(), 3);
}

#[test]
fn scopes_parse_from_their_names() {
    assert_eq!("body".parse::<Scope>(), Ok(Scope::Body));
    assert_eq!("all".parse::<Scope>(), Ok(Scope::All));
    assert!("page".parse::<Scope>().is_err());
}

#[test]
fn empty_sides_follow_score_py() {
    let c = Counts::default();
    assert_eq!(c.exact_prf().f1, 1.0);
    assert_eq!(c.overlap_prf().f1, 0.0);
    assert_eq!(c.value_accuracy(), None);
}

#[test]
fn values_compare_like_score_py() {
    let n = |x: f64| Value::Number(x);
    let t = |s: &str| Value::Text(s.into());
    assert!(n(530000000.0).same(&n(530000000.4)));
    assert!(!n(21.0).same(&n(22.0)));
    let i = Value::Integer;
    assert!(i(2017).same(&t("2017")) && t("2017").same(&i(2017)));
    assert!(!n(2017.0).same(&t("2017")) && i(2017).same(&n(2017.0)));
    assert!(!t("2016-12-07").same(&t("2016-12-7")));
    // str(0.5) == "0.5", str(1e16) == "1e+16" in Python.
    assert!(n(0.5).same(&t("0.5")) && n(1e16).same(&t("1e+16")));
}

#[test]
fn reads_span_lines_and_reports_bad_ones() {
    let ok =
        parse_jsonl("\n{\"doc\":\"d\",\"start\":1,\"end\":3,\"label\":\"MONEY\",\"value\":null}\n")
            .unwrap();
    assert_eq!(ok["d"][0].value, None);
    assert_eq!(ok["d"][0].text, None);
    let bad =
        parse_jsonl("{\"doc\":\"d\",\"start\":1,\"end\":3,\"label\":\"MONEY\"}\n{\"doc\":\"d\"}");
    assert_eq!(bad.unwrap_err().0, 2);
    assert!(parse_jsonl("{\"doc\":\"d\",\"start\":3,\"end\":3,\"label\":\"X\"}").is_err());
    assert!(parse_jsonl("not json").is_err());
}

#[test]
fn mismatches_pair_boundary_errors_and_list_the_rest() {
    let m = mismatches(&fixture("gold.jsonl"), &fixture("pred.jsonl"));
    let kinds: Vec<(&str, &str, Option<usize>, Option<usize>)> = m
        .iter()
        .map(|m| {
            (
                m.doc.as_str(),
                m.kind,
                m.gold.as_ref().map(|s| s.start),
                m.pred.as_ref().map(|s| s.start),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("a", "value", Some(10), Some(10)),
            ("a", "missed", Some(30), Some(29)),
            ("a", "missed", Some(40), Some(40)),
            ("a", "missed", Some(50), None),
            ("a", "spurious", None, Some(60)),
            ("b", "value", Some(5), Some(5)),
            ("c", "missed", Some(0), None),
        ]
    );
}

#[test]
fn body_scope_leaves_boilerplate_out_and_counts_it() {
    let text = "首页 > 新闻 > 正文\n\n某县扶贫纪实\n\n今年全县投入100万元发展产业。\n\n相关阅读:\n新闻 娱乐 5个\n";
    let doc = Document::from_text("d", text);
    let at = |s: &str| text[..text.find(s).unwrap()].chars().count();
    let span = |s: &str, label: &str| EvalSpan {
        start: at(s),
        end: at(s) + s.chars().count(),
        label: label.into(),
        value: None,
        text: Some(s.into()),
    };
    let mut gold = SpansByDoc::new();
    gold.insert(
        "d".into(),
        vec![span("100万元", "MONEY"), span("5个", "COUNT")],
    );
    let mut pred = SpansByDoc::new();
    pred.insert(
        "d".into(),
        vec![span("100万元", "MONEY"), span("5个", "COUNT")],
    );
    let schema = Schema::default();
    let body = evaluate(&gold, &pred, &[&doc], Scope::Body, &[], &schema);
    assert_eq!((body.report.all.gold, body.report.all.pred), (1, 1));
    assert_eq!(body.out_of_scope.per_label["COUNT"].gold, 1);
    assert!(body.text_mismatches.is_empty());
    let all = evaluate(&gold, &pred, &[&doc], Scope::All, &[], &schema);
    assert_eq!((all.report.all.gold, all.report.all.exact), (2, 2));
    assert_eq!(all.out_of_scope.all.gold, 0);
    // A gold file made for another text is caught.
    gold.get_mut("d").unwrap()[0].text = Some("200万元".into());
    let e = evaluate(&gold, &pred, &[&doc], Scope::All, &[], &schema);
    assert_eq!(e.text_mismatches.len(), 1);
    assert_eq!(e.text_mismatches[0].found.as_deref(), Some("100万元"));
}

#[test]
fn predict_runs_any_suggester_and_reports_add_up() {
    let docs = [
        Document::from_text("a", "标题\n\n投资5.3亿元。\n"),
        Document::from_text("b", "标题\n\n带动21万人。\n"),
    ];
    let refs: Vec<&Document> = docs.iter().collect();
    let opts = crate::suggest::Options {
        no_entities: true,
        ..Default::default()
    };
    let pred = predict(&refs, &|d| crate::suggest::suggest(d, &opts));
    assert_eq!(pred["a"][0].text.as_deref(), Some("5.3亿元"));
    assert_eq!(pred["a"][0].value, Some(Value::Integer(530000000)));
    // Scoring the predictions against themselves: perfect; two folds add up to the whole.
    let schema = Schema::default();
    let whole = score(&pred, &pred, &schema);
    assert_eq!(whole.all.exact_prf().f1, 1.0);
    let fold = |id: &str| -> SpansByDoc {
        pred.iter()
            .filter(|(k, _)| *k == id)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let mut sum = score(&fold("a"), &pred, &schema);
    sum += &score(&fold("b"), &pred, &schema);
    assert_eq!(sum, whole);
    // Evaluations of two folds merge into the evaluation of both.
    let schema_ref = &schema;
    let eval = |g: &SpansByDoc| evaluate(g, &pred, &refs, Scope::All, &[], schema_ref);
    let mut merged = eval(&fold("a"));
    merged.merge(eval(&fold("b")));
    assert_eq!(merged.report, eval(&pred).report);
    let nothing = predict(&refs, &|_| Vec::new());
    assert_eq!(score(&pred, &nothing, &schema).all.exact_prf().r, 0.0);
}
