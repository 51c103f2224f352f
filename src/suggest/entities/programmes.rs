//! POLICY candidates (and newspapers in 《》 as ORG): book titles, quoted programme names,
//! name + 计划/模式/工程, the policy lexicon.

use std::ops::Range;

use super::lexicon::{
    ORG_SUFFIXES, PLACE_SUFFIXES, PROGRAMME_ENDINGS, PROGRAMME_NOUNS, PROGRAMME_VERBS,
    generic_place, is_han, is_numeral, numbered_policy,
};
use super::token::{Token, starting_at};
use super::{Candidate, Recognizer};

/// Fewest chars of a quoted name that starts with a numeral to be a numbered slogan: shorter
/// ones are as often counts and common words (“五室”, “三农”, “一站式”, “一把手”).
const NUMBERED_MIN_CHARS: usize = 4;

/// Words before a title in 《》 that make it a broadcast or a film (央视《焦点访谈》, 政论专题片
/// 《摆脱贫困》).
const BROADCAST_BEFORE: [&str; 13] = [
    "电视台",
    "央视",
    "卫视",
    "电台",
    "频道",
    "栏目",
    "节目",
    "收看",
    "观看",
    "专题片",
    "纪录片",
    "电视剧",
    "电影",
];

/// Words after a title in 《》 that make it a broadcast, a film or a show (《新闻联播》节目).
const BROADCAST_AFTER: [&str; 9] = [
    "栏目",
    "节目",
    "播出",
    "专栏",
    "频道",
    "纪录片",
    "电视剧",
    "专题片",
    "直播",
];

/// How the titles of news programmes end (《新闻联播》, 《焦点访谈》, 《东方时空》): the kind of
/// programme is part of the title.
const BROADCAST_TITLE_ENDS: [&str; 5] = ["联播", "访谈", "时空", "直播间", "面对面"];

/// Whether the title in 《》 at `range` of `text` is a television or radio programme, a film
/// or a show, named by the words beside it or by its own end: the guide's 《新闻联播》, which
/// is no POLICY.
fn broadcast_title(text: &str, range: std::ops::Range<usize>) -> bool {
    let before = text[..range.start].trim_end();
    let after = text[range.end..].trim_start();
    let title = text[range].trim_end_matches('》');
    BROADCAST_BEFORE.iter().any(|w| before.ends_with(w))
        || BROADCAST_AFTER.iter().any(|w| after.starts_with(w))
        || BROADCAST_TITLE_ENDS.iter().any(|w| title.ends_with(w))
}

/// The topics the guide names as no POLICY when written bare (脱贫攻坚, 乡村振兴, 易地扶贫搬迁,
/// 扶贫): the model's POLICY spans that are one of them go, unless 战略 follows (乡村振兴战略,
/// a named strategy).
const TOPICS: [&str; 4] = ["脱贫攻坚", "乡村振兴", "易地扶贫搬迁", "扶贫"];

/// How the name of a newspaper or news site ends (日报, 晚报 …: not 报 alone, which ends 公报,
/// 情报, 举报); 新闻网 and 网 only as a word of their own after a place (青岛 + 新闻网, 中国甘肃 +
/// 网; not 农村电网).
const NEWSPAPER_ENDINGS: [&str; 10] = [
    "日报",
    "晚报",
    "时报",
    "早报",
    "晨报",
    "周报",
    "商报",
    "青年报",
    "新闻网",
    "网",
];

