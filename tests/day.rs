//! The analyst's day in the real app (issue 18): a crash loses nothing, a relative
//! annotations folder is watched, typing in a field never edits spans, a broken file says
//! so and takes the edits made meanwhile once fixed, done asks first and undoes from the next
//! document.
#![cfg(feature = "gui")]

use std::time::Duration;

use biaozhu::model::span::{AnnotationFile, DocStatus, Origin, Span, Status};
use biaozhu::store::Store;
use biaozhu::ui::BiaozhuApp;
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod kit;
use kit::*;

fn spans(h: &Harness<'_, BiaozhuApp>, doc: usize) -> Vec<Span> {
    let s = h.state().session.as_ref().unwrap();
    s.docs[doc].as_ref().unwrap().file.spans.clone()
}

fn never_autosave(h: &mut Harness<'_, BiaozhuApp>) {
    let s = h.state_mut().session.as_mut().unwrap();
    s.autosave_after = Duration::from_secs(3600);
    s.autosave_at_most = Duration::from_secs(3600);
}

#[test]
fn quick_edits_survive_an_app_that_dies_before_saving() {
    let (_dir, corpus, ann) = setup();
    let mut h = harness(BiaozhuApp::new(
        corpus.clone(),
        ann.clone(),
        Some("alice".into()),
    ));
    never_autosave(&mut h);
    h.run();
    for k in [Key::Enter, Key::X, Key::Num4, Key::Enter] {
        h.key_press(k);
        h.run();
    }
    let edited = spans(&h, 0);
    assert!(
        !Store::new(&ann).path("alice", "a").exists(),
        "not saved yet"
    );
    // The process dies: no save, no exit handler runs.
    std::mem::forget(h);
    let mut h = harness(BiaozhuApp::new(corpus, ann.clone(), Some("alice".into())));
    h.run();
    assert_eq!(saved(&ann, "a").spans, edited, "every edit is on disk");
    assert_eq!(spans(&h, 0), edited);
    assert!(
        h.query_by_label_contains("Recovered unsaved edits")
            .is_some()
    );
    assert!(!ann.join("alice.journal").exists(), "folded in and removed");
}

/// `abs` as a path relative to the current folder (`../../tmp/…`).
fn relative(abs: &std::path::Path) -> std::path::PathBuf {
    let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
    let abs = abs.canonicalize().unwrap();
    let mut up = std::path::PathBuf::new();
    for _ in cwd.components().skip(1) {
        up.push("..");
    }
    up.join(abs.strip_prefix("/").unwrap())
}

#[test]
fn a_relative_annotations_folder_is_watched() {
    let (dir, corpus, _) = setup();
    let ann = relative(dir.path()).join("annotations");
    assert!(ann.is_relative());
    let c = biaozhu::corpus::Corpus::open(&corpus).unwrap();
    let b = c.get("b").unwrap();
    let write_b = |status: DocStatus| {
        let mut f = AnnotationFile::new(&b.id, &b.fingerprint, "alice");
        f.spans
            .push(Span::new(&b.text, 0, 3, "LOC", Status::Accepted, Origin::Manual).unwrap());
        f.status = status;
        Store::new(&ann).overwrite(&f).unwrap();
    };
    write_b(DocStatus::InProgress);
    let mut h = harness(BiaozhuApp::new(corpus, ann.clone(), Some("alice".into())));
    h.run();
    h.get_by_label_contains("第二篇").click();
    h.run();
    write_b(DocStatus::Done); // a git pull
    step_until(&mut h, "the reload", |app| {
        let s = app.session.as_ref().unwrap();
        s.docs[1].as_ref().unwrap().file.status == DocStatus::Done
    });
}

#[test]
fn a_path_typed_in_the_export_menu_is_text_not_keys() {
    let (_dir, corpus, ann) = setup();
    let mut h = harness(BiaozhuApp::new(corpus, ann, Some("alice".into())));
    h.run();
    let before = spans(&h, 0);
    let selected = h.state().session.as_ref().unwrap().selected;
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Export to").click();
    h.run();
    // a, x, 1–9, Delete would accept, reject, relabel.
    let typed = "/tmp/ax1/x4a7.jsonl";
    h.get_by_label("Export to").type_text(typed);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().view.export_path, typed);
    assert_eq!(spans(&h, 0), before, "no span changed");
    assert_eq!(h.state().session.as_ref().unwrap().selected, selected);
    assert!(
        h.query_by_label("Export jsonl").is_some(),
        "the menu stayed open"
    );
}

#[test]
fn a_broken_file_is_not_saved_and_takes_the_edits_once_fixed_on_disk() {
    let (_dir, corpus, ann) = setup();
    let store = Store::new(&ann);
    let path = store.path("alice", "a");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "(format: 1, doc: \"a\", spans: [oops").unwrap();
    let mut h = harness(BiaozhuApp::new(
        corpus.clone(),
        ann.clone(),
        Some("alice".into()),
    ));
    h.run();
    h.key_press(Key::Enter); // accept the date
    h.run();
    assert!(h.query_by_label("● not saved — file broken").is_some());
    // Fixed by hand: a valid file with the document done.
    let c = biaozhu::corpus::Corpus::open(&corpus).unwrap();
    let a = c.get("a").unwrap();
    let mut fixed = AnnotationFile::new(&a.id, &a.fingerprint, "alice");
    fixed.status = DocStatus::Done;
    store.overwrite(&fixed).unwrap();
    step_until(&mut h, "the fixed file", |app| {
        let s = app.session.as_ref().unwrap();
        s.docs[0].as_ref().unwrap().load_error.is_none()
    });
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let f = saved(&ann, "a");
    assert_eq!(f.status, DocStatus::Done, "the fixed file's status");
    assert!(
        f.spans
            .iter()
            .any(|s| s.text == "2018-04-09" && s.status == Status::Accepted),
        "the accept made while it was broken: {:?}",
        f.spans
    );
    assert!(h.query_by_label("✔ saved").is_some());
}

