//! Figures' values across the tools: export → import keeps every value (also ones the rules
//! would not give), a plain doccano line gets the figure rules' values, and `biaozhu agree`
//! reports value agreement per figure label and lists the spans valued differently.

use std::path::Path;
use std::process::Command;

use biaozhu::corpus::Corpus;
use biaozhu::export::{self, Options};
use biaozhu::model::span::{AnnotationFile, Normalized, Num, Origin, Quantity, Span, Status};
use biaozhu::store::Store;

type Key = (usize, usize, String, Option<Normalized>);

fn keys(store: &Store, who: &str, corpus: &Corpus) -> Vec<Vec<Key>> {
    corpus
        .iter()
        .map(|(_, d)| {
            let f = store.load(who, &d.unwrap()).unwrap().map(|l| l.file);
            f.map_or_else(Vec::new, |f| {
                f.spans
                    .into_iter()
                    .map(|s| (s.start, s.end, s.label, s.value))
                    .collect()
            })
        })
        .collect()
}

#[test]
fn export_then_import_keeps_every_value() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap();
    let store = Store::new(dir.path().join("annotations"));
    let opts = biaozhu::suggest::Options {
        no_entities: true,
        ..Default::default()
    };
    // Alice accepts every figure of the seeds and corrects many values in ways the rules
    // would not: tenfold, cleared, a range, approximate, another unit.
    let mut valued = 0;
    for (_, d) in corpus.iter() {
        let d = d.unwrap();
        let d = &d;
        let mut f = AnnotationFile::new(&d.id, &d.fingerprint, "alice");
        for (k, s) in biaozhu::suggest::suggest(d, &opts).iter().enumerate() {
            let mut span = s.to_span(d);
            span.status = Status::Accepted;
            if let Some(v) = span.value.as_mut() {
                match (k % 5, &v.value) {
                    (1, Quantity::Number(n)) => v.value = Quantity::Number(Num(n.0 * 10.0 + 0.5)),
                    (2, Quantity::Number(n)) => {
                        v.value_max = Some(Quantity::Number(Num(n.0 * 2.0)));
                        v.approx = !v.approx;
                    }
                    (3, _) => v.unit = Some("万元".into()),
                    _ => {}
                }
            }
            if k % 5 == 4 {
                span.value = None;
            }
            valued += usize::from(span.value.is_some());
            f.spans.push(span);
        }
        store.overwrite(&f).unwrap();
    }
    assert!(valued > 300, "{valued} values to carry");
    let (items, problems) = export::collect(
        &corpus,
        &store,
        &Options {
            annotator: "alice".into(),
            ..Default::default()
        },
    );
    assert!(problems.is_empty(), "{problems:?}");
    let mut out = Vec::new();
    export::jsonl::write(&items, &mut out).unwrap();
    let report =
        export::jsonl::import(&corpus, &store, "bob", &String::from_utf8(out).unwrap()).unwrap();
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let (alice, bob) = (keys(&store, "alice", &corpus), keys(&store, "bob", &corpus));
    assert_eq!(alice.iter().map(Vec::len).sum::<usize>(), report.spans);
    for (a, b) in alice.iter().zip(&bob) {
        assert_eq!(a, b);
    }
}

#[test]
fn a_plain_doccano_line_gets_the_figure_rules_values() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus_dir).unwrap();
    // 近5.3亿元 at 5..10 (近 outside, approximate), 21万人 at 13..17, 陆家村 at 18..21.
    std::fs::write(
        corpus_dir.join("a.txt"),
        "完成投资近5.3亿元，带动21万人，陆家村",
    )
    .unwrap();
    let corpus = Corpus::open(&corpus_dir).unwrap();
    let store = Store::new(dir.path().join("annotations"));
    let line = r#"{"id": "a", "label": [[5, 10, "MONEY"], [13, 17, "COUNT"], [18, 21, "LOC"], [13, 17, "MONEY"]]}"#;
    let r = export::jsonl::import(&corpus, &store, "bob", line).unwrap();
    assert_eq!(r.spans, 4);
    let f = store
        .load("bob", &corpus.doc(0).unwrap())
        .unwrap()
        .unwrap()
        .file;
    let value = |s: usize, label: &str| {
        f.spans
            .iter()
            .find(|x| x.start == s && x.label == label)
            .unwrap()
            .value
            .clone()
    };
    let n = |v: f64, unit: &str, approx: bool| Normalized {
        value: Quantity::Number(Num(v)),
        value_max: None,
        unit: Some(unit.into()),
        approx,
    };
    assert_eq!(value(5, "MONEY"), Some(n(530000000.0, "元", true)));
    assert_eq!(value(13, "COUNT"), Some(n(210000.0, "人", false)));
    assert_eq!(value(18, "LOC"), None, "entities have no value");
    assert_eq!(
        value(13, "MONEY"),
        None,
        "the rules see a COUNT there, not money"
    );
}