impl Recognizer {
    /// POLICY: 《document titles》, quoted programme names, programme endings after a name,
    /// the policy lexicon.
    pub(super) fn programmes(&self, text: &str, tokens: &[Token], out: &mut Vec<Candidate>) {
        // 《…》: the whole title with its marks, or a newspaper inside them (an ORG).
        for (open, _) in text.match_indices('《') {
            let inner_start = open + '《'.len_utf8();
            let rest = &text[inner_start..];
            let Some(close) = rest.find(['》', '\n', '《']) else {
                continue;
            };
            if !rest[close..].starts_with('》') || close == 0 || rest[..close].chars().count() > 60
            {
                continue;
            }
            // People's Daily pages sign off with spaces inside the marks: 《 人民日报 》.
            let pad = [' ', '\u{3000}'];
            let inner = rest[..close].trim_end_matches(pad);
            let lead = inner.len() - inner.trim_start_matches(pad).len();
            // A newspaper's edition is the newspaper too: 《人民日报海外版》.
            let paper = inner.strip_suffix("版").map_or(inner, |p| {
                p.strip_suffix("海外")
                    .or(p.strip_suffix("农村"))
                    .unwrap_or(inner)
            });
            if ["日报", "晚报", "时报", "报", "杂志", "周刊"]
                .iter()
                .any(|s| paper.ends_with(s))
                && inner.len() > lead
            {
                out.push(Candidate {
                    range: inner_start + lead..inner_start + inner.len(),
                    label: "ORG".into(),
                    rule: "pattern:newspaper".into(),
                    priority: 4,
                });
            } else {
                out.push(Candidate {
                    range: open..inner_start + close + '》'.len_utf8(),
                    label: "POLICY".into(),
                    rule: "pattern:book-title".into(),
                    priority: 4,
                });
            }
        }
        // “…”: a short quoted name used as a programme.
        for (open, _) in text.match_indices('“') {
            let inner_start = open + '“'.len_utf8();
            let rest = &text[inner_start..];
            let Some(close) = rest.find(['”', '\n', '“']) else {
                continue;
            };
            if !rest[close..].starts_with('”') {
                continue;
            }
            let inner = &rest[..close];
            let n = inner.chars().count();
            if !(2..=12).contains(&n)
                || inner.contains(['，', ',', '。', '！', '？', '：', ':', '；', ';'])
                || inner.chars().filter(|c| is_han(*c)).count() < 2
                || inner.starts_with(['+', '＋'])
            {
                continue;
            }
            let after = &rest[close + '”'.len_utf8()..];
            let before = &text[..open];
            let programme_after = PROGRAMME_NOUNS.iter().any(|w| after.starts_with(w))
                && !after.starts_with("工作者");
            let programme_before = PROGRAMME_VERBS.iter().any(|w| before.ends_with(w));
            let named = PROGRAMME_ENDINGS.iter().any(|w| inner.ends_with(w));
            let slogan = n >= 4
                && !inner.contains('、')
                && inner.chars().filter(|c| is_numeral(*c)).count() >= 2;
            // A numbered slogan: “五措并举”, “三重医疗保障”, “三下沉、两提高、一兜底”.
            if n >= NUMBERED_MIN_CHARS && inner.starts_with(is_numeral) {
                out.push(Candidate {
                    range: inner_start..inner_start + close,
                    label: "POLICY".into(),
                    rule: "pattern:numbered-slogan".into(),
                    priority: 4,
                });
                continue;
            }
            if (programme_after || programme_before || named || slogan) && !inner.contains('、')
                || (programme_after && n >= 4)
            {
                out.push(Candidate {
                    range: inner_start..inner_start + close,
                    label: "POLICY".into(),
                    rule: "pattern:quoted".into(),
                    priority: 4,
                });
            }
        }
        listed_slogans(text, out);
        quoted_formulas(text, out);
        // Name + 计划/模式/工程: 雨露计划, 陆家模式.
        for (i, t) in tokens.iter().enumerate() {
            if !PROGRAMME_ENDINGS.contains(&t.word) || i == 0 {
                continue;
            }
            let p = &tokens[i - 1];
            let chars = p.word.chars().count();
            let name = p.is_han()
                && (2..=4).contains(&chars)
                && (p.is_name_like() || self.places.contains_key(p.word) || !self.known(p.word));
            if name && !generic_place(p.word) {
                out.push(Candidate {
                    range: p.range.start..t.range.end,
                    label: "POLICY".into(),
                    rule: "pattern:programme".into(),
                    priority: 2,
                });
            }
        }
        five_year_plans(text, out);
        for m in self.policies.find_iter(text) {
            out.push(Candidate {
                range: m.range(),
                label: "POLICY".into(),
                rule: if numbered_policy(&text[m.range()]) {
                    "lexicon:numbered-policy"
                } else {
                    "lexicon:policy"
                }
                .into(),
                priority: 3,
            });
        }
    }
}

