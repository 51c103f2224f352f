//! Figure suggestions: MONEY, PERCENT, COUNT, MEASURE, DATE, DURATION, each with its
//! normalised value, following the span rules of the annotation guide (qualifiers such as
//! 近/约/超过 outside the span but marking it approximate; 余/多/来 inside; ranges with one
//! unit as one span; ordinals, codes, phone numbers, slogans and idioms left alone).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::numerals::{self, Arabic, Chinese, Decimal, fold, is_cn_numeral};
use crate::model::span::{Normalized, Num, Quantity};

/// One figure found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// MONEY, PERCENT, COUNT, MEASURE, DATE or DURATION.
    pub label: &'static str,
    /// The rule that matched (money, percent, count, measure, date, time, duration).
    pub rule: &'static str,
    /// Normalised value.
    pub value: Normalized,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    /// As written.
    text: &'static str,
    /// Its length in chars.
    len: usize,
    /// Label it gives (`None`: a word that merely starts like a unit and blocks it: 周年, 年级).
    label: Option<&'static str>,
    /// Unit stored in the value.
    norm: &'static str,
    /// The unit itself marks approximation (个多月).
    approx: bool,
}

const MONEY: &str = "MONEY";
const PERCENT: &str = "PERCENT";
const COUNT: &str = "COUNT";
const MEASURE: &str = "MEASURE";
const DATE: &str = "DATE";
const DURATION: &str = "DURATION";

