//! End-to-end tests of the entity model from the command line: learning from an annotator's
//! imported documents, a corrupt model file, training and cross-validation.

use std::path::Path;
use std::process::Command;

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

/// Shop names in sets of three with one ending: the annotator teaches the first two, the
/// third is never seen.
const SHOPS: [[&str; 3]; 6] = [
    ["蓝莓坊", "桃李坊", "杏花坊"],
    ["翠竹斋", "松风斋", "梅影斋"],
    ["听雨阁", "揽月阁", "望江阁"],
    ["青禾记", "麦香记", "稻花记"],
    ["山泉庄", "竹溪庄", "桃源庄"],
    ["云裳坊", "锦绣坊", "彩虹坊"],
];

/// A corpus where `a` and `c` name a shop of the set twice each (蓝莓坊, 桃李坊) in the same
/// sentence, and `b` the third (杏花坊), never seen; `ac.jsonl` holds `a` and `c` annotated.
fn shops(dir: &Path, [a, c, b]: [&str; 3]) {
    std::fs::create_dir_all(dir.join("corpus")).unwrap();
    let mut jsonl = String::new();
    for (id, n, shop) in [("a", "一", a), ("b", "二", b), ("c", "三", c)] {
        let text = format!("标题{n}\n\n今年，{shop}的产品卖得很好，游客都去{shop}。\n");
        std::fs::write(dir.join(format!("corpus/{id}.txt")), &text).unwrap();
        if id != "b" {
            let doc = serde_json::json!({"id": id, "text": text, "label": [[8, 11, "ORG"], [23, 26, "ORG"]]});
            jsonl.push_str(&format!("{doc}\n"));
        }
    }
    std::fs::write(dir.join("ac.jsonl"), jsonl).unwrap();
}

/// `import` of `ac.jsonl` as alice's annotations in `dir` ([`shops`]).
fn import_ac(dir: &Path) -> (i32, String, String) {
    import_ac_as(dir, "alice")
}

/// `import` of `ac.jsonl` as `annotator`'s annotations in `dir` ([`shops`]).
fn import_ac_as(dir: &Path, annotator: &str) -> (i32, String, String) {
    biaozhu(
        &[
            "--corpus",
            "corpus",
            "import",
            "--annotator",
            annotator,
            "--format",
            "jsonl",
            "ac.jsonl",
        ],
        dir,
    )
}

/// `suggest --annotator alice` on the unseen document `b` in `dir` ([`shops`]).
fn suggest_b_as_alice(dir: &Path) -> (i32, String, String) {
    biaozhu(
        &[
            "--corpus",
            "corpus",
            "--annotator",
            "alice",
            "suggest",
            "corpus/b.txt",
        ],
        dir,
    )
}

fn orgs(out: &str) -> Vec<String> {
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["label"] == "ORG")
        .map(|v| v["text"].as_str().unwrap().to_owned())
        .collect()
}

/// The headless learning loop: import annotated documents, then `suggest --annotator` offers
/// the same pattern on a string nobody annotated, through the annotator's model. Whether two
/// documents teach one given new name depends on chance (which rehearsal sentences fall in
/// the tuning, the base model's training): with today's shipped model, 1 rehearsal char per
/// char (the setting) taught 5 of these six sets and 2 taught 4; with the model before it, 1–4
/// taught 6, 4, 4, 4. So the test asks for most of six, and
/// that what is learnt is never something else; the learning curve's test measures one
/// document over several orders.
#[test]
fn imported_documents_teach_the_annotators_model() {
    let mut taught = Vec::new();
    for set in SHOPS {
        let dir = tempfile::tempdir().unwrap();
        shops(dir.path(), set);
        let (code, out, err) = biaozhu(
            &["--corpus", "corpus", "suggest", "corpus/b.txt"],
            dir.path(),
        );
        assert_eq!(code, 0, "{err}");
        assert!(
            orgs(&out).is_empty(),
            "the shipped model does not know: {out}"
        );
        let (code, _, err) = import_ac(dir.path());
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = suggest_b_as_alice(dir.path());
        assert_eq!(code, 0, "{err}");
        // Built from the imported files (not marked done: no check on held-out documents).
        assert!(
            err.contains("alice: entity model retrained on 2 documents\n"),
            "{err}"
        );
        let learned = orgs(&out);
        assert!(learned.iter().all(|o| o == set[2]), "{out}");
        if !learned.is_empty() {
            taught.push(set[2]);
        }
        assert!(dir.path().join("annotations/alice.model").is_file());
    }
    assert!(taught.len() >= 4, "learnt only {taught:?}");
}

