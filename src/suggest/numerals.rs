//! Numerals: Arabic (full-width too, decimals, thousands separators) and Chinese
//! (〇一二两三…十百千万亿, 零, 点), parsed into exact decimals so that 1042.2万 is 10422000.

/// An exact decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// The digits.
    pub mantissa: i128,
    /// Digits after the point.
    pub scale: u32,
}

impl Decimal {
    /// An integer.
    pub fn int(v: i128) -> Self {
        Self {
            mantissa: v,
            scale: 0,
        }
    }

    /// Multiplies by `10^k` exactly.
    pub fn shift(self, k: u32) -> Self {
        if self.scale >= k {
            Self {
                mantissa: self.mantissa,
                scale: self.scale - k,
            }
        } else {
            Self {
                mantissa: self.mantissa.saturating_mul(10i128.pow(k - self.scale)),
                scale: 0,
            }
        }
    }

    /// Multiplies by `10^k` for any sign of `k` (毛钱: ×10⁻¹).
    pub fn exp10(self, k: i32) -> Self {
        if k >= 0 {
            self.shift(k.unsigned_abs())
        } else {
            Self {
                mantissa: self.mantissa,
                scale: self.scale + k.unsigned_abs(),
            }
        }
    }

    /// Adds a half (两天半 → 2.5).
    pub fn plus_half(self) -> Self {
        let s = self.shift(0);
        let m = s.mantissa * 10i128.pow(1) + 5 * 10i128.pow(s.scale);
        Self {
            mantissa: m,
            scale: s.scale + 1,
        }
    }

    /// As f64 (exact for the values found in news text).
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// Is this a whole number?
    pub fn is_integer(self) -> bool {
        self.scale == 0 || self.mantissa % 10i128.pow(self.scale) == 0
    }

    /// The integer part.
    pub fn trunc(self) -> i128 {
        self.mantissa / 10i128.pow(self.scale)
    }
}

/// Maps full-width digits and punctuation to their ASCII forms, one char for one char, so
/// offsets do not move.
pub fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '％' => '%',
        '：' => ':',
        '－' => '-',
        '／' => '/',
        '＋' => '+',
        '～' => '~',
        'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
        'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'a' as u32).unwrap_or(c),
        _ => c,
    }
}

/// An Arabic numeral: `78,000`, `5.3`, `1042.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arabic {
    /// Its value.
    pub value: Decimal,
    /// Number of integer digits.
    pub int_digits: usize,
    /// Written with a leading zero (0431): a code, not a quantity.
    pub leading_zero: bool,
    /// Has a decimal point.
    pub decimal: bool,
    /// Char offset just past it.
    pub end: usize,
}

/// Parses an Arabic numeral at `i` of folded chars `c`.
pub fn arabic(c: &[char], i: usize) -> Option<Arabic> {
    let mut j = i;
    let mut mantissa: i128 = 0;
    let mut int_digits = 0;
    while j < c.len() {
        if c[j].is_ascii_digit() {
            mantissa = mantissa
                .saturating_mul(10)
                .saturating_add((c[j] as u8 - b'0') as i128);
            int_digits += 1;
            j += 1;
        } else if matches!(c[j], ',' | '，')
            && int_digits > 0
            && j + 3 < c.len() + 1
            && c.get(j + 1..j + 4)
                .is_some_and(|g| g.iter().all(char::is_ascii_digit))
            && !c.get(j + 4).is_some_and(char::is_ascii_digit)
            && (int_digits <= 3
                || c[..j]
                    .iter()
                    .rev()
                    .take(4)
                    .filter(|&&x| x == ',' || x == '，')
                    .count()
                    > 0)
        {
            // Thousands separator: exactly three digits follow.
            j += 1;
        } else {
            break;
        }
    }
    if int_digits == 0 {
        return None;
    }
    let leading_zero = c[i] == '0' && int_digits > 1;
    let mut scale = 0;
    let mut decimal = false;
    if j + 1 < c.len() && matches!(c[j], '.' | '·') && c[j + 1].is_ascii_digit() {
        decimal = true;
        j += 1;
        while j < c.len() && c[j].is_ascii_digit() {
            mantissa = mantissa
                .saturating_mul(10)
                .saturating_add((c[j] as u8 - b'0') as i128);
            scale += 1;
            j += 1;
        }
    }
    Some(Arabic {
        value: Decimal { mantissa, scale },
        int_digits,
        leading_zero,
        decimal,
        end: j,
    })
}