/// (written, label, normalised unit, approx)
const UNITS: &[(&str, Option<&str>, &str, bool)] = &[
    // money
    ("元", Some(MONEY), "元", false),
    ("块钱", Some(MONEY), "元", false),
    ("美元", Some(MONEY), "美元", false),
    ("欧元", Some(MONEY), "欧元", false),
    ("日元", Some(MONEY), "日元", false),
    ("港元", Some(MONEY), "港元", false),
    ("港币", Some(MONEY), "港元", false),
    ("英镑", Some(MONEY), "英镑", false),
    ("韩元", Some(MONEY), "韩元", false),
    // percent
    ("%", Some(PERCENT), "%", false),
    ("‰", Some(PERCENT), "‰", false),
    ("个百分点", Some(PERCENT), "百分点", false),
    ("百分点", Some(PERCENT), "百分点", false),
    // measures
    ("平方公里", Some(MEASURE), "平方公里", false),
    ("平方千米", Some(MEASURE), "平方千米", false),
    ("平方米", Some(MEASURE), "平方米", false),
    ("平米", Some(MEASURE), "平方米", false),
    ("立方米", Some(MEASURE), "立方米", false),
    ("公顷", Some(MEASURE), "公顷", false),
    ("亩", Some(MEASURE), "亩", false),
    ("公里", Some(MEASURE), "公里", false),
    ("千米", Some(MEASURE), "千米", false),
    ("厘米", Some(MEASURE), "厘米", false),
    ("毫米", Some(MEASURE), "毫米", false),
    ("米", Some(MEASURE), "米", false),
    ("吨", Some(MEASURE), "吨", false),
    ("公斤", Some(MEASURE), "公斤", false),
    ("千克", Some(MEASURE), "千克", false),
    ("克", Some(MEASURE), "克", false),
    ("斤", Some(MEASURE), "斤", false),
    ("千瓦时", Some(MEASURE), "千瓦时", false),
    ("千瓦", Some(MEASURE), "千瓦", false),
    ("兆瓦", Some(MEASURE), "兆瓦", false),
    ("瓦", Some(MEASURE), "瓦", false),
    ("度电", Some(MEASURE), "千瓦时", false),
    ("升", Some(MEASURE), "升", false),
    ("毫升", Some(MEASURE), "毫升", false),
    ("kWh", Some(MEASURE), "千瓦时", false),
    ("kW", Some(MEASURE), "千瓦", false),
    ("MW", Some(MEASURE), "兆瓦", false),
    ("km", Some(MEASURE), "公里", false),
    ("kg", Some(MEASURE), "公斤", false),
    // durations
    ("个多月", Some(DURATION), "月", true),
    ("个月", Some(DURATION), "月", false),
    ("个多小时", Some(DURATION), "小时", true),
    ("个小时", Some(DURATION), "小时", false),
    ("个钟头", Some(DURATION), "小时", false),
    ("小时", Some(DURATION), "小时", false),
    ("分钟", Some(DURATION), "分钟", false),
    ("秒钟", Some(DURATION), "秒", false),
    ("秒", Some(DURATION), "秒", false),
    ("个多星期", Some(DURATION), "周", true),
    ("个星期", Some(DURATION), "周", false),
    ("个工作日", Some(DURATION), "工作日", false),
    ("个工作日", Some(DURATION), "工作日", false),
    ("个季度", Some(DURATION), "季度", false),
    ("周", Some(DURATION), "周", false),
    ("天", Some(DURATION), "天", false),
    ("年", Some(DURATION), "年", false),
    // words that start like a unit but are not one
    ("周年", None, "", false),
    ("周岁", None, "", false),
    ("年级", None, "", false),
    ("年代", None, "", false),
    ("方面", None, "", false),
    ("方式", None, "", false),
    ("方向", None, "", false),
    ("方案", None, "", false),
    ("方针", None, "", false),
    ("方法", None, "", false),
    ("方阵", None, "", false),
    ("米粮", None, "", false),
    ("克服", None, "", false),
    ("天然", None, "", false),
    ("元素", None, "", false),
    ("元旦", None, "", false),
    ("人口", None, "", false),
    ("人民", None, "", false),
    ("家庭", None, "", false),
    ("家子", None, "", false),
    ("个子", None, "", false),
    ("家人", None, "", false),
    ("名单", None, "", false),
    ("条件", None, "", false),
    ("项目", None, "", false),
    ("次要", None, "", false),
    ("种植", None, "", false),
    ("种养", None, "", false),
    ("种类", None, "", false),
    ("头等", None, "", false),
    ("只有", None, "", false),
    ("只要", None, "", false),
    ("位于", None, "", false),
    ("位置", None, "", false),
    ("场所", None, "", false),
    ("台阶", None, "", false),
    ("张贴", None, "", false),
    ("本地", None, "", false),
    ("本村", None, "", false),
    ("本级", None, "", false),
    // counting words and classifiers
    ("人次", Some(COUNT), "人次", false),
    ("户次", Some(COUNT), "户次", false),
    ("人", Some(COUNT), "人", false),
    ("户", Some(COUNT), "户", false),
    ("个", Some(COUNT), "个", false),
    ("名", Some(COUNT), "名", false),
    ("位", Some(COUNT), "位", false),
    ("家", Some(COUNT), "家", false),
    ("次", Some(COUNT), "次", false),
    ("项", Some(COUNT), "项", false),
    ("批", Some(COUNT), "批", false),
    ("只", Some(COUNT), "只", false),
    ("头", Some(COUNT), "头", false),
    ("条", Some(COUNT), "条", false),
    ("所", Some(COUNT), "所", false),
    ("座", Some(COUNT), "座", false),
    ("栋", Some(COUNT), "栋", false),
    ("幢", Some(COUNT), "幢", false),
    ("套", Some(COUNT), "套", false),
    ("台", Some(COUNT), "台", false),
    ("辆", Some(COUNT), "辆", false),
    ("件", Some(COUNT), "件", false),
    ("种", Some(COUNT), "种", false),
    ("类", Some(COUNT), "类", false),
    ("张", Some(COUNT), "张", false),
    ("本", Some(COUNT), "本", false),
    ("份", Some(COUNT), "份", false),
    ("篇", Some(COUNT), "篇", false),
    ("起", Some(COUNT), "起", false),
    ("场", Some(COUNT), "场", false),
    ("支", Some(COUNT), "支", false),
    ("株", Some(COUNT), "株", false),
    ("棵", Some(COUNT), "棵", false),
    ("架", Some(COUNT), "架", false),
    ("艘", Some(COUNT), "艘", false),
    ("间", Some(COUNT), "间", false),
    ("处", Some(COUNT), "处", false),
    ("块", Some(COUNT), "块", false),
    ("口", Some(COUNT), "口", false),
    ("匹", Some(COUNT), "匹", false),
    ("羽", Some(COUNT), "羽", false),
    ("枚", Some(COUNT), "枚", false),
    ("颗", Some(COUNT), "颗", false),
    ("笔", Some(COUNT), "笔", false),
    ("轮", Some(COUNT), "轮", false),
    ("遍", Some(COUNT), "遍", false),
    ("趟", Some(COUNT), "趟", false),
    ("眼", Some(COUNT), "眼", false),
    ("盏", Some(COUNT), "盏", false),
    ("栏", Some(COUNT), "栏", false),
    ("箱", Some(COUNT), "箱", false),
    ("袋", Some(COUNT), "袋", false),
    ("单", Some(COUNT), "单", false),
];

