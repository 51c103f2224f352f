//! Exports and the JSONL import: offsets slice to the span's text (astral characters and
//! boilerplate included), CoNLL has one tag per character with valid BIO, brat offsets match,
//! CSV quotes Chinese commas and quotes, and export → import round-trips exactly.

use std::path::Path;
use std::process::Command;

use biaozhu::corpus::{Corpus, Document};
use biaozhu::export::{self, Options};
use biaozhu::model::span::{
    AnnotationFile, Change, ChangeKind, Normalized, Num, Origin, Quantity, Span, Status,
};
use biaozhu::store::Store;

const A: &str = "首页 > 新闻 > 正文\n\n𠮟责之后的扶贫\n\n2018-04-09 来源:吉林日报\n\n𠮟责后,白城市投资5.3亿元,带动“两不愁”户均增收1000元。\n第二行:增长4.9%\n\n相关阅读:\n新闻 娱乐 福建 泉州\n";

fn setup() -> (tempfile::TempDir, Corpus, Store) {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus_dir).unwrap();
    std::fs::write(corpus_dir.join("a.txt"), A).unwrap();
    std::fs::write(corpus_dir.join("b.txt"), "吉林省,\"好\"数据:874户。").unwrap();
    let corpus = Corpus::open(&corpus_dir).unwrap();
    let store = Store::new(dir.path().join("annotations"));
    let a = corpus.get("a").unwrap();
    let mut f = AnnotationFile::new(&a.id, &a.fingerprint, "alice");
    let find = |d: &Document, t: &str| {
        let b = d.text.find(t).unwrap();
        let s = d.chars.char_of_byte(b);
        (s, s + t.chars().count())
    };
    for (t, label, st) in [
        ("5.3亿元", "MONEY", Status::Accepted),
        ("白城市", "LOC", Status::Added),
        ("4.9%", "PERCENT", Status::Suggested),
        ("1000元", "MONEY", Status::Rejected),
        ("𠮟责", "POLICY", Status::Added),
    ] {
        let (s, e) = find(&a, t);
        let mut sp = Span::new(
            &a.text,
            s,
            e,
            label,
            st,
            if st == Status::Added {
                Origin::Manual
            } else {
                Origin::Rule("money".into())
            },
        )
        .unwrap();
        if label == "MONEY" {
            sp.value = Some(Normalized {
                value: Quantity::Number(Num(530000000.0)),
                value_max: None,
                unit: Some("元".into()),
                approx: false,
            });
        }
        sp.changes.push(Change::now(ChangeKind::Accepted, "alice"));
        f.spans.push(sp);
    }
    // A span in the boilerplate trailer still exports with correct offsets.
    let (s, e) = find(&a, "福建");
    f.spans
        .push(Span::new(&a.text, s, e, "LOC", Status::Added, Origin::Manual).unwrap());
    store.overwrite(&f).unwrap();
    let b = corpus.get("b").unwrap();
    let mut g = AnnotationFile::new(&b.id, &b.fingerprint, "alice");
    let (s, e) = find(&b, "874户");
    let mut sp = Span::new(
        &b.text,
        s,
        e,
        "COUNT",
        Status::Accepted,
        Origin::Rule("count".into()),
    )
    .unwrap();
    sp.value = Some(Normalized {
        value: Quantity::Number(Num(874.0)),
        value_max: None,
        unit: Some("户".into()),
        approx: false,
    });
    sp.note = Some("核对,\"原文\"".into());
    g.spans.push(sp);
    store.overwrite(&g).unwrap();
    (dir, corpus, store)
}

fn opts() -> Options {
    Options {
        annotator: "alice".into(),
        ..Default::default()
    }
}

