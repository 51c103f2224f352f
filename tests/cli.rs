//! End-to-end tests of the command line: the real binary on temporary corpora.

use std::path::Path;
use std::process::Command;

fn biaozhu(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_biaozhu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn seeds() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn check_json_reports_every_seed() {
    let (code, out, err) = biaozhu(
        &["check", "--json", "--corpus", seeds().to_str().unwrap()],
        Path::new("."),
    );
    assert_eq!(code, 0, "{err}");
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 5);
    for r in &rows {
        for k in [
            "doc",
            "encoding",
            "title",
            "date",
            "source",
            "body_start",
            "body_end",
            "error",
        ] {
            assert!(r.get(k).is_some(), "{k} missing in {r}");
        }
        assert!(r["error"].is_null());
    }
    let r = &rows[0];
    assert_eq!(r["doc"], "000_ab1f232cd4cd6478");
    assert_eq!(
        r["title"],
        "上项目 兴产业 白城市产业扶贫让脱贫攻坚“底气十足”"
    );
    assert_eq!(r["date"], "2018-04-09");
    assert_eq!(r["source"], "吉林日报");
    assert_eq!(rows[4]["date"], "2016-12-07");
    assert_eq!(rows[4]["source"], "陕西日报");
    assert_eq!(rows[1]["source"], "吉林日报");
}

#[test]
fn check_reports_bad_files_and_still_opens_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.txt"), "标题\n\n正文投入5.3亿元。\n").unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("扶贫标题\n\n正文:带动贫困户874户。\n");
    std::fs::write(dir.path().join("gbk.txt"), &gbk).unwrap();
    std::fs::write(
        dir.path().join("image.txt"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let (code, out, _) = biaozhu(
        &["check", "--json", "--corpus", dir.path().to_str().unwrap()],
        Path::new("."),
    );
    assert_eq!(code, 1, "problems make the exit code non-zero");
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 4);
    let by = |id: &str| rows.iter().find(|r| r["doc"] == id).unwrap().clone();
    assert!(by("good")["error"].is_null());
    assert_eq!(by("gbk")["title"], "扶贫标题");
    assert!(
        by("gbk")["encoding"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("gb")
    );
    assert!(
        by("image")["error"]
            .as_str()
            .unwrap()
            .contains("not a text file")
    );
    assert!(by("empty")["error"].as_str().unwrap().contains("empty"));
}

#[test]
fn suggest_prints_the_contract() {
    let (code, out, err) = biaozhu(
        &[
            "suggest",
            seeds().join("000_ab1f232cd4cd6478.txt").to_str().unwrap(),
        ],
        Path::new("."),
    );
    assert_eq!(code, 0, "{err}");
    let rows = json_lines(&out);
    let text = std::fs::read_to_string(seeds().join("000_ab1f232cd4cd6478.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let mut last = 0;
    for r in &rows {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            r["text"].as_str().unwrap()
        );
        assert!(s >= last, "document order");
        last = s;
        assert_eq!(r["doc"], "000_ab1f232cd4cd6478");
        assert!(r["rule"].is_string());
        let entity = ["PER", "LOC", "ORG", "POLICY"].contains(&r["label"].as_str().unwrap());
        for k in ["value", "unit", "approx"] {
            assert_eq!(r.get(k).is_some(), !entity, "{k} in {r}");
        }
    }
    // Entities come in the same stream, naming their source.
    let place = rows
        .iter()
        .find(|r| r["label"] == "LOC")
        .expect("a place suggested");
    assert!(place["rule"].as_str().unwrap().contains(':'), "{place}");
    let money = rows
        .iter()
        .find(|r| r["text"] == "5.3亿元")
        .expect("5.3亿元 suggested");
    assert_eq!(
        money.to_string(),
        r#"{"doc":"000_ab1f232cd4cd6478","start":898,"end":903,"label":"MONEY","text":"5.3亿元","value":530000000,"unit":"元","approx":false,"rule":"money"}"#
    );
    // The copyright notice at the end is boilerplate: its "30日内" is not suggested.
    assert!(!rows.iter().any(|r| r["text"] == "30日"));
    // The phone number in the site header is never a figure.
    assert!(
        !rows
            .iter()
            .any(|r| r["text"].as_str().unwrap().contains("0431"))
    );
}

#[test]
fn suggest_filters_labels_and_reports_unreadable_paths() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "投资5.3亿元,带动874户,增长4.9%。").unwrap();
    let missing = dir.path().join("missing.txt");
    let (code, out, err) = biaozhu(
        &[
            "suggest",
            "--labels",
            "MONEY,PERCENT",
            dir.path().to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        Path::new("."),
    );
    assert_eq!(code, 1);
    assert!(err.contains("missing.txt"), "{err}");
    let labels: Vec<String> = json_lines(&out)
        .iter()
        .map(|r| r["label"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(labels, ["MONEY", "PERCENT"]);
}

#[test]
fn suggest_reads_crlf_and_utf16_with_char_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let text = "标题\r\n𠮟责后,投入5.3亿元。\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.path().join("u.txt"), utf16).unwrap();
    let (code, out, err) = biaozhu(&["suggest", dir.path().to_str().unwrap()], Path::new("."));
    assert_eq!(code, 0, "{err}");
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 1);
    // "标题\n𠮟责后,投入" is 9 chars: 𠮟 counts as one.
    assert_eq!(
        (rows[0]["start"].as_u64(), rows[0]["end"].as_u64()),
        (Some(9), Some(14))
    );
}

#[test]
fn suggest_uses_the_annotators_memory() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let ann = dir.path().join("annotations");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&ann).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "标题\n\n众联养殖场带动贫困户增收。徐徐展开的画卷里，陆家村变了样。\n",
    )
    .unwrap();
    std::fs::write(
        ann.join("alice.memory.ron"),
        "(format: 1, accepted: {\"众联养殖场\": \"ORG\"}, rejected: {\"陆家村\": [\"LOC\"]})",
    )
    .unwrap();
    let args = |who: Option<&str>| {
        let mut a = vec!["--annotations".to_owned(), ann.to_str().unwrap().to_owned()];
        if let Some(w) = who {
            a.extend(["--annotator".to_owned(), w.to_owned()]);
        }
        a.extend([
            "suggest".to_owned(),
            "--labels".to_owned(),
            "ORG,LOC".to_owned(),
            corpus.to_str().unwrap().to_owned(),
        ]);
        a
    };
    let run = |who| {
        let a = args(who);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let (code, out, err) = biaozhu(&a, dir.path());
        assert_eq!(code, 0, "{err}");
        json_lines(&out)
    };
    let plain = run(None);
    assert!(
        plain
            .iter()
            .any(|r| r["text"] == "陆家村" && r["label"] == "LOC"),
        "{plain:?}"
    );
    let taught = run(Some("alice"));
    let learned = taught
        .iter()
        .find(|r| r["text"] == "众联养殖场")
        .expect("the learned string is suggested");
    assert_eq!(learned["label"], "ORG");
    assert_eq!(learned["rule"], "learned");
    assert!(
        !taught.iter().any(|r| r["text"] == "陆家村"),
        "rejected: {taught:?}"
    );
    // A memory file that does not parse is an error, not an empty memory.
    std::fs::write(ann.join("bob.memory.ron"), "(accepted: {oops").unwrap();
    let a = args(Some("bob"));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, _, err) = biaozhu(&a, dir.path());
    assert_ne!(code, 0);
    assert!(err.contains("bob.memory.ron"), "{err}");
}

