//! Tests of the store: round trips, corrupt files, atomic saves, re-anchoring, names, and
//! concurrent writers.

use super::*;
use crate::model::span::{Change, ChangeKind, Normalized, Num, Origin, Quantity, Span, Status};

fn sample(doc: &Document) -> AnnotationFile {
    let mut f = AnnotationFile::new(&doc.id, &doc.fingerprint, "alice");
    let mut s = Span::suggestion(
        &doc.text,
        4,
        9,
        "MONEY",
        "money",
        Some(Normalized {
            value: Quantity::Number(Num(530000000.0)),
            value_max: None,
            unit: Some("元".into()),
            approx: false,
        }),
    )
    .unwrap();
    s.status = Status::Accepted;
    s.note = Some("核对过".into());
    s.changes.push(Change::now(ChangeKind::Accepted, "alice"));
    f.spans.push(s);
    let mut d = Span::new(&doc.text, 0, 2, "DATE", Status::Added, Origin::Manual).unwrap();
    d.value = Some(Normalized {
        value: Quantity::Date("2017".into()),
        value_max: Some(Quantity::Date("2018".into())),
        unit: None,
        approx: true,
    });
    f.spans.push(d);
    f.spans.push(
        Span::new(
            &doc.text,
            16,
            20,
            "COUNT",
            Status::Rejected,
            Origin::Learned,
        )
        .unwrap(),
    );
    f
}

#[test]
fn round_trips_every_field_and_writes_one_span_per_line() {
    let doc = Document::from_text("d1", "完成投资5.3亿元,带动贫困人口21万人(次)𠮟");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut f = sample(&doc);
    f.status = crate::model::DocStatus::Done;
    let path = store.save(&f, &Version::default()).unwrap().path;
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("5.3亿元"), "{text}");
    let span_lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with("(start:"))
        .count();
    assert_eq!(span_lines, 3, "{text}");
    let back = store.load("alice", &doc).unwrap().unwrap();
    assert!(back.reanchor.is_none());
    let mut expected = f.clone();
    expected.sort();
    assert_eq!(back.file, expected);
    // Saving again gives the same bytes: files diff cleanly.
    store.save(&back.file, &back.version).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn corrupt_file_is_reported_with_position_and_kept() {
    let doc = Document::from_text("d1", "完成投资5.3亿元");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let path = store.path("alice", "d1");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "(\n  format: 1,\n  doc: \"d1\",\n  spans: [oops\n").unwrap();
    let err = store.load("alice", &doc).unwrap_err();
    match &err {
        StoreError::Parse { line, .. } => assert!(*line >= 2, "{err}"),
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("d1.ron"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(\n  format: 1,\n  doc: \"d1\",\n  spans: [oops\n"
    );
}

#[cfg(unix)]
#[test]
fn failed_save_leaves_old_file_intact() {
    use std::os::unix::fs::PermissionsExt;
    let doc = Document::from_text("d1", "完成投资5.3亿元,带动贫困人口21万人(次)");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let f = sample(&doc);
    let saved = store.save(&f, &Version::default()).unwrap();
    let path = saved.path;
    let before = std::fs::read_to_string(&path).unwrap();
    let folder = path.parent().unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut g = f.clone();
    g.spans.clear();
    let result = store.save(&g, &saved.version);
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root ignores permissions; the check that matters is that the file is whole either way.
    if result.is_err() {
        assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
        assert!(matches!(result, Err(StoreError::Io { .. })));
    }
    let leftovers = std::fs::read_dir(folder)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn failed_save_into_a_file_path_reports_error() {
    let doc = Document::from_text("d1", "完成投资5.3亿元");
    let dir = tempfile::tempdir().unwrap();
    // A file where the annotator's folder should be: the save must fail cleanly.
    std::fs::write(dir.path().join("alice"), "not a folder").unwrap();
    let store = Store::new(dir.path());
    let err = store
        .save(
            &AnnotationFile::new(&doc.id, &doc.fingerprint, "alice"),
            &Version::default(),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("alice")).unwrap(),
        "not a folder"
    );
}

#[test]
fn reanchors_after_insertion_before_and_inside() {
    let old = Document::from_text("d1", "完成投资5.3亿元,带动贫困人口21万人(次)");
    let f = sample(&old);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    store.save(&f, &Version::default()).unwrap();

    // Inserted before: every span moves by the same amount.
    let moved = Document::from_text("d1", "去年,完成投资5.3亿元,带动贫困人口21万人(次)");
    let l = store.load("alice", &moved).unwrap().unwrap();
    let r = l.reanchor.unwrap();
    assert_eq!((r.unchanged, r.moved.len(), r.lost.len()), (0, 3, 0));
    assert_eq!(
        r.moved[0],
        Reanchored {
            label: "DATE".into(),
            text: "完成".into(),
            from: 0..2,
            to: Some(3..5)
        }
    );
    for s in &l.file.spans {
        assert_eq!(moved.slice(s.range()), s.text);
    }
    assert_eq!(l.file.fingerprint, moved.fingerprint);

    // Inserted inside the money span: it is kept and flagged, the others move.
    let inside = Document::from_text("d1", "完成投资5.35亿元,带动贫困人口21万人(次)");
    let l = store.load("alice", &inside).unwrap().unwrap();
    let r = l.reanchor.clone().unwrap();
    assert_eq!((r.unchanged, r.moved.len(), r.lost.len()), (1, 1, 1));
    assert_eq!(r.lost[0].to, None);
    let messages = l.messages();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("d1.ron") && m.contains("MONEY \"5.3亿元\" at 4..9 is gone")),
        "{messages:?}"
    );
    let money = l.file.spans.iter().find(|s| s.label == "MONEY").unwrap();
    assert!(money.unanchored);
    assert_eq!(money.text, "5.3亿元");
    assert!(matches!(
        money.changes.last().unwrap().what,
        ChangeKind::Unanchored
    ));
}

