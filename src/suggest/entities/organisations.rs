//! ORG candidates: an organisation suffix with a name before it, level words (市扶贫办), the
//! segmenter's nt.

use super::lexicon::{
    ORG_NEEDS_NAME, ORG_SUFFIXES, ORG_TITLE_AFTER, last_char, one_of, starts_with_level,
};
use super::token::{Token, starting_at};
use super::{Candidate, Recognizer};

impl Recognizer {
    /// ORG: an organisation suffix with a name before it (东骏科技有限公司, 吉林日报), level
    /// words (市扶贫办, 市委), the segmenter's nt, and the bodies of the lexicon as whole words
    /// (财政部, 新华社: near-certain, see [`super::near_certain`]).
    pub(super) fn organisations(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for (i, t) in tokens.iter().enumerate() {
            if !self.org_last.contains(&last_char(t.word)) {
                continue;
            }
            // A body of the lexicon (财政部, 国家乡村振兴局), kept whole by the segmenter.
            // Not when its last char and the next word's first make a word: 人社部|门 is
            // 人社部门 (departments), 财政部|长 a title.
            let listed = self.org_words.contains(t.word)
                && !tokens.get(i + 1).is_some_and(|n| {
                    let mut pair = String::from(last_char(t.word));
                    pair.extend(n.word.chars().next());
                    self.jieba.has_word(&pair)
                });
            let org_like = listed
                || ORG_SUFFIXES.iter().any(|s| t.word.ends_with(s))
                || ["中央", "国务院", "交大", "师大"]
                    .iter()
                    .any(|s| t.word.ends_with(s));
            if (t.tag == "nt" || listed) && t.word.chars().count() >= 2 && org_like {
                // With its level or place before it: 市 + 扶贫开发办公室, 白城市 + 财政局.
                let start = match i.checked_sub(1).map(|k| &tokens[k]) {
                    Some(p)
                        if (p.word.chars().count() == 1 && starts_with_level(p.word))
                            || self.place_at(tokens, i - 1).is_some_and(|(n, _)| n == 1) =>
                    {
                        p.range.start
                    }
                    _ => t.range.start,
                };
                out.push(Candidate {
                    range: start..t.range.end,
                    label: "ORG".into(),
                    rule: if listed { "lexicon:org" } else { "jieba:nt" }.into(),
                    priority: 1,
                });
                continue;
            }
            let Some(suffix) = ORG_SUFFIXES.iter().find(|s| t.word.ends_with(**s)) else {
                continue;
            };
            // Part of a title: 县委书记.
            if tokens
                .get(i + 1)
                .is_some_and(|n| ORG_TITLE_AFTER.contains(&n.word))
            {
                continue;
            }
            let whole = t.word == *suffix;
            // A word that ends with a suffix but is a common word: 格局, 布局, 中心.
            let level_word = !whole && starts_with_level(t.word) && t.word.chars().count() <= 5;
            if !whole && !level_word && !matches!(t.tag, "nt" | "nz" | "j") && self.known(t.word) {
                continue;
            }
            // Walk left over the name: tokens that can be inside an organisation's name.
            let mut start = i;
            let mut anchor = if level_word { Some(i) } else { None };
            let mut k = i;
            while k > 0 && i - k < 6 {
                let p = &tokens[k - 1];
                if !p.can_be_in_name() {
                    break;
                }
                // A verb is part of the name only after a plain noun (农业开发有限公司), not
                // after a place or name (横道河镇入股…, 鸿兴镇依托…).
                if p.tag.starts_with('v')
                    && !matches!(p.tag, "vn" | "vg")
                    && !tokens
                        .get(k.wrapping_sub(2))
                        .is_some_and(|q| matches!(q.tag, "n" | "vn") && k >= 2)
                {
                    break;
                }
                k -= 1;
                if p.is_name_like()
                    || self.places.contains_key(p.word)
                    || self.place_at(tokens, k).is_some()
                    || one_of(p.word, "省市县区镇乡村")
                {
                    anchor = Some(k);
                }
            }
            if let Some(a) = anchor {
                start = start.min(a);
            } else if !whole && !ORG_NEEDS_NAME.contains(suffix) && !self.known(t.word) {
                // An unknown word ending in a suffix (众联社): itself.
            } else {
                continue;
            }
            out.push(Candidate {
                range: tokens[start].range.start..t.range.end,
                label: "ORG".into(),
                rule: "pattern:org-suffix".into(),
                priority: 3,
            });
        }
    }
}

