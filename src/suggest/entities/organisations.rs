//! ORG candidates: an organisation suffix with a name before it, level words (市扶贫办), the
//! segmenter's nt.

use super::lexicon::{
    ORG_NEEDS_NAME, ORG_SUFFIXES, ORG_TITLE_AFTER, is_han, last_char, one_of, starts_with_level,
};
use super::token::{Token, starting_at};
use super::{Candidate, Recognizer, places};

impl Recognizer {
    /// A model ORG that is a body of the lexicon followed by places is the body and a place:
    /// a news agency's dateline (新华社北京６月８日电 → 新华社 + 北京). A body's name puts its
    /// place first (北京市财政局), never after it.
    pub(super) fn split_body_and_place(&self, tokens: &[Token], candidates: &mut Vec<Candidate>) {
        let mut places = Vec::new();
        for c in candidates
            .iter_mut()
            .filter(|c| c.rule == "model" && c.label == "ORG")
        {
            let Some(k) = starting_at(tokens, c.range.start) else {
                continue;
            };
            if !self.org_words.contains(tokens[k].word) || tokens[k].range.end >= c.range.end {
                continue;
            }
            let mut j = k + 1;
            while let Some((n, _)) = self.place_at(tokens, j) {
                j += n;
            }
            if j > k + 1 && tokens[j - 1].range.end == c.range.end {
                places.push(Candidate {
                    range: tokens[k + 1].range.start..c.range.end,
                    label: "LOC".into(),
                    rule: "model".into(),
                    priority: c.priority,
                });
                c.range.end = tokens[k].range.end;
            }
        }
        candidates.extend(places);
    }

