//! The session driven as the window drives it, without egui: accept, reject, relabel, resize,
//! add, undo and redo on an annotator's file (selection and learned memory included), group
//! decisions across documents, taking versions into a gold file, files changed on disk; and
//! a property: any sequence of edits followed by as many undos restores the files.

use std::path::PathBuf;

use super::*;
use crate::consistency::{Decision, Kind};
use crate::corpus::Corpus;
use crate::model::span::{DocStatus, Origin, Status};
use crate::model::{AnnotationFile, Span};
use crate::store::Store;

/// Figures only (no entity is suggested here): a date, 5.3亿元, 21万人, 4.9%.
pub(super) const ARTICLE: &str =
    "扶贫标题\n\n2018-04-09 来源:本报\n\n完成投资5.3亿元,带动贫困人口21万人,增长4.9%。\n";

/// A temporary corpus of these (id, text) articles; (folder, corpus, annotations).
pub(super) fn corpus(articles: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (id, text) in articles {
        std::fs::write(corpus.join(format!("{id}.txt")), text).unwrap();
    }
    let ann = dir.path().join("annotations");
    (dir, corpus, ann)
}

/// A session (with entity suggestions on, as in the app once the segmenter is loaded, so
/// that every test sees the same suggestions).
pub(super) fn session(corpus: &std::path::Path, ann: &std::path::Path, who: &str) -> Session {
    crate::suggest::entities::recognizer();
    Session::open(corpus.to_path_buf(), ann.to_path_buf(), who.into()).unwrap()
}

pub(super) fn file(s: &Session) -> AnnotationFile {
    s.doc().unwrap().file.clone()
}

fn selected(s: &Session) -> Option<String> {
    s.selected_span().map(|x| x.text.clone())
}

fn span<'a>(s: &'a Session, text: &str) -> &'a Span {
    let d = s.doc().unwrap();
    d.spans().iter().find(|x| x.text == text).unwrap()
}

/// Saves `who`'s file for document `k` with these accepted spans (start, end, label).
fn save_file(c: &Corpus, store: &Store, who: &str, k: usize, spans: &[(usize, usize, &str)]) {
    let d = c.doc(k).unwrap();
    let mut f = AnnotationFile::new(&d.id, &d.fingerprint, who);
    for &(start, end, label) in spans {
        f.spans
            .push(Span::new(&d.text, start, end, label, Status::Accepted, Origin::Manual).unwrap());
    }
    f.sort();
    f.status = DocStatus::InProgress;
    store.overwrite(&f).unwrap();
}

/// The label of the first span of `who`'s file for document `k` on disk.
fn label_on_disk(c: &Corpus, store: &Store, who: &str, k: usize) -> String {
    let f = store.load(who, &c.doc(k).unwrap()).unwrap().unwrap().file;
    f.spans[0].label.clone()
}

#[test]
fn accept_reject_relabel_resize_and_undo_with_the_selection() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE)]);
    let mut s = session(&c, &ann, "alice");
    let start = file(&s);
    assert_eq!(selected(&s).as_deref(), Some("2018-04-09"));
    s.accept();
    assert_eq!(span(&s, "2018-04-09").status, Status::Accepted);
    assert_eq!(
        file(&s).status,
        DocStatus::InProgress,
        "started by the edit"
    );
    assert_eq!(selected(&s).as_deref(), Some("5.3亿元"), "moved on");
    s.undo();
    assert_eq!(file(&s), start, "one undo restores the file");
    assert_eq!(
        selected(&s).as_deref(),
        Some("2018-04-09"),
        "and the selection"
    );
    s.redo();
    assert_eq!(selected(&s).as_deref(), Some("5.3亿元"));
    s.reject();
    assert_eq!(span(&s, "5.3亿元").status, Status::Rejected);
    assert_eq!(selected(&s).as_deref(), Some("21万人"));
    s.relabel("MEASURE");
    let m = span(&s, "21万人");
    assert_eq!((m.label.as_str(), m.status), ("MEASURE", Status::Accepted));
    assert_eq!(
        m.suggested.as_ref().map(|x| x.label.as_str()),
        Some("COUNT")
    );
    assert_eq!(m.provenance(), "edited");
    s.resize(0, -1);
    assert_eq!(
        selected(&s).as_deref(),
        Some("21万"),
        "the selection follows"
    );
    s.set_value("210000", "人", true);
    s.set_note("约数");
    let n = span(&s, "21万");
    assert_eq!(n.note.as_deref(), Some("约数"));
    assert!(n.value.as_ref().is_some_and(|v| v.approx));
    for _ in 0..4 {
        s.undo();
    }
    assert_eq!(selected(&s).as_deref(), Some("21万人"));
    assert_eq!(span(&s, "21万人").label, "COUNT");
    s.undo();
    s.undo();
    assert_eq!(file(&s), start);
    // Nothing was written: the file was never saved with edits.
    s.save_all();
    assert!(s.save_error.is_none());
}