/// Units indexed by first char, longest first.
static UNIT_INDEX: LazyLock<HashMap<char, Vec<Unit>>> = LazyLock::new(|| {
    let mut m: HashMap<char, Vec<Unit>> = HashMap::new();
    for &(text, label, norm, approx) in UNITS {
        let first = text.chars().next().expect("units are not empty");
        m.entry(first).or_default().push(Unit {
            text,
            len: text.chars().count(),
            label,
            norm,
            approx,
        });
    }
    for v in m.values_mut() {
        v.sort_by_key(|u| std::cmp::Reverse(u.len));
    }
    m
});

fn unit_at(c: &[char], j: usize) -> Option<Unit> {
    let first = *c.get(j)?;
    let candidates = UNIT_INDEX.get(&first)?;
    candidates.iter().copied().find(|u| {
        let mut k = j;
        u.text.chars().all(|uc| {
            let ok = c.get(k) == Some(&uc);
            k += 1;
            ok
        })
    })
}

fn starts_with(c: &[char], j: usize, s: &str) -> bool {
    let mut k = j;
    s.chars().all(|sc| {
        let ok = c.get(k) == Some(&sc);
        k += 1;
        ok
    })
}

fn ends_with(c: &[char], j: usize, s: &str) -> bool {
    let n = s.chars().count();
    j >= n && starts_with(c, j - n, s)
}

fn is_han(ch: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&ch) || ('\u{3400}'..='\u{4dbf}').contains(&ch)
}

/// Which chars are inside a name: a 《document title》, or a short “slogan” (no sentence
/// punctuation). Numbers there belong to the name (“十二五”, “五个一”), not to a figure.
fn name_masks(c: &[char]) -> (Vec<bool>, Vec<bool>) {
    let mut title = vec![false; c.len()];
    let mut slogan = vec![false; c.len()];
    let mut i = 0;
    while i < c.len() {
        let (close, limit, mask) = match c[i] {
            '《' => ('》', 80, &mut title),
            '“' => ('”', 16, &mut slogan),
            '「' => ('」', 16, &mut slogan),
            '‘' => ('’', 16, &mut slogan),
            _ => {
                i += 1;
                continue;
            }
        };
        let end = c[i + 1..]
            .iter()
            .take(limit + 1)
            .position(|&x| x == close || x == '\n')
            .map(|p| i + 1 + p);
        match end {
            Some(e) if c[e] == close => {
                let inner = &c[i + 1..e];
                let sentence = inner
                    .iter()
                    .any(|&x| matches!(x, '，' | ',' | '。' | '；' | '！' | '？'));
                if close == '》' || !sentence {
                    for m in &mut mask[i + 1..e] {
                        *m = true;
                    }
                }
                i = e + 1;
            }
            _ => i += 1,
        }
    }
    (title, slogan)
}

/// Finds the figures of a text. `skip` tells which ranges to leave alone (boilerplate).
pub fn find(text: &str, skip: &dyn Fn(&Range<usize>) -> bool) -> Vec<Figure> {
    let c: Vec<char> = text.chars().map(fold).collect();
    Scanner::new(&c).run(skip)
}

/// The numeral a figure starts with.
#[derive(Debug, Clone, Copy)]
enum Numeral {
    Arabic(Arabic),
    Chinese(Chinese),
}

