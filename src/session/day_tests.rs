//! The analyst's day (issue 18) in the session: nothing lost when the app dies, autosave that
//! steady work cannot postpone, a broken file fixed on disk, done with suggestions pending.

use std::time::Duration;

use super::tests::{ARTICLE, corpus, file, session};
use crate::model::span::{DocStatus, Status};

#[test]
fn edits_of_a_session_dropped_without_saving_are_recovered_at_the_next_start() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE), ("b", "第二篇\n\n新增投资200万元。\n")]);
    let mut s = session(&c, &ann, "alice");
    s.autosave_after = Duration::from_secs(3600);
    s.autosave_at_most = Duration::from_secs(3600);
    s.accept();
    s.reject();
    s.relabel("MEASURE");
    s.open_doc(1);
    s.accept();
    let expected = (0..2)
        .map(|i| s.docs[i].as_ref().unwrap().file.clone())
        .collect::<Vec<_>>();
    assert!(s.autosave().is_some(), "still to be saved");
    assert!(
        !ann.join("alice").join("a.ron").exists(),
        "nothing saved yet"
    );
    // The app dies: no save, no exit handler.
    std::mem::forget(s);
    let s = session(&c, &ann, "alice");
    for (i, want) in expected.iter().enumerate() {
        let on_disk = s.store.load("alice", &c_doc(&s, i)).unwrap().unwrap().file;
        assert_eq!(&on_disk, want, "document {i} as it was left");
    }
    assert!(!super::journal::Journal::path(&ann, "alice").exists());
    assert_eq!(
        file(&s)
            .spans
            .iter()
            .filter(|x| x.status != Status::Suggested)
            .count(),
        3
    );
}

fn c_doc(s: &super::Session, i: usize) -> crate::corpus::Document {
    (*s.corpus.doc(i).unwrap()).clone()
}

#[test]
fn steady_editing_is_saved_at_most_the_limit_after_the_first_edit() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE)]);
    let mut s = session(&c, &ann, "alice");
    // A pause long enough never comes; only the limit after the first edit can save.
    s.autosave_after = Duration::from_secs(3600);
    s.autosave_at_most = Duration::from_millis(200);
    let path = s.store.path("alice", "a");
    s.accept();
    assert!(
        s.autosave()
            .is_some_and(|d| d <= Duration::from_millis(200))
    );
    std::thread::sleep(Duration::from_millis(250));
    s.accept(); // the edit just now does not postpone the save
    assert_eq!(s.autosave(), None, "nothing left to save");
    let on_disk = s.store.load("alice", &c_doc(&s, 0)).unwrap().unwrap().file;
    assert_eq!(on_disk, file(&s));
    assert!(path.exists());
    assert_eq!(on_disk.status, DocStatus::InProgress);
}

#[test]
fn a_broken_file_says_so_and_edits_made_meanwhile_land_in_the_fixed_file() {
    use super::disk::SaveState;
    let (_dir, c, ann) = corpus(&[("a", ARTICLE)]);
    let path = crate::store::Store::new(&ann).path("alice", "a");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "(format: 1, doc: \"a\", spans: [oops").unwrap();
    let mut s = session(&c, &ann, "alice");
    assert_eq!(s.save_state(), SaveState::Broken);
    s.accept(); // the date
    s.save_all();
    assert_eq!(s.save_state(), SaveState::Broken, "still nothing saved");
    assert!(std::fs::read_to_string(&path).unwrap().ends_with("oops"));
    // Someone fixes the file by hand: a valid file with one accepted figure and no date.
    let doc = &(*s.corpus.doc(0).unwrap()).clone();
    let mut fixed = crate::model::AnnotationFile::new(&doc.id, &doc.fingerprint, "alice");
    fixed.spans.push(
        crate::model::Span::new(
            &doc.text,
            28,
            33,
            "MONEY",
            Status::Accepted,
            crate::model::span::Origin::Manual,
        )
        .unwrap(),
    );
    fixed.status = DocStatus::InProgress;
    crate::store::Store::new(&ann).overwrite(&fixed).unwrap();
    assert!(s.file_changed(&path));
    s.save_all();
    assert_eq!(s.save_state(), SaveState::Saved);
    let on_disk = s.store.load("alice", doc).unwrap().unwrap().file;
    let texts: Vec<(&str, Status)> = on_disk
        .spans
        .iter()
        .map(|x| (x.text.as_str(), x.status))
        .collect();
    assert!(
        texts.contains(&("2018-04-09", Status::Accepted)),
        "the edit made meanwhile: {texts:?}"
    );
    assert!(
        texts.contains(&(doc.slice(28..33), Status::Accepted)),
        "the fixed file's span: {texts:?}"
    );
    // Undo takes the edits made meanwhile off the fixed file.
    s.undo();
    assert_eq!(file(&s), fixed);
}

