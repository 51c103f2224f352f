//! The generic figure: a number with its unit or classifier (5.3亿元, 21万人, 20至40分钟,
//! 3万至5万元, 八大类, 5县（市）, 5.4个和7.5个百分点), or with a magnitude and the counted noun
//! ([11.3万]农村贫困人口), or plainly money without a written currency (四五十万的扶贫款).

use super::numerals;
use super::units::unit_at;
use super::{
    COUNT, DURATION, Figure, MEASURE, MONEY, Numeral, PERCENT, Scanner, is_cn_numeral, is_han,
    rule_of,
};
use crate::model::span::{Normalized, Num, Quantity};

impl Scanner<'_> {
    /// A number with its unit or classifier: the generic figure.
    pub(super) fn quantity(&self, i: usize, n: Numeral) -> Option<Figure> {
        let c = self.c;
        let is_arabic = matches!(n, Numeral::Arabic(_));
        let lo = n.value();
        let mut hi = match n {
            Numeral::Chinese(ch) => ch.value_max,
            Numeral::Arabic(_) => None,
        };
        // 四五十万: the magnitude is part of the Chinese numeral itself.
        let written_magnitude =
            !is_arabic && c[i..n.end()].iter().any(|&x| matches!(x, '万' | '亿'));
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
        // 八大类, 两大目标: 大 between a Chinese numeral and what it counts.
        let mut big = false;
        // (One digit only: 十九大 is a congress.)
        if !is_arabic
            && mag == 0
            && n.end() == i + 1
            && c.get(j) == Some(&'大')
            && unit_at(c, j).is_none()
        {
            big = true;
            j += 1;
        }
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
        // 里 (half a kilometre) is a measure in 十几里山路, 三里路; in 九里村, 七里沟 a name.
        if unit.is_some_and(|u| u.text == "里")
            && !approx_inner
            && c.get(j + 1).is_some_and(|&x| {
                is_han(x) && !matches!(x, '路' | '地' | '的' | '外' | '长' | '远')
            })
        {
            return None;
        }
        let mut approx = approx_inner;
        let mut exponent = 0;
        let (mut label, mut norm, mut end, mut rule) = match unit {
            Some(u) if u.label.is_some() && (!big || u.label == Some(COUNT)) => {
                let label = u.label.unwrap_or(COUNT);
                approx |= u.approx;
                exponent = u.exponent;
                (label, Some(u.norm.to_owned()), j + u.len, rule_of(label))
            }
            _ if big => (COUNT, None, j, "count"),
            _ => {
                let next = c.get(j).copied();
                let magnitude = mag > 0 || written_magnitude;
                if magnitude && self.money_context(i, j) {
                    // 四五十万的扶贫款, 一年能挣四五十万: plainly money.
                    (MONEY, Some("元".to_owned()), j, "money")
                } else if magnitude && next.is_some_and(is_han) && !matches!(next, Some('元')) {
                    // A number with a magnitude followed by the counted noun: [11.3万]农村贫困人口.
                    (COUNT, None, j, "count")
                } else {
                    return None;
                }
            }
        };
        // A year-sized number with 年 is a date, handled elsewhere; here it would be a duration
        // like 20年. A month with 月 never reaches this point.
        let mut value = lo.shift(mag).exp10(exponent);
        let mut value_max = hi.map(|h| h.shift(mag_hi).exp10(exponent));
        if label == DURATION && c.get(end) == Some(&'半') && hi.is_none() {
            value = value.plus_half();
            end += 1;
        }
        // 1个多月 is in the unit; 4年多, 8吨多 put 多 after it.
        let more_after = match label {
            DURATION => matches!(norm.as_deref(), Some("年" | "天" | "月" | "小时" | "周")),
            MEASURE => !c.get(end + 1).is_some_and(|&x| is_han(x) && x != '的'),
            _ => false,
        };
        if more_after && c.get(end) == Some(&'多') && !unit.is_some_and(|u| u.approx) {
            approx = true;
            end += 1;
        }
        if label == COUNT
            && c.get(end).is_some_and(|&x| x == '个' || x == '次')
            && norm.as_deref() == Some("个")
        {
            return None; // 一个个
        }
        // Alternatives in brackets share the count: 5县（市）, 1.5万辆（列、架）次.
        if label == COUNT
            && let Some(close) = self.unit_alternatives(end)
        {
            end = close;
            if c.get(end) == Some(&'次') {
                end += 1;
                norm = norm.map(|u| format!("{u}次"));
            }
        }
        // Two figures sharing one unit: 分别提高5.4个和7.5个百分点.
        if norm.as_deref() == Some("个")
            && matches!(c.get(end), Some('和' | '与' | '及' | '、' | '或'))
            && c.get(end + 1)
                .is_some_and(|x| x.is_ascii_digit() || is_cn_numeral(*x))
            && self.at(end + 1).is_some_and(|f| {
                f.value
                    .as_ref()
                    .is_some_and(|v| v.unit.as_deref() == Some("个百分点"))
            })
        {
            label = PERCENT;
            rule = "percent";
            norm = Some("个百分点".into());
        }
        if value_max.is_some_and(|m| m == value) {
            value_max = None;
        }
        approx |= self.approx_around(i, end);
        let value = Normalized {
            value: Quantity::Number(Num(value.to_f64())),
            value_max: value_max.map(|m| Quantity::Number(Num(m.to_f64()))),
            unit: norm,
            approx,
        };
        Some(Figure {
            start: i,
            end,
            label,
            rule,
            value: Some(value),
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