/// A corrupt annotator's model (newer than the annotations): the shipped model, with a message.
/// `import` teaches the annotator's learned memory the imported entity strings, as
/// accepting them in the app does: a document that names an imported shop (never annotated
/// there) gets it suggested as learned, by `suggest --annotator`. A memory file that does
/// not parse is reported and left as it was.
#[test]
fn imported_strings_teach_the_learned_memory() {
    let dir = tempfile::tempdir().unwrap();
    let [a, c, _] = SHOPS[0];
    shops(dir.path(), SHOPS[0]);
    // b names a's shop too.
    std::fs::write(
        dir.path().join("corpus/b.txt"),
        format!("标题二\n\n今年，{a}和{c}的产品卖得很好。\n"),
    )
    .unwrap();
    let (code, _, err) = import_ac(dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("learned memory of alice: 2 strings (was 0)"),
        "{err}"
    );
    let memory = std::fs::read_to_string(dir.path().join("annotations/alice.memory.ron")).unwrap();
    assert!(
        memory.contains(&format!("\"{a}\": \"ORG\""))
            && memory.contains(&format!("\"{c}\": \"ORG\"")),
        "{memory}"
    );
    let (code, out, err) = suggest_b_as_alice(dir.path());
    assert_eq!(code, 0, "{err}");
    for shop in [a, c] {
        assert!(
            out.lines()
                .any(|l| l.contains(&format!("\"text\":\"{shop}\""))
                    && l.contains("\"label\":\"ORG\"")),
            "{shop} in {out}"
        );
    }
    // A memory file that does not parse: reported, never overwritten; the spans are in.
    let path = dir.path().join("annotations/bob.memory.ron");
    std::fs::write(&path, "(format: 1, accepted: {").unwrap();
    let (code, _, err) = import_ac_as(dir.path(), "bob");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("imported 4 spans into 2 documents of bob"),
        "{err}"
    );
    assert!(
        err.contains("learned memory not taught the imported strings"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(format: 1, accepted: {"
    );
}

#[test]
fn a_corrupt_annotators_model_falls_back_to_the_shipped_one() {
    let dir = tempfile::tempdir().unwrap();
    shops(dir.path(), SHOPS[1]);
    let (code, _, err) = import_ac(dir.path());
    assert_eq!(code, 0, "{err}");
    let model = dir.path().join("annotations/alice.model");
    let (code, _, err) = suggest_b_as_alice(dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(model.is_file());
    std::fs::write(&model, b"garbage").unwrap();
    let (code, out, err) = suggest_b_as_alice(dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("alice.model") && err.contains("shipped model"),
        "{err}"
    );
    assert!(orgs(&out).is_empty(), "{out}");
}

/// `train` writes a model that `suggest` can use; `--cross-validate` prints the rules' and
/// the model's tables.
#[test]
fn train_and_cross_validate_on_a_small_gold_set() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("arts")).unwrap();
    let mut gold = String::new();
    for (i, name) in ["郑小东", "王大明", "李春花", "赵铁柱"].iter().enumerate() {
        let text = format!("标题\n\n县委书记{name}来到陆家村。\n");
        std::fs::write(d.join(format!("arts/d{i}.txt")), &text).unwrap();
        gold.push_str(&format!(
            "{{\"doc\":\"d{i}\",\"start\":8,\"end\":11,\"label\":\"PER\"}}\n{{\"doc\":\"d{i}\",\"start\":13,\"end\":16,\"label\":\"LOC\"}}\n"
        ));
    }
    std::fs::write(d.join("gold.jsonl"), gold).unwrap();
    let (code, out, err) = biaozhu(
        &[
            "train",
            "--gold",
            "gold.jsonl",
            "--articles",
            "arts",
            "--cross-validate",
            "2",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("rules:") && out.contains("model:"), "{out}");
    let micro = out
        .lines()
        .rfind(|l| l.starts_with("entities"))
        .expect("an entities row");
    // 8 gold spans over the two folds.
    assert!(micro.split_whitespace().nth(1) == Some("8"), "{out}");
    let (code, _, err) = biaozhu(
        &[
            "train",
            "--gold",
            "gold.jsonl",
            "--articles",
            "arts",
            "--out",
            "m.model",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    assert!(d.join("m.model").metadata().unwrap().len() > 100);
    let (code, _, err) = biaozhu(&["train", "--gold", "missing.jsonl"], d);
    assert_ne!(code, 0);
    assert!(err.contains("missing.jsonl"), "{err}");
}

/// A corpus of four documents, each naming a different shop in the same pattern (X坊), and
/// its gold.
fn four_shops(d: &Path) {
    std::fs::create_dir_all(d.join("corpus")).unwrap();
    let mut gold = String::new();
    for (i, name) in ["蓝莓坊", "杏花坊", "桃李坊", "青松坊"].iter().enumerate() {
        let text = format!("标题{i}\n\n{name}的产品很好，游客都去{name}买东西。\n");
        std::fs::write(d.join(format!("corpus/s{i}.txt")), &text).unwrap();
        // 标题N, a blank line, then the name at char 5 and again at 18.
        for s in [5, 18] {
            gold.push_str(&format!(
                "{{\"doc\":\"s{i}\",\"start\":{s},\"end\":{},\"label\":\"ORG\"}}\n",
                s + 3
            ));
        }
    }
    std::fs::write(d.join("gold.jsonl"), gold).unwrap();
}

/// `evaluate --learning-curve`: the shipped model does not know the pattern (0 at k = 0);
/// once the analyst annotated the first documents, the model finds shops it never saw in
/// the others — after one document in most orders (`--runs 4`: the mean over the four
/// rotations; which shop a single document teaches, and the tuning seed, decide whether one
/// is enough), after two in file order. `--cross-validate` scores every document with a
/// model trained on the others.
#[test]
fn evaluate_learning_curve_and_cross_validation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    four_shops(d);
    let (code, out, err) = biaozhu(
        &[
            "--corpus",
            "corpus",
            "evaluate",
            "gold.jsonl",
            "--learning-curve",
            "--runs",
            "4",
            "--json",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(v["runs"]["count"], 4, "{out}");
    // (annotated, taught F1, untaught F1) per step of `runs.mean` or `runs.pooled`.
    let steps = |key: &str| -> Vec<(u64, f64, f64)> {
        v["runs"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["annotated"].as_u64().unwrap(),
                    m["entities_f1"].as_f64().unwrap(),
                    m["untaught_f1"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let mean = steps("mean");
    assert_eq!(mean.len(), 3, "{out}");
    assert_eq!(mean[0], (0, 0.0, 0.0), "{out}");
    assert!(
        mean[1].0 == 1 && mean[1].1 > 0.5 && mean[1].2 == 0.0,
        "{out}"
    );
    assert!(
        mean[2].0 == 2 && mean[2].1 > 0.5 && mean[2].2 == 0.0,
        "{out}"
    );
    // Pooled: one F1 of the counts of every run's scored documents.
    let pooled = steps("pooled");
    assert_eq!(pooled.len(), 3, "{out}");
    assert_eq!(pooled[0], (0, 0.0, 0.0), "{out}");
    assert!(pooled[2].1 > 0.5 && pooled[2].2 == 0.0, "{out}");
    assert!(
        err.contains("pooled over the 4 runs' scored documents: k=0 0.000"),
        "{err}"
    );
    // The same means on stderr.
    let line = err
        .lines()
        .find(|l| l.contains("mean over 4 runs"))
        .unwrap_or_else(|| panic!("{err}"));
    let mean_at = |k: &str| -> f64 {
        let rest = &line[line.find(&format!("k={k} ")).expect(k) + k.len() + 3..];
        rest[..5].parse().unwrap()
    };
    assert_eq!(mean_at("0"), 0.0, "{line}");
    assert!(mean_at("2") > 0.5, "{line}");
    let curve = v["learning_curve"].as_array().unwrap();
    let points: Vec<(u64, u64, f64)> = curve
        .iter()
        .map(|p| {
            (
                p["annotated"].as_u64().unwrap(),
                p["scored"].as_u64().unwrap(),
                p["per_label"]["ORG"]["exact"]["f1"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(points.len(), 3, "{out}");
    assert_eq!((points[0].0, points[0].1), (0, 4));
    assert_eq!((points[2].0, points[2].1), (2, 2));
    assert_eq!(points[0].2, 0.0, "{out}");
    assert!(points[2].2 > 0.5, "{out}");
    // The same documents without learning: nothing.
    assert_eq!(curve[2]["entities_without_learning"]["exact"]["f1"], 0.0);
    // The table form names every step.
    let (code, out, err) = biaozhu(
        &[
            "--corpus",
            "corpus",
            "evaluate",
            "gold.jsonl",
            "--learning-curve",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("annotated") && out.lines().count() >= 5,
        "{out}"
    );
    let (code, out, err) = biaozhu(
        &[
            "--corpus",
            "corpus",
            "evaluate",
            "gold.jsonl",
            "--cross-validate",
            "2",
            "--json",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["documents"], 4);
    assert_eq!(v["per_label"]["ORG"]["gold"], 8);
    assert!(
        v["suggester"]
            .as_str()
            .unwrap()
            .contains("cross-validation")
    );
    // Three runs with other shuffling seeds: each run's F1 and their mean on stderr; the
    // table (stdout) is the first run's, the same as one run alone.
    let (code, three, err) = biaozhu(
        &[
            "--corpus",
            "corpus",
            "evaluate",
            "gold.jsonl",
            "--cross-validate",
            "2",
            "--runs",
            "3",
            "--json",
        ],
        d,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(three, out);
    let line = err
        .lines()
        .find(|l| l.contains("over 3 training seeds"))
        .unwrap_or_else(|| panic!("{err}"));
    let f1s: Vec<f64> = line
        .rsplit_once("; ")
        .unwrap()
        .1
        .trim_end_matches(')')
        .split(", ")
        .map(|f| f.parse().unwrap())
        .collect();
    assert_eq!(f1s.len(), 3, "{line}");
    let printed: f64 = line
        .split("mean ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    let mean = f1s.iter().sum::<f64>() / 3.0;
    assert!((printed - mean).abs() <= 0.001, "{line}");
    // (--runs without cross-validation or a learning curve: `runs_alone_is_refused`.)
}

/// `--runs` without cross-validation or a learning curve is refused (the runs themselves:
/// `evaluate_learning_curve_and_cross_validation`).
#[test]
fn runs_alone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    four_shops(d);
    let (code, _, err) = biaozhu(
        &[
            "--corpus",
            "corpus",
            "evaluate",
            "gold.jsonl",
            "--runs",
            "3",
        ],
        d,
    );
    assert_ne!(code, 0);
    assert!(err.contains("--runs needs"), "{err}");
}
