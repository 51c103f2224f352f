//! Review mode with figures' values: a value disagreement resolved by typing the value, gold
//! boundaries widened and narrowed from the keyboard, and an annotator's file changed on disk
//! (a `git pull`) merged again while the review is open.

use std::path::Path;

use biaozhu::corpus::Corpus;
use biaozhu::model::ChangeKind;
use biaozhu::model::span::{AnnotationFile, Normalized, Num, Origin, Quantity, Span, Status};
use biaozhu::review::Kind;
use biaozhu::store::{Store, from_ron};
use biaozhu::ui::BiaozhuApp;
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::{corpus_with, harness, step_until};

/// 5.3亿元 at 6..11, 21万人 at 14..18.
const ARTICLE: &str = "标题\n\n投资5.3亿元，带动21万人\n";

fn money(v: f64) -> Normalized {
    Normalized {
        value: Quantity::Number(Num(v)),
        value_max: None,
        unit: Some("元".into()),
        approx: false,
    }
}

/// Writes `who`'s file: 5.3亿元 as MONEY with `value`, 21万人 as COUNT 210000 人.
fn write(ann: &Path, corpus: &Corpus, who: &str, value: f64) {
    let d = corpus.doc(0).unwrap();
    let mut m = Span::new(&d.text, 6, 11, "MONEY", Status::Accepted, Origin::Manual).unwrap();
    m.value = Some(money(value));
    let mut c = Span::new(&d.text, 14, 18, "COUNT", Status::Accepted, Origin::Manual).unwrap();
    c.value = Some(Normalized {
        value: Quantity::Number(Num(210000.0)),
        value_max: None,
        unit: Some("人".into()),
        approx: false,
    });
    let mut f = AnnotationFile::new(&d.id, &d.fingerprint, who);
    f.spans = vec![m, c];
    Store::new(ann).overwrite(&f).unwrap();
}

/// A review of alice (5.3亿元 = 530000000) and bob (53000000) by rita.
fn reviewing() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Corpus,
    Harness<'static, BiaozhuApp>,
) {
    let (dir, corpus_dir, ann) = corpus_with(&[("a", ARTICLE)]);
    let corpus = Corpus::open(&corpus_dir).unwrap();
    write(&ann, &corpus, "alice", 530000000.0);
    write(&ann, &corpus, "bob", 53000000.0);
    let mut app = BiaozhuApp::new(corpus_dir, ann.clone(), Some("rita".into()));
    app.start_review(vec!["alice".into(), "bob".into()]);
    let mut h = harness(app);
    h.run();
    (dir, ann, corpus, h)
}

fn gold(ann: &Path) -> AnnotationFile {
    let path = Store::new(ann).path("gold", "a");
    from_ron(
        &path,
        &std::fs::read_to_string(&path).expect("gold written"),
    )
    .unwrap()
}

fn save(h: &mut Harness<'_, BiaozhuApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
}

fn review<'a>(h: &'a Harness<'_, BiaozhuApp>) -> &'a biaozhu::session::ReviewSession {
    h.state().session.as_ref().unwrap().review.as_ref().unwrap()
}

