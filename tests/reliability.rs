//! Hostile files, concurrent writers and lost anchors (issue 17), items 1–7: the real binary
//! on temporary corpora. Nothing crashes, nothing is lost silently.

mod common;

use std::path::Path;

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
    let doc = &*corpus.doc(0).unwrap();
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

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(name),
    )
    .unwrap()
}

/// Item 4: a UTF-8 file with one stray byte and a truncated char was read as windows-1252
/// (title 'å‰æž—…', 121 → 6 suggestions), exit 0.
#[test]
fn a_bad_byte_is_replaced_and_told_not_mojibake() {
    let clean = seed("000_ab1f232cd4cd6478.txt");
    let mut bad = clean.clone();
    // A stray byte at the end of the first line, and a char cut short at the end.
    let nl = bad.iter().position(|&b| b == b'\n').unwrap();
    bad.insert(nl, 0xFF);
    bad.extend_from_slice(&[0xE5, 0x8F]);
    let s = Setup::new(&[]);
    std::fs::write(s.path("corpus/clean.txt"), &clean).unwrap();
    std::fs::write(s.path("corpus/bad.txt"), &bad).unwrap();
    let (code, out, err) = s.run(&["check", "--json"]);
    assert_eq!(code, 1, "{err}");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (b, c) = (&rows[0], &rows[1]);
    assert_eq!(b["encoding"], "UTF-8");
    assert_eq!(b["title"], c["title"]);
    let warning = b["warning"].as_str().unwrap();
    assert!(
        warning.contains(&format!("at bytes {nl}, {}", bad.len() - 2)),
        "{warning}"
    );
    assert!(c["warning"].is_null());
    let (code, out, err) = s.run(&["suggest", "--no-entities", "corpus/bad.txt"]);
    assert_eq!(code, 1);
    assert!(err.contains("not valid UTF-8 at bytes"), "{err}");
    let (_, clean_out, _) = s.run(&["suggest", "--no-entities", "corpus/clean.txt"]);
    assert_eq!(out.lines().count(), clean_out.lines().count());
    assert!(out.lines().count() > 50);
}