    /// ORG: an organisation suffix with a name before it (东骏科技有限公司, 吉林日报), level
    /// words (市扶贫办, 市委), the segmenter's nt, and the bodies of the lexicon as whole words
    /// (财政部, 新华社: near-certain, see [`super::near_certain`]).
    pub(super) fn organisations(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for (i, t) in tokens.iter().enumerate() {
            if !self.org_last.contains(&last_char(t.word)) {
                continue;
            }
            // A body of the lexicon (财政部, 国家乡村振兴局), kept whole by the segmenter.
            // Not when its last char and the next word, one char, make a word: 人社部|门 is
            // 人社部门 (departments), 财政部|长 a title; 全国人大|二次会议 is the body.
            let listed = self.org_words.contains(t.word)
                && !tokens.get(i + 1).is_some_and(|n| {
                    let mut pair = String::from(last_char(t.word));
                    pair.push_str(n.word);
                    n.word.chars().count() == 1 && self.jieba.has_word(&pair)
                });
            let org_like = listed
                || ORG_SUFFIXES.iter().any(|s| t.word.ends_with(s))
                || ["中央", "国务院", "交大", "师大"]
                    .iter()
                    .any(|s| t.word.ends_with(s));
            if (t.tag == "nt" || listed) && t.word.chars().count() >= 2 && org_like {
                // With its level or place before it: 市 + 扶贫开发办公室, 白城市 + 财政局; or
                // the Party's name: 中共 + 中央政治局.
                let start = match i.checked_sub(1).map(|k| &tokens[k]) {
                    Some(p)
                        if (p.word.chars().count() == 1 && starts_with_level(p.word))
                            || p.word == "中共"
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
        self.listed_organisations(tokens, out);
        trim_titles(tokens, out);
    }

    /// The items of a list of organisations named by their kind after 等 (阿里巴巴、京东等
    /// 知名电商平台; 广汽、理想汽车、安吉物流等企业): each an ORG, however the segmenter read
    /// it (as a place, a verb and a numeral, a common noun). Not a list of trades (餐饮、物流
    /// 等企业): no more than half of the items may be one common word of the dictionary
    /// each.
    fn listed_organisations(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for h in (1..tokens.len()).filter(|&h| tokens[h].word == "等") {
            let after = h + 1 + places::numeral_classifier(tokens, h + 1).unwrap_or(0);
            // The kind, after at most two modifiers (知名 电商 平台), all nouns, adjectives or
            // 知名-like verbs: 北京、上海等地的企业 stops at 的.
            let kind = tokens
                .iter()
                .skip(after)
                .take(3)
                .take_while(|t| t.is_han() && t.can_be_in_name())
                .any(|t| ORG_KINDS.iter().any(|k| t.word.ends_with(k)));
            if !kind {
                continue;
            }
            let Some(mut items) = places::items_before(tokens, h) else {
                continue;
            };
            // The first item, whose start no 、 marks: the words that can be in a name before
            // its end, up to five chars (与|阿里巴巴, 现有|苏宁易购, 已经与|广汽), not the run
            // as long as the next item that a list of places takes.
            let end = tokens.partition_point(|t| t.range.end <= items[0].end);
            let mut start = end;
            let mut chars = 0;
            while start > 0 {
                let t = &tokens[start - 1];
                chars += t.word.chars().count();
                if chars > 5 || !t.is_han() || !t.can_be_in_name() || t.tag == "b" {
                    break;
                }
                start -= 1;
            }
            // Not from a verb on (引进|阿里巴巴), though one may sit inside (苏宁 易购/v).
            while start < end && tokens[start].is_verb() && !tokens[start].is_name_like() {
                start += 1;
            }
            if start < end && tokens[end - 1].range.end == items[0].end {
                items[0].start = tokens[start].range.start;
            } else if items.len() > 2 {
                // The first item not found (拼/v 多多/m、京东、美团等电商平台): the others,
                // which 、 sets apart on both sides.
                items.remove(0);
            } else {
                continue;
            }
            let common = items
                .iter()
                .filter(|r| {
                    starting_at(tokens, r.start).is_some_and(|k| {
                        let t = &tokens[k];
                        t.range == **r && !t.is_name_like() && self.known(t.word)
                    })
                })
                .count();
            if 2 * common > items.len() {
                continue;
            }
            out.extend(items.into_iter().map(|range| Candidate {
                range,
                label: "ORG".into(),
                rule: "pattern:listed-org".into(),
                priority: 2,
            }));
        }
    }
}

/// Words (or word endings) that name a kind of organisation after a list: 企业, 电商平台, 银行.
const ORG_KINDS: &[&str] = &[
    "企业", "公司", "平台", "银行", "机构", "高校", "院校", "媒体", "网站", "集团", "超市", "商超",
    "电商", "医院", "学校", "大学", "协会", "品牌", "厂商", "车企", "药企", "网店",
];

/// Last chars of a division's word that a model place may end inside (平利 of 平利县).
const LEVEL_ENDS: [char; 9] = ['省', '市', '县', '区', '州', '镇', '乡', '村', '旗'];

/// Words a place's body may run over after the place, at most (岷县 + 申都 康顺堂 农业 专业 合作社
/// 联合社 党支部).
const BODY_WORDS: usize = 8;

/// A place followed by the name of a body of it, up to a word that ends with an organisation
/// suffix, is one ORG, as the guide asks (an ORG that contains a place name is one span): the
/// model often tags the place and leaves the rest (南平村|党支部, 申都乡|党委, 岷县|申都康顺堂…联合社
/// 党支部). The words between may be nouns and names (not verbs but
/// verbal nouns, nor function words, numerals or punctuation: 鸿兴镇|依托合作社 stays a place);
/// the body ends at the last such suffix within [`BODY_WORDS`] words (长顺县人民政府办公室), or
/// before a title written with it (申都乡|党委书记 → 申都乡党委). A place that ends inside a
/// body's word takes the word in (阜平|县委 → 阜平县委).
pub(super) fn places_with_bodies(tokens: &[Token], candidates: &mut [Candidate]) {
    let body = |w: &str| ORG_SUFFIXES.iter().any(|s| w.ends_with(s));
    for c in candidates.iter_mut().filter(|c| c.label == "LOC") {
        let mut end = None;
        // The place may end inside a body's word (阜平县 in 阜平 | 县委 | 副 | 书记, 贵州省 in
        // 贵州 | 省政府): the body runs on to the word's end.
        let k = tokens.partition_point(|t| t.range.end <= c.range.end);
        let at = match tokens.get(k) {
            Some(t) if t.range.start < c.range.end && t.range.start >= c.range.start => {
                if t.is_han() && body(t.word) && !ORG_NEEDS_NAME.contains(&t.word) {
                    end = Some(t.range.end);
                } else if !(t.is_han() && t.word.ends_with(LEVEL_ENDS)) {
                    continue;
                }
                // Or the place ends inside a division's word (陕西省平利 in 平利县 | 委 | 书记):
                // a body after the word takes the word in.
                k + 1
            }
            // The segmenter's 阜平县 | 委副 | 书记: the committee's 委 begins the next word, and
            // the rest of it begins a title (not 委托, 委屈).
            Some(t)
                if t.range.start == c.range.end
                    && t.word.strip_prefix('委').is_some_and(|rest| {
                        TITLE_HEADS.contains(&rest)
                            || ORG_TITLE_AFTER.iter().any(|title| title.starts_with(rest))
                    })
                    && k > 0
                    && tokens[k - 1]
                        .word
                        .ends_with(['省', '市', '县', '区', '州', '镇', '乡', '旗']) =>
            {
                end = Some(t.range.start + '委'.len_utf8());
                k + 1
            }
            _ => match starting_at(tokens, c.range.end) {
                Some(at) => at,
                None => continue,
            },
        };
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
/// whole), nor in a POLICY, whose campaigns often begin with a verb (实施…工程). Before a body
/// of the organisation lexicon (`body`), any verbs, adjectives and adverbs go (落实|党中央).
pub(super) fn trim_leading_verbs(
    tokens: &[Token],
    body: &dyn Fn(&str) -> bool,
    candidates: &mut [Candidate],
) {
    for c in candidates
        .iter_mut()
        .filter(|c| c.rule == "model" && matches!(c.label.as_str(), "PER" | "LOC" | "ORG"))
    {
        if let Some(k) = starting_at(tokens, c.range.start)
            && tokens[k].tag == "v"
            && tokens[k].word.chars().nth(1).is_some()
            && tokens
                .get(k + 1)
                .is_some_and(|n| n.is_name_like() && n.range.end <= c.range.end)
        {
            c.range.start = tokens[k].range.end;
            continue;
        }
        // Verbs, adjectives and adverbs before a body of the lexicon, however the segmenter
        // tagged them (落实/a|党中央), also where the span began inside one (认真|落实/z|党中央).
        let k = tokens.partition_point(|t| t.range.end <= c.range.start);
        let lead = tokens[k..]
            .iter()
            .take_while(|t| matches!(t.tag, "v" | "vd" | "a" | "ad" | "z" | "d"))
            .count();
        if lead > 0
            && let Some(n) = tokens.get(k + lead)
            && body(n.word)
            && n.range.end <= c.range.end
        {
            c.range.start = n.range.start;
        }
    }
}

/// An ORG that ends with a title written as one word with its body (中央政治局常委, the
/// segmenter's nt) ends before the title, as the gold sets mark a body before its title
/// (图们市委|书记, 申都乡党委|书记): 中共中央政治局常委 → 中共中央政治局. Only where what is
/// left of the word ends with an organisation suffix; a title written as a word of its own
/// after a body's word goes too (花垣县 | 委 | 常委 → 花垣县委).
pub(super) fn trim_titles(tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates.iter_mut().filter(|c| c.label == "ORG") {
        let k = tokens.partition_point(|t| t.range.end < c.range.end);
        let Some(t) = tokens.get(k).filter(|t| t.range.end == c.range.end) else {
            continue;
        };
        let Some(stem) = ORG_TITLE_AFTER
            .iter()
            .find_map(|title| t.word.strip_suffix(title))
        else {
            continue;
        };
        // The title a word of its own after the body's (花垣县 | 委 | 常委).
        if stem.is_empty()
            && k > 0
            && tokens[k - 1].range.end == t.range.start
            && t.range.start > c.range.start
            && ORG_SUFFIXES.iter().any(|s| tokens[k - 1].word.ends_with(s))
        {
            c.range.end = t.range.start;
            continue;
        }
        let end = t.range.start + stem.len();
        if !stem.is_empty() && end > c.range.start && ORG_SUFFIXES.iter().any(|s| stem.ends_with(s))
        {
            c.range.end = end;
        }
    }
}

/// Words that begin a title and are no part of a body: 常务副 + 主席, 副 + 书记, 第一 + 书记.
const TITLE_HEADS: [&str; 7] = ["副", "常务副", "常务", "第一", "执行", "代理", "代"];

/// An ORG that ends with the head of a title written as a word of its own, right before the
/// rest of the title (the model's 农工党中央常务副 | 主席, 河北省委常务副 | 书记), ends before
/// the head: the gold sets mark a body before its title.
pub(super) fn trim_title_heads(
    tokens: &[Token],
    is_title: &dyn Fn(&str) -> bool,
    candidates: &mut [Candidate],
) {
    for c in candidates.iter_mut().filter(|c| c.label == "ORG") {
        // The token that starts at the span's end: a title.
        let k = tokens.partition_point(|t| t.range.start < c.range.end);
        if !tokens
            .get(k)
            .is_some_and(|t| t.range.start == c.range.end && is_title(t.word))
        {
            continue;
        }
        let mut end = c.range.end;
        for t in tokens[..k].iter().rev() {
            if t.range.end != end
                || t.range.start <= c.range.start
                || !TITLE_HEADS.contains(&t.word)
            {
                break;
            }
            end = t.range.start;
        }
        c.range.end = end;
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

/// A model's ORG that runs on past a complete body through a one-char verb or preposition
/// written as a word of its own ends before it: 中益乡小学 | 离/v | 乡政府 → 中益乡小学 (the
/// model, reading chars, joins two bodies that a verb relates). Only where the word before
/// the verb ends with an organisation suffix and the span goes on after the verb: a body's own
/// name rarely holds a one-char verb right after a complete body.
pub(super) fn cut_at_inner_verbs(tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates
        .iter_mut()
        .filter(|c| c.rule == "model" && c.label == "ORG")
    {
        let first = tokens.partition_point(|t| t.range.end <= c.range.start);
        let cut = tokens[first..]
            .iter()
            .take_while(|t| t.range.end < c.range.end)
            .find(|t| {
                t.range.start > c.range.start
                    && matches!(t.tag, "v" | "p")
                    && t.word.chars().nth(1).is_none()
                    && is_han(last_char(t.word))
            });
        if let Some(t) = cut {
            let before = c.range.start..t.range.start;
            if tokens[first..].iter().any(|b| {
                b.range.end == before.end
                    && b.range.start >= before.start
                    && ORG_SUFFIXES.iter().any(|s| b.word.ends_with(s))
            }) {
                c.range.end = before.end;
            }
        }
    }
}