fn biaozhu(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_biaozhu"))
        .args(args)
        .current_dir(cwd)
        // Not the annotator this machine's app remembered: the tests name their own.
        .env("BIAOZHU_PREFS", cwd.join("no-prefs.ron"))
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn agree_reports_value_agreement_and_lists_value_disagreements() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    // 5.3亿元 at 2..7, 21万人 at 10..14, 4.9% at 17..21.
    std::fs::write(
        dir.path().join("corpus/a.txt"),
        "投资5.3亿元，带动21万人，增长4.9%",
    )
    .unwrap();
    let corpus = Corpus::open(&dir.path().join("corpus")).unwrap();
    let d = corpus.doc(0).unwrap();
    let store = Store::new(dir.path().join("annotations"));
    let fig = |s, e, label: &str, v: f64, unit: &str| {
        let mut span = Span::new(&d.text, s, e, label, Status::Accepted, Origin::Manual).unwrap();
        span.value = Some(Normalized {
            value: Quantity::Number(Num(v)),
            value_max: None,
            unit: Some(unit.into()),
            approx: false,
        });
        span
    };
    for (who, money, people) in [
        ("alice", 530000000.0, 210000.0),
        ("bob", 53000000.0, 212000.0),
    ] {
        let mut f = AnnotationFile::new(&d.id, &d.fingerprint, who);
        f.spans = vec![
            fig(2, 7, "MONEY", money, "元"),
            fig(10, 14, "COUNT", people, "人"),
            fig(17, 21, "PERCENT", 4.9, "%"),
        ];
        store.overwrite(&f).unwrap();
    }
    let args = [
        "--corpus",
        "corpus",
        "agree",
        "annotations/alice",
        "annotations/bob",
        "--value-tolerance",
        "0.01",
    ];
    let (code, text, err) = biaozhu(&args, dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains("figure values (spans marked exactly alike, tolerance 0.01)"),
        "{text}"
    );
    assert!(
        text.contains("a 2..7 MONEY 5.3亿元: alice 530000000 元, bob 53000000 元"),
        "{text}"
    );
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (code, out, err) = biaozhu(&json_args, dir.path());
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let v = &j["values"];
    assert_eq!(v["tolerance"], 0.01);
    // All three spans match exactly; only 4.9% has the identical value; 21万人 is within 1%
    // (2000 ≤ 2120).
    assert_eq!(v["overall"]["matched"], 3);
    assert_eq!(v["overall"]["identical"], 1);
    assert_eq!(v["overall"]["within"], 2);
    assert_eq!(v["per_label"]["MONEY"]["identical_share"], 0.0);
    assert_eq!(v["per_label"]["COUNT"]["within_share"], 1.0);
    assert_eq!(v["per_label"]["PERCENT"]["identical_share"], 1.0);
    let listed = v["disagreements"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["doc"], "a");
    assert_eq!(
        (listed[0]["start"].clone(), listed[0]["label"].clone()),
        (2.into(), "MONEY".into())
    );
    assert_eq!(listed[0]["values"][1]["annotator"], "bob");
    assert_eq!(listed[0]["values"][1]["value"], 53000000);
    assert_eq!(listed[0]["within_tolerance"], false);
    assert_eq!(listed[1]["within_tolerance"], true);
    // Span F1 does not see values: every span matches.
    assert_eq!(j["overall"]["f1"], 1.0);
    // A tolerance that means nothing is refused.
    let (code, _, err) = biaozhu(
        &[
            "--corpus",
            "corpus",
            "agree",
            "annotations/alice",
            "annotations/bob",
            "--value-tolerance=-1",
        ],
        dir.path(),
    );
    assert_ne!(code, 0);
    assert!(err.contains("--value-tolerance"), "{err}");
}
