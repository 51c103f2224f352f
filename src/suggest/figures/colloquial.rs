//! The long tail of figures seen on unseen articles: colloquial forms (俩, 上百人, 千亩, 半年多),
//! lone 一 where it does quantify (至少一个, 一年时间) and where it frames a rate (一个月能挣…),
//! money without a written currency (四五十万的扶贫款), vague amounts (几十, 数十), decades
//! (七八十年代), bare years (2023稳秋粮) and units in brackets (5县（市）). Each is a pattern.

use super::numerals::Arabic;
use super::units::unit_at;
use super::{
    COUNT, DATE, DURATION, Figure, MEASURE, Numeral, Scanner, date, ends_with, is_cn_numeral,
    is_han, starts_with,
};
use crate::model::span::{Normalized, Num, Quantity};

/// Ends a clause: what lies beyond is another statement.
fn is_clause_end(x: char) -> bool {
    matches!(
        x,
        '，' | ',' | '。' | '；' | ';' | '！' | '!' | '？' | '?' | '\n' | '：' | ':'
    )
}

/// Words that bound a figure from below or above and make it approximate (至少建设一个).
const AT_LEAST: [&str; 5] = ["至少", "最少", "不少于", "最多", "不超过"];
/// Words after which a lone 一 quantifies: the bounds, and 仅 / 只有 (only one).
const ONLY: [&str; 3] = ["仅", "仅有", "只有"];
/// Nouns of money, after a figure (的扶贫款) or before it (收入四五十万).
const MONEY_AFTER: [&str; 12] = [
    "款", "资金", "钱", "收入", "工资", "补贴", "奖金", "贷款", "投资", "经费", "费用", "存款",
];
const MONEY_BEFORE: [&str; 22] = [
    "收入",
    "挣",
    "赚",
    "工资",
    "年薪",
    "月薪",
    "花了",
    "花费",
    "投资",
    "投入",
    "资金",
    "补贴",
    "奖励",
    "价值",
    "卖了",
    "营收",
    "产值",
    "分红",
    "贷款",
    "成本",
    "利润",
    "销售额",
];
/// What follows a lone-一 length of time that makes it a length (一年时间, 一年内), not a rate.
const FRAMED: [&str; 12] = [
    "时间", "以内", "之内", "内", "以来", "来", "之后", "以后", "后", "之前", "以前", "前",
];

