//! Dates and times among the figures: 2018-04-09, 09:12:25, 2016年12月07日, 9月份, 1—6月,
//! 23日 (and 30日内, a duration).

use super::numerals;
use super::{DURATION, Figure, Numeral, Scanner, date, is_cn_numeral, starts_with};
use crate::model::span::{Normalized, Num, Quantity};

impl Scanner<'_> {
    /// 2018-04-09, 2016/9/26, 2016.09.26
    pub(super) fn iso_date(&self, i: usize) -> Option<Figure> {
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
    pub(super) fn clock(&self, i: usize) -> Option<Figure> {
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
    pub(super) fn small_number(&self, k: usize, max: i128) -> Option<(i128, usize)> {
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
    pub(super) fn date_words(&self, i: usize, n: Numeral) -> Option<Figure> {
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
                    value: Some(value),
                });
            }
            if arabic_digits > 0 {
                return Some(date(i, after, "date", format!("---{v:02}"), None));
            }
        }
        None
    }
}
