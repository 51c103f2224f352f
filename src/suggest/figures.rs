//! Figure suggestions: MONEY, PERCENT, COUNT, MEASURE, DATE, DURATION, each with its
//! normalised value, following the span rules of the annotation guide (qualifiers such as
//! 近/约/超过 outside the span but marking it approximate; 余/多/来 inside; ranges with one
//! unit as one span; ordinals, codes, phone numbers, slogans and idioms left alone).

use std::ops::Range;

mod dates;
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
    /// Normalised value.
    pub value: Normalized,
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