#[test]
fn done_with_pending_suggestions_asks_and_undo_in_the_next_document_takes_it_back() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE), ("b", "第二篇\n\n新增投资200万元。\n")]);
    let mut s = session(&c, &ann, "alice");
    s.accept();
    let pending = s.pending_suggestions();
    assert!(pending > 0);
    s.mark_done_and_next();
    assert_eq!(
        (s.confirm_done, s.current),
        (Some(pending), 0),
        "asks, nothing done yet"
    );
    s.finish(None); // cancel
    assert_eq!(
        (s.confirm_done, file(&s).status),
        (None, DocStatus::InProgress)
    );
    s.mark_done_and_next();
    s.finish(Some(true)); // accept them all and mark done
    assert_eq!(s.current, 1);
    let a = s.store.load("alice", &c_doc(&s, 0)).unwrap().unwrap().file;
    assert_eq!(a.status, DocStatus::Done);
    assert!(
        a.spans.iter().all(|x| x.status == Status::Accepted),
        "{:?}",
        a.spans
    );
    // Undo from the next document: back in the first, suggestions pending again, not done.
    assert!(s.can_undo());
    s.undo();
    assert_eq!(s.current, 0);
    assert_eq!(file(&s).status, DocStatus::InProgress);
    assert_eq!(s.pending_suggestions(), pending);
    s.save_all();
    let a = s.store.load("alice", &c_doc(&s, 0)).unwrap().unwrap().file;
    assert_eq!(a.status, DocStatus::InProgress, "saved back");
    // Leaving them pending marks done without touching them.
    s.mark_done_and_next();
    s.finish(Some(false));
    let a = s.store.load("alice", &c_doc(&s, 0)).unwrap().unwrap().file;
    assert_eq!(a.status, DocStatus::Done);
    assert_eq!(
        a.spans
            .iter()
            .filter(|x| x.status == Status::Suggested)
            .count(),
        pending
    );
}

#[test]
fn tab_after_a_search_scrolls_to_the_selection_not_the_hit() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE)]);
    let mut s = session(&c, &ann, "alice");
    s.find_next("增长");
    assert!(s.search_hit.is_some());
    s.scroll_to_selection = false;
    s.select_next(true);
    assert_eq!((s.search_hit.clone(), s.scroll_to_selection), (None, true));
}

#[test]
fn edits_to_a_broken_file_survive_a_crash_and_a_session_that_saves_other_work() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE), ("b", "第二篇\n\n新增投资200万元。\n")]);
    let path = crate::store::Store::new(&ann).path("alice", "a");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "(oops").unwrap();
    let mut s = session(&c, &ann, "alice");
    s.accept(); // the date, in the broken document
    let edited = file(&s);
    std::mem::forget(s); // the app dies
    // The next session: the file is still broken; work elsewhere is saved.
    let mut s = session(&c, &ann, "alice");
    assert_eq!(file(&s).spans, edited.spans, "the edit is back in memory");
    s.open_doc(1);
    s.accept();
    s.save_all();
    assert!(
        super::journal::Journal::path(&ann, "alice").exists(),
        "still waiting"
    );
    // Fixed on disk (done); the next start applies the edit to it.
    drop(s);
    let d = c_doc_of(&c, 0);
    let mut fixed = crate::model::AnnotationFile::new(&d.id, &d.fingerprint, "alice");
    fixed.status = DocStatus::Done;
    crate::store::Store::new(&ann).overwrite(&fixed).unwrap();
    let s = session(&c, &ann, "alice");
    let now = s.store.load("alice", &d).unwrap().unwrap().file;
    assert_eq!(now.status, DocStatus::Done);
    assert!(
        now.spans
            .iter()
            .any(|x| x.text == "2018-04-09" && x.status == Status::Accepted)
    );
    assert!(!super::journal::Journal::path(&ann, "alice").exists());
}

