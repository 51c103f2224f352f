//! The analyst's corrections of a document's structure (title, body, boilerplate): no
//! detector is always right, so the open document's structure can be corrected, kept in its
//! annotation file and undone like any edit. Text that stops being boilerplate gets its
//! suggestions at once.

use std::ops::Range;

use super::Edit;
use super::annotate::Session;
use crate::corpus::Document;
use crate::structure::{Correction, Structure};
use crate::suggest::{Options, suggest};

/// What the analyst says about a range of the open document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Correct {
    /// This line is the title.
    Title(Range<usize>),
    /// The document has no title.
    NoTitle,
    /// The body starts at the line of this char.
    BodyStart(usize),
    /// The body ends with the line of this char.
    BodyEnd(usize),
    /// These lines are boilerplate (navigation, credits, links).
    Boilerplate(Range<usize>),
    /// These lines are the article's text, whatever the detector said.
    Text(Range<usize>),
    /// Forget every correction: the detector's structure again.
    Reset,
}

impl Correct {
    /// The correction `c` with this change made, in the text of `doc`.
    fn apply(&self, mut c: Correction, doc: &Document) -> Correction {
        let lines = |r: &Range<usize>| whole_lines(doc, r.clone());
        match self {
            Self::Title(r) => c.title = Some(Some(trimmed(doc, lines(r)))),
            Self::NoTitle => c.title = Some(None),
            Self::BodyStart(at) => {
                let end = c.body.as_ref().map_or(doc.structure.body.end, |b| b.end);
                c.body = Some(lines(&(*at..*at)).start.min(end)..end);
            }
            Self::BodyEnd(at) => {
                let start = c
                    .body
                    .as_ref()
                    .map_or(doc.structure.body.start, |b| b.start);
                c.body = Some(start..lines(&(*at..*at)).end.max(start));
            }
            Self::Boilerplate(r) => {
                let r = lines(r);
                c.text.retain(|t| t.end <= r.start || r.end <= t.start);
                if !c.boilerplate.contains(&r) {
                    c.boilerplate.push(r);
                }
            }
            Self::Text(r) => {
                let r = lines(r);
                c.boilerplate
                    .retain(|b| b.end <= r.start || r.end <= b.start);
                if !c.text.contains(&r) {
                    c.text.push(r);
                }
            }
            Self::Reset => c = Correction::default(),
        }
        c
    }
}

/// The lines that `r` touches, without their final line break.
fn whole_lines(doc: &Document, r: Range<usize>) -> Range<usize> {
    let text = &doc.text;
    let (b0, b1) = (doc.chars.byte(r.start), doc.chars.byte(r.end));
    let start = text[..b0].rfind('\n').map_or(0, |p| p + 1);
    let end = text[b1..].find('\n').map_or(text.len(), |p| b1 + p);
    // A range ending just after a line break stays on its line.
    let end = if b1 > b0 && text[..b1].ends_with('\n') {
        b1 - 1
    } else {
        end
    };
    doc.chars.char_of_byte(start)..doc.chars.char_of_byte(end.max(start))
}

/// `r` without the white space at its ends.
fn trimmed(doc: &Document, r: Range<usize>) -> Range<usize> {
    let s = doc.slice(r.clone());
    let lead = s.chars().take_while(|c| c.is_whitespace()).count();
    let trail = s.chars().rev().take_while(|c| c.is_whitespace()).count();
    let len = s.chars().count();
    if lead == len {
        return r;
    }
    r.start + lead..r.end - trail
}

impl Session {
    /// Document `i`'s structure as the analyst sees it: detected, with the annotation file's
    /// correction applied (a correction that no longer fits the text is ignored).
    pub fn structure(&self, i: usize) -> Option<Structure> {
        let doc = self.corpus.doc(i).ok()?;
        let correction = self.docs.get(i)?.as_ref().map(|d| &d.file.structure);
        Some(match correction {
            Some(c) if !c.is_empty() => doc
                .structure
                .corrected(c, doc.char_len())
                .unwrap_or_else(|_| doc.structure.clone()),
            _ => doc.structure.clone(),
        })
    }