impl Numeral {
    fn end(&self) -> usize {
        match self {
            Self::Arabic(a) => a.end,
            Self::Chinese(c) => c.end,
        }
    }
    fn value(&self) -> Decimal {
        match self {
            Self::Arabic(a) => a.value,
            Self::Chinese(c) => c.value,
        }
    }
}

struct Scanner<'a> {
    c: &'a [char],
    title: Vec<bool>,
    slogan: Vec<bool>,
}

impl<'a> Scanner<'a> {
    fn new(c: &'a [char]) -> Self {
        let (title, slogan) = name_masks(c);
        Self { c, title, slogan }
    }

    fn run(&self, skip: &dyn Fn(&Range<usize>) -> bool) -> Vec<Figure> {
        let c = self.c;
        let mut out = Vec::new();
        let mut i = 0;
        while i < c.len() {
            let ch = c[i];
            let digit = ch.is_ascii_digit();
            if !(digit || is_cn_numeral(ch)) {
                i += 1;
                continue;
            }
            match self.at(i) {
                Some(f) => {
                    i = f.end;
                    if !self.title[f.start] && !skip(&(f.start..f.end)) {
                        out.push(f);
                    }
                }
                None => {
                    // Skip the whole numeral so that no figure starts inside it (十二五 → 五).
                    i += 1;
                    while i < c.len()
                        && (if digit {
                            c[i].is_ascii_digit() || matches!(c[i], '.' | ',')
                        } else {
                            is_cn_numeral(c[i])
                        })
                    {
                        i += 1;
                    }
                }
            }
        }
        out
    }

    fn at(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        if starts_with(c, i, "百分之") {
            return self.percent_words(i);
        }
        if c[i].is_ascii_digit() {
            self.arabic_at(i)
        } else {
            self.chinese_at(i)
        }
    }

    /// Contexts in which an Arabic number is a code, not a quantity.
    fn arabic_context_bad(&self, i: usize) -> bool {
        let c = self.c;
        let Some(&p) = i.checked_sub(1).and_then(|k| c.get(k)) else {
            return false;
        };
        if p.is_ascii_alphabetic()
            || matches!(
                p,
                '+' | '@' | '/' | '#' | '_' | '\\' | '=' | '.' | '第' | ':' | '&' | '?' | '%'
            )
        {
            return true;
        }
        if p == '-' && i >= 2 && c[i - 2].is_ascii_digit() {
            return true;
        }
        // “1 + 9 + 36”
        let mut k = i;
        while k > 0 && c[k - 1] == ' ' {
            k -= 1;
        }
        if k < i && k > 0 && c[k - 1] == '+' {
            return true;
        }
        // Inside a URL or an e-mail address.
        let mut k = i;
        let mut steps = 0;
        while k > 0 && steps < 60 && !c[k - 1].is_whitespace() && !is_han(c[k - 1]) {
            k -= 1;
            steps += 1;
        }
        let token: String = c[k..i].iter().collect();
        token.contains("://") || token.contains("www") || token.contains('@')
    }

    fn arabic_at(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        if self.arabic_context_bad(i) {
            return None;
        }
        if let Some(f) = self.iso_date(i).or_else(|| self.clock(i)) {
            return Some(f);
        }
        let a = numerals::arabic(c, i)?;
        if a.leading_zero && !a.decimal {
            return None;
        }
        // A number glued to letters or a plus sign is a name or code: x50, 1+N.
        let mut k = a.end;
        while c.get(k) == Some(&' ') {
            k += 1;
        }
        if c.get(a.end).is_some_and(|x| x.is_ascii_alphabetic()) && unit_at(c, a.end).is_none()
            || c.get(k) == Some(&'+')
        {
            return None;
        }
        if let Some(f) = self.date_words(i, Numeral::Arabic(a)) {
            return Some(f);
        }
        self.quantity(i, Numeral::Arabic(a))
    }