#[test]
fn reanchor_prefers_nearest_occurrence() {
    let old = Document::from_text("d", "白城市,白城市,白城市");
    let mut f = AnnotationFile::new("d", &old.fingerprint, "a");
    f.spans
        .push(Span::new(&old.text, 4, 7, "LOC", Status::Accepted, Origin::Manual).unwrap());
    let new = Document::from_text("d", "白城市,白城,白城市,白城市");
    reanchor(&mut f, &new);
    assert_eq!(f.spans[0].start, 7);
}

#[test]
fn names_are_checked() {
    assert!(check_name("alice").is_ok());
    assert!(check_name("张三").is_ok());
    for bad in [
        "",
        "../x",
        "a/b",
        "a\\b",
        ".hidden",
        "a b",
        "schema.ron",
        "alice.memory.ron",
        "X.RON",
    ] {
        assert!(check_name(bad).is_err(), "{bad}");
    }
    assert!(check_name("gold").is_ok());
    assert!(matches!(
        check_annotator("gold"),
        Err(StoreError::ReservedName(_))
    ));
    assert!(check_annotator("Gold").is_err());
    assert!(check_annotator("goldie").is_ok());
}

/// Writes `spans` (RON span lines) into alice's file for `doc`, with `fingerprint`.
fn write_raw(store: &Store, doc: &Document, fingerprint: &str, spans: &[&str]) -> PathBuf {
    let path = store.path("alice", &doc.id);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let body: String = spans.iter().map(|s| format!("    {s},\n")).collect();
    std::fs::write(
        &path,
        format!(
            "(\n  format: 1,\n  doc: \"{}\",\n  fingerprint: \"{fingerprint}\",\n  annotator: \"alice\",\n  status: InProgress,\n  spans: [\n{body}  ],\n)\n",
            doc.id
        ),
    )
    .unwrap();
    path
}