    /// Corrects the open document's structure as one undo step. Suggestions come at once for
    /// text that was boilerplate; unreviewed ones now in boilerplate go. False when nothing
    /// changed (or the correction does not fit the text).
    pub fn correct_structure(&mut self, what: Correct) -> bool {
        let i = self.current;
        let (Ok(doc), Some(before)) = (self.corpus.doc(i), self.structure(i)) else {
            return false;
        };
        let Some(Some(d)) = self.docs.get(i) else {
            return false;
        };
        let correction = what.apply(d.file.structure.clone(), &doc);
        let Ok(after) = doc.structure.corrected(&correction, doc.char_len()) else {
            return false;
        };
        let opts = Options {
            include_boilerplate: true,
            ..self.suggest_options()
        };
        let found = suggest(&doc, &opts)
            .iter()
            .filter(|s| {
                let r = s.start..s.end;
                before.overlaps_boilerplate(&r) && !after.overlaps_boilerplate(&r)
            })
            .map(|s| s.to_span(&doc))
            .collect();
        let changed = self.apply(Edit::CorrectStructure(correction, Box::new(after), found));
        if changed {
            self.clamp_selection();
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "首页 > 新闻中心 > 正文\n白城市产业扶贫见成效\n\n　　完成投资5.3亿元，带动贫困人口21万人。\n\n　　全年新增就业岗位3000个，户均增收2万元。\n\n相关阅读：通榆县投入8000万元建设光伏电站\n责任编辑：王丽\n";

    fn open() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), ARTICLE).unwrap();
        let s = Session::open(corpus, dir.path().join("annotations"), "alice".into()).unwrap();
        (dir, s)
    }

    fn range(s: &Session, t: &str) -> Range<usize> {
        let doc = s.document().unwrap();
        let start = doc.chars.char_of_byte(doc.text.find(t).unwrap());
        start..start + t.chars().count()
    }

    fn has(s: &Session, t: &str) -> bool {
        s.doc().unwrap().file.spans.iter().any(|x| x.text == t)
    }

    #[test]
    fn text_marked_as_article_gets_suggestions_and_undo_takes_them_back() {
        let (dir, mut s) = open();
        let r = range(&s, "8000万元");
        assert!(s.structure(0).unwrap().overlaps_boilerplate(&r));
        assert!(!has(&s, "8000万元"), "no suggestion in boilerplate");

        assert!(s.correct_structure(Correct::Text(r.clone())));
        assert!(!s.structure(0).unwrap().overlaps_boilerplate(&r));
        assert!(has(&s, "8000万元"));
        assert_eq!(s.doc().unwrap().file.structure.text.len(), 1);
        // The same correction again changes nothing.
        assert!(!s.correct_structure(Correct::Text(r.clone())));

        s.undo();
        assert!(!has(&s, "8000万元"));
        assert!(s.doc().unwrap().file.structure.is_empty());
        s.redo();
        assert!(has(&s, "8000万元"));

        // Kept in the annotation file.
        s.save_all();
        let saved = std::fs::read_to_string(dir.path().join("annotations/alice/a.ron")).unwrap();
        assert!(saved.contains("structure"), "{saved}");
        let again = Session::open(
            dir.path().join("corpus"),
            dir.path().join("annotations"),
            "alice".into(),
        )
        .unwrap();
        assert!(!again.structure(0).unwrap().overlaps_boilerplate(&r));
    }

    #[test]
    fn boilerplate_drops_unreviewed_suggestions_there_title_and_reset() {
        let (_dir, mut s) = open();
        assert!(has(&s, "3000个"));
        let r = range(&s, "3000个");
        assert!(s.correct_structure(Correct::Boilerplate(r.start + 1..r.start + 2)));
        assert!(!has(&s, "3000个"));
        assert!(has(&s, "5.3亿元"), "other lines keep theirs");

        let line = range(&s, "首页 > 新闻中心 > 正文");
        assert!(s.correct_structure(Correct::Title(line.start + 2..line.start + 3)));
        let st = s.structure(0).unwrap();
        assert_eq!(st.title, Some(line.clone()));
        assert!(
            !st.overlaps_boilerplate(&line),
            "the title is never boilerplate"
        );
        assert!(s.correct_structure(Correct::NoTitle));
        assert_eq!(s.structure(0).unwrap().title, None);

        assert!(s.correct_structure(Correct::Reset));
        assert!(s.doc().unwrap().file.structure.is_empty());
        assert!(has(&s, "3000个"), "suggestions come back with the text");
        // Three undos: reset, no title, title; the boilerplate mark stays.
        for _ in 0..3 {
            s.undo();
        }
        assert!(!has(&s, "3000个"));
    }

    #[test]
    fn body_range_follows_whole_lines() {
        let (_dir, mut s) = open();
        let end = range(&s, "带动贫困人口21万人。");
        assert!(s.correct_structure(Correct::BodyEnd(end.start)));
        assert_eq!(s.structure(0).unwrap().body.end, end.end);
        let r = range(&s, "完成投资");
        assert!(s.correct_structure(Correct::BodyStart(r.start + 1)));
        let body = s.structure(0).unwrap().body;
        assert_eq!(body, range(&s, "　　完成投资").start..end.end);
    }
}