/// Is `c` a Chinese numeral character?
pub fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

fn cn_digit(c: char) -> Option<i128> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A Chinese numeral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chinese {
    /// Its value, or the lower bound of 两三千 / 四五.
    pub value: Decimal,
    /// The upper bound of an approximate range (两三千 → 3000).
    pub value_max: Option<Decimal>,
    /// Written digit by digit (二〇一六): only a year reads this way.
    pub digit_sequence: bool,
    /// Just 一 (an article or part of an idiom, not a quantity).
    pub lone_one: bool,
    /// Char offset just past it.
    pub end: usize,
}

/// Parses a Chinese numeral at `i`. Returns `None` for runs that are not numbers (十二五,
/// a bare 百/千/万, runs starting with 万/亿).
pub fn chinese(c: &[char], i: usize) -> Option<Chinese> {
    let mut end = i;
    while end < c.len() && is_cn_numeral(c[end]) {
        end += 1;
    }
    // 五点五: a decimal point between digits.
    let mut frac: Option<(usize, usize)> = None;
    if end + 1 < c.len() && c[end] == '点' && cn_digit(c[end + 1]).is_some() && end > i {
        let fs = end + 1;
        let mut fe = fs;
        while fe < c.len() && cn_digit(c[fe]).is_some() {
            fe += 1;
        }
        frac = Some((fs, fe));
    }
    let run = &c[i..end];
    if run.is_empty() || matches!(run[0], '万' | '亿') {
        return None;
    }
    if !run.iter().any(|&ch| cn_digit(ch).is_some() || ch == '十') {
        return None;
    }
    let lone_one = run == ['一'];
    let all_digits = run.iter().all(|&ch| cn_digit(ch).is_some());
    if all_digits && run.len() >= 3 {
        let mut v = 0i128;
        for &ch in run {
            v = v * 10 + cn_digit(ch)?;
        }
        return Some(Chinese {
            value: Decimal::int(v),
            value_max: None,
            digit_sequence: true,
            lone_one,
            end,
        });
    }
    // 两三千, 四五个, 三四十, 三五个: two close digits, rising, make a range, then shared units.
    if run.len() >= 2
        && let (Some(a), Some(b)) = (cn_digit(run[0]), cn_digit(run[1]))
    {
        if a >= 1 && b > a && b - a <= 2 || (run[0] == '两' && b == 3) {
            let rest = &run[2..];
            let mult = units_value(rest)?;
            return Some(Chinese {
                value: Decimal::int(a * mult),
                value_max: Some(Decimal::int(b * mult)),
                digit_sequence: false,
                lone_one: false,
                end,
            });
        }
        return None;
    }
    let (int_end, frac_part) = match frac {
        Some((fs, fe)) if end == i + run.len() => (end, Some((fs, fe))),
        _ => (end, None),
    };
    let mut v = parse_cn_int(&c[i..int_end])?;
    let mut end = int_end;
    if let Some((fs, fe)) = frac_part {
        let mut m = v.mantissa;
        let mut scale = 0;
        for &ch in &c[fs..fe] {
            m = m * 10 + cn_digit(ch)?;
            scale += 1;
        }
        v = Decimal { mantissa: m, scale };
        end = fe;
    }
    Some(Chinese {
        value: v,
        value_max: None,
        digit_sequence: false,
        lone_one,
        end,
    })
}