/// The byte ranges of what is quoted in `text` with “…” or ‘…’, quotes left out: each opening
/// quote with its closing one on the same line and no other opening quote between.
fn quoted(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    [('“', '”'), ('‘', '’')]
        .into_iter()
        .flat_map(move |(open, close)| {
            text.match_indices(open).filter_map(move |(at, _)| {
                let start = at + open.len_utf8();
                let rest = &text[start..];
                let end = rest.find([close, open, '\n'])?;
                rest[end..].starts_with(close).then_some(start..start + end)
            })
        })
}

/// Most chars of a quoted slogan written as a list ([`listed_slogans`]).
const LISTED_SLOGAN_MAX_CHARS: usize = 60;

/// A quoted list of phrases is a slogan, which the guide makes a POLICY (“搬得出、稳得住、
/// 逐步能致富”, ‘小病不出乡、大病不出县’): two or more items set apart by 、 (commas may group
/// them: “以贫困户为主体,以脱贫增收为目标,政府驱动、龙头带动、市场推动”), each of two chars
/// or more (“县、镇、村” and “山、泉、林、溪、石” list things), with no sentence inside
/// (。！？；) and no one speaking (我, 你, 咱: quoted speech is no POLICY).
fn listed_slogans(text: &str, out: &mut Vec<Candidate>) {
    for range in quoted(text) {
        let inner = &text[range.clone()];
        if inner.contains('、')
            && inner.chars().count() <= LISTED_SLOGAN_MAX_CHARS
            && !inner.contains([
                '。', '！', '？', '；', ';', '!', '?', '：', ':', '我', '你', '咱',
            ])
            && inner
                .split(['、', '，', ','])
                .all(|item| item.chars().count() >= 2 && item.chars().all(is_han))
        {
            out.push(Candidate {
                range,
                label: "POLICY".into(),
                rule: "pattern:listed-slogan".into(),
                priority: 4,
            });
        }
    }
}

/// Most chars of a quoted model written with + ([`quoted_formulas`]).
const FORMULA_MAX_CHARS: usize = 40;

/// A quoted model written with + is a POLICY, as the guide says (“公司+基地+农户”): anything
/// quoted with a + or ＋ in it (“1+N”, “全域+”, “+贫困户”, “1 + 9 + 36”), up to
/// [`FORMULA_MAX_CHARS`], with no sentence or clause inside (。！？；：，). On the development
/// and seed texts every one of the 31 quoted formulas is a gold POLICY, quotes left out.
fn quoted_formulas(text: &str, out: &mut Vec<Candidate>) {
    for range in quoted(text) {
        let inner = &text[range.clone()];
        if inner.contains(['+', '＋'])
            && inner
                .chars()
                .any(|c| !matches!(c, '+' | '＋') && !c.is_whitespace())
            && inner.chars().count() <= FORMULA_MAX_CHARS
            && !inner.contains(['。', '！', '？', '；', ';', '!', '?', '：', ':', '，', ','])
        {
            out.push(Candidate {
                range,
                label: "POLICY".into(),
                rule: "pattern:quoted-formula".into(),
                priority: 4,
            });
        }
    }
}

/// Words that make a place before them a named way of working: 陆家村 + 模式, 白城 + 经验.
const PLACE_MODELS: [&str; 2] = ["模式", "经验"];

