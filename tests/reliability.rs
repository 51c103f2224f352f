//! Hostile files, concurrent writers and lost anchors (issue 17), items 1–7: the real binary
//! on temporary corpora. Nothing crashes, nothing is lost silently.

mod common;

use common::Setup;

/// Item 1: a span with `end < start` in a RON file panicked every reader (exit 101).
#[test]
fn reversed_span_in_a_ron_file_is_reported_by_every_reader() {
    let s = Setup::new(&[("d1", "标题\n\n白城市投入5.3亿元。\n")]);
    let ron = s.write_ron(
        "alice",
        "d1",
        None,
        &[
            "(start: 4, end: 7, label: \"LOC\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 14, end: 9, label: \"MONEY\", text: \"5.3亿元\", status: Accepted, origin: Manual)",
        ],
    );
    let before = std::fs::read(&ron).unwrap();
    let where_ = "alice/d1.ron:9:";
    // The same with a changed fingerprint: re-anchoring must not panic either.
    for fingerprint_changed in [false, true] {
        if fingerprint_changed {
            let text = std::fs::read_to_string(&ron).unwrap();
            let old = text
                .lines()
                .find(|l| l.contains("fingerprint"))
                .unwrap()
                .to_owned();
            std::fs::write(&ron, text.replace(&old, "  fingerprint: \"sha256:0000\",")).unwrap();
        }
        let runs: Vec<Vec<&str>> = vec![
            vec![
                "--annotator",
                "alice",
                "export",
                "--format",
                "jsonl",
                "--out",
                "x.jsonl",
            ],
            vec!["stats"],
            vec!["--annotator", "alice", "consistency"],
            vec!["agree", "annotations/alice", "annotations/bob"],
            vec!["--annotator", "alice", "import", "in.jsonl"],
        ];
        std::fs::create_dir_all(s.dir.path().join("annotations/bob")).unwrap();
        std::fs::write(
            s.dir.path().join("in.jsonl"),
            "{\"id\": \"d1\", \"label\": [[0, 2, \"ORG\"]]}\n",
        )
        .unwrap();
        for args in runs {
            let (code, _, err) = s.run(&args);
            assert_ne!(code, 101, "{args:?} panicked: {err}");
            assert_eq!(code, 1, "{args:?}: {err}");
            assert!(
                err.contains(where_),
                "{args:?} does not name the line: {err}"
            );
            assert!(err.contains("span 14..9 is empty or reversed"), "{err}");
        }
        // The good span is still exported; the file is left as it was.
        let out = std::fs::read_to_string(s.dir.path().join("x.jsonl")).unwrap();
        assert!(out.contains("[4,7,\"LOC\"]"), "{out}");
        assert!(!out.contains("MONEY"), "{out}");
        if !fingerprint_changed {
            assert_eq!(std::fs::read(&ron).unwrap(), before);
        }
    }
}

/// Item 2: `import --annotator carol` wrote into `alice/` when carol's folder held files
/// copied from alice: the file's folder decides whose it is.
#[test]
fn import_writes_into_the_named_annotators_folder_only() {
    let s = Setup::new(&[("d1", "标题\n\n白城市投入5.3亿元。\n")]);
    std::fs::write(
        s.dir.path().join("a.jsonl"),
        "{\"id\": \"d1\", \"label\": [[4, 7, \"LOC\"]]}\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "alice", "import", "a.jsonl"]);
    assert_eq!(code, 0, "{err}");
    let alice = s.dir.path().join("annotations/alice/d1.ron");
    let alice_before = std::fs::read(&alice).unwrap();
    std::fs::create_dir_all(s.dir.path().join("annotations/carol")).unwrap();
    std::fs::copy(&alice, s.dir.path().join("annotations/carol/d1.ron")).unwrap();
    std::fs::write(
        s.dir.path().join("c.jsonl"),
        "{\"id\": \"d1\", \"label\": [[9, 14, \"MONEY\"]]}\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "carol", "import", "c.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("says it is \"alice\"'s"), "{err}");
    assert_eq!(
        std::fs::read(&alice).unwrap(),
        alice_before,
        "alice's file changed"
    );
    let carol = std::fs::read_to_string(s.dir.path().join("annotations/carol/d1.ron")).unwrap();
    assert!(carol.contains("annotator: \"carol\""), "{carol}");
    assert!(carol.contains("MONEY") && carol.contains("LOC"), "{carol}");
    // Nor into gold.
    let (code, _, err) = s.run(&["--annotator", "gold", "import", "c.jsonl"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("reserved"), "{err}");
    assert!(!s.dir.path().join("annotations/gold").exists());
}

/// Item 3: two imports into the same annotator at once, 100 documents: each document keeps
/// both writers' spans, both exit 0.
#[test]
fn two_imports_at_once_keep_both_writers_spans() {
    let docs: Vec<(String, String)> = (0..100)
        .map(|i| {
            (
                format!("d{i:03}"),
                format!("标题{i}\n\n白城市和长春市投入{i}亿元。\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = docs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let s = Setup::new(&refs);
    for (file, span) in [
        ("a.jsonl", "[4, 7, \"LOC\"]"),
        ("b.jsonl", "[8, 11, \"ORG\"]"),
    ] {
        let lines: String = docs
            .iter()
            .map(|(id, _)| format!("{{\"id\": \"{id}\", \"label\": [{span}]}}\n"))
            .collect();
        std::fs::write(s.dir.path().join(file), lines).unwrap();
    }
    let spawn = |file: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biaozhu"))
            .args(["--corpus", "corpus", "--annotations", "annotations"])
            .args(["--annotator", "alice", "import", file])
            .current_dir(s.dir.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("a.jsonl"), spawn("b.jsonl"));
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut kept_one = Vec::new();
    for (id, _) in &docs {
        let f = std::fs::read_to_string(s.dir.path().join(format!("annotations/alice/{id}.ron")))
            .unwrap();
        if !(f.contains("\"LOC\"") && f.contains("\"ORG\"")) {
            kept_one.push(id.clone());
        }
    }
    assert!(
        kept_one.is_empty(),
        "only one writer's spans kept in {kept_one:?}"
    );
}

/// Item 3 for editors (the app, a second window): a save over a file written since it was
/// read is refused, not silently merged away.
#[test]
fn an_editor_saving_over_a_newer_file_gets_a_conflict() {
    use biaozhu::model::span::{AnnotationFile, Origin, Span, Status};
    use biaozhu::store::Store;
    let s = Setup::new(&[("d1", "标题\n\n白城市投入5.3亿元。\n")]);
    let corpus = biaozhu::corpus::Corpus::open(&s.dir.path().join("corpus")).unwrap();
    let doc = &corpus.docs[0];
    let store = Store::new(s.dir.path().join("annotations"));
    let f = AnnotationFile::new("d1", &doc.fingerprint, "alice");
    let window = store.save(&f, &Default::default()).unwrap();
    // A command writes the file meanwhile.
    std::fs::write(
        s.dir.path().join("a.jsonl"),
        "{\"id\": \"d1\", \"label\": [[4, 7, \"LOC\"]]}\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "alice", "import", "a.jsonl"]);
    assert_eq!(code, 0, "{err}");
    let mut mine = f.clone();
    mine.spans
        .push(Span::new(&doc.text, 9, 14, "MONEY", Status::Added, Origin::Manual).unwrap());
    let err = store.save(&mine, &window.version).unwrap_err();
    assert!(err.to_string().contains("changed on disk"), "{err}");
    let disk = store.load("alice", doc).unwrap().unwrap();
    assert!(disk.file.has(4, 7, "LOC"));
}
