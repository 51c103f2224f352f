//! Figure suggestions: MONEY, PERCENT, COUNT, MEASURE, DATE, DURATION, each with its
//! normalised value, following the span rules of the annotation guide (qualifiers such as
//! 近/约/超过 outside the span but marking it approximate; 余/多/来 inside; ranges with one
//! unit as one span; ordinals, codes, phone numbers, slogans and idioms left alone).

use std::ops::Range;

mod colloquial;
mod dates;
mod quantity;
mod units;

use super::numerals::{self, Arabic, Chinese, Decimal, fold, is_cn_numeral};
use crate::model::span::{Normalized, Num, Quantity};
use units::unit_at;

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
    /// Normalised value (none for a decade: 七八十年代).
    pub value: Option<Normalized>,
}

const MONEY: &str = "MONEY";
const PERCENT: &str = "PERCENT";
const COUNT: &str = "COUNT";
const MEASURE: &str = "MEASURE";
const DATE: &str = "DATE";
const DURATION: &str = "DURATION";

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
                // Figures that start with a word: 俩, 半年.
                let word = match ch {
                    '俩' => self.lia(i),
                    '半' => self.half(i),
                    _ => None,
                };
                match word {
                    Some(f) if !self.title[f.start] && !skip(&(f.start..f.end)) => {
                        i = f.end;
                        out.push(f);
                    }
                    _ => i += 1,
                }
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
                '+' | '@' | '/' | '#' | '_' | '\\' | '=' | '.' | '第' | '&' | '?' | '%'
            )
        {
            return true;
        }
        // After a colon only a clock or a ratio continues (09:12, 1:2); 要求：30户 is a figure.
        if p == ':' && i >= 2 && c[i - 2].is_ascii_alphanumeric() {
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
        if let Some(f) = self
            .decade(i, Numeral::Arabic(a))
            .or_else(|| self.date_words(i, Numeral::Arabic(a)))
        {
            return Some(f);
        }
        self.quantity(i, Numeral::Arabic(a))
            .or_else(|| self.bare_year(i, a))
    }

    fn chinese_at(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        if i > 0 && (c[i - 1] == '第' || is_cn_numeral(c[i - 1])) || self.vague_before(i) {
            return None;
        }
        if let Some(f) = self.bare_magnitude(i) {
            return Some(f);
        }
        let n = numerals::chinese(c, i)?;
        if n.digit_sequence {
            // 二〇一六年: only a year is written digit by digit.
            if c.get(n.end) == Some(&'年') && n.value.trunc() >= 1000 {
                return self.date_words(i, Numeral::Chinese(n));
            }
            return None;
        }
        if let Some(f) = self
            .decade(i, Numeral::Chinese(n))
            .or_else(|| self.date_words(i, Numeral::Chinese(n)))
        {
            return Some(f);
        }
        let f = self.quantity(i, Numeral::Chinese(n))?;
        // Numbers inside a short “slogan” belong to the slogan; 十个一批, 五个一 are names too
        // (a numeral follows that is no figure of its own, as in 三百多户一千二百多人).
        if self.slogan[i]
            || c.get(f.end).is_some_and(|&x| is_cn_numeral(x)) && self.at(f.end).is_none()
        {
            return None;
        }
        // 十里八乡, 三番五次: the second half of a four-character idiom with two numerals
        // (一家两口 is no idiom: a lone 一 starts none of them).
        if i >= 2
            && is_cn_numeral(c[i - 2])
            && c[i - 2] != '一'
            && is_han(c[i - 1])
            && !is_cn_numeral(c[i - 1])
            && n.end == i + 1
            && f.end == i + 2
        {
            return None;
        }
        if n.value_max.is_none()
            && c[i] == '二'
            && n.end == i + 1
            && matches!(f.label, COUNT | MONEY)
        {
            return None; // 二次分红, 二期, 二元结构: 二 alone before a classifier is an ordinal
        }
        if n.lone_one {
            return self.lone_one(i, f);
        }
        Some(f)
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
            value: Some(value),
        })
    }

    /// Is the figure `start..end` marked approximate from outside (近3万元, 1000元左右)?
    fn approx_around(&self, start: usize, end: usize) -> bool {
        let c = self.c;
        let before = [
            "超过",
            "大约",
            "将近",
            "接近",
            "约为",
            "大概",
            "约",
            "逾",
            "超",
            "不足",
            "不到",
            "突破",
            "不少于",
            "不低于",
            "不超过",
            "最多",
        ]
        .iter()
        .any(|w| ends_with(c, start, w))
            || self.at_least_before(start);
        let near = ends_with(c, start, "近")
            && ![
                "最近", "附近", "靠近", "临近", "邻近", "亲近", "贴近", "就近",
            ]
            .iter()
            .any(|w| ends_with(c, start, w));
        let after = ["左右", "以上", "以下", "以内", "上下", "开外", "有余"]
            .iter()
            .any(|w| starts_with(c, end, w));
        before || near || after
    }
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
        value: Some(Normalized {
            value: Quantity::Date(iso),
            value_max: iso_max.map(Quantity::Date),
            unit: None,
            approx: false,
        }),
    }
}

#[cfg(test)]
#[path = "figures_tests.rs"]
mod tests;

#[cfg(test)]
mod tail_tests;
