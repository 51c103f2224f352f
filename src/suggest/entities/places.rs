//! LOC candidates: gazetteer words, segmenter places with support, place-suffixed unknown words,
//! adjacent places written together as one span.

use super::lexicon::{
    AFTER_NAME, GENERIC_PLACE_STEMS, Level, ORG_SUFFIXES, PLACE_SUFFIXES, REGIONS, generic_place,
    is_numeral, last_char, one_of,
};
use std::ops::Range;

use super::token::{Token, starting_at};
use super::{Candidate, Recognizer};
use crate::text::CharMap;

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
            while let Some(len) = self
                .place_at(tokens, j)
                .map(|(len, _)| len)
                .or_else(|| self.generic_division(tokens, j).then_some(1))
            {
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
        listed_places(tokens, out);
    }

    /// A place starting at token `i`: how many tokens it spans and which rule found it.
    pub(super) fn place_at(&self, tokens: &[Token], i: usize) -> Option<(usize, String)> {
        let t = tokens.get(i)?;
        if !t.is_han() {
            return None;
        }
        if let Some(level) = self.places.get(t.word)
            && !self.generic_division(tokens, i)
        {
            // A short form (吉林, 通榆) needs the segmenter's agreement that it is a place;
            // so does a country's name unless it reads as one (法国, 意大利; not 乍得/v).
            let full = match level {
                Level::Country => t.word.ends_with('国') || t.word.chars().nth(2).is_some(),
                _ => PLACE_SUFFIXES.contains(last_char(t.word)),
            };
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
            && one_of(next.word, "省市县区镇乡村屯旗")
            && (t.is_name_like() || t.tag == "n")
            && !generic_place(t.word)
            && (2..=4).contains(&chars)
        {
            return Some((2, "pattern:place-suffix".into()));
        }
        if t.tag == "ns" && chars >= 2 && REGIONS.contains(t.word) {
            return Some((1, "jieba:ns".into()));
        }
        None
    }

    /// Whether token `i` is a division whose name is a generic place word (城区, 郊区, 矿区:
    /// districts of 长治, 阳泉, 铜陵 …): a place only written after the place it belongs to
    /// (长治市城区), a generic mention on its own (中心城区人口, 郊区农民).
    pub(super) fn generic_division(&self, tokens: &[Token], i: usize) -> bool {
        tokens.get(i).is_some_and(|t| {
            // Two chars: a generic stem of one and a suffix (not 老县镇, 老 + 县 + 镇).
            t.word.chars().count() == 2 && self.places.contains_key(t.word) && generic_place(t.word)
        })
    }
}

/// Words that say what kind of place the items of a list before them are: 白云、花都、增城等区;
/// 睦化、摆塘、交麻3个贫困乡; 北京、上海等地.
const LIST_HEADS: &[&str] = &[
    "省", "市", "县", "区", "乡", "镇", "村", "州", "旗", "盟", "屯", "地", "国", "乡镇", "街道",
    "社区", "村庄", "城市", "地区", "国家", "省份", "省区", "县市", "市县", "区县", "县区",
];

/// Chars of a list item, 原 included, at most (a name of two to five chars).
const MAX_ITEM_CHARS: usize = 6;

/// Chars that end a word naming places of one level (贫困县, 重点镇, 园区); not 市 (超市).
const LIST_HEAD_ENDS: &str = "省县区乡镇村";

/// The items of a list of places named by the kind of place after them (白云、花都、增城、从化
/// 等区; 朱场、打朝两个贫困村) or before them in brackets (3个贫困乡镇（原睦化、代化、交麻）): each
/// a LOC, however the segmenter read it (as a verb, a name, a common noun).
fn listed_places(tokens: &[Token], out: &mut Vec<Candidate>) {
    for h in 0..tokens.len() {
        // A count right after 等 belongs to the 等 before it (岩上村等5个贫困村).
        let counted =
            numeral_classifier(tokens, h).is_some() && (h == 0 || tokens[h - 1].word != "等");
        // 等 glued to the kind of place by the segmenter: 南沙 + 等区.
        let glued = tokens[h]
            .word
            .strip_prefix('等')
            .is_some_and(|head| LIST_HEADS.contains(&head));
        let items = if glued {
            items_before(tokens, h)
        } else if tokens[h].word == "等" || counted {
            let mut after = h + usize::from(tokens[h].word == "等");
            after += numeral_classifier(tokens, after).unwrap_or(0);
            if !head_at(tokens, after) {
                continue;
            }
            items_before(tokens, h)
        } else if matches!(tokens[h].word, "（" | "(") && h > 0 && is_head(&tokens[h - 1]) {
            items_within(tokens, h + 1)
        } else {
            continue;
        };
        // An item that ends with an organisation suffix names a body or a facility, no place
        // (…实践中心、爱心超市等地: the places visited, named by what is there).
        let body = |r: &Range<usize>| {
            let from = tokens.partition_point(|t| t.range.start < r.start);
            let to = tokens.partition_point(|t| t.range.end <= r.end);
            let word: String = tokens[from..to.max(from)].iter().map(|t| t.word).collect();
            ORG_SUFFIXES.iter().any(|s| word.ends_with(s))
        };
        for range in items.into_iter().flatten().filter(|r| !body(r)) {
            out.push(Candidate {
                range,
                label: "LOC".into(),
                rule: "pattern:listed-place".into(),
                priority: 2,
            });
        }
    }
}

