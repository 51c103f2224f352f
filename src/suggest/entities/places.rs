//! LOC candidates: gazetteer words, segmenter places with support, place-suffixed unknown words,
//! adjacent places written together as one span.

use super::lexicon::{PLACE_SUFFIXES, REGIONS, generic_place, last_char};
use super::token::Token;
use super::{Candidate, Recognizer};

impl Recognizer {
    /// LOC: gazetteer words, segmenter places with support, place-suffixed unknown words;
    /// adjacent places written together become one span.
    pub(super) fn places(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        let mut i = 0;
        while i < tokens.len() {
            let Some((len, rule)) = self.place_at(tokens, i) else {
                i += 1;
                continue;
            };
            let start = tokens[i].range.start;
            let mut j = i + len;
            let mut rule = rule;
            while let Some((len, _)) = self.place_at(tokens, j) {
                j += len;
                rule = "pattern:adjacent-places".into();
            }
            out.push(Candidate {
                range: start..tokens[j - 1].range.end,
                label: "LOC".into(),
                rule,
                priority: 2,
            });
            i = j;
        }
    }

    /// A place starting at token `i`: how many tokens it spans and which rule found it.
    pub(super) fn place_at(&self, tokens: &[Token], i: usize) -> Option<(usize, String)> {
        let t = tokens.get(i)?;
        if !t.is_han() {
            return None;
        }
        if let Some(level) = self.places.get(t.word) {
            // A short form (吉林, 通榆) needs the segmenter's agreement that it is a place.
            let full = PLACE_SUFFIXES.contains(last_char(t.word));
            if full || t.tag == "ns" {
                return Some((1, format!("gazetteer:{}", level.name())));
            }
        }
        let chars = t.word.chars().count();
        let suffixed = PLACE_SUFFIXES.contains(last_char(t.word));
        if suffixed
            && (3..=8).contains(&chars)
            && !self.known(t.word)
            && !generic_place(t.word)
            && !self.verb_stem(t.word)
        {
            return Some((1, "pattern:place-suffix".into()));
        }
        // A name split from its suffix: 陆家 + 村.
        if let Some(next) = tokens.get(i + 1)
            && next.word.chars().count() == 1
            && "省市县区镇乡村屯旗".contains(next.word)
            && (t.is_name_like() || t.tag == "n")
            && !generic_place(t.word)
            && (2..=4).contains(&chars)
        {
            return Some((2, "pattern:place-suffix".into()));
        }
        if t.tag == "ns" && chars >= 2 && REGIONS.contains(&t.word) {
            return Some((1, "jieba:ns".into()));
        }
        None
    }
}