impl Scanner<'_> {
    /// The text from `from` back to the start of its clause, at most `max` chars.
    fn clause_before(&self, from: usize, max: usize) -> usize {
        let c = self.c;
        let mut k = from;
        while k > 0 && from - k < max && !is_clause_end(c[k - 1]) {
            k -= 1;
        }
        k
    }

    /// Is one of `words` written in the clause just before `i` (within six chars)?
    fn word_before(&self, i: usize, words: &[&str]) -> bool {
        let from = self.clause_before(i, 6);
        (from..i).any(|k| {
            words
                .iter()
                .any(|w| ends_with(self.c, k + w.chars().count(), w))
        })
    }

    /// 至少 (at least) and its kin shortly before `i` in the same clause.
    pub(super) fn at_least_before(&self, i: usize) -> bool {
        self.word_before(i, &AT_LEAST)
    }

    /// 几十, 数十, 数百: a vague amount, not a figure. (十几 is one: [十几万].)
    pub(super) fn vague_before(&self, i: usize) -> bool {
        let c = self.c;
        let Some(&p) = i.checked_sub(1).and_then(|k| c.get(k)) else {
            return false;
        };
        p == '几' || p == '数' && matches!(c[i], '十' | '百' | '千' | '万')
    }

    /// 俩 before what it counts: 俩孩子. After a noun it is part of it (兄弟俩的家, 他们俩都),
    /// and 伎俩 is a trick.
    pub(super) fn lia(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        let counts_next = c.get(i + 1).is_some_and(|&x| {
            is_han(x)
                && !matches!(
                    x,
                    '的' | '都' | '也' | '还' | '就' | '是' | '在' | '一' | '又'
                )
        });
        // After a pronoun or a pair of kin (他俩, 夫妻俩, 母女俩) it is part of the noun.
        let after_noun = i > 0
            && matches!(
                c[i - 1],
                '伎' | '们'
                    | '他'
                    | '她'
                    | '你'
                    | '我'
                    | '妻'
                    | '女'
                    | '子'
                    | '弟'
                    | '兄'
                    | '妹'
                    | '姐'
                    | '孙'
                    | '媳'
                    | '婆'
                    | '爸'
                    | '妈'
                    | '友'
            );
        if !counts_next || after_noun {
            return None;
        }
        Some(count(i, i + 1, 2.0, None, false))
    }

    /// 半年, 半个月, 半年多: half of a year, a month or an hour. Not 上半年 (a period), not
    /// 一半 (a share), not 两天半 (read with its number).
    pub(super) fn half(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        if i > 0
            && (matches!(c[i - 1], '上' | '下' | '前' | '后' | '大' | '多' | '每')
                || is_cn_numeral(c[i - 1])
                || c[i - 1].is_ascii_digit())
        {
            return None;
        }
        let u = unit_at(c, i + 1)?;
        if u.label != Some(DURATION) || !matches!(u.norm, "年" | "月" | "小时") {
            return None;
        }
        let mut end = i + 1 + u.len;
        let mut approx = u.approx;
        if c.get(end) == Some(&'多') && !u.approx {
            approx = true;
            end += 1;
        }
        approx |= self.approx_around(i, end);
        Some(Figure {
            start: i,
            end,
            label: DURATION,
            rule: "duration",
            value: Some(Normalized {
                value: Quantity::Number(Num(0.5)),
                value_max: None,
                unit: Some(u.norm.into()),
                approx,
            }),
        })
    }

    /// 上百人, 近千户, 逾万人, 上百万群众 (a bound word before a bare 百/千/万), and 千亩产业基地
    /// (a bare magnitude of a measure) — but not a place's 万亩良田 (鳌头镇万亩良田示范项目), a
    /// name, nor 千家万户, 百年大计 (no bound, no measure).
    pub(super) fn bare_magnitude(&self, i: usize) -> Option<Figure> {
        let c = self.c;
        let mut power = 0;
        let mut j = i;
        while let Some(p) = c.get(j).and_then(|&x| match x {
            '百' => Some(2),
            '千' => Some(3),
            '万' => Some(4),
            '亿' => Some(8),
            _ => None,
        }) {
            power += p;
            j += 1;
        }
        if power == 0
            || matches!(c[i], '万' | '亿') && j > i + 1
            || self.slogan[i]
            || c.get(j).is_some_and(|&x| is_cn_numeral(x))
        {
            return None;
        }
        let before = i.checked_sub(1).map(|k| c[k]);
        let bound = matches!(before, Some('上' | '近' | '逾' | '超' | '约'));
        let place = matches!(
            before,
            Some('镇' | '村' | '县' | '市' | '乡' | '区' | '省' | '州' | '屯')
        );
        let unit = unit_at(c, j).filter(|u| u.label.is_some());
        let (label, norm, end) = match unit {
            Some(u) if bound || u.label == Some(MEASURE) && !place => {
                (u.label.unwrap_or(COUNT), Some(u.norm), j + u.len)
            }
            // 上百万群众: the counted noun without a classifier.
            None if bound && c.get(j).is_some_and(|&x| is_han(x) && x != '元') => {
                if self.money_context(i, j) {
                    (super::MONEY, Some("元"), j)
                } else {
                    (COUNT, None, j)
                }
            }
            _ => return None,
        };
        Some(Figure {
            start: i,
            end,
            label,
            rule: super::rule_of(label),
            value: Some(Normalized {
                value: Quantity::Number(Num(10f64.powi(power))),
                value_max: None,
                unit: norm.map(str::to_owned),
                approx: bound || self.approx_around(i, end),
            }),
        })
    }

    /// A figure starting with a lone 一. Mostly an article or an idiom (一位老人, 一年四季);
    /// a figure when a bound quantifies it (至少建设一个, 仅一次); a length of time when
    /// written as one (一个月, 一年时间, 一年内, 一年多, 一年半) — unless it frames a rate, an
    /// amount following in the same clause (一个月能有六七千元, 一小时能做200个).
    pub(super) fn lone_one(&self, i: usize, f: Figure) -> Option<Figure> {
        let c = self.c;
        if f.label != DURATION {
            // 仅这一个项目: after a demonstrative 一 is an article, bound or not.
            let demonstrative = i > 0 && matches!(c[i - 1], '这' | '那' | '哪' | '每');
            let quantified = self.word_before(i, &AT_LEAST) || self.word_before(i, &ONLY);
            return (quantified && !demonstrative).then_some(f);
        }
        let framed = FRAMED.iter().any(|w| starts_with(c, f.end, w));
        let year = f.value.as_ref().and_then(|v| v.unit.as_deref()) == Some("年");
        let extended = matches!(c[f.end - 1], '多' | '半');
        if year && !(framed || extended) {
            return None; // 一年四季, 一年四五十万 (per year)
        }
        if !framed && self.amount_follows(f.end) {
            return None;
        }
        Some(f)
    }

    /// Does a figure follow in the same clause, within a few words?
    fn amount_follows(&self, from: usize) -> bool {
        let c = self.c;
        let mut k = from;
        while k < c.len() && k < from + 15 && !is_clause_end(c[k]) {
            if (c[k].is_ascii_digit() || is_cn_numeral(c[k]) && c[k] != '一')
                && self.at(k).is_some()
            {
                return true;
            }
            k += 1;
        }
        false
    }

    /// Is a number `start..end` with a magnitude but no unit plainly money: a money noun
    /// after it (的扶贫款) or before it in the clause (收入, 挣, 投资 …)?
    pub(super) fn money_context(&self, start: usize, end: usize) -> bool {
        let c = self.c;
        let mut k = end;
        if c.get(k) == Some(&'的') {
            k += 1;
        }
        let after = (k..k + 4)
            .take_while(|&x| c.get(x).is_some_and(|&ch| is_han(ch)))
            .any(|x| MONEY_AFTER.iter().any(|w| starts_with(c, x, w)));
        after || self.word_before(start, &MONEY_BEFORE)
    }

    /// Alternatives in brackets after a unit: 县（市）, 辆（列、架）. Returns the offset past
    /// the closing bracket when every alternative is itself a unit.
    pub(super) fn unit_alternatives(&self, end: usize) -> Option<usize> {
        let c = self.c;
        let close = match c.get(end)? {
            '（' => '）',
            '(' => ')',
            _ => return None,
        };
        let inner = end + 1;
        let stop = (inner..(inner + 8).min(c.len())).find(|&k| c[k] == close)?;
        let mut k = inner;
        while k < stop {
            // 人(次) is a suffix of the unit, not an alternative to it.
            let u = unit_at(c, k).filter(|u| u.label == Some(COUNT) && u.text != "次")?;
            k += u.len;
            if k < stop && c[k] == '、' {
                k += 1;
            }
        }
        (k == stop && stop > inner).then_some(stop + 1)
    }

    /// 七八十年代, 80年代, 1990年代: a decade, a DATE without a value.
    pub(super) fn decade(&self, i: usize, n: Numeral) -> Option<Figure> {
        let end = n.end();
        if !starts_with(self.c, end, "年代") || n.value().trunc() % 10 != 0 {
            return None;
        }
        Some(Figure {
            start: i,
            end: end + 2,
            label: DATE,
            rule: "date",
            value: None,
        })
    }

    /// A year written alone at the start of a phrase: 2023稳秋粮, 2020福建高考招录.
    pub(super) fn bare_year(&self, i: usize, a: Arabic) -> Option<Figure> {
        let c = self.c;
        let v = a.value.trunc();
        let starts_phrase = i == 0 || !(is_han(c[i - 1]) || c[i - 1].is_ascii_alphanumeric());
        let next_is_word = c
            .get(a.end)
            .is_some_and(|&x| is_han(x) && !is_cn_numeral(x));
        (a.int_digits == 4
            && !a.decimal
            && (1900..=2100).contains(&v)
            && starts_phrase
            && next_is_word)
            .then(|| date(i, a.end, "date", format!("{v:04}"), None))
    }
}

fn count(start: usize, end: usize, value: f64, unit: Option<&str>, approx: bool) -> Figure {
    Figure {
        start,
        end,
        label: COUNT,
        rule: "count",
        value: Some(Normalized {
            value: Quantity::Number(Num(value)),
            value_max: None,
            unit: unit.map(str::to_owned),
            approx,
        }),
    }
}