/// A model place that runs on into 等 and the kind of place of a list (黄埔、番禺、南沙等区 →
/// 南沙等区) ends before 等: no place name ends so, and [`listed_places`] names the items.
/// `spans` are the model's char ranges with their labels.
pub(super) fn trim_list_heads(
    text: &str,
    map: &CharMap,
    spans: &mut Vec<(Range<usize>, &'static str)>,
) {
    for (r, label) in spans.iter_mut() {
        if *label != "LOC" {
            continue;
        }
        let name = &text[map.byte_range(r.clone())];
        if let Some((before, head)) = name.rsplit_once('等')
            && LIST_HEADS.contains(&head)
        {
            r.end -= 1 + head.chars().count();
            if before.is_empty() {
                r.end = r.start;
            }
        }
    }
    spans.retain(|(r, _)| !r.is_empty());
}

/// How many tokens a count starting at `i` takes: 两个, 3 + 个, 三 + 个.
pub(super) fn numeral_classifier(tokens: &[Token], i: usize) -> Option<usize> {
    let word = tokens.get(i)?.word;
    let numeral = |s: &str| !s.is_empty() && s.chars().all(is_numeral);
    if numeral(word) {
        return (tokens.get(i + 1)?.word == "个").then_some(2);
    }
    word.strip_suffix('个').is_some_and(numeral).then_some(1)
}

/// Whether a word names a kind of place: 区, 乡镇, 贫困村.
fn is_head(t: &Token) -> bool {
    let n = t.word.chars().count();
    LIST_HEADS.contains(&t.word)
        || ((2..=3).contains(&n) && t.is_han() && LIST_HEAD_ENDS.contains(last_char(t.word)))
}

/// Whether the kind of place is named at token `i`, after at most one modifier (贫困 乡镇).
fn head_at(tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(is_head)
        || (tokens
            .get(i)
            .is_some_and(|t| t.is_han() && t.word.chars().count() <= 2)
            && tokens
                .get(i + 1)
                .is_some_and(|t| LIST_HEADS.contains(&t.word)))
}

/// The bytes of a leading 原 (former: 原睦化) of a list item of three chars or more, else 0.
pub(super) fn former(item: &str) -> usize {
    if item.starts_with('原') && item.chars().nth(2).is_some() {
        '原'.len_utf8()
    } else {
        0
    }
}

/// A list item: its byte range without a leading 原 (former: 原睦化), if it is two to five
/// Han chars and not a generic place word.
fn item(tokens: &[Token]) -> Option<Range<usize>> {
    let (first, last) = (tokens.first()?, tokens.last()?);
    if !tokens.iter().all(Token::is_han) {
        return None;
    }
    let mut text: String = tokens.iter().map(|t| t.word).collect();
    let former = former(&text);
    text.drain(..former);
    let start = first.range.start + former;
    let n = text.chars().count();
    ((2..MAX_ITEM_CHARS).contains(&n) && !generic_place(&text)).then_some(start..last.range.end)
}

/// The items of the list that ends before token `end`, split at 、 (two or more, all of them
/// plausible). The first item, whose start no 、 marks, is the run of words as long as the
/// item after it, or nearly.
pub(super) fn items_before(tokens: &[Token], end: usize) -> Option<Vec<Range<usize>>> {
    let chars = |run: &[Token]| run.iter().map(|t| t.word.chars().count()).sum::<usize>();
    let mut items = Vec::new();
    let mut stop = end;
    // The length of the item after the current one.
    let mut next = 2;
    loop {
        // An item is a few words: look no further back (a long run of text without
        // punctuation costs no more than a short one).
        let window = stop.saturating_sub(MAX_ITEM_CHARS);
        let sep = (window..stop)
            .rev()
            .find(|&k| !tokens[k].is_han() || tokens[k].word == "、");
        let from = sep.map_or(window, |k| k + 1);
        if let Some(k) = sep.filter(|&k| tokens[k].word == "、") {
            items.push(item(&tokens[from..stop])?);
            next = chars(&tokens[from..stop]);
            stop = k;
            continue;
        }
        // The first item: the run of words before its 、 (two chars or more) whose length is
        // closest to the next item's, the shorter on a tie: 拥有广袤农村的|白云、花都; 新关村、岩上村.
        let start = (from..stop)
            .rev()
            .scan(0, |n, k| {
                *n += tokens[k].word.chars().count();
                Some((k, *n))
            })
            .take_while(|(_, n)| *n <= MAX_ITEM_CHARS)
            .filter(|(_, n)| *n >= 2)
            .min_by_key(|(_, n)| n.abs_diff(next))?
            .0;
        items.push(item(&tokens[start..stop])?);
        break;
    }
    items.reverse();
    (items.len() >= 2).then_some(items)
}

/// The items of a bracketed list starting at token `start` and filling the brackets.
fn items_within(tokens: &[Token], start: usize) -> Option<Vec<Range<usize>>> {
    let close = (start..tokens.len())
        .take(4 * MAX_ITEM_CHARS)
        .find(|&k| matches!(tokens[k].word, "）" | ")"))?;
    let items = tokens[start..close]
        .split(|t| t.word == "、")
        .map(item)
        .collect::<Option<Vec<_>>>()?;
    (items.len() >= 2).then_some(items)
}

/// Words that end a place's name when the segmenter wrote them apart: 范家门 + 村, 唐庄乡中心 +
/// 社区, 白山 + 地区, 长春 + 新区, 广州 + 片区 (the guide's 麻山地区, 中西部地区).
const SUFFIX_WORDS: &[&str] = &[
    "村",
    "镇",
    "乡",
    "县",
    "区",
    "屯",
    "社区",
    "村民小组",
    "地区",
    "新区",
    "片区",
    "街道",
];

/// Suffix chars of a village's or town's name that the segmenter may glue to the word after
/// the name (范家门|村时).
const SUFFIX_CHARS: &str = "村镇乡屯";

/// The model's places that stop right before a place suffix take it in:
/// - a word of [`SUFFIX_WORDS`] (登封市唐庄乡范家门|村 → 登封市唐庄乡范家门村: a name's suffix
///   written as a word of its own), after a place of the gazetteer too (白山|地区);
/// - the first char of a two-char word the segmenter's dictionary does not know, when it is
///   a suffix char of [`SUFFIX_CHARS`] (范家门|村时 → 范家门村; not 村民, a word);
/// - a two-char word that ends with one and names no generic place, after a name the model
///   ended with a one-char fragment of the segmenter (a morpheme, tag `…g`: 龙湖街道迳/zg|下村 →
///   龙湖街道迳下村; not 农村).
pub(super) fn complete_suffixes(
    tokens: &[Token],
    known: &dyn Fn(&str) -> bool,
    candidates: &mut [Candidate],
) {
    for c in candidates.iter_mut().filter(|c| c.label == "LOC") {
        let gazetteer = c.rule.starts_with("gazetteer:");
        if c.rule != "model" && !gazetteer {
            continue;
        }
        let Some(k) = starting_at(tokens, c.range.end) else {
            continue;
        };
        let t = &tokens[k];
        if SUFFIX_WORDS.contains(&t.word) {
            c.range.end = t.range.end;
            continue;
        }
        if gazetteer {
            continue;
        }
        let mut chars = t.word.chars();
        let (Some(first), Some(second), None) = (chars.next(), chars.next(), chars.next()) else {
            continue;
        };
        if !t.is_han() {
            continue;
        }
        let fragment = k > 0 && {
            let last = &tokens[k - 1];
            last.range.start >= c.range.start
                && last.word.chars().count() == 1
                && last.tag.ends_with('g')
        };
        if SUFFIX_CHARS.contains(first) && !known(t.word) {
            c.range.end = t.range.start + first.len_utf8();
        } else if SUFFIX_CHARS.contains(second) && fragment && !generic_place(t.word) {
            c.range.end = t.range.end;
        }
    }
}

/// The model's places that are a generic mention, which the guide does not mark (全市, 贫困村,
/// 城区): a stem of [`GENERIC_PLACE_STEMS`] (or none) and one place suffix, or any place
/// right after a count (两个|建扶村). Only one suffix comes off: 大湾区 is a place (大湾 +
/// 区), though 大 is a generic stem.
pub(super) fn drop_generic(text: &str, candidates: &mut Vec<Candidate>) {
    candidates.retain(|c| {
        if c.rule != "model" || c.label != "LOC" {
            return true;
        }
        if counted(&text[..c.range.start]) {
            return false;
        }
        let name = &text[c.range.clone()];
        let stem = name
            .strip_suffix(|ch| PLACE_SUFFIXES.contains(ch))
            .unwrap_or(name);
        !(stem.is_empty()
            || GENERIC_PLACE_STEMS.contains(stem)
            || GENERIC_PLACE_STEMS.contains(name))
    });
}

/// Whether `before` ends with a count of things (两个, 3个, 十多个): what follows is a kind of
/// place, not a name (两个|建扶村; no gold place follows a count in the development or seed
/// texts).
fn counted(before: &str) -> bool {
    let Some(rest) = before.strip_suffix('个') else {
        return false;
    };
    let rest = rest.trim_end_matches(['多', '余']);
    rest.chars()
        .next_back()
        .is_some_and(|c| is_numeral(c) || c == '几')
}

/// A model person's name that is a place of the text without its village's or town's suffix
/// (the last part of a chain: 登封市唐庄乡|范家门|村, or the whole: 范家门村) is that place
/// named short: the model read a surname-led village name as a person's.
pub(super) fn places_named_short(text: &str, candidates: &mut [Candidate]) {
    let places: Vec<&str> = candidates
        .iter()
        .filter(|c| c.label == "LOC")
        .map(|c| &text[c.range.clone()])
        .collect();
    let mut renamed = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if c.rule != "model" || c.label != "PER" {
            continue;
        }
        let name = &text[c.range.clone()];
        // The stem is the name, or ends with it after the suffix of a larger division
        // (登封市唐庄乡|范家门).
        let place_of = |p: &&str| {
            p.strip_suffix(|ch| SUFFIX_CHARS.contains(ch))
                .and_then(|stem| stem.strip_suffix(name))
                .is_some_and(|before| {
                    before.is_empty() || before.ends_with(|ch| PLACE_SUFFIXES.contains(ch))
                })
        };
        if places.iter().any(place_of) {
            renamed.push(i);
        }
    }
    for i in renamed {
        candidates[i].label = "LOC".into();
    }
}

