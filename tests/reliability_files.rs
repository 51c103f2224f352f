//! Hostile files, concurrent writers and lost anchors (issue 17), items 8–13: file modes,
//! reserved names, stale temporary files, errors that keep their position, cost at scale and
//! the smaller ones. The real binary on temporary corpora.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Setup;

const DOC: &str = "标题\n\n白城市投入5.3亿元,带动贫困户874户。\n";

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Runs the binary through `sh -c` with `prelude` (umask, ulimit…) before it.
fn run_sh(s: &Setup, prelude: &str, args: &str) -> (i32, String) {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{prelude}; exec \"{}\" --corpus corpus --annotations annotations {args}",
            env!("CARGO_BIN_EXE_biaozhu")
        ))
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Item 8: atomic writes created files with mode 0600 whatever the umask: a shared folder
/// lost read access.
#[test]
fn written_files_keep_their_mode_or_follow_the_umask() {
    let s = Setup::new(&[("d1", DOC)]);
    std::fs::write(
        s.path("in.jsonl"),
        "{\"id\": \"d1\", \"label\": [[4, 7, \"LOC\"]]}\n",
    )
    .unwrap();
    let (code, err) = run_sh(&s, "umask 022", "--annotator alice import in.jsonl");
    assert_eq!(code, 0, "{err}");
    let ron = s.path("annotations/alice/d1.ron");
    assert_eq!(mode(&ron), 0o644);
    std::fs::set_permissions(&ron, std::fs::Permissions::from_mode(0o664)).unwrap();
    std::fs::write(
        s.path("in.jsonl"),
        "{\"id\": \"d1\", \"label\": [[9, 14, \"MONEY\"]]}\n",
    )
    .unwrap();
    let (code, err) = run_sh(&s, "umask 077", "--annotator alice import in.jsonl");
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&ron), 0o664, "the old file's mode is kept");
    // Exports too.
    let (code, err) = run_sh(
        &s,
        "umask 002",
        "--annotator alice export --format csv --out out.csv",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&s.path("out.csv")), 0o664);
}