#[test]
fn reversed_span_is_reported_with_its_line_left_out_and_the_file_kept() {
    let doc = Document::from_text("d1", "白城市投入5.3亿元");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for fingerprint in [doc.fingerprint.as_str(), "sha256:old"] {
        let path = write_raw(
            &store,
            &doc,
            fingerprint,
            &[
                "(start: 0, end: 3, label: \"LOC\", text: \"白城市\", status: Accepted, origin: Manual)",
                "(start: 10, end: 5, label: \"MONEY\", text: \"5.3亿元\", status: Accepted, origin: Manual)",
            ],
        );
        let before = std::fs::read(&path).unwrap();
        let l = store.load("alice", &doc).unwrap().unwrap();
        assert_eq!(l.file.spans.len(), 1, "{fingerprint}");
        assert_eq!(l.file.spans[0].label, "LOC");
        assert_eq!(l.problems.len(), 1);
        let p = &l.problems[0];
        assert_eq!(p.line, Some(9));
        assert!(p.left_out);
        assert!(
            p.to_string()
                .contains("d1.ron:9: span 10..5 is empty or reversed"),
            "{p}"
        );
        assert!(l.version.damaged());
        let err = store.save(&l.file, &l.version).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        let err = store.update("alice", &doc, |_| true).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}

#[test]
fn bad_labels_and_texts_are_left_out_unknown_labels_kept() {
    let doc = Document::from_text("d1", "白城市投入5.3亿元");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    write_raw(
        &store,
        &doc,
        &doc.fingerprint,
        &[
            "(start: 0, end: 3, label: \"two words\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 0, end: 3, label: \"\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 0, end: 3, label: \"O\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 0, end: 3, label: \"TAB\\tX\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 0, end: 3, label: \"GPE\", text: \"白城市\", status: Accepted, origin: Manual)",
            "(start: 3, end: 3, label: \"LOC\", text: \"\", status: Accepted, origin: Manual)",
            "(start: 0, end: 3, label: \"LOC\", text: \"长春市\", status: Accepted, origin: Manual)",
            "(start: 5, end: 99, label: \"MONEY\", text: \"5.3亿元\", status: Accepted, origin: Manual)",
        ],
    );
    let l = store.load("alice", &doc).unwrap().unwrap();
    let labels: Vec<&str> = l.file.spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["GPE"]);
    let text: Vec<String> = l.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        l.problems.iter().filter(|p| p.left_out).count(),
        7,
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("\"GPE\" is not in the schema; kept"))
    );
    assert!(
        text.iter()
            .any(|t| t.contains(":14: span 0..3 says \"长春市\"")),
        "{text:#?}"
    );
}

#[test]
fn a_file_in_carols_folder_is_carols_whatever_it_says() {
    let doc = Document::from_text("d1", "白城市投入5.3亿元");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut f = AnnotationFile::new("d1", &doc.fingerprint, "alice");
    f.spans
        .push(Span::new(&doc.text, 0, 3, "LOC", Status::Accepted, Origin::Manual).unwrap());
    let alice = store.save(&f, &Version::default()).unwrap().path;
    let alice_bytes = std::fs::read(&alice).unwrap();
    // A copy of alice's file in carol's folder.
    std::fs::create_dir_all(dir.path().join("carol")).unwrap();
    std::fs::copy(&alice, store.path("carol", "d1")).unwrap();
    let l = store.load("carol", &doc).unwrap().unwrap();
    assert_eq!(l.file.annotator, "carol");
    assert!(l.problems[0].to_string().contains("says it is \"alice\"'s"));
    assert!(!l.version.damaged());
    let saved = store.save(&l.file, &l.version).unwrap();
    assert_eq!(saved.path, store.path("carol", "d1"));
    assert_eq!(std::fs::read(&alice).unwrap(), alice_bytes);
    let written = std::fs::read_to_string(&saved.path).unwrap();
    assert!(written.contains("annotator: \"carol\""), "{written}");
}