#[test]
fn default_export_takes_accepted_and_added_and_offsets_slice_to_text() {
    let (_d, corpus, store) = setup();
    let (items, problems) = export::collect(&corpus, &store, &opts());
    assert!(problems.is_empty(), "{problems:?}");
    let mut out = Vec::new();
    export::jsonl::write(&items, &mut out).unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for l in &lines {
        let chars: Vec<char> = l["text"].as_str().unwrap().chars().collect();
        for (lab, sp) in l["label"]
            .as_array()
            .unwrap()
            .iter()
            .zip(l["spans"].as_array().unwrap())
        {
            let (s, e) = (
                lab[0].as_u64().unwrap() as usize,
                lab[1].as_u64().unwrap() as usize,
            );
            assert_eq!(
                chars[s..e].iter().collect::<String>(),
                sp["text"].as_str().unwrap()
            );
            assert!(sp["status"] == "accepted" || sp["status"] == "added");
        }
        assert!(l["fingerprint"].as_str().unwrap().starts_with("sha256:"));
    }
    let a = &lines[0];
    let texts: Vec<&str> = a["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["𠮟责", "白城市", "5.3亿元", "福建"]);
    assert_eq!(a["spans"][2]["value"], 530000000);
    assert_eq!(a["spans"][2]["provenance"], "accepted");
    assert_eq!(a["spans"][1]["provenance"], "added");
}

#[test]
fn export_then_import_round_trips_spans_exactly() {
    let (d, corpus, store) = setup();
    let (items, _) = export::collect(&corpus, &store, &opts());
    let mut out = Vec::new();
    export::jsonl::write(&items, &mut out).unwrap();
    let report =
        export::jsonl::import(&corpus, &store, "bob", &String::from_utf8(out).unwrap()).unwrap();
    assert_eq!(
        (report.documents, report.spans, report.skipped.len()),
        (2, 5, 0)
    );
    let (bob, _) = export::collect(
        &corpus,
        &store,
        &Options {
            annotator: "bob".into(),
            ..Default::default()
        },
    );
    for (x, y) in items.iter().zip(&bob) {
        let k = |i: &export::Item| {
            i.spans
                .iter()
                .map(|s| (s.start, s.end, s.label.clone(), s.text.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(k(x), k(y));
        assert!(
            y.spans
                .iter()
                .all(|s| s.origin == Origin::Imported("jsonl".into())
                    && s.status == Status::Accepted)
        );
    }
    // Importing again adds nothing.
    let mut out = Vec::new();
    export::jsonl::write(&items, &mut out).unwrap();
    let again =
        export::jsonl::import(&corpus, &store, "bob", &String::from_utf8(out).unwrap()).unwrap();
    assert_eq!((again.spans, again.duplicates), (0, 5));
    drop(d);
}

#[test]
fn import_skips_lines_with_other_text_or_bad_offsets() {
    let (_d, corpus, store) = setup();
    let input = [
        r#"{"id":"a","text":"different text","label":[[0,2,"LOC"]]}"#,
        r#"{"id":"b","text":"吉林省,\"好\"数据:874户。","label":[[0,999,"LOC"]]}"#,
        r#"{"id":"zzz","text":"x","label":[]}"#,
        r#"{"id":"b","text":"吉林省,\"好\"数据:874户。","label":[[0,3,"LOC"]]}"#,
    ]
    .join("\n");
    let r = export::jsonl::import(&corpus, &store, "carol", &input).unwrap();
    assert_eq!(r.skipped.len(), 3, "{:?}", r.skipped);
    assert_eq!((r.documents, r.spans), (1, 1));
    assert!(!store.path("carol", "a").exists());
}

#[test]
fn conll_has_one_tag_per_character_and_valid_bio() {
    let (_d, corpus, store) = setup();
    let (items, _) = export::collect(&corpus, &store, &opts());
    let mut out = Vec::new();
    export::conll::write(&items, &mut out).unwrap();
    let out = String::from_utf8(out).unwrap();
    let docs: Vec<&str> = out
        .split("-DOCSTART- O\n")
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(docs.len(), 2);
    for (doc, item) in docs.iter().zip(&items) {
        let rows: Vec<(&str, &str)> = doc
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.rsplit_once(' ').unwrap())
            .collect();
        let expected: Vec<char> = item.doc.text.chars().filter(|&c| c != '\n').collect();
        assert_eq!(rows.len(), expected.len(), "one line per character");
        let mut prev = "O".to_string();
        for ((tok, tag), c) in rows.iter().zip(&expected) {
            if c.is_whitespace() {
                assert_eq!(*tok, "[SPACE]");
            } else {
                assert_eq!(*tok, c.to_string());
            }
            if let Some(l) = tag.strip_prefix("I-") {
                assert!(
                    prev == format!("B-{l}") || prev == format!("I-{l}"),
                    "I- after {prev}"
                );
            }
            prev = tag.to_string();
        }
    }
    assert!(out.contains("5 B-MONEY\n.") && out.contains("元 I-MONEY\n"));
    // Sentences end after 。
    assert!(out.contains("。 O\n\n"));
}

#[test]
fn brat_offsets_match_the_text() {
    let (d, corpus, store) = setup();
    let (items, _) = export::collect(&corpus, &store, &opts());
    let out = d.path().join("brat");
    export::brat::write(&items, &out).unwrap();
    let txt = std::fs::read_to_string(out.join("a.txt")).unwrap();
    let chars: Vec<char> = txt.chars().collect();
    let ann = std::fs::read_to_string(out.join("a.ann")).unwrap();
    let mut n = 0;
    for l in ann.lines().filter(|l| l.starts_with('T')) {
        let parts: Vec<&str> = l.split('\t').collect();
        let (_, offs) = parts[1].split_once(' ').unwrap();
        let (s, e) = offs.split_once(' ').unwrap();
        let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
        assert_eq!(chars[s..e].iter().collect::<String>(), parts[2]);
        n += 1;
    }
    assert_eq!(n, 4);
    assert!(ann.contains("AnnotatorNotes T3\tvalue=530000000 unit=元 approx=false"));
}

#[test]
fn csv_quotes_chinese_commas_and_quotes() {
    let (_d, corpus, store) = setup();
    let (items, _) = export::collect(&corpus, &store, &opts());
    let mut out = Vec::new();
    export::csv::write(&items, &biaozhu::schema::Schema::default(), &mut out).unwrap();
    let s = String::from_utf8(out).unwrap();
    assert!(s.starts_with('\u{feff}'));
    let mut r = csv::Reader::from_reader(s.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "figures only");
    assert_eq!(&rows[0][2], "5.3亿元");
    assert!(rows[0][7].contains("白城市投资5.3亿元,带动“两不愁”户均增收1000元。"));
    assert_eq!(&rows[1][7], "吉林省,\"好\"数据:874户。");
    // The raw text has the sentence quoted, its quotes doubled.
    assert!(s.contains("\"吉林省,\"\"好\"\"数据:874户。\""));
}

#[test]
fn cli_export_and_import() {
    let (d, _corpus, _store) = setup();
    let bin = env!("CARGO_BIN_EXE_biaozhu");
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(d.path())
            // Not the annotator this machine's app remembered ("no annotator given" below).
            .env("BIAOZHU_PREFS", d.path().join("no-prefs.ron"))
            .output()
            .unwrap()
    };
    let out = run(&[
        "export",
        "--corpus",
        "corpus",
        "--annotator",
        "alice",
        "--format",
        "jsonl",
        "--out",
        "out.jsonl",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "import",
        "--corpus",
        "corpus",
        "--annotator",
        "dave",
        "--format",
        "jsonl",
        "out.jsonl",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(Path::new(&d.path().join("annotations/dave/a.ron")).exists());
    for f in ["conll", "csv"] {
        let o = run(&[
            "export",
            "--corpus",
            "corpus",
            "--annotator",
            "alice",
            "--format",
            f,
            "--out",
            &format!("out.{f}"),
        ]);
        assert!(
            o.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = run(&[
        "export",
        "--corpus",
        "corpus",
        "--annotator",
        "alice",
        "--format",
        "brat",
        "--out",
        "brat",
        "--include-suggested",
    ]);
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(d.path().join("brat/a.ann"))
            .unwrap()
            .contains("status=suggested")
    );
    let o = run(&[
        "export", "--corpus", "corpus", "--format", "jsonl", "--out", "x.jsonl",
    ]);
    assert!(!o.status.success(), "no annotator given");
}

/// Provenance in every format that can carry it: origin, accepted as suggested / edited
/// (label, boundaries, value) / added, by whom and when, and each document's fingerprint.
#[test]
fn provenance_in_jsonl_csv_and_brat() {
    let (dir, corpus, store) = setup();
    // Edit 5.3亿元 (relabel + value) in a's file; 白城市 stays added by hand.
    let a = corpus.get("a").unwrap();
    let mut f = store.load("alice", &a).unwrap().unwrap().file;
    let i = f.spans.iter().position(|s| s.text == "5.3亿元").unwrap();
    let s = &mut f.spans[i];
    s.changes.push(Change::now(
        ChangeKind::Relabeled {
            from: "MONEY".into(),
            to: "MEASURE".into(),
        },
        "alice",
    ));
    s.changes
        .push(Change::now(ChangeKind::ValueEdited, "alice"));
    s.label = "MEASURE".into();
    store.overwrite(&f).unwrap();
    let (items, _) = export::collect(&corpus, &store, &opts());

    let mut out = Vec::new();
    export::jsonl::write(&items, &mut out).unwrap();
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["fingerprint"], a.fingerprint);
    let span = |t: &str| {
        first["spans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["text"] == t)
            .unwrap()
            .clone()
    };
    let edited = span("5.3亿元");
    assert_eq!(edited["provenance"], "edited");
    assert_eq!(edited["edited"], serde_json::json!(["label", "value"]));
    assert_eq!(edited["origin"], "rule:money");
    assert_eq!(edited["by"], "alice");
    assert!(edited["when"].as_str().unwrap().ends_with('Z'));
    let added = span("白城市");
    assert_eq!(
        (&added["provenance"], &added["origin"], &added["edited"]),
        (
            &serde_json::json!("added"),
            &serde_json::json!("manual"),
            &serde_json::json!([])
        )
    );

    let mut out = Vec::new();
    export::csv::write(&items, &biaozhu::schema::Schema::default(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let row = rows.iter().find(|r| &r[col("text")] == "5.3亿元").unwrap();
    assert_eq!(&row[col("provenance")], "edited");
    assert_eq!(&row[col("edited")], "label+value");
    assert_eq!(&row[col("origin")], "rule:money");
    assert_eq!(&row[col("by")], "alice");
    assert_eq!(&row[col("fingerprint")], a.fingerprint);

    let brat = dir.path().join("brat");
    export::brat::write(&items, &brat).unwrap();
    let ann = std::fs::read_to_string(brat.join("a.ann")).unwrap();
    let note = ann
        .lines()
        .find(|l| l.contains("edited="))
        .unwrap_or_else(|| panic!("{ann}"));
    assert!(
        note.contains("provenance=edited") && note.contains("edited=label,value"),
        "{note}"
    );
    assert!(
        note.contains("origin=rule:money") && note.contains("by=alice"),
        "{note}"
    );
    assert!(
        ann.contains("provenance=added") && ann.contains("origin=manual"),
        "{ann}"
    );
    let manifest = std::fs::read_to_string(brat.join("MANIFEST.tsv")).unwrap();
    assert!(
        manifest.contains(&format!("a\t{}\talice\t", a.fingerprint)),
        "{manifest}"
    );
}