/// Item 9: `--annotator schema.ron` or `alice.memory.ron` passed the name check, made a
/// folder and broke every later export; `--annotator ../x` read outside the root.
#[test]
fn reserved_and_escaping_names_are_refused_by_every_command() {
    let s = Setup::new(&[("d1", DOC)]);
    std::fs::write(
        s.path("in.jsonl"),
        "{\"id\": \"d1\", \"label\": [[4, 7, \"LOC\"]]}\n",
    )
    .unwrap();
    std::fs::create_dir_all(s.path("x")).unwrap();
    for name in [
        "schema.ron",
        "alice.memory.ron",
        "../x",
        "a/b",
        "gold",
        ".hidden",
        "",
    ] {
        let runs: Vec<Vec<&str>> = vec![
            vec!["--annotator", name, "import", "in.jsonl"],
            vec![
                "--annotator",
                name,
                "export",
                "--format",
                "jsonl",
                "--out",
                "o.jsonl",
            ],
            vec!["--annotator", name, "consistency"],
            vec!["--annotator", name, "suggest", "corpus"],
            vec!["--annotator", name, "stats"],
        ];
        for args in runs {
            let (code, _, err) = s.run(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(
                err.contains("invalid name") || err.contains("reserved"),
                "{args:?}: {err}"
            );
        }
    }
    let (code, _, err) = s.run(&["stats", "--annotators", "alice,../x"]);
    assert_eq!(code, 2, "{err}");
    let made: Vec<String> = std::fs::read_dir(s.path("annotations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(made.is_empty(), "{made:?}");
    assert!(!s.path("o.jsonl").exists());
}

/// Item 10: temporary files left by killed writers (`.biaozhu-*.tmp`) were never cleaned up.
#[test]
fn stale_temporary_files_are_removed_when_the_folder_is_opened() {
    let s = Setup::new(&[("d1", DOC)]);
    let folder = s.path("annotations/alice");
    std::fs::create_dir_all(&folder).unwrap();
    let stale = folder.join(".biaozhu-AbC123.tmp");
    let young = folder.join(".biaozhu-XyZ789.tmp");
    let top = s.path("annotations/.biaozhu-Mem456.tmp");
    for p in [&stale, &young, &top] {
        std::fs::write(p, "(format: 1, doc: \"d1\"").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    for p in [&stale, &top] {
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    let (code, _, err) = s.run(&["stats"]);
    assert_eq!(code, 0, "{err}");
    assert!(!stale.exists() && !top.exists());
    assert!(young.exists(), "a young one may be a writer at work");
    assert!(err.contains(".biaozhu-AbC123.tmp"), "{err}");
}

/// Item 11: when the annotator's only file was corrupt, export said only "no annotations …
/// to export" (the line:column error was dropped).
#[test]
fn export_of_nothing_says_why() {
    let s = Setup::new(&[("d1", DOC)]);
    std::fs::create_dir_all(s.path("annotations/alice")).unwrap();
    std::fs::write(
        s.path("annotations/alice/d1.ron"),
        "(\n  format: 1,\n  doc: \"d1\",\n  spans: [oops\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&[
        "--annotator",
        "alice",
        "export",
        "--format",
        "jsonl",
        "--out",
        "o.jsonl",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no annotations of \"alice\""), "{err}");
    assert!(err.contains("alice/d1.ron:4:"), "{err}");
}

/// Item 12 at a size a test can afford (the bench `costs` measures the growth): one JSONL
/// line with 20,000 spans imports whole, and a RON file with 50,000 spans exports whole.
#[test]
fn many_spans_in_one_document_import_and_export_whole() {
    let text: String = "白城市投入5亿元。".repeat(50_000);
    let s = Setup::new(&[("big", &text)]);
    let labels: Vec<String> = (0..20_000)
        .map(|i| format!("[{}, {}, \"LOC\"]", 5 * i, 5 * i + 3))
        .collect();
    std::fs::write(
        s.path("in.jsonl"),
        format!("{{\"id\": \"big\", \"label\": [{}]}}\n", labels.join(",")),
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "alice", "import", "in.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 20000 spans"), "{err}");
    let spans: Vec<String> = (0..50_000)
        .map(|i| {
            format!(
                "(start: {}, end: {}, label: \"LOC\", text: \"白城市\", status: Accepted, origin: Manual)",
                9 * i,
                9 * i + 3
            )
        })
        .collect();
    let refs: Vec<&str> = spans.iter().map(String::as_str).collect();
    s.write_ron("bob", "big", None, &refs);
    let (code, _, err) = s.run(&[
        "--annotator",
        "bob",
        "export",
        "--format",
        "jsonl",
        "--out",
        "o.jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(s.path("o.jsonl")).unwrap();
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["label"].as_array().unwrap().len(), 50_000);
}

/// Item 13, import: a doccano line in the `entities` layout imported nothing silently; a
/// JSONL file with a BOM lost line 1.
#[test]
fn doccano_entities_layout_and_a_bom_import() {
    let s = Setup::new(&[("d1", DOC), ("d2", DOC)]);
    std::fs::write(
        s.path("in.jsonl"),
        "\u{feff}{\"id\": \"d1\", \"label\": [[4, 7, \"LOC\"]]}\n{\"id\": \"d2\", \"text\": \"标题\\n\\n白城市投入5.3亿元,带动贫困户874户。\\n\", \"entities\": [{\"id\": 1, \"label\": \"MONEY\", \"start_offset\": 9, \"end_offset\": 14}], \"relations\": []}\n{\"id\": \"d1\", \"labels_are_missing\": true}\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "alice", "import", "in.jsonl"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("imported 2 spans into 2 documents"), "{err}");
    assert!(
        err.contains("line 3: no \"label\" or \"entities\" list"),
        "{err}"
    );
    let d2 = std::fs::read_to_string(s.path("annotations/alice/d2.ron")).unwrap();
    assert!(d2.contains("text: \"5.3亿元\""), "{d2}");
}

/// Item 13, check: a link loop was skipped without a word; GB18030 was reported as GBK.
#[test]
fn check_tells_link_loops_and_names_gb18030() {
    let s = Setup::new(&[("d1", DOC)]);
    std::os::unix::fs::symlink("loop.txt", s.path("corpus/loop.txt")).unwrap();
    let (bytes, _, _) =
        encoding_rs::GB18030.encode("扶贫标题\n\n正文:带动贫困户874户,生僻字𠮟。\n");
    std::fs::write(s.path("corpus/gb.txt"), &bytes).unwrap();
    let (code, out, err) = s.run(&["check"]);
    assert_eq!(code, 1);
    assert!(err.contains("loop.txt"), "{err}");
    assert!(out.contains("gb  [GB18030]"), "{out}");
}

/// Item 13, export: a full disk left a truncated `--out` without naming it; control
/// characters were written raw in CoNLL; the CSV summary counted spans not in the CSV.
#[test]
fn failed_exports_name_the_file_and_leave_it_whole() {
    let article = format!(
        "标题\n\n白城市\x1c投入\x1f5.3亿元,带动贫困户874户。{}\n",
        "扶贫".repeat(400)
    );
    let s = Setup::new(&[("d1", &article)]);
    std::fs::write(
        s.path("in.jsonl"),
        "{\"id\": \"d1\", \"label\": [[4, 7, \"LOC\"], [10, 15, \"MONEY\"], [21, 25, \"COUNT\"]]}\n",
    )
    .unwrap();
    let (code, _, err) = s.run(&["--annotator", "alice", "import", "in.jsonl"]);
    assert_eq!(code, 0, "{err}");
    // A disk that is full.
    let (code, _, err) = s.run(&[
        "--annotator",
        "alice",
        "export",
        "--format",
        "jsonl",
        "--out",
        "/dev/full",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("/dev/full: cannot write"), "{err}");
    // A file that can only grow to 512 bytes: the old one stays whole, no temporary is left.
    std::fs::write(s.path("o.jsonl"), "the old export\n").unwrap();
    let (code, err) = run_sh(
        &s,
        "trap '' XFSZ; ulimit -f 1",
        "--annotator alice export --format jsonl --out o.jsonl",
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("o.jsonl"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.path("o.jsonl")).unwrap(),
        "the old export\n"
    );
    assert_eq!(
        std::fs::read_dir(s.dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp"))
            .count(),
        0
    );
    // CoNLL: two columns on every line, whatever the characters.
    let (code, _, err) = s.run(&[
        "--annotator",
        "alice",
        "export",
        "--format",
        "conll",
        "--out",
        "o.conll",
    ]);
    assert_eq!(code, 0, "{err}");
    let conll = std::fs::read_to_string(s.path("o.conll")).unwrap();
    for l in conll.lines().filter(|l| !l.is_empty()) {
        let cols = l
            .split(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
            .filter(|w| !w.is_empty())
            .count();
        assert_eq!(cols, 2, "{l:?}");
    }
    // CSV: figures only, and the summary says so.
    let (code, _, err) = s.run(&[
        "--annotator",
        "alice",
        "export",
        "--format",
        "csv",
        "--out",
        "o.csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = std::fs::read_to_string(s.path("o.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(rows, 2);
    assert!(err.contains("exported 1 documents, 2 spans"), "{err}");
}