#[test]
fn a_new_span_teaches_the_suggester_and_undo_takes_it_back() {
    let text = "第一篇\n\n蓝莓坊带动农户。蓝莓坊很好。\n";
    let (_dir, c, ann) = corpus(&[("a", text), ("b", "第二篇\n\n村里的蓝莓坊。\n")]);
    let mut s = session(&c, &ann, "alice");
    let memory = s.memory.clone();
    s.add_span(5..8, "ORG");
    assert_eq!(selected(&s).as_deref(), Some("蓝莓坊"));
    let learned = |s: &Session| {
        s.doc()
            .unwrap()
            .spans()
            .iter()
            .filter(|x| x.origin == Origin::Learned)
            .count()
    };
    assert_eq!(learned(&s), 1, "the second occurrence is suggested at once");
    assert_eq!(
        s.memory.accepted.get("蓝莓坊").map(String::as_str),
        Some("ORG")
    );
    s.undo();
    assert_eq!(s.memory, memory, "undo unlearns");
    assert_eq!(learned(&s), 0);
    assert!(s.doc().unwrap().spans().iter().all(|x| x.text != "蓝莓坊"));
    s.redo();
    assert_eq!(learned(&s), 1);
    assert!(s.memory.accepted.contains_key("蓝莓坊"));
    // The other document gets it as a suggestion; rejecting it there is remembered.
    s.open_doc(1);
    let i = s
        .doc()
        .unwrap()
        .spans()
        .iter()
        .position(|x| x.text == "蓝莓坊")
        .unwrap();
    s.selected = Some(i);
    s.reject();
    assert!(s.memory.is_rejected("蓝莓坊", "ORG"));
    s.undo();
    assert!(!s.memory.is_rejected("蓝莓坊", "ORG"));
    assert!(s.memory.accepted.contains_key("蓝莓坊"));
    s.save_all();
    let saved = crate::suggest::memory::Memory::load(&ann, "alice").unwrap();
    assert_eq!(saved, s.memory);
}