fn c_doc_of(dir: &std::path::Path, i: usize) -> crate::corpus::Document {
    let c = crate::corpus::Corpus::open(dir).unwrap();
    (*c.doc(i).unwrap()).clone()
}

#[test]
fn a_group_decision_reports_the_occurrences_it_left_alone() {
    use crate::consistency::{Decision, Kind, State};
    let (_dir, c, ann) = corpus(&[
        ("a", "一号文\n\n小红花很大。\n"),
        ("b", "二号文\n\n小红花有雪。\n"),
    ]);
    let mut s = session(&c, &ann, "alice");
    s.add_span(5..8, "LOC"); // 小红花 in a
    s.open_doc(1);
    s.add_span(0..3, "ORG"); // b is worked on too
    s.consistency = Some(s.consistency_check()());
    let groups = s.consistency.clone().unwrap();
    let g = groups
        .iter()
        .position(|g| g.kind == Kind::Unlabelled && g.text == "小红花")
        .unwrap_or_else(|| panic!("{groups:#?}"));
    assert!(
        groups[g]
            .occurrences
            .iter()
            .any(|o| o.doc == "b" && o.state == State::Suggested),
        "learned from a, suggested in b"
    );
    // Before the decision, b's suggestion is rejected.
    s.select_at(6, |_| true);
    s.reject();
    s.take_notices();
    s.apply_group(g, &Decision::Label("LOC".into()));
    let notices = s.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.text.contains("1 occurrences left alone") && n.text.contains("b 5..8")),
        "{notices:?}"
    );
    let b = &s.docs[1].as_ref().unwrap().file;
    let at = |x: &crate::model::Span| x.start == 5 && x.end == 8;
    assert_eq!(
        b.spans
            .iter()
            .filter(|x| at(x))
            .map(|x| x.status)
            .collect::<Vec<_>>(),
        [Status::Rejected],
        "the rejection stands, nothing added over it"
    );
}

#[test]
fn gold_edits_are_journaled_too() {
    let (_dir, c, ann) = corpus(&[("b", "第二篇\n\n新增投资200万元。\n")]);
    let corpus = crate::corpus::Corpus::open(&c).unwrap();
    let b = corpus.doc(0).unwrap();
    let store = crate::store::Store::new(&ann);
    for (who, label) in [("alice", "LOC"), ("bob", "ORG")] {
        let mut f = crate::model::AnnotationFile::new(&b.id, &b.fingerprint, who);
        f.spans.push(
            crate::model::Span::new(
                &b.text,
                0,
                3,
                label,
                Status::Accepted,
                crate::model::span::Origin::Manual,
            )
            .unwrap(),
        );
        store.overwrite(&f).unwrap();
    }
    let mut s = session(&c, &ann, "rev");
    s.autosave_after = Duration::from_secs(3600);
    s.autosave_at_most = Duration::from_secs(3600);
    s.start_review(vec!["alice".into(), "bob".into()]);
    let r = s.review.as_mut().unwrap();
    r.next(true);
    r.take(Some(1)); // bob's ORG
    s.autosave();
    let gold = store.path("gold", "b");
    assert!(!gold.exists(), "not saved yet");
    std::mem::forget(s);
    let s = session(&c, &ann, "rev");
    let f = store.load("gold", &b).unwrap().expect("recovered").file;
    assert_eq!(
        f.spans.iter().map(|x| x.label.as_str()).collect::<Vec<_>>(),
        ["ORG"]
    );
    assert!(!super::journal::Journal::path(&ann, "rev").exists());
    drop(s);
}