/// Words a place's body may run over after the place, at most (岷县 + 申都 康顺堂 农业 专业 合作社
/// 联合社 党支部).
const BODY_WORDS: usize = 8;

/// A place followed by the name of a body of it, up to a word that ends with an organisation
/// suffix, is one ORG, as the guide asks (an ORG that contains a place name is one span): the
/// model often tags the place and leaves the rest (南平村|党支部, 申都乡|党委, 岷县|申都康顺堂…联合社
/// 党支部). The words between may be nouns and names (not verbs but
/// verbal nouns, nor function words, numerals or punctuation: 鸿兴镇|依托合作社 stays a place);
/// the body ends at the last such suffix within [`BODY_WORDS`] words (长顺县人民政府办公室), or
/// before a title written with it (申都乡|党委书记 → 申都乡党委).
pub(super) fn places_with_bodies(tokens: &[Token], candidates: &mut [Candidate]) {
    let body = |w: &str| ORG_SUFFIXES.iter().any(|s| w.ends_with(s));
    for c in candidates.iter_mut().filter(|c| c.label == "LOC") {
        let Some(at) = starting_at(tokens, c.range.end) else {
            continue;
        };
        let mut end = None;
        for t in tokens.iter().skip(at).take(BODY_WORDS) {
            if !t.is_han() || !t.can_be_in_name() || t.is_verb() {
                break;
            }
            if body(t.word) && !ORG_NEEDS_NAME.contains(&t.word) {
                end = Some(t.range.end);
            }
            // A title ends the walk; written as one word with a body (申都乡|党委书记), the
            // body ends before it.
            if let Some(stem) = ORG_TITLE_AFTER
                .iter()
                .find_map(|title| t.word.strip_suffix(title))
            {
                if !stem.is_empty() && body(stem) {
                    end = Some(t.range.start + stem.len());
                }
                break;
            }
        }
        if let Some(end) = end {
            c.range.end = end;
            c.label = "ORG".into();
            c.rule = "pattern:place-body".into();
            c.priority = c.priority.max(4);
        }
    }
}

/// A name of the model (PER, LOC, ORG) that begins with a verb written as a word of its own,
/// two chars or more, and a name after it begins at that name: 来自|北京大学 → 北京大学. The
/// model, reading chars, sometimes takes the verb in. Not before a common word (向阳|村 stays
/// whole), nor in a POLICY, whose campaigns often begin with a verb (实施…工程).
pub(super) fn trim_leading_verbs(tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates
        .iter_mut()
        .filter(|c| c.rule == "model" && matches!(c.label.as_str(), "PER" | "LOC" | "ORG"))
    {
        let Some(k) = starting_at(tokens, c.range.start) else {
            continue;
        };
        let (t, next) = (&tokens[k], tokens.get(k + 1));
        if t.tag == "v"
            && t.word.chars().nth(1).is_some()
            && next.is_some_and(|n| n.is_name_like() && n.range.end <= c.range.end)
        {
            c.range.start = t.range.end;
        }
    }
}

/// Meetings named after the body that holds them, which the gold sets mark as one ORG with it
/// (国务院常务会议, 国务院全体会议).
const MEETINGS: [&str; 2] = ["常务会议", "全体会议"];

/// An ORG followed right away by a meeting of it written as a word of its own (国务院 +
/// 常务会议), or that ends inside such a word (the model's 国务院常务|会议), takes the meeting
/// in. After the model, whose features it leaves unchanged.
pub(super) fn meetings(tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates.iter_mut().filter(|c| c.label == "ORG") {
        // The word that holds the span's end, or starts right at it.
        let k = tokens.partition_point(|t| t.range.end <= c.range.end);
        if let Some(t) = tokens.get(k)
            && t.range.start >= c.range.start
            && t.range.start <= c.range.end
            && MEETINGS.contains(&t.word)
        {
            c.range.end = t.range.end;
        }
    }
}