#[test]
fn a_group_decision_is_one_step_in_every_document() {
    let (_dir, c, ann) = corpus(&[
        ("a", "一号文\n\n白城市很大。\n"),
        ("b", "二号文\n\n白城市有雪。\n"),
        ("c", "三号文\n\n白城市很美。\n"),
    ]);
    let corpus = Corpus::open(&c).unwrap();
    let store = Store::new(&ann);
    for (k, label) in [(0, "LOC"), (1, "ORG"), (2, "ORG")] {
        save_file(&corpus, &store, "alice", k, &[(5, 8, label)]);
    }
    let mut s = session(&c, &ann, "alice");
    s.consistency = Some(s.consistency_check()());
    let groups = s.consistency.clone().unwrap();
    assert_eq!(
        (groups[0].kind, groups[0].text.as_str()),
        (Kind::DifferentLabels, "白城市")
    );
    assert!(s.apply_group(0, &Decision::Label("LOC".into())));
    s.save_all();
    for id in ["a", "b", "c"] {
        let f = store
            .load("alice", &corpus.get(id).unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(f.file.spans[0].label, "LOC", "{id}");
    }
    assert!(s.consistency_check()().is_empty());
    s.undo_group();
    assert_eq!(s.docs[1].as_ref().unwrap().file.spans[0].label, "ORG");
    assert_eq!(s.docs[2].as_ref().unwrap().file.spans[0].label, "ORG");
    // A document edited after the decision keeps that edit, and says so.
    s.consistency = Some(s.consistency_check()());
    s.apply_group(0, &Decision::Reject);
    s.jump_to(2, 5..8);
    assert_eq!(s.current, 2);
    s.relabel("PER");
    s.undo_group();
    assert_eq!(s.docs[2].as_ref().unwrap().file.spans[0].label, "PER");
    assert_eq!(
        s.docs[1].as_ref().unwrap().file.spans[0].status,
        Status::Accepted
    );
    let notices = s.take_notices();
    assert!(
        notices.iter().any(|n| n.text.contains("not undone in c")),
        "{notices:?}"
    );
}

#[test]
fn group_edits_relabel_reject_set_values_and_label_unlabelled_text() {
    let corpus = Corpus::from_documents(vec![crate::corpus::Document::from_text(
        "a",
        "标题\n\n白城市投资5.3亿元。白城市好。\n",
    )]);
    let d = corpus.doc(0).unwrap();
    let schema = crate::schema::Schema::default();
    let cx = Context {
        text: &d.text,
        schema: &schema,
        who: "rev",
    };
    let mut f = AnnotationFile::new("a", &d.fingerprint, "alice");
    f.spans
        .push(Span::new(&d.text, 4, 7, "ORG", Status::Rejected, Origin::Manual).unwrap());
    f.spans
        .push(Span::suggestion(&d.text, 13, 16, "LOC", "gazetteer", None).unwrap());
    let at = |start, end, state, label: Option<&str>| crate::consistency::Occurrence {
        doc: "a".into(),
        doc_index: 0,
        start,
        end,
        state,
        label: label.map(str::to_owned),
        value: None,
        sentence: String::new(),
    };
    use crate::consistency::State;
    // Labelled LOC everywhere: the rejected ORG becomes an accepted LOC, the pending
    // suggestion is accepted (its origin kept).
    let occurrences = vec![
        at(4, 7, State::Rejected, Some("ORG")),
        at(13, 16, State::Suggested, Some("LOC")),
    ];
    let edit = Edit::ApplyGroup(occurrences, Decision::Label("LOC".into()));
    let planned = edit.plan(&f, &cx).unwrap();
    let mut g = f.clone();
    let inverse = planned.action.apply(&mut g);
    let labels: Vec<(usize, &str, Status)> = g
        .spans
        .iter()
        .map(|s| (s.start, s.label.as_str(), s.status))
        .collect();
    assert_eq!(
        labels,
        [(4, "LOC", Status::Accepted), (13, "LOC", Status::Accepted)]
    );
    assert_eq!(g.spans[1].origin, f.spans[1].origin);
    inverse.apply(&mut g);
    assert_eq!(g, f);
}

#[test]
fn review_takes_versions_into_gold_and_undo_restores_the_selected_disagreement() {
    // 白城市 4..7, 通榆县 7..10, 5.3亿元 12..17, 陆家村 18..21.
    let (_dir, c, ann) = corpus(&[("a", "标题\n\n白城市通榆县投资5.3亿元，陆家村\n")]);
    let corpus = Corpus::open(&c).unwrap();
    let store = Store::new(&ann);
    let alice = [
        (4, 7, "LOC"),
        (7, 10, "LOC"),
        (12, 17, "MONEY"),
        (18, 21, "LOC"),
    ];
    save_file(&corpus, &store, "alice", 0, &alice);
    save_file(
        &corpus,
        &store,
        "bob",
        0,
        &[(4, 7, "ORG"), (7, 9, "LOC"), (12, 17, "MONEY")],
    );
    let mut s = session(&c, &ann, "rita");
    s.start_review(vec!["alice".into(), "bob".into()]);
    let gold = |s: &Session| s.review.as_ref().unwrap().doc().unwrap().gold.file.clone();
    let start = gold(&s);
    assert_eq!(start.spans.len(), 1, "the agreed figure is in gold");
    let r = s.review.as_mut().unwrap();
    assert_eq!(r.doc().unwrap().progress(), (0, 3));
    assert_eq!(r.current_item().map(|i| i.range.clone()), Some(4..7));
    r.take(Some(1)); // bob's ORG
    assert_eq!(r.item, Some(1), "on to the next disagreement");
    r.undo();
    assert_eq!(r.item, Some(0), "undo selects the disagreement again");
    assert_eq!(gold(&s), start);
    let r = s.review.as_mut().unwrap();
    r.redo();
    r.take(Some(0)); // 通榆县: alice's
    r.take(None); // 陆家村: dropped
    assert_eq!(r.doc().unwrap().progress(), (3, 3));
    r.item = Some(0);
    r.relabel_item("LOC");
    r.mark_done();
    let g = gold(&s);
    let got: Vec<(usize, usize, &str)> = g
        .spans
        .iter()
        .map(|x| (x.start, x.end, x.label.as_str()))
        .collect();
    assert_eq!(got, [(4, 7, "LOC"), (7, 10, "LOC"), (12, 17, "MONEY")]);
    assert_eq!(g.status, DocStatus::Done);
    assert_eq!(g.review.as_ref().unwrap().resolved.len(), 3);
    s.save_all();
    let on_disk = store
        .load(crate::review::GOLD, &corpus.doc(0).unwrap())
        .unwrap()
        .unwrap()
        .file;
    assert_eq!(on_disk, g);
    assert!(s.stop_review());
}

#[test]
fn files_changed_on_disk_are_reloaded_or_kept_as_a_conflict() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE), ("b", "第二篇\n\n新增投资200万元。\n")]);
    let corpus = Corpus::open(&c).unwrap();
    let store = Store::new(&ann);
    save_file(&corpus, &store, "alice", 1, &[(0, 3, "LOC")]);
    let mut s = session(&c, &ann, "alice");
    s.open_doc(1);
    let path = store.path("alice", "b");
    // Someone else's change with nothing unsaved here: reloaded.
    save_file(&corpus, &store, "alice", 1, &[(0, 3, "ORG")]);
    assert!(s.file_changed(&path));
    assert_eq!(file(&s).spans[0].label, "ORG");
    // The session's own write is not a change.
    s.selected = Some(0);
    s.relabel("PER");
    s.save_all();
    assert!(!s.file_changed(&path));
    // An unsaved edit, then a change on disk: a conflict; nothing is written over it.
    s.relabel("LOC");
    save_file(&corpus, &store, "alice", 1, &[(0, 3, "ORG")]);
    s.file_changed(&path);
    assert!(s.doc().unwrap().conflict.is_some());
    s.save_all();
    assert_eq!(label_on_disk(&corpus, &store, "alice", 1), "ORG");
    s.resolve_conflict(false);
    assert_eq!(file(&s).spans[0].label, "ORG");
    s.undo();
    assert_eq!(file(&s).spans[0].label, "LOC", "undo brings the edit back");
    // Keep mine: saved over the disk version, which is set aside.
    save_file(&corpus, &store, "alice", 1, &[(0, 3, "DATE")]);
    s.file_changed(&path);
    s.resolve_conflict(true);
    s.save_all();
    assert_eq!(label_on_disk(&corpus, &store, "alice", 1), "LOC");
    let aside = std::fs::read_dir(ann.join("alice").join(".conflicts"))
        .unwrap()
        .count();
    assert_eq!(aside, 1);
}