/// A place followed by [`PLACE_MODELS`] as a word of its own is a POLICY with it, the guide's
/// 陆家模式: 陆家村模式, 白城经验 (the model and the gazetteer find the place alone, or the
/// model calls the place alone a POLICY: one that ends like a place, 陆家村; not 精准扶贫 +
/// 模式, which the gold sets leave as it is).
pub(super) fn place_models(text: &str, tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates.iter_mut().filter(|c| {
        c.label == "LOC"
            || c.label == "POLICY"
                && text[..c.range.end]
                    .chars()
                    .next_back()
                    .is_some_and(|l| PLACE_SUFFIXES.contains(l))
    }) {
        if let Some(k) = starting_at(tokens, c.range.end)
            && PLACE_MODELS.contains(&tokens[k].word)
        {
            c.range.end = tokens[k].range.end;
            c.label = "POLICY".into();
            c.rule = "pattern:place-model".into();
            c.priority = c.priority.max(3);
        }
    }
}

/// A model POLICY that ends inside a segmenter word ends with it, when one or two chars of
/// the word are left (精准扶贫精准|脱|贫 → 精准扶贫精准脱贫): a slogan ends at a word's end; one
/// that ends right before a word that ends programmes' names takes it in (东西部扶贫|协作). So
/// does a model ORG, when one char is left and the word ends with an organisation suffix
/// (鲁甸县农产品交易中|心 → 交易中心; not 阜平县委|副, a title's head).
pub(super) fn complete_to_word_ends(tokens: &[Token], candidates: &mut [Candidate]) {
    for c in candidates
        .iter_mut()
        .filter(|c| matches!(c.label.as_str(), "POLICY" | "ORG") && c.rule == "model")
    {
        let k = tokens.partition_point(|t| t.range.end <= c.range.end);
        if let Some(t) = tokens.get(k)
            && t.range.start < c.range.end
            && t.is_han()
        {
            let left = t.word[c.range.end - t.range.start..].chars().count();
            let whole = if c.label == "POLICY" {
                (1..=2).contains(&left)
            } else {
                left == 1 && ORG_SUFFIXES.iter().any(|s| t.word.ends_with(s))
            };
            if whole {
                c.range.end = t.range.end;
            }
        } else if c.label == "POLICY"
            && let Some(t) = tokens.get(k).filter(|t| t.range.start == c.range.end)
            && PROGRAMME_TAILS.contains(&t.word)
        {
            c.range.end = t.range.end;
        }
    }
}

/// Words that end a programme's name after a word of it (东西部扶贫 + 协作): a model POLICY
/// right before one of them takes it in. Not the [`PROGRAMME_ENDINGS`]: the gold sets mark a
/// policy's name before 模式 where something else names the model (“支部+10”精准扶贫|模式).
const PROGRAMME_TAILS: [&str; 2] = ["协作", "战略"];

/// The five-year plans (十一五 … 十九五), which the guide names as POLICY (十四五): 十, a
/// numeral, 五, with no numeral or 第 before and no numeral after (not 二十一五, 第十三五).
fn five_year_plans(text: &str, out: &mut Vec<Candidate>) {
    for (start, _) in text.match_indices('十') {
        let mut rest = text[start + '十'.len_utf8()..].chars();
        let (Some(n), Some('五')) = (rest.next(), rest.next()) else {
            continue;
        };
        let before = text[..start].chars().next_back();
        if "一二三四五六七八九".contains(n)
            && !before.is_some_and(|c| is_numeral(c) || c == '第')
            && !rest.next().is_some_and(is_numeral)
        {
            let end = start + '十'.len_utf8() + n.len_utf8() + '五'.len_utf8();
            out.push(Candidate {
                range: start..end,
                label: "POLICY".into(),
                rule: "pattern:five-year-plan".into(),
                priority: 4,
            });
        }
    }
}