/// A corpus of two articles and alice's and bob's files, written with the library.
fn team() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    use biaozhu::corpus::Corpus;
    use biaozhu::model::span::{AnnotationFile, DocStatus, Origin, Span, Status};
    use biaozhu::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let ann = dir.path().join("annotations");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "标题\n\n白城市投资5.3亿元。\n").unwrap();
    std::fs::write(
        corpus.join("b.txt"),
        "标题\n\n白城市的合作社投资200万元。\n",
    )
    .unwrap();
    let c = Corpus::open(&corpus).unwrap();
    let store = Store::new(&ann);
    let at = |d: &biaozhu::corpus::Document, t: &str| {
        let s = d.chars.char_of_byte(d.text.find(t).unwrap());
        (s, s + t.chars().count())
    };
    for (who, city_b) in [("alice", "ORG"), ("bob", "LOC")] {
        for (k, d) in c.iter() {
            let d = d.unwrap();
            let mut f = AnnotationFile::new(&d.id, &d.fingerprint, who);
            let (s, e) = at(&d, "白城市");
            let label = if k == 0 { "LOC" } else { city_b };
            let mut city =
                Span::suggestion(&d.text, s, e, label, "gazetteer:prefecture", None).unwrap();
            city.status = Status::Accepted;
            f.spans.push(city);
            let fig = if k == 0 { "5.3亿元" } else { "200万元" };
            let (s, e) = at(&d, fig);
            let mut m = Span::suggestion(&d.text, s, e, "MONEY", "money", None).unwrap();
            if who == "bob" {
                m.status = Status::Rejected;
            }
            f.spans.push(m);
            if k == 1 {
                f.spans
                    .push(Span::new(&d.text, 7, 10, "ORG", Status::Added, Origin::Manual).unwrap());
                f.status = DocStatus::Done;
            }
            f.sort();
            store.overwrite(&f).unwrap();
        }
    }
    (dir, corpus, ann)
}