/// 十/百/千/万/亿 products of a unit-only run (the tail of 两三千): 千 → 1000, empty → 1.
fn units_value(run: &[char]) -> Option<i128> {
    let mut m = 1i128;
    for &ch in run {
        m *= match ch {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
    }
    Some(m)
}

/// Parses a Chinese integer: 一千零四十二, 二十一万, 三亿五千万, 十九.
fn parse_cn_int(run: &[char]) -> Option<Decimal> {
    let (mut yi, mut wan, mut sec, mut num) = (0i128, 0i128, 0i128, 0i128);
    let mut last_digit = false;
    for (k, &ch) in run.iter().enumerate() {
        if let Some(d) = cn_digit(ch) {
            if last_digit && d != 0 && run[k - 1] != '零' && run[k - 1] != '〇' {
                return None; // 十二五: two digits with no unit between them
            }
            if d != 0 {
                num = d;
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        match ch {
            '十' | '百' | '千' => {
                let u = match ch {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                let n = if num == 0 { 1 } else { num };
                sec += n * u;
                num = 0;
            }
            '万' => {
                let s = sec + num;
                wan += if s == 0 { 1 } else { s } * 10_000;
                sec = 0;
                num = 0;
            }
            '亿' => {
                let s = wan + sec + num;
                yi += if s == 0 { 1 } else { s } * 100_000_000;
                wan = 0;
                sec = 0;
                num = 0;
            }
            _ => return None,
        }
    }
    Some(Decimal::int(yi + wan + sec + num))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().map(fold).collect()
    }

    #[test]
    fn arabic_forms() {
        let a = arabic(&chars("78,000人"), 0).unwrap();
        assert_eq!((a.value, a.end), (Decimal::int(78000), 6));
        let a = arabic(&chars("1042.2万元"), 0).unwrap();
        assert_eq!(a.value.shift(4).to_f64(), 10422000.0);
        let a = arabic(&chars("５.３亿"), 0).unwrap();
        assert_eq!(a.value.shift(8).to_f64(), 530000000.0);
        assert!(arabic(&chars("0431-81126178"), 0).unwrap().leading_zero);
        // A comma that lists numbers is not a thousands separator.
        assert_eq!(arabic(&chars("12,34户"), 0).unwrap().end, 2);
        assert_eq!(arabic(&chars("4.9%"), 0).unwrap().value.to_f64(), 4.9);
    }

    #[test]
    fn chinese_forms() {
        let v = |s: &str| chinese(&chars(s), 0).map(|c| c.value.to_f64());
        assert_eq!(v("十"), Some(10.0));
        assert_eq!(v("十九"), Some(19.0));
        assert_eq!(v("二十一"), Some(21.0));
        assert_eq!(v("一千零四十二"), Some(1042.0));
        assert_eq!(v("三亿五千万"), Some(350_000_000.0));
        assert_eq!(v("两千"), Some(2000.0));
        assert_eq!(v("二〇一六"), Some(2016.0));
        assert_eq!(v("五点五"), Some(5.5));
        assert_eq!(v("十二五"), None);
        assert_eq!(v("百"), None);
        assert_eq!(v("万一"), None);
        let r = chinese(&chars("两三千户"), 0).unwrap();
        assert_eq!(
            (r.value.to_f64(), r.value_max.unwrap().to_f64(), r.end),
            (2000.0, 3000.0, 3)
        );
        let r = chinese(&chars("三五个"), 0).unwrap();
        assert_eq!(
            (r.value.to_f64(), r.value_max.unwrap().to_f64()),
            (3.0, 5.0)
        );
        let r = chinese(&chars("四五十万"), 0).unwrap();
        assert_eq!(
            (r.value.to_f64(), r.value_max.unwrap().to_f64()),
            (400_000.0, 500_000.0)
        );
        assert_eq!(chinese(&chars("三七"), 0), None);
        let r = chinese(&chars("四五个"), 0).unwrap();
        assert_eq!(
            (r.value.to_f64(), r.value_max.unwrap().to_f64()),
            (4.0, 5.0)
        );
        assert!(chinese(&chars("一位"), 0).unwrap().lone_one);
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        assert_eq!(
            Decimal {
                mantissa: 29,
                scale: 1
            }
            .shift(4)
            .to_f64(),
            29000.0
        );
        assert_eq!(Decimal::int(2).plus_half().to_f64(), 2.5);
        assert_eq!(Decimal::int(2).exp10(-1).to_f64(), 0.2);
        assert_eq!(Decimal::int(2).exp10(3).to_f64(), 2000.0);
        assert!(
            Decimal {
                mantissa: 30,
                scale: 1
            }
            .is_integer()
        );
    }
}
