//! The app and issue 17: two windows on one annotator's files never lose each other's work,
//! and spans moved by a changed article are listed for the analyst to confirm. Driven through
//! egui_kittest, files checked on disk.
#![cfg(feature = "gui")]

use biaozhu::corpus::Document;
use biaozhu::model::span::{AnnotationFile, Origin, Span, Status};
use biaozhu::store::Store;
use biaozhu::ui::BiaozhuApp;
use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

mod kit;
use kit::{ARTICLE, corpus_with, harness};

fn on_disk(ann: &std::path::Path, doc: &Document) -> AnnotationFile {
    Store::new(ann).load("alice", doc).unwrap().unwrap().file
}

#[test]
fn two_windows_never_overwrite_each_other() {
    let (_dir, corpus, ann) = corpus_with(&[("a", ARTICLE)]);
    let doc = Document::from_text("a", ARTICLE);
    let open = || {
        let mut h = harness(BiaozhuApp::new(
            corpus.clone(),
            ann.clone(),
            Some("alice".into()),
        ));
        h.state_mut().session.as_mut().unwrap().autosave_after =
            std::time::Duration::from_secs(3600);
        h.run();
        h
    };
    let (mut one, mut two) = (open(), open());
    // Window one accepts the date and saves.
    one.key_press(Key::Enter);
    one.key_press_modifiers(Modifiers::COMMAND, Key::S);
    one.run();
    let first = on_disk(&ann, &doc);
    assert_eq!(first.spans[0].status, Status::Accepted);
    // Window two, opened before that, rejects the date and saves: refused, shown as a conflict.
    two.key_press(Key::X);
    two.key_press_modifiers(Modifiers::COMMAND, Key::S);
    two.run();
    assert_eq!(
        on_disk(&ann, &doc),
        first,
        "window one's work is still there"
    );
    assert!(
        two.query_by_label_contains("Nothing is saved until you choose")
            .is_some()
    );
    // Keeping window two's version sets window one's aside, then saves.
    two.get_by_label("Keep mine").click();
    two.run();
    two.key_press_modifiers(Modifiers::COMMAND, Key::S);
    two.run();
    assert_eq!(on_disk(&ann, &doc).spans[0].status, Status::Rejected);
    let aside = std::fs::read_dir(ann.join("alice/.conflicts"))
        .unwrap()
        .count();
    assert_eq!(aside, 1);
}

#[test]
fn spans_moved_by_a_changed_article_are_listed_until_confirmed() {
    let old = "标题\n\n白城市投入资金。长春市也投入。\n";
    let (_dir, corpus, ann) = corpus_with(&[("d", old)]);
    let doc = Document::from_text("d", old);
    let mut f = AnnotationFile::new("d", &doc.fingerprint, "alice");
    for (a, b) in [(4, 7), (12, 15)] {
        f.spans
            .push(Span::new(&doc.text, a, b, "LOC", Status::Accepted, Origin::Manual).unwrap());
    }
    Store::new(&ann).overwrite(&f).unwrap();
    let new = "标题\n\n白城县投入资金。今年长春市也投入。\n";
    std::fs::write(corpus.join("d.txt"), new).unwrap();
    let mut h = harness(BiaozhuApp::new(corpus, ann.clone(), Some("alice".into())));
    h.state_mut().session.as_mut().unwrap().autosave_after = std::time::Duration::from_secs(3600);
    h.run();
    assert!(
        h.query_by_label_contains(
            "since this file was written: 1 spans moved, 1 could not be found"
        )
        .is_some()
    );
    h.get_by_label_contains("LOC “长春市” moved 12..15 → 14..17")
        .click();
    h.run();
    let s = h.state().session.as_ref().unwrap();
    assert_eq!(s.selected_span().unwrap().range(), 14..17);
    h.get_by_label_contains("LOC “白城市” at 4..7: not found")
        .click();
    h.run();
    let s = h.state().session.as_ref().unwrap();
    assert!(s.selected_span().unwrap().unanchored);
    h.get_by_label("Confirm").click();
    h.run();
    assert!(
        h.query_by_label_contains("since this file was written")
            .is_none()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let disk = on_disk(&ann, &Document::from_text("d", new));
    assert_eq!(disk.fingerprint, Document::from_text("d", new).fingerprint);
    assert!(disk.spans.iter().any(|s| s.range() == (14..17)));
}