#[test]
fn done_with_pending_suggestions_asks_and_undo_comes_back_from_the_next_document() {
    let (_dir, corpus, ann) = setup();
    let mut h = harness(BiaozhuApp::new(corpus, ann.clone(), Some("alice".into())));
    h.run();
    h.key_press(Key::Enter); // accept the date; three figures still pending
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().current, 0, "asks first");
    let before = spans(&h, 0);
    h.key_press(Key::Enter); // no key reaches the article while the question waits
    h.run();
    assert_eq!(spans(&h, 0), before);
    h.get_by_label("Leave them pending and mark done").click();
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().current, 1);
    assert_eq!(saved(&ann, "a").status, DocStatus::Done);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let s = h.state().session.as_ref().unwrap();
    assert_eq!(s.current, 0, "undo went back to the document");
    assert_eq!(s.doc().unwrap().file.status, DocStatus::InProgress);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(saved(&ann, "a").status, DocStatus::InProgress);
    // Accept all: every suggestion accepted with the mark.
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    h.get_by_label_contains("Accept all 3 and mark done")
        .click();
    h.run();
    let f = saved(&ann, "a");
    assert_eq!(f.status, DocStatus::Done);
    assert!(f.spans.iter().all(|s| s.status == Status::Accepted));
    assert!(
        f.spans.iter().all(|s| s.suggested.is_some()),
        "accepted as suggested, provenance kept"
    );
}

#[test]
fn the_last_document_reopens_and_the_annotator_can_be_switched() {
    let (dir, corpus, ann) = setup();
    let prefs = dir.path().join("prefs.ron");
    let app = || BiaozhuApp::with_prefs(corpus.clone(), ann.clone(), None, prefs.clone());
    let mut h = harness(BiaozhuApp::with_prefs(
        corpus.clone(),
        ann.clone(),
        Some("alice".into()),
        prefs.clone(),
    ));
    h.run();
    h.get_by_label_contains("第二篇").click();
    h.run();
    drop(h);
    let mut h = harness(app());
    h.run();
    let s = h.state().session.as_ref().unwrap();
    assert_eq!((s.annotator.as_str(), s.current), ("alice", 1), "as left");
    h.key_press(Key::Enter); // alice's first edit gives her a folder
    h.run();
    // Switch to bob from the annotator menu (typing his name sends no key to the article).
    h.get_by_label("annotator: alice").click();
    h.run();
    h.get_by_label("Another name").click();
    h.run();
    h.get_by_label("Another name").type_text("bob");
    h.run();
    h.get_by_label("Switch").click();
    h.run();
    assert_eq!(h.state().session.as_ref().unwrap().annotator, "bob");
    let remembered = biaozhu::prefs::Prefs::load(&prefs);
    assert_eq!(remembered.annotator.as_deref(), Some("bob"));
    // And back to alice, now listed.
    h.get_by_label("annotator: bob").click();
    h.run();
    h.get_by_label("Work as alice").click();
    h.run();
    let s = h.state().session.as_ref().unwrap();
    assert_eq!((s.annotator.as_str(), s.current), ("alice", 1));
}

#[test]
fn review_writes_no_gold_file_for_a_visit_and_ctrl_d_says_what_it_did() {
    let (_dir, corpus, ann) = corpus_with(&[("b", "第二篇\n\n新增投资200万元。\n")]);
    let c = biaozhu::corpus::Corpus::open(&corpus).unwrap();
    let b = c.get("b").unwrap();
    for (who, label) in [("alice", "LOC"), ("bob", "ORG")] {
        let mut f = AnnotationFile::new(&b.id, &b.fingerprint, who);
        f.spans
            .push(Span::new(&b.text, 0, 3, label, Status::Accepted, Origin::Manual).unwrap());
        Store::new(&ann).overwrite(&f).unwrap();
    }
    let mut h = harness(BiaozhuApp::new(corpus, ann.clone(), Some("rev".into())));
    h.run();
    h.state_mut()
        .start_review(vec!["alice".into(), "bob".into()]);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let gold = Store::new(&ann).path("gold", "b");
    assert!(
        !gold.exists(),
        "nothing agreed, nothing taken: no gold file"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert!(
        h.query_by_label_contains("the gold file is marked done")
            .is_some()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let f = biaozhu::store::from_ron(&gold, &std::fs::read_to_string(&gold).unwrap()).unwrap();
    assert_eq!(f.status, DocStatus::Done);
}

#[test]
fn the_statistics_name_every_bar_in_a_table() {
    let (_dir, corpus, ann) = setup();
    let mut h = harness(BiaozhuApp::new(corpus, ann, Some("alice".into())));
    h.run();
    h.get_by_label("Accept all MONEY").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.get_by_label("Statistics").click();
    step_until(&mut h, "the statistics", |app| app.view.stats.is_some());
    h.run();
    let st = h.state().view.stats.clone().unwrap();
    let money = st.annotators[0].labels.get("MONEY").copied().unwrap_or(0);
    assert!(money > 0);
    // The table under the chart: a label column and one per annotator, with the counts.
    assert!(h.query_by_label("label").is_some());
    assert!(h.query_all_by_label(&money.to_string()).next().is_some());
}