#[test]
fn stats_reports_progress_labels_and_rules() {
    let (dir, corpus, ann) = team();
    let (code, out, err) = biaozhu(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--annotations",
            ann.to_str().unwrap(),
            "stats",
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let alice = &v["annotators"][0];
    assert_eq!(alice["annotator"], "alice");
    assert_eq!(
        (alice["documents"].as_u64(), alice["done"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(alice["labels"]["ORG"], 2);
    let money = &v["rules"]["money"];
    assert_eq!(
        (
            money["suggested"].as_u64(),
            money["accepted"].as_u64(),
            money["rejected"].as_u64()
        ),
        (Some(4), Some(0), Some(2))
    );
    assert_eq!(v["rules"]["gazetteer:prefecture"]["accepted"], 4);
    // The table for people.
    let (_, table, _) = biaozhu(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--annotations",
            ann.to_str().unwrap(),
            "stats",
        ],
        dir.path(),
    );
    assert!(
        table.contains("gazetteer:prefecture") && table.contains("100%"),
        "{table}"
    );
}

#[test]
fn consistency_lists_groups_with_occurrences() {
    let (dir, corpus, ann) = team();
    let args = |json: bool| {
        let mut a = vec![
            "--corpus",
            corpus.to_str().unwrap(),
            "--annotations",
            ann.to_str().unwrap(),
            "--annotator",
            "alice",
            "consistency",
        ];
        if json {
            a.push("--json");
        }
        a.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let a = args(true);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, out, err) = biaozhu(&a, dir.path());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let g = &v["groups"][0];
    assert_eq!(
        (g["kind"].as_str(), g["text"].as_str()),
        (Some("different_labels"), Some("白城市"))
    );
    let occ = g["occurrences"].as_array().unwrap();
    assert_eq!(occ.len(), 2);
    assert_eq!(occ[1]["doc"], "b");
    assert!(
        occ[1]["sentence"]
            .as_str()
            .unwrap()
            .contains("白城市的合作社")
    );
    let a = args(false);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let (_, text, _) = biaozhu(&a, dir.path());
    assert!(
        text.contains("白城市  [different labels]  LOC×1 ORG×1"),
        "{text}"
    );
    // Without an annotator: a clear message.
    let (code, _, err) = biaozhu(
        &["--annotations", ann.to_str().unwrap(), "consistency"],
        dir.path(),
    );
    assert_ne!(code, 0);
    assert!(err.contains("--annotator"), "{err}");
}

#[test]
fn agree_prints_f1_and_kappa_per_label_and_overall() {
    let (dir, corpus, ann) = team();
    let folder = |n: &str| ann.join(n).to_str().unwrap().to_owned();
    let (code, out, err) = biaozhu(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "agree",
            &folder("alice"),
            &folder("bob"),
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Final spans: a: alice LOC 白城市, bob LOC 白城市; b: alice ORG 白城市 + ORG 的合作,
    // bob LOC 白城市 + ORG 的合作. Exact matches 2 of 3 + 3: F1 = 4/6.
    let close = |x: &serde_json::Value, want: f64| (x.as_f64().unwrap() - want).abs() < 1e-9;
    assert!(close(&v["overall"]["f1"], 4.0 / 6.0), "{}", v["overall"]);
    assert!(close(&v["per_label"]["LOC"]["f1"], 2.0 / 3.0));
    assert!(close(&v["per_label"]["ORG"]["f1"], 2.0 / 3.0));
    // 36 chars; they differ on the 3 chars of 白城市 in b (ORG vs LOC).
    // po = 33/36; pe = (3·6 + 6·3 + 27·27)/36².
    let po = 33.0 / 36.0;
    let pe = (3.0 * 6.0 + 6.0 * 3.0 + 27.0 * 27.0) / (36.0 * 36.0);
    assert!(
        close(&v["overall"]["kappa"], (po - pe) / (1.0 - pe)),
        "{}",
        v["overall"]
    );
    assert!(v["per_label"]["LOC"]["kappa"].is_number());
    // The table, and a document only one annotator has.
    std::fs::write(corpus.join("c.txt"), "标题\n\n长春市\n").unwrap();
    let c = biaozhu::corpus::Corpus::open(&corpus).unwrap();
    let d = c.get("c").unwrap();
    let f = biaozhu::model::span::AnnotationFile::new(&d.id, &d.fingerprint, "alice");
    biaozhu::store::Store::new(&ann).overwrite(&f).unwrap();
    let (code, table, err) = biaozhu(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "agree",
            &folder("alice"),
            &folder("bob"),
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        table.contains("overall") && table.contains("0.667"),
        "{table}"
    );
    assert!(table.contains("c: only alice"), "{table}");
    // A folder that does not exist.
    let (code, _, err) = biaozhu(&["agree", &folder("alice"), &folder("nobody")], dir.path());
    assert_ne!(code, 0);
    assert!(err.contains("nobody"), "{err}");
}