impl Recognizer {
    /// ORG: a newspaper named without 《》 (the guide: 人民日报 is an ORG), one word of four
    /// chars or more ending like one (人民日报/nz, 经济日报/n), or a place or name and the
    /// ending as a word of its own (甘肃 + 日报); a news site, places and 网 or 新闻网 as a word
    /// of its own, with no Han word before them (中国 + 甘肃 + 网, 青岛 + 新闻网; not 每日|甘肃网).
    /// Near-certain, like a newspaper in 《》, but no feature of the model, which was trained
    /// without it (see `find_with`).
    pub(super) fn newspapers(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for (i, t) in tokens.iter().enumerate() {
            let Some(ending) = NEWSPAPER_ENDINGS.iter().find(|e| t.word.ends_with(*e)) else {
                continue;
            };
            let site = ending.ends_with('网');
            let start = if site {
                // A news site: the word alone after places (中国 + 甘肃 + 网).
                let places = tokens[..i]
                    .iter()
                    .rev()
                    .take_while(|p| p.tag == "ns" || self.places.contains_key(p.word))
                    .count();
                // Not the end of a longer name (每日 + 甘肃 + 网): nothing of Han before.
                let free = i == places || !tokens[i - places - 1].is_han();
                (t.word == *ending && places > 0 && free).then(|| tokens[i - places].range.start)
            } else if t.word.len() > ending.len() {
                (t.is_han() && t.word.chars().count() >= 4).then_some(t.range.start)
            } else {
                i.checked_sub(1)
                    .map(|k| &tokens[k])
                    .filter(|p| p.is_name_like() || self.places.contains_key(p.word))
                    .map(|p| p.range.start)
            };
            if let Some(start) = start {
                out.push(Candidate {
                    range: start..t.range.end,
                    label: "ORG".into(),
                    rule: "pattern:newspaper".into(),
                    priority: 4,
                });
            }
        }
    }

    /// Drops the model's POLICY spans that are one verb, adjective or adverb of the
    /// segmenter's dictionary and not in the policy lexicon (帮扶, 脱贫): the guide's topics and
    /// words, not named policies, which are nouns, names or phrases; and every POLICY that is
    /// a broadcast's title in 《》 ([`broadcast_title`]; the book-title rule stays a feature of
    /// the model as it was trained); and the model's POLICY spans of one char, and the bare
    /// [`TOPICS`] (乡村振兴 before 战略 takes it: 乡村振兴战略). One such
    /// mistake is repeated wherever the word occurs again (document repeats), so it goes
    /// here, before them.
    pub(super) fn drop_unnamed_policies(
        &self,
        text: &str,
        tokens: &[Token],
        candidates: &mut Vec<Candidate>,
    ) {
        // A topic the model took for a policy: named with 战略 after it (乡村振兴 + 战略), or
        // none.
        for c in candidates
            .iter_mut()
            .filter(|c| c.label == "POLICY" && c.rule == "model")
        {
            if TOPICS.contains(&&text[c.range.clone()])
                && let Some(k) = starting_at(tokens, c.range.end)
                && tokens[k].word == "战略"
            {
                c.range.end = tokens[k].range.end;
            }
        }
        candidates.retain(|c| {
            if c.label != "POLICY" {
                return true;
            }
            if c.rule == "model" && TOPICS.contains(&&text[c.range.clone()]) {
                return false;
            }
            if text[c.range.clone()].starts_with('《') && broadcast_title(text, c.range.clone()) {
                return false;
            }
            if c.rule != "model" {
                return true;
            }
            // One char names no policy (the model's 百 of 百县千乡万村).
            if text[c.range.clone()].chars().nth(1).is_none() {
                return false;
            }
            let Some(k) = starting_at(tokens, c.range.start) else {
                return true;
            };
            let t = &tokens[k];
            let plain = matches!(t.tag.as_bytes().first(), Some(b'v' | b'a' | b'd'));
            !(t.range.end == c.range.end
                && plain
                && self.jieba.has_word(t.word)
                && self.policies.find(t.word).is_none())
        });
    }
}