#[test]
fn entities_of_documents_opened_before_the_segmenter_come_on_a_thread() {
    let text =
        "扶贫标题\n\n2018-04-09 来源:本报\n\n国务院扶贫办主任刘永富在北京表示,完成投资5.3亿元。\n";
    let (_dir, corpus, ann) = corpus(&[("a", text)]);
    let mut s = session(&corpus, &ann, "ann");
    let is_entity = |x: &Span| matches!(x.label.as_str(), "PER" | "LOC" | "ORG" | "POLICY");
    // As when the document was suggested before the segmenter had loaded: figures only.
    let d = s.docs[0].as_mut().unwrap();
    let entities = d.file.spans.iter().filter(|x| is_entity(x)).count();
    assert!(entities > 0, "the model finds entities here");
    d.file.spans.retain(|x| !is_entity(x));
    s.awaiting_entities.insert(0);
    let mut arrived = false;
    for _ in 0..1000 {
        arrived |= s.add_entities();
        if !s.entities_coming() && s.awaiting_entities.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(arrived);
    let spans = &s.docs[0].as_ref().unwrap().file.spans;
    assert_eq!(spans.iter().filter(|x| is_entity(x)).count(), entities);
    assert!(spans.iter().any(|x| x.text == "5.3亿元"), "figures stay");
    assert!(!s.add_entities(), "nothing more to come");
}

#[test]
fn a_broken_schema_or_memory_is_reported_and_work_goes_on() {
    let (_dir, c, ann) = corpus(&[("a", ARTICLE)]);
    std::fs::create_dir_all(&ann).unwrap();
    std::fs::write(ann.join(crate::schema::SCHEMA_FILE), "(labels: [oops").unwrap();
    std::fs::write(ann.join("alice.memory.ron"), "(accepted: {\"x\" \"y\"})").unwrap();
    let mut s = session(&c, &ann, "alice");
    let notices = s.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.level == Level::Error && n.text.contains("schema.ron")),
        "{notices:?}"
    );
    assert!(notices.iter().any(|n| n.text.contains("alice.memory.ron")));
    assert_eq!(s.schema, crate::schema::Schema::default());
    assert!(s.memory_error.is_some());
    s.accept();
    s.save_all();
    assert_eq!(
        std::fs::read_to_string(ann.join("alice.memory.ron")).unwrap(),
        "(accepted: {\"x\" \"y\"})",
        "never overwritten"
    );
}

mod property {
    use proptest::prelude::*;

    use super::*;

    const LABELS: [&str; 4] = ["MONEY", "COUNT", "ORG", "LOC"];

