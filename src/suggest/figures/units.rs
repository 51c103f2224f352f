//! The units and classifiers of the figure rules, read from `data/units.tsv` (written form,
//! label, unit stored in the value, approx); looked up longest first at a char position.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::{COUNT, DATE, DURATION, MEASURE, MONEY, PERCENT};

/// One unit or classifier.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    /// As written.
    pub text: &'static str,
    /// Its length in chars.
    pub len: usize,
    /// Label it gives (`None`: a word that merely starts like a unit and blocks it: 周年, 年级).
    pub label: Option<&'static str>,
    /// Unit stored in the value.
    pub norm: &'static str,
    /// The unit itself marks approximation (个多月).
    pub approx: bool,
    /// Power of ten applied to the value (毛钱: -1).
    pub exponent: i32,
}

const TABLE: &str = include_str!("../../../data/units.tsv");

/// Parses the table; a malformed line is a bug in the shipped data (a test reads every line).
fn parse(table: &'static str) -> Result<Vec<Unit>, String> {
    let mut out = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&'static str> = line.split('\t').collect();
        let (text, label, norm, approx, exponent) = match f[..] {
            [t, l, u, a] => (t, l, u, a, "0"),
            [t, l, u, a, e] => (t, l, u, a, e),
            _ => {
                return Err(format!(
                    "data/units.tsv:{}: four or five fields expected",
                    n + 1
                ));
            }
        };
        let exponent: i32 = exponent
            .parse()
            .map_err(|_| format!("data/units.tsv:{}: bad exponent {exponent}", n + 1))?;
        let label = match label {
            "-" => None,
            l => Some(
                [MONEY, PERCENT, COUNT, MEASURE, DATE, DURATION]
                    .into_iter()
                    .find(|&x| x == l)
                    .ok_or_else(|| format!("data/units.tsv:{}: unknown label {l}", n + 1))?,
            ),
        };
        out.push(Unit {
            text,
            len: text.chars().count(),
            label,
            norm: if norm == "-" { "" } else { norm },
            approx: approx == "approx",
            exponent,
        });
    }
    Ok(out)
}

/// Hashes a char by one multiplication: the index is looked up at every numeral, several
/// times, and SipHash's protection against chosen keys is not needed for a fixed table.
#[derive(Default, Clone, Copy)]
struct CharHash(u64);

impl std::hash::Hasher for CharHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.0 = u64::from(x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Index = HashMap<char, Vec<Unit>, std::hash::BuildHasherDefault<CharHash>>;

/// Units indexed by first char, longest first.
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut m = Index::default();
    for u in parse(TABLE).expect("data/units.tsv is well-formed") {
        let Some(first) = u.text.chars().next() else {
            continue;
        };
        m.entry(first).or_default().push(u);
    }
    for v in m.values_mut() {
        v.sort_by_key(|u| std::cmp::Reverse(u.len));
    }
    m
});

/// The longest unit written at `j`, if any.
pub(super) fn unit_at(c: &[char], j: usize) -> Option<Unit> {
    let first = *c.get(j)?;
    let candidates = INDEX.get(&first)?;
    candidates.iter().copied().find(|u| {
        u.text
            .chars()
            .enumerate()
            .all(|(k, uc)| c.get(j + k) == Some(&uc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_longest_units_win() {
        let units = parse(TABLE).unwrap();
        assert!(units.len() > 100);
        let c: Vec<char> = "个多月".chars().collect();
        let u = unit_at(&c, 0).unwrap();
        assert_eq!(
            (u.text, u.label, u.approx),
            ("个多月", Some(DURATION), true)
        );
        let c: Vec<char> = "周年".chars().collect();
        assert_eq!(unit_at(&c, 0).unwrap().label, None);
        assert!(parse("元\tMONEY\t元").is_err());
        assert!(parse("元\tMONY\t元\t-").is_err());
        assert_eq!(parse("毛钱\tMONEY\t元\t-\t-1").unwrap()[0].exponent, -1);
    }
}