#[test]
fn a_value_disagreement_is_resolved_by_typing_the_value() {
    let (_dir, ann, _corpus, mut h) = reviewing();
    // The one disagreement is the value of 5.3亿元, selected; 21万人 is agreed and in gold.
    let item = review(&h).current_item().cloned().unwrap();
    assert_eq!(
        (item.range.clone(), item.kind),
        (6..11, Some(Kind::DifferentValue))
    );
    assert!(
        h.query_by_label_contains("0 of 1 disagreements resolved")
            .is_some()
    );
    // The item's kind, and its colour in the legend.
    assert_eq!(h.query_all_by_label("different value").count(), 2);
    // Each annotator's value, side by side.
    assert!(h.query_by_label("= 530000000 元").is_some());
    assert!(h.query_by_label("= 53000000 元").is_some());
    assert!(h.query_by_label("MONEY values (6..11)").is_some());
    save(&mut h);
    let texts: Vec<String> = gold(&ann).spans.into_iter().map(|s| s.text).collect();
    assert_eq!(texts, ["21万人"], "no value taken without a decision");
    // Type the value (alice was right, and it is approximate after all).
    h.get_by_label("gold value").focus();
    h.run();
    h.get_by_label("gold value").type_text("5.3e8");
    h.run();
    h.get_by_label("approximate").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("1 of 1 disagreements resolved")
            .is_some()
    );
    save(&mut h);
    let g = gold(&ann);
    let m = g
        .spans
        .iter()
        .find(|s| s.text == "5.3亿元")
        .expect("in gold");
    assert_eq!(
        m.value,
        Some(Normalized {
            approx: true,
            ..money(530000000.0)
        })
    );
    let history: Vec<(&ChangeKind, &str)> = m
        .changes
        .iter()
        .map(|c| (&c.what, c.who.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (&ChangeKind::Adjudicated, "rita"),
            (&ChangeKind::ValueEdited, "rita")
        ]
    );
    assert_eq!(g.review.as_ref().unwrap().resolved, vec![(6, 11)]);
    // The field shows the value as gold has it now.
    assert!(h.query_by_label("530000000").is_some());
    // Undo takes the decision back; taking bob's version takes his value.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.query_by_label_contains("0 of 1 disagreements resolved")
            .is_some()
    );
    h.key_press(Key::Num2);
    h.run();
    save(&mut h);
    let g = gold(&ann);
    let m = g.spans.iter().find(|s| s.text == "5.3亿元").unwrap();
    assert_eq!(m.value, Some(money(53000000.0)));
    // The agreement panel reports the values: one MONEY pair matched, not identical.
    assert!(h.query_by_label("Figure values").is_some());
    assert!(
        h.query_by_label_contains("Valued differently: 1 in the corpus, 1 in this document")
            .is_some()
    );
}

#[test]
fn review_widens_and_narrows_the_gold_span() {
    let (_dir, ann, _corpus, mut h) = reviewing();
    // Pick the agreed 21万人 (14..18) where it is.
    h.state_mut()
        .session
        .as_mut()
        .unwrap()
        .review
        .as_mut()
        .unwrap()
        .select_at(15);
    h.run();
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft); // narrow from the right
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft); // widen to the left
    h.run();
    save(&mut h);
    let g = gold(&ann);
    let c = g.spans.iter().find(|s| s.label == "COUNT").unwrap();
    assert_eq!((c.start, c.end, c.text.as_str()), (13, 17, "动21万"));
    assert!(
        c.changes
            .iter()
            .any(|x| matches!(x.what, ChangeKind::Resized { .. }) && x.who == "rita")
    );
    // Undo twice: back to 21万人.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    save(&mut h);
    let g = gold(&ann);
    let c = g.spans.iter().find(|s| s.label == "COUNT").unwrap();
    assert_eq!(c.text, "21万人");
}

#[test]
fn an_annotators_file_changed_on_disk_merges_again() {
    let (_dir, ann, corpus, mut h) = reviewing();
    assert_eq!(
        review(&h).doc().unwrap().items[0].kind,
        Some(Kind::DifferentValue)
    );
    // A git pull brings bob's corrected value: the disagreement is gone, the span in gold.
    write(&ann, &corpus, "bob", 530000000.0);
    step_until(&mut h, "the merge", |app| {
        let r = app.session.as_ref().unwrap().review.as_ref().unwrap();
        r.doc().unwrap().items.iter().all(|i| i.agreed())
    });
    h.run();
    assert!(
        h.query_by_label_contains("bob's file changed on disk")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("0 of 0 disagreements resolved")
            .is_some()
    );
    save(&mut h);
    let g = gold(&ann);
    let m = g
        .spans
        .iter()
        .find(|s| s.text == "5.3亿元")
        .expect("agreed now, in gold");
    assert_eq!(m.value, Some(money(530000000.0)));
}