    /// An edit of the open document, by index (wrapped to the spans there are).
    fn arb_edit() -> impl Strategy<Value = Edit> {
        let label = (0..LABELS.len()).prop_map(|i| LABELS[i].to_owned());
        prop_oneof![
            (0..8usize).prop_map(Edit::Accept),
            (0..8usize).prop_map(Edit::Reject),
            (0..8usize, label.clone()).prop_map(|(i, l)| Edit::Relabel(i, l)),
            (0..8usize, 0..40usize, 1..6usize).prop_map(|(i, s, n)| Edit::Resize(i, s..s + n)),
            (0..8usize, any::<bool>())
                .prop_map(|(i, note)| Edit::SetNote(i, note.then(|| "注".into()))),
            (0..8usize).prop_map(|i| Edit::SetValue(i, None)),
            (18..30usize, 1..6usize, label.clone()).prop_map(|(s, n, l)| Edit::Add(s..s + n, l)),
            label.prop_map(Edit::AcceptAll),
            prop_oneof![Just(DocStatus::Done), Just(DocStatus::InProgress)]
                .prop_map(Edit::SetStatus),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn any_edits_then_as_many_undos_restore_the_file_and_the_memory(
            edits in proptest::collection::vec(arb_edit(), 0..14),
        ) {
            let text = "标题\n\n二胖合作社投资5.3亿元,带动贫困人口21万人。二胖合作社又投资200万元。\n";
            let (_dir, c, ann) = corpus(&[("a", text)]);
            let mut s = session(&c, &ann, "alice");
            let (start, memory) = (file(&s), s.memory.clone());
            for e in &edits {
                s.apply(e.clone());
            }
            for _ in &edits {
                s.undo();
            }
            prop_assert_eq!(file(&s), start);
            prop_assert_eq!(&s.memory, &memory);
        }

        #[test]
        fn any_gold_edits_then_as_many_undos_restore_the_gold_file(
            steps in proptest::collection::vec((0..4usize, 0..3usize, 0..4usize), 0..10),
        ) {
            let (_dir, c, ann) = corpus(&[("a", "标题\n\n白城市通榆县投资5.3亿元，陆家村\n")]);
            let corpus = Corpus::open(&c).unwrap();
            let store = Store::new(&ann);
            save_file(&corpus, &store, "alice", 0, &[(4, 10, "LOC")]);
            save_file(&corpus, &store, "bob", 0, &[(4, 7, "ORG")]);
            let mut s = session(&c, &ann, "rita");
            s.start_review(vec!["alice".into(), "bob".into()]);
            let r = s.review.as_mut().unwrap();
            let start = r.doc().unwrap().gold.file.clone();
            for &(what, who, label) in &steps {
                r.item = Some(0);
                match what {
                    0 => r.take((who < 2).then_some(who)),
                    1 => r.relabel_item(LABELS[label]),
                    2 => r.relabel_gold(who, LABELS[label]),
                    _ => r.mark_done(),
                }
            }
            for _ in &steps {
                r.undo();
            }
            prop_assert_eq!(&r.doc().unwrap().gold.file, &start);
        }
    }
}

#[test]
fn a_decision_over_a_pending_suggestion_with_another_label_replaces_it() {
    let text = "第一篇\n\n蓝莓坊带动农户。蓝莓坊很好。\n";
    let (_dir, c, ann) = corpus(&[("a", text)]);
    let mut s = session(&c, &ann, "alice");
    // What a model that took the shop for a person would have suggested, twice.
    let per =
        |start: usize| Span::suggestion(text, start, start + 3, "PER", "model", None).unwrap();
    let i = s.current;
    s.docs[i]
        .as_mut()
        .unwrap()
        .suggest_more(vec![per(5), per(13)]);
    let shop = |s: &Session| -> Vec<(usize, String, Status)> {
        let mut v: Vec<_> = s
            .doc()
            .unwrap()
            .spans()
            .iter()
            .filter(|x| x.text == "蓝莓坊")
            .map(|x| (x.start, x.label.clone(), x.status))
            .collect();
        v.sort_by_key(|x| x.0);
        v
    };
    let before = shop(&s);
    assert_eq!(before.len(), 2);
    // Drawing ORG over the first: the suggestion there is relabelled, not left under it; the
    // second, still pending, gives way to the string just learned.
    s.add_span(5..8, "ORG");
    let after = shop(&s);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.iter().all(|x| x.1 == "ORG"), "{after:?}");
    assert_ne!(after[0].2, Status::Suggested);
    assert_eq!(after[1].2, Status::Suggested);
    let d = s.doc().unwrap();
    assert!(
        d.spans()
            .iter()
            .any(|x| x.start == 13 && x.origin == Origin::Learned)
    );
    // One undo step takes both back.
    s.undo();
    assert_eq!(shop(&s), before);
}