    fn chinese_at(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        if i > 0 && (c[i - 1] == '第' || is_cn_numeral(c[i - 1])) {
            return None;
        }
        let n = numerals::chinese(c, i)?;
        if n.digit_sequence {
            // 二〇一六年: only a year is written digit by digit.
            if c.get(n.end) == Some(&'年') && n.value.trunc() >= 1000 {
                return self.date_words(i, Numeral::Chinese(n));
            }
            return None;
        }
        if let Some(f) = self.date_words(i, Numeral::Chinese(n)) {
            return Some(f);
        }
        let f = self.quantity(i, Numeral::Chinese(n))?;
        // Numbers inside a short “slogan” belong to the slogan; 十个一批, 五个一 are names too.
        if self.slogan[i] || c.get(f.end).is_some_and(|&x| is_cn_numeral(x)) {
            return None;
        }
        if n.value_max.is_none() && c[i] == '二' && n.end == i + 1 && f.label == COUNT {
            return None; // 二次分红, 二期: 二 alone before a classifier is an ordinal
        }
        let time_unit = f.label == DURATION && !matches!(f.value.unit.as_deref(), Some("年"));
        if n.lone_one && !time_unit {
            // 一 is an article or part of an idiom (一位老人, 一次走访, 一年四季), not a figure;
            // 一个月, 一周, 一天 are lengths of time.
            return None;
        }
        Some(f)
    }

