//! What the recogniser knows about a text, per line and per char, for the sequence labeller:
//! the segmenter's words with their tags and lexicon flags, and the rules' suggestions.

use std::collections::HashMap;
use std::ops::Range;

use super::lexicon::{
    ORG_SUFFIXES, PLACE_SUFFIXES, PROGRAMME_ENDINGS, REGIONS, generic_place, last_char,
    starts_with_level,
};
use super::token::Token;
use super::{Candidate, Fast, Recognizer};
use crate::suggest::ner::features::{Signals, Word, flag, hash_str};
use crate::suggest::ner::model::LABELS;

/// One line of a text as the labeller sees it.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line's char range in the text (without its `\n`).
    pub range: Range<usize>,
    /// Its signals.
    pub signals: Signals,
}

impl Recognizer {
    /// The lexicon flags of a segmenter word.
    fn flags(&self, t: &Token) -> u16 {
        let w = t.word;
        let mut f = 0;
        if !t.is_han() {
            return f;
        }
        let gazetteer = self.places.contains_key(w);
        if gazetteer {
            f |= flag::GAZETTEER;
        }
        if self.is_title(w) {
            f |= flag::TITLE;
        }
        let last = last_char(w);
        if self.org_last.contains(&last)
            && (self.org_words.contains(w) || ORG_SUFFIXES.iter().any(|s| w.ends_with(s)))
        {
            f |= flag::ORG_SUFFIX;
        }
        if PLACE_SUFFIXES.contains(last) {
            f |= flag::PLACE_SUFFIX;
            if generic_place(w) {
                f |= flag::GENERIC;
            }
        }
        if self.is_surname_start(w) {
            f |= flag::SURNAME;
        }
        // [`Recognizer::known`], with the gazetteer looked up once.
        if !gazetteer && self.jieba.has_word(w) {
            f |= flag::KNOWN;
        }
        if t.tag == "ns" && REGIONS.contains(w) {
            f |= flag::REGION;
        }
        if starts_with_level(w) {
            f |= flag::LEVEL;
        }
        if PROGRAMME_ENDINGS.iter().any(|e| w.ends_with(e)) {
            f |= flag::PROGRAMME;
        }
        f
    }

    /// The lines of `text` with their signals, from the segmenter's `tokens` and the rules'
    /// resolved suggestions `rules` (byte ranges). Empty lines are left out.
    pub(super) fn lines(&self, text: &str, tokens: &[Token], rules: &[Candidate]) -> Vec<Line> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let n = chars.len();
        let char_at = |byte: usize| chars.partition_point(|(b, _)| *b < byte);
        // Global words (char ranges) and each char's word.
        let mut words: Vec<Word> = Vec::with_capacity(tokens.len());
        // Room for half the tokens to be distinct words, so that it seldom has to grow.
        let mut seen: HashMap<(&str, &str), (u64, u64, u16), Fast> =
            HashMap::with_capacity_and_hasher(tokens.len() / 2, Fast::default());
        let mut word_of = vec![0u32; n];
        // The tokens follow each other: count their chars on (a search where one does not).
        let (mut last_end, mut last_char) = (0usize, 0usize);
        for t in tokens {
            let s = if t.range.start == last_end {
                last_char
            } else {
                char_at(t.range.start)
            };
            let e = s + text[t.range.clone()].chars().count();
            (last_end, last_char) = (t.range.end, e);
            if s >= e {
                continue;
            }
            for w in &mut word_of[s..e] {
                *w = words.len() as u32;
            }
            // A word comes back many times in a text (的, 扶贫, the place it is about): its
            // hashes and lexicon flags are worked out once.
            let &mut (tag, word, flags) = seen
                .entry((t.word, t.tag))
                .or_insert_with(|| (hash_str(t.tag), hash_str(t.word), self.flags(t)));
            words.push(Word {
                start: s,
                end: e,
                tag,
                text: word,
                flags,
            });
        }
        let mut rule = vec![(0u8, 0u8, 0u64); n];
        for c in rules {
            let Some(k) = LABELS.iter().position(|l| *l == c.label) else {
                continue;
            };
            let (s, e) = (char_at(c.range.start), char_at(c.range.end));
            let h = hash_str(&c.rule);
            for (i, slot) in rule.iter_mut().enumerate().take(e).skip(s) {
                let pos = if e - s == 1 {
                    3
                } else if i == s {
                    0
                } else if i + 1 == e {
                    2
                } else {
                    1
                };
                *slot = (k as u8 + 1, pos, h);
            }
        }
        let mut out = Vec::new();
        let mut start = 0;
        for i in 0..=n {
            if i < n && chars[i].1 != '\n' {
                continue;
            }
            if i > start {
                out.push(self.line(start..i, &chars, &words, &word_of, &rule));
            }
            start = i + 1;
        }
        out
    }

    /// One line's signals: its chars, its words clipped to it, its rule marks.
    fn line(
        &self,
        r: Range<usize>,
        chars: &[(usize, char)],
        words: &[Word],
        word_of: &[u32],
        rule: &[(u8, u8, u64)],
    ) -> Line {
        let mut line_words: Vec<Word> = Vec::new();
        let mut line_word_of = Vec::with_capacity(r.len());
        let mut last = u32::MAX;
        for i in r.clone() {
            if word_of[i] != last {
                last = word_of[i];
                let w = &words[last as usize];
                line_words.push(Word {
                    start: w.start.max(r.start) - r.start,
                    end: w.end.min(r.end) - r.start,
                    ..w.clone()
                });
            }
            line_word_of.push((line_words.len() - 1) as u32);
        }
        Line {
            signals: Signals {
                chars: chars[r.clone()].iter().map(|(_, c)| *c).collect(),
                words: line_words,
                word_of: line_word_of,
                rule: rule[r.clone()].to_vec(),
            },
            range: r,
        }
    }
}