#[test]
fn a_save_over_a_file_changed_since_it_was_read_is_a_conflict() {
    let doc = Document::from_text("d1", "白城市投入5.3亿元");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let f = AnnotationFile::new("d1", &doc.fingerprint, "alice");
    store.save(&f, &Version::default()).unwrap();
    let mine = store.load("alice", &doc).unwrap().unwrap();
    let theirs = store.load("alice", &doc).unwrap().unwrap();
    let mut t = theirs.file.clone();
    t.spans
        .push(Span::new(&doc.text, 0, 3, "LOC", Status::Accepted, Origin::Manual).unwrap());
    let saved = store.save(&t, &theirs.version).unwrap();
    let err = store.save(&mine.file, &mine.version).unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(
        store
            .load("alice", &doc)
            .unwrap()
            .unwrap()
            .file
            .has(0, 3, "LOC")
    );
    // A new file where one appeared meanwhile is a conflict too.
    let g = AnnotationFile::new("d1", &doc.fingerprint, "alice");
    assert!(matches!(
        store.save(&g, &Version::default()),
        Err(StoreError::Conflict { .. })
    ));
    // Saving over what was written last is fine.
    store.save(&t, &saved.version).unwrap();
}

#[test]
fn writers_on_threads_keep_every_span() {
    let doc = Document::from_text("d1", &"白城市投入5.3亿元,".repeat(20));
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (store, doc) = (&store, &doc);
            scope.spawn(move || {
                for k in 0..10 {
                    let at = 11 * (t * 5 + k % 5);
                    let label = if k < 5 { "LOC" } else { "ORG" };
                    store
                        .update("alice", doc, |f| {
                            let s = Span::new(
                                &doc.text,
                                at,
                                at + 3,
                                label,
                                Status::Added,
                                Origin::Manual,
                            )
                            .unwrap();
                            f.spans.push(s);
                            true
                        })
                        .unwrap();
                }
            });
        }
    });
    let l = store.load("alice", &doc).unwrap().unwrap();
    assert_eq!(l.file.spans.len(), 40);
}

#[test]
fn reanchoring_never_lands_on_a_place_of_the_same_label() {
    // Two LOC 白城市; an edit inside the first one: it must not move onto the second, which
    // is already annotated, but onto the free third occurrence or nowhere.
    let old = Document::from_text("d", "白城市和白城市");
    let mut f = AnnotationFile::new("d", &old.fingerprint, "a");
    for at in [0, 4] {
        f.spans.push(
            Span::new(
                &old.text,
                at,
                at + 3,
                "LOC",
                Status::Accepted,
                Origin::Manual,
            )
            .unwrap(),
        );
    }
    let new = Document::from_text("d", "白城县和白城市");
    let r = reanchor(&mut f, &new);
    assert_eq!((r.unchanged, r.moved.len(), r.lost.len()), (1, 0, 1));
    assert!(f.spans.iter().any(|s| s.unanchored && s.start == 0));

    let mut f = AnnotationFile::new("d", &old.fingerprint, "a");
    for at in [0, 4] {
        f.spans.push(
            Span::new(
                &old.text,
                at,
                at + 3,
                "LOC",
                Status::Accepted,
                Origin::Manual,
            )
            .unwrap(),
        );
    }
    let new = Document::from_text("d", "白城县和白城市,又见白城市");
    let r = reanchor(&mut f, &new);
    assert_eq!(r.moved.len(), 1);
    assert_eq!(r.moved[0].to, Some(10..13));
    // Another label may share the place.
    let mut f = AnnotationFile::new("d", &old.fingerprint, "a");
    f.spans
        .push(Span::new(&old.text, 0, 3, "ORG", Status::Accepted, Origin::Manual).unwrap());
    f.spans
        .push(Span::new(&old.text, 4, 7, "LOC", Status::Accepted, Origin::Manual).unwrap());
    let new = Document::from_text("d", "白城县和白城市");
    let r = reanchor(&mut f, &new);
    assert_eq!(r.moved[0].to, Some(4..7));
}