    /// 2018-04-09, 2016/9/26, 2016.09.26
    fn iso_date(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        let digits = |from: usize, min: usize, max: usize| -> Option<(u32, usize)> {
            let mut k = from;
            let mut v = 0u32;
            while k < c.len() && c[k].is_ascii_digit() && k - from < max {
                v = v * 10 + (c[k] as u32 - '0' as u32);
                k += 1;
            }
            (k - from >= min && !c.get(k).is_some_and(char::is_ascii_digit)).then_some((v, k))
        };
        let (y, k) = digits(i, 4, 4)?;
        let sep = *c.get(k)?;
        if !matches!(sep, '-' | '/' | '.') {
            return None;
        }
        let (m, k) = digits(k + 1, 1, 2)?;
        if c.get(k) != Some(&sep) {
            return None;
        }
        let (d, k) = digits(k + 1, 1, 2)?;
        if !(1000..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        Some(date(i, k, "date", format!("{y:04}-{m:02}-{d:02}"), None))
    }

    /// 09:12:25, 11:04
    fn clock(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        let two = |k: usize| -> Option<u32> {
            let a = c.get(k)?.to_digit(10)?;
            let b = c.get(k + 1)?.to_digit(10)?;
            Some(a * 10 + b)
        };
        let (h, mut k) = match (c.get(i).and_then(|x| x.to_digit(10)), c.get(i + 1)) {
            (Some(h), Some(':')) => (h, i + 1),
            _ => (two(i)?, i + 2),
        };
        if c.get(k) != Some(&':') {
            return None;
        }
        let m = two(k + 1)?;
        k += 3;
        let mut s = None;
        if c.get(k) == Some(&':') {
            s = Some(two(k + 1)?);
            k += 3;
        }
        if h > 24
            || m > 59
            || s.is_some_and(|s| s > 59)
            || c.get(k).is_some_and(|x| x.is_ascii_digit() || *x == ':')
        {
            return None;
        }
        let iso = match s {
            Some(s) => format!("{h:02}:{m:02}:{s:02}"),
            None => format!("{h:02}:{m:02}"),
        };
        Some(date(i, k, "time", iso, None))
    }

    /// Parses a numeral (Arabic or Chinese) at `k` with a value below `max`, e.g. a month.
    fn small_number(&self, k: usize, max: i128) -> Option<(i128, usize)> {
        let c = self.c;
        let ch = *c.get(k)?;
        let (v, end) = if ch.is_ascii_digit() {
            let a = numerals::arabic(c, k)?;
            if a.decimal || a.int_digits > 2 {
                return None;
            }
            (a.value.trunc(), a.end)
        } else if is_cn_numeral(ch) {
            let n = numerals::chinese(c, k)?;
            if n.value_max.is_some() || n.digit_sequence {
                return None;
            }
            (n.value.trunc(), n.end)
        } else {
            return None;
        };
        (1..=max).contains(&v).then_some((v, end))
    }

    /// Years, months and days written with 年/月/日: 2016年12月07日, 2017年, 9月份, 1—6月,
    /// 4月9日, 23日 (a day) — but 30日内 is a duration.
    fn date_words(&self, i: usize, n: Numeral) -> Option<Figure> {
        let c = self.c;
        let end = n.end();
        let v = n.value();
        if !v.is_integer() {
            return None;
        }
        let v = v.trunc();
        let arabic_digits = match n {
            Numeral::Arabic(a) => a.int_digits,
            Numeral::Chinese(_) => 0,
        };
        let is_year = match n {
            Numeral::Arabic(_) => arabic_digits == 4 && (1000..=2100).contains(&v),
            Numeral::Chinese(ch) => ch.digit_sequence,
        };
        if is_year {
            // 2016-2018年: a range of years.
            if matches!(c.get(end), Some('-' | '—' | '–' | '~' | '至' | '到'))
                && let Some(b) = numerals::arabic(c, end + 1)
            {
                let w = b.value.trunc();
                if b.int_digits == 4
                    && (v..=2100).contains(&w)
                    && c.get(b.end) == Some(&'年')
                    && !starts_with(c, b.end, "年代")
                {
                    return Some(date(
                        i,
                        b.end + 1,
                        "date",
                        format!("{v:04}"),
                        Some(format!("{w:04}")),
                    ));
                }
            }
            if c.get(end) != Some(&'年')
                || starts_with(c, end, "年代")
                || starts_with(c, end, "年级")
            {
                return None;
            }
            let mut k = end + 1;
            let mut iso = format!("{v:04}");
            if let Some((m, e)) = self
                .small_number(k, 12)
                .filter(|&(_, e)| c.get(e) == Some(&'月'))
            {
                iso.push_str(&format!("-{m:02}"));
                k = e + 1;
                if let Some((d, e)) = self
                    .small_number(k, 31)
                    .filter(|&(_, e)| matches!(c.get(e), Some('日' | '号')))
                {
                    iso.push_str(&format!("-{d:02}"));
                    k = e + 1;
                } else if c.get(k) == Some(&'份') {
                    k += 1;
                }
            }
            return Some(date(i, k, "date", iso, None));
        }
        if c.get(end) == Some(&'月') && (1..=12).contains(&v) {
            let lone_one = matches!(n, Numeral::Chinese(ch) if ch.lone_one);
            let mut k = end + 1;
            let mut iso = format!("--{v:02}");
            let mut has_day = false;
            if let Some((d, e)) = self
                .small_number(k, 31)
                .filter(|&(_, e)| matches!(c.get(e), Some('日' | '号')))
            {
                iso.push_str(&format!("-{d:02}"));
                k = e + 1;
                has_day = true;
            } else if c.get(k) == Some(&'份') {
                k += 1;
            } else if lone_one {
                return None; // 一月一督查
            }
            if lone_one && !has_day && c.get(end + 1) != Some(&'份') {
                return None;
            }
            if let Numeral::Chinese(ch) = n
                && (self.slogan[i] || ch.value_max.is_some())
            {
                return None;
            }
            return Some(date(i, k, "date", iso, None));
        }
        // 1—6月
        if matches!(c.get(end), Some('-' | '—' | '–' | '~' | '至' | '到'))
            && (1..=12).contains(&v)
            && arabic_digits > 0
            && let Some((w, e)) = self.small_number(end + 1, 12)
            && c.get(e) == Some(&'月')
            && w > v
            && c[end + 1].is_ascii_digit()
        {
            let mut k = e + 1;
            if c.get(k) == Some(&'份') {
                k += 1;
            }
            return Some(date(
                i,
                k,
                "date",
                format!("--{v:02}"),
                Some(format!("--{w:02}")),
            ));
        }
        if c.get(end) == Some(&'日')
            && (1..=31).contains(&v)
            && !matches!(n, Numeral::Chinese(ch) if ch.lone_one)
        {
            let after = end + 1;
            if starts_with(c, after, "内")
                || starts_with(c, after, "以内")
                || starts_with(c, after, "之内")
            {
                let value = Normalized {
                    value: Quantity::Number(Num(v as f64)),
                    value_max: None,
                    unit: Some("天".into()),
                    approx: self.approx_around(i, after),
                };
                return Some(Figure {
                    start: i,
                    end: after,
                    label: DURATION,
                    rule: "duration",
                    value,
                });
            }
            if arabic_digits > 0 {
                return Some(date(i, after, "date", format!("---{v:02}"), None));
            }
        }
        None
    }

    /// 百分之十, 百分之五十五点五
    fn percent_words(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        let k = i + 3;
        let (value, end) = match c.get(k) {
            Some(x) if x.is_ascii_digit() => {
                let a = numerals::arabic(c, k)?;
                (a.value, a.end)
            }
            Some(&x) if is_cn_numeral(x) => {
                let n = numerals::chinese(c, k)?;
                if n.digit_sequence {
                    return None;
                }
                (n.value, n.end)
            }
            _ => return None,
        };
        if self.slogan[i] {
            return None;
        }
        let value = Normalized {
            value: Quantity::Number(Num(value.to_f64())),
            value_max: None,
            unit: Some("%".into()),
            approx: self.approx_around(i, end),
        };
        Some(Figure {
            start: i,
            end,
            label: PERCENT,
            rule: "percent",
            value,
        })
    }

    /// Is the figure `start..end` marked approximate from outside (近3万元, 1000元左右)?
    fn approx_around(&self, start: usize, end: usize) -> bool {
        let c = self.c;
        let before = [
            "超过", "大约", "将近", "接近", "约为", "大概", "约", "逾", "超",
        ]
        .iter()
        .any(|w| ends_with(c, start, w));
        let near = ends_with(c, start, "近")
            && ![
                "最近", "附近", "靠近", "临近", "邻近", "亲近", "贴近", "就近",
            ]
            .iter()
            .any(|w| ends_with(c, start, w));
        let after = ["左右", "以上", "上下", "开外", "有余"]
            .iter()
            .any(|w| starts_with(c, end, w));
        before || near || after
    }

    /// A number with its unit or classifier: the generic figure.
    fn quantity(&self, i: usize, n: Numeral) -> Option<Figure> {
        let c = self.c;
        let is_arabic = matches!(n, Numeral::Arabic(_));
        let lo = n.value();
        let mut hi = match n {
            Numeral::Chinese(ch) => ch.value_max,
            Numeral::Arabic(_) => None,
        };
        let mut j = n.end();
        // A range written with one unit: 20至40分钟, 3-5万元.
        if hi.is_none() && matches!(c.get(j), Some('至' | '到' | '-' | '~' | '—' | '–')) {
            let k = j + 1;
            let upper = match c.get(k) {
                Some(x) if x.is_ascii_digit() && is_arabic => numerals::arabic(c, k)
                    .filter(|a| !a.leading_zero)
                    .map(|a| (a.value, a.end)),
                Some(&x) if is_cn_numeral(x) && !is_arabic => numerals::chinese(c, k)
                    .filter(|n| !n.digit_sequence && n.value_max.is_none())
                    .map(|n| (n.value, n.end)),
                _ => None,
            };
            if let Some((v, e)) = upper {
                let probe = skip_approx_and_magnitudes(c, e, is_arabic);
                if unit_at(c, probe.0).is_some_and(|u| u.label.is_some())
                    && v.to_f64() > lo.to_f64()
                {
                    hi = Some(v);
                    j = e;
                }
            }
        }
        let (after_mags, mag, approx_inner, _) = skip_approx_and_magnitudes(c, j, is_arabic);
        j = after_mags;
        let mut unit = unit_at(c, j);
        // A range whose both ends carry the magnitude: 3万至5万元.
        let mut mag_hi = mag;
        if hi.is_none()
            && mag > 0
            && unit.is_none_or(|u| u.label.is_none())
            && matches!(c.get(j), Some('至' | '到' | '-' | '~' | '—' | '–'))
            && let Some(b) = c
                .get(j + 1)
                .filter(|x| x.is_ascii_digit() && is_arabic)
                .and_then(|_| numerals::arabic(c, j + 1))
        {
            let (e, m2, _, _) = skip_approx_and_magnitudes(c, b.end, true);
            let u2 = unit_at(c, e);
            if m2 > 0
                && u2.is_some_and(|u| u.label.is_some())
                && b.value.shift(m2).to_f64() > lo.shift(mag).to_f64()
            {
                hi = Some(b.value);
                mag_hi = m2;
                j = e;
                unit = u2;
            }
        }
        let mut approx = approx_inner;
        let (label, norm, mut end, rule) = match unit {
            Some(u) if u.label.is_some() => {
                let label = u.label.unwrap_or(COUNT);
                approx |= u.approx;
                (label, Some(u.norm), j + u.len, rule_of(label))
            }
            _ => {
                // A number with a magnitude followed by the counted noun: [11.3万]农村贫困人口.
                let next = c.get(j).copied();
                if is_arabic && mag > 0 && next.is_some_and(is_han) && !matches!(next, Some('元'))
                {
                    (COUNT, None, j, "count")
                } else {
                    return None;
                }
            }
        };
        // A year-sized number with 年 is a date, handled elsewhere; here it would be a duration
        // like 20年. A month with 月 never reaches this point.
        let mut value = lo.shift(mag);
        let mut value_max = hi.map(|h| h.shift(mag_hi));
        if label == DURATION && c.get(end) == Some(&'半') && hi.is_none() {
            value = value.plus_half();
            end += 1;
        }
        if label == DURATION
            && c.get(end) == Some(&'多')
            && matches!(norm, Some("年" | "天" | "月" | "小时" | "周"))
            && !unit.is_some_and(|u| u.approx)
        {
            approx = true;
            end += 1;
        }
        if label == COUNT
            && c.get(end).is_some_and(|&x| x == '个' || x == '次')
            && norm == Some("个")
        {
            return None; // 一个个
        }
        if value_max.is_some_and(|m| m == value) {
            value_max = None;
        }
        approx |= self.approx_around(i, end);
        let value = Normalized {
            value: Quantity::Number(Num(value.to_f64())),
            value_max: value_max.map(|m| Quantity::Number(Num(m.to_f64()))),
            unit: norm.map(str::to_owned),
            approx,
        };
        Some(Figure {
            start: i,
            end,
            label,
            rule,
            value,
        })
    }
}

/// After a numeral: 余/多/来, then 万/亿 (and 千/百 after Arabic digits), then 余/多 again.
/// Returns (position, power of ten, approx, _).
fn skip_approx_and_magnitudes(c: &[char], mut j: usize, arabic: bool) -> (usize, u32, bool, ()) {
    let mut approx = false;
    let mut mag = 0;
    let unit_here = |j: usize| unit_at(c, j).is_some_and(|u| u.label.is_some());
    if matches!(c.get(j), Some('余' | '多' | '来' | '几')) && !unit_here(j) {
        let k = j + 1;
        let next_ok = unit_here(k)
            || matches!(c.get(k), Some('万' | '亿'))
            || (arabic && matches!(c.get(k), Some('千' | '百')));
        if next_ok {
            approx = true;
            j = k;
        }
    }
    loop {
        if unit_here(j) {
            break;
        }
        match c.get(j) {
            Some('万') => mag += 4,
            Some('亿') => mag += 8,
            Some('千') if arabic => mag += 3,
            Some('百') if arabic => mag += 2,
            _ => break,
        }
        j += 1;
    }
    if mag > 0 && matches!(c.get(j), Some('余' | '多')) && !unit_here(j) {
        approx = true;
        j += 1;
    }
    (j, mag, approx, ())
}

fn rule_of(label: &str) -> &'static str {
    match label {
        MONEY => "money",
        PERCENT => "percent",
        MEASURE => "measure",
        DURATION => "duration",
        DATE => "date",
        _ => "count",
    }
}

fn date(
    start: usize,
    end: usize,
    rule: &'static str,
    iso: String,
    iso_max: Option<String>,
) -> Figure {
    Figure {
        start,
        end,
        label: DATE,
        rule,
        value: Normalized {
            value: Quantity::Date(iso),
            value_max: iso_max.map(Quantity::Date),
            unit: None,
            approx: false,
        },
    }
}

#[cfg(test)]
#[path = "figures_tests.rs"]
mod tests;