/// Whether a word of one char ends no name: an adverb, preposition, conjunction, particle or
/// pronoun; a bound morpheme (zg) only when it is one of the function chars that follow
/// names (仍/zg; not 村/zg, a place's suffix).
fn ends_no_name(t: &Token) -> bool {
    matches!(t.tag, "d" | "p" | "c" | "r" | "y")
        || t.tag.starts_with('u')
        || (t.tag == "zg" && (t.word == "仍" || AFTER_NAME.contains(t.word)))
}

/// A model place or organisation that ends with a function word of one char goes without it
/// (冰岛|仍/zg). What is left, two chars or more, is a place when it is one word the segmenter
/// calls a place (冰岛/ns: an ORG of a place and 仍 is that place). Not where the span ends
/// inside a longer word: the segmenter's 吉林省|委和/c holds the body's suffix.
pub(super) fn trim_function_chars(text: &str, tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates
        .iter_mut()
        .filter(|c| c.rule == "model" && matches!(c.label.as_str(), "LOC" | "ORG"))
    {
        // The word of one char that ends where the span ends.
        let k = tokens.partition_point(|t| t.range.end < c.range.end);
        let Some(t) = tokens.get(k).filter(|t| t.range.end == c.range.end) else {
            continue;
        };
        if t.word.chars().nth(1).is_some() || t.range.start <= c.range.start || !ends_no_name(t) {
            continue;
        }
        let rest = c.range.start..t.range.start;
        if text[rest.clone()].chars().nth(1).is_none() {
            continue;
        }
        c.range = rest;
        if c.label == "ORG" && k > 0 && tokens[k - 1].range == c.range && tokens[k - 1].tag == "ns"
        {
            c.label = "LOC".into();
        }
    }
}