/// Item 5: after an edit near an annotated 白城市, re-anchoring moved the span onto another
/// occurrence already annotated (a duplicate) or far away, and told no one.
#[test]
fn reanchoring_is_told_and_never_duplicates_a_span() {
    let old = "标题\n\n白城市投入资金。长春市也投入。白城市再投入。\n";
    let s = Setup::new(&[("d1", old)]);
    s.write_ron(
        "alice",
        "d1",
        None,
        &[
            "(start: 4, end: 7, label: \"LOC\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 12, end: 15, label: \"LOC\", text: \"长春市\", status: Accepted, origin: Manual)",
            "(start: 19, end: 22, label: \"LOC\", text: \"白城市\", status: Accepted, origin: Manual)",
        ],
    );
    // The first 白城市 is edited away, text is inserted before the second.
    std::fs::write(
        s.path("corpus/d1.txt"),
        "标题\n\n白城县投入资金。今年长春市也投入。白城市再投入。\n",
    )
    .unwrap();
    let (code, out, err) = s.run(&[
        "--annotator",
        "alice",
        "export",
        "--format",
        "jsonl",
        "--out",
        "-",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("LOC \"长春市\" moved from 12..15 to 14..17"),
        "{err}"
    );
    assert!(
        err.contains("LOC \"白城市\" at 4..7 lost its place when the article changed"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let labels = v["label"].as_array().unwrap();
    assert_eq!(labels.len(), 2, "{labels:?}");
    let mut at: Vec<u64> = labels.iter().map(|l| l[0].as_u64().unwrap()).collect();
    at.dedup();
    assert_eq!(
        at,
        vec![14, 21],
        "a span landed twice on one place: {labels:?}"
    );
    // stats tells it too, with the lost one.
    let (_, _, err) = s.run(&["stats"]);
    assert!(err.contains("moved from 12..15 to 14..17"), "{err}");
    assert!(
        err.contains("at 4..7 is gone from the text; kept, flagged unanchored"),
        "{err}"
    );
}

/// Item 6: labels "", "O", "two words", tabs, newlines, zero-length spans went into CoNLL
/// lines with three columns and brat files readers reject; export exited 0.
#[test]
fn bad_labels_never_reach_an_export() {
    let s = Setup::new(&[("d1", "标题\n\n白城市投入5.3亿元。\n")]);
    let span = |start: usize, end: usize, label: &str| {
        format!(
            "(start: {start}, end: {end}, label: \"{label}\", text: \"{}\", status: Accepted, origin: Manual)",
            "标题\n\n白城市投入5.3亿元。\n"
                .chars()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect::<String>()
        )
    };
    let spans = [
        span(4, 7, ""),
        span(4, 7, "O"),
        span(4, 7, "two words"),
        span(4, 7, "TAB\\tX"),
        span(4, 7, "NL\\nX"),
        span(9, 9, "MONEY"),
        span(9, 14, "MONEY"),
        span(0, 2, "TITLE_X"),
    ];
    let refs: Vec<&str> = spans.iter().map(String::as_str).collect();
    s.write_ron("alice", "d1", None, &refs);
    for format in ["conll", "brat"] {
        let out = format!("out.{format}");
        let (code, _, err) = s.run(&[
            "--annotator",
            "alice",
            "export",
            "--format",
            format,
            "--out",
            &out,
        ]);
        assert_eq!(code, 1, "{err}");
        for line in 8..=13 {
            assert!(
                err.contains(&format!("d1.ron:{line}: ")),
                "line {line}: {err}"
            );
        }
        assert!(
            err.contains("\"TITLE_X\" is not in the schema; kept"),
            "{err}"
        );
    }
    let conll = std::fs::read_to_string(s.path("out.conll")).unwrap();
    for l in conll.lines().filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(cols.len(), 2, "{l:?}");
        let tag = cols[1];
        assert!(
            tag == "O" || ["B-", "I-"].iter().any(|p| tag.starts_with(p)),
            "{l:?}"
        );
    }
    assert!(
        conll.contains("B-MONEY") && conll.contains("B-TITLE_X"),
        "{conll}"
    );
    let ann = std::fs::read_to_string(s.path("out.brat/d1.ann")).unwrap();
    for l in ann.lines().filter(|l| l.starts_with('T')) {
        let fields: Vec<&str> = l.split('\t').collect();
        assert_eq!(fields.len(), 3, "{l:?}");
        let typ: Vec<&str> = fields[1].split(' ').collect();
        assert_eq!(typ.len(), 3, "{l:?}");
        assert!(
            typ[0].chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{l:?}"
        );
    }
    // The import refuses them too.
    std::fs::write(
        s.path("in.jsonl"),
        "{\"id\": \"d1\", \"label\": [[4, 7, \"two words\"]]}\n{\"id\": \"d1\", \"label\": [[4, 7, \"O\"]]}\n{\"id\": \"d1\", \"label\": [[4, 4, \"LOC\"]]}\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "bob", "import", "in.jsonl"]);
    assert_eq!(code, 1);
    assert_eq!(err.matches("line not imported").count(), 3, "{err}");
    assert!(!s.path("annotations/bob/d1.ron").exists());
}

/// Item 7: `export --format brat --out <the corpus folder>` replaced GBK/UTF-16/CRLF
/// articles with UTF-8 copies.
#[test]
fn an_export_never_replaces_the_articles() {
    let s = Setup::new(&[]);
    let (gbk, _, _) = encoding_rs::GBK.encode("扶贫标题\n\n正文:白城市带动贫困户874户。\n");
    std::fs::write(s.path("corpus/gbk.txt"), &gbk).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "标题\n\n长春市投入5亿元。\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(s.path("corpus/utf16.txt"), &utf16).unwrap();
    std::fs::write(
        s.path("corpus/crlf.txt"),
        "标题\r\n\r\n白城市投入5亿元。\r\n",
    )
    .unwrap();
    let before: Vec<Vec<u8>> = ["gbk", "utf16", "crlf"]
        .iter()
        .map(|n| std::fs::read(s.path(&format!("corpus/{n}.txt"))).unwrap())
        .collect();
    std::os::unix::fs::symlink(s.path("corpus"), s.path("link")).unwrap();
    for (format, out) in [
        ("brat", "corpus"),
        ("brat", "corpus/"),
        ("brat", "link"),
        ("jsonl", "corpus/gbk.txt"),
        ("csv", "link/crlf.txt"),
    ] {
        let (code, _, err) = s.run(&[
            "--annotator",
            "alice",
            "export",
            "--include-suggested",
            "--format",
            format,
            "--out",
            out,
        ]);
        assert_eq!(code, 2, "{format} {out}: {err}");
        assert!(err.contains("never replaces the articles"), "{err}");
    }
    let after: Vec<Vec<u8>> = ["gbk", "utf16", "crlf"]
        .iter()
        .map(|n| std::fs::read(s.path(&format!("corpus/{n}.txt"))).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(std::fs::read_dir(s.path("corpus")).unwrap().count(), 3);
    // Another folder is fine.
    let (code, _, err) = s.run(&[
        "--annotator",
        "alice",
        "export",
        "--include-suggested",
        "--format",
        "brat",
        "--out",
        "brat",
    ]);
    assert_eq!(code, 0, "{err}");
}

/// Item 3 for two app windows (two sessions, no file watcher to warn them): the second save
/// is refused and becomes a conflict; the first window's work stays on disk.
#[test]
fn two_sessions_on_one_file_never_lose_a_save() {
    use biaozhu::model::span::Status;
    use biaozhu::session::Session;
    let s = Setup::new(&[("d1", "标题\n\n白城市投入5.3亿元,带动贫困户874户。\n")]);
    let open = || Session::open(s.path("corpus"), s.path("annotations"), "alice".into()).unwrap();
    let (mut one, mut two) = (open(), open());
    one.accept();
    one.save_all();
    let disk = || {
        let c = biaozhu::corpus::Corpus::open(&s.path("corpus")).unwrap();
        biaozhu::store::Store::new(s.path("annotations"))
            .load("alice", &c.doc(0).unwrap())
            .unwrap()
            .unwrap()
            .file
    };
    let first = disk();
    assert_eq!(first.spans[0].status, Status::Accepted);
    two.reject();
    two.save_all();
    assert_eq!(disk(), first, "the first window's save is still there");
    assert!(two.doc().unwrap().conflict.is_some());
    assert!(
        two.save_error.is_none(),
        "a conflict to resolve, not an error"
    );
}
