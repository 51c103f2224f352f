//! The model's feature weights as tagging reads them: a hash table of 64-byte buckets (one
//! cache line), each holding five feature ids with their weights per tag, so that looking a
//! feature up reads one cache line. Weights are kept relative to the O tag (O's is 0: adding
//! the same amount to every tag of a char changes no decision), which leaves eight per
//! feature, each an 8-bit mantissa with one shift for the feature (weight = mantissa <<
//! shift, on a common scale): a feature keeps its weights to 1 part in 127 of its own
//! largest, so the small weights of the features an annotator's few documents bring are not
//! rounded away next to the base model's large ones. Five features per line instead of three
//! with i16 weights: the shipped model's table is 1.3 MB instead of 2.2 MB (tagging waits on
//! memory, though no speed difference could be measured on a host whose speed moved by ±25%
//! between passes). A bucket that overflowed into the next one says so; a lookup of a feature the
//! model never saw stops at its first bucket otherwise. Built once when a model is trained
//! or loaded, at most half full: then few buckets overflow, and a lookup rarely takes the
//! branch that walks on (at three quarters full, that branch, hard to predict, cost a third
//! of the tagging time).

use super::model::NT;

/// Feature ids per bucket.
const WAYS: usize = 5;
/// Weights kept per feature: every tag but O.
const NW: usize = NT - 1;
/// Bits of a feature's shift in [`Bucket::meta`].
const SHIFT_BITS: usize = 3;
/// The bit of [`Bucket::meta`] that says some key went on to a later bucket.
const OVERFLOW: u16 = 1 << 15;
/// The largest weight a feature can have, in units: mantissa 127 at the largest shift.
pub const MAX_UNITS: i16 = 127 << 7;

/// One cache line: up to five feature ids (0: empty) and their weights for tags 1….
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(64))]
struct Bucket {
    keys: [u32; WAYS],
    /// Per way, [`SHIFT_BITS`] bits: the shift of its weights; and the [`OVERFLOW`] bit.
    meta: u16,
    /// Per way: the weights' mantissas.
    w: [[i8; NW]; WAYS],
}

impl Bucket {
    /// Whether some key whose first bucket is this one went on to a later bucket.
    #[inline]
    fn overflowed(&self) -> bool {
        self.meta & OVERFLOW != 0
    }

    /// The shift of `way`'s weights.
    #[inline]
    fn shift(&self, way: usize) -> u32 {
        u32::from(self.meta >> (SHIFT_BITS * way)) & ((1 << SHIFT_BITS) - 1)
    }

    /// `way`'s weights in units.
    fn weights(&self, way: usize) -> [i16; NW] {
        let sh = self.shift(way);
        self.w[way].map(|x| i16::from(x) << sh)
    }

    /// Sets `way`'s weights (in units; rounded to its mantissas and shift).
    fn set(&mut self, way: usize, w: [i16; NW]) {
        let (m, sh) = compress(w);
        self.w[way] = m;
        let field = ((1u16 << SHIFT_BITS) - 1) << (SHIFT_BITS * way);
        self.meta = (self.meta & !field) | ((sh as u16) << (SHIFT_BITS * way));
    }
}

/// A feature's weights as 8-bit mantissas and one shift: the smallest shift at which every
/// weight rounds (half away from zero) into ±127; weights beyond [`MAX_UNITS`] are clipped.
fn compress(w: [i16; NW]) -> ([i8; NW], u32) {
    let round = |x: i16, sh: u32| -> i32 {
        let (x, half) = (i32::from(x), (1i32 << sh) >> 1);
        x.signum() * ((x.abs() + half) >> sh)
    };
    let top = w.iter().map(|x| x.saturating_abs()).max().unwrap_or(0);
    let mut sh = 0;
    while sh < 7 && round(top, sh) > 127 {
        sh += 1;
    }
    (w.map(|x| round(x, sh).clamp(-127, 127) as i8), sh)
}

/// Quantised weights per feature id (never 0: feature ids are not).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    buckets: Vec<Bucket>,
    len: usize,
    /// Units per unit of weight.
    scale: f32,
}

impl Default for Table {
    fn default() -> Self {
        Self::new(1.0, 0)
    }
}

impl Table {
    /// An empty table for `n` features with weights at `scale` (units per unit of weight).
    pub fn new(scale: f32, n: usize) -> Self {
        let size = (2 * n).div_ceil(WAYS).max(4);
        Self {
            buckets: vec![Bucket::default(); size],
            len: 0,
            scale,
        }
    }

    /// The table of `rows` (feature id, weights), weights made relative to O's and rounded
    /// at `scale`; rows whose weights are all smaller than `min` (in units) and the id 0 are
    /// left out, and so are rows that round to zero everywhere.
    pub fn quantize(scale: f32, min: f32, rows: &[(u32, [f32; NT])]) -> Self {
        let q = |x: f32| {
            (x * scale)
                .round()
                .clamp(-f32::from(MAX_UNITS), f32::from(MAX_UNITS)) as i16
        };
        let mut sorted: Vec<(u32, [i16; NT])> = rows
            .iter()
            .map(|(k, w)| (*k, w.map(|x| q(x - w[0]))))
            .filter(|(k, w)| {
                *k != 0
                    && w.iter()
                        .any(|x| *x != 0 && f32::from(x.unsigned_abs()) >= min * scale)
            })
            .collect();
        sorted.sort_unstable_by_key(|(k, _)| *k);
        let mut t = Self::new(scale, sorted.len());
        for (k, w) in sorted {
            t.insert(k, w);
        }
        t
    }

    /// `key`'s first bucket: the key (an already mixed hash) scaled to the number of buckets.
    #[inline]
    fn home(&self, key: u32) -> usize {
        ((u64::from(key) * self.buckets.len() as u64) >> 32) as usize
    }

    /// The bucket after `b` (the first after the last).
    #[inline]
    fn next(&self, b: usize) -> usize {
        if b + 1 == self.buckets.len() {
            0
        } else {
            b + 1
        }
    }

    /// Where `key` is: bucket and way.
    #[inline]
    fn find(&self, key: u32) -> Option<(usize, usize)> {
        let mut b = self.home(key);
        loop {
            let bk = &self.buckets[b];
            if let Some(way) = bk.keys.iter().position(|k| *k == key) {
                return Some((b, way));
            }
            if !bk.overflowed() {
                return None;
            }
            b = self.next(b);
        }
    }

    /// Sets `key`'s weights (key 0 is ignored; O's weight is taken as 0, the others kept as
    /// they are). The table grows to stay at most half full.
    pub fn insert(&mut self, key: u32, w: [i16; NT]) {
        if key == 0 {
            return;
        }
        let rest: [i16; NW] = std::array::from_fn(|t| w[t + 1]);
        if let Some((b, way)) = self.find(key) {
            self.buckets[b].set(way, rest);
            return;
        }
        if 2 * (self.len + 1) > self.buckets.len() * WAYS {
            let mut bigger = Self::new(self.scale, 2 * (self.len + 1));
            for (k, w) in self.entries() {
                bigger.insert(k, w);
            }
            *self = bigger;
        }
        let mut b = self.home(key);
        loop {
            let bk = &mut self.buckets[b];
            if let Some(way) = bk.keys.iter().position(|k| *k == 0) {
                bk.keys[way] = key;
                bk.set(way, rest);
                self.len += 1;
                return;
            }
            bk.meta |= OVERFLOW;
            b = self.next(b);
        }
    }

    /// `key`'s weights (O's is 0).
    pub fn get(&self, key: u32) -> Option<[i16; NT]> {
        if key == 0 {
            return None;
        }
        self.find(key).map(|(b, way)| {
            let w = self.buckets[b].weights(way);
            std::array::from_fn(|t| if t == 0 { 0 } else { w[t - 1] })
        })
    }

    /// Adds the weights of `keys` to `row` (in units; O's stays as it is). Without branches
    /// on what a bucket holds (but for the rare overflowed bucket), so that the processor
    /// fetches the buckets of several features at once. The way is picked by comparisons that
    /// compile to conditional moves, and a weight is its mantissa times 2^shift, or times 0
    /// when the key is not there (16 bits: 127 · 2^7 fits): fewer instructions than a bit
    /// mask of the ways that hold the key and a shift and a mask per weight (emissions 180 →
    /// 137 ns per char).
    #[inline]
    pub fn sum(&self, keys: &[u32], row: &mut [i32; NT]) {
        let mut acc = [0i32; NW];
        for &k in keys {
            let bk = &self.buckets[self.home(k)];
            // The way that holds `k`, or the last one when none of the others does.
            let mut way = WAYS - 1;
            for i in (0..WAYS - 1).rev() {
                way = if bk.keys[i] == k { i } else { way };
            }
            let hit = bk.keys[way] == k;
            // 2^shift, or 0 when the key is not here: a mantissa times it fits in 16 bits.
            let factor = i16::from(hit) << bk.shift(way);
            for (a, x) in acc.iter_mut().zip(&bk.w[way]) {
                *a += i32::from(i16::from(*x) * factor);
            }
            if !hit
                && bk.overflowed()
                && let Some((b, way)) = self.find(k)
            {
                for (a, x) in acc.iter_mut().zip(self.buckets[b].weights(way)) {
                    *a += i32::from(x);
                }
            }
        }
        for (r, a) in row[1..].iter_mut().zip(acc) {
            *r += a;
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no features.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Units per unit of weight.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Every feature with its weights (O's 0), sorted by id.
    pub fn entries(&self) -> Vec<(u32, [i16; NT])> {
        let mut v: Vec<(u32, [i16; NT])> = self
            .buckets
            .iter()
            .flat_map(|b| (0..WAYS).map(move |way| (b.keys[way], b.weights(way))))
            .filter(|(k, _)| *k != 0)
            .map(|(k, w)| {
                (
                    k,
                    std::array::from_fn(|t| if t == 0 { 0 } else { w[t - 1] }),
                )
            })
            .collect();
        v.sort_unstable_by_key(|(k, _)| *k);
        v
    }

    /// Every feature with its weights in units of weight (units ÷ scale), sorted by id.
    pub fn rows(&self) -> Vec<(u32, [f32; NT])> {
        self.entries()
            .into_iter()
            .map(|(k, w)| (k, w.map(|x| f32::from(x) / self.scale)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_one_cache_line() {
        assert_eq!(std::mem::size_of::<Bucket>(), 64);
        assert_eq!(std::mem::align_of::<Bucket>(), 64);
    }

    #[test]
    fn insert_get_grow() {
        let mut t = Table::new(100.0, 0);
        // Weights a feature can hold exactly: mantissas in ±127 with the feature's shift.
        let w = |k: u32| -> [i16; NT] {
            std::array::from_fn(|i| {
                let m = (k as i32 * i as i32 % 255) - 127;
                if i == 0 { 0 } else { (m << (k % 8)) as i16 }
            })
        };
        // Scattered ids, as feature hashes are (at random, not evenly spaced).
        let id = |k: u32| {
            let z = u64::from(k).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            (z >> 32) as u32 | 1
        };
        for k in 1..=1000u32 {
            t.insert(id(k), w(k));
        }
        assert_eq!(t.len(), 1000);
        assert!(t.buckets.len() * WAYS >= 2 * 1000);
        assert!(
            t.buckets.iter().any(|b| b.overflowed()),
            "some bucket overflowed"
        );
        for k in 1..=1000u32 {
            assert_eq!(t.get(id(k)), Some(w(k)));
        }
        assert!((1..=1000).all(|k| id(k) != 4));
        assert_eq!(t.get(4), None);
        assert_eq!(t.get(0), None);
        t.insert(id(1), w(7));
        assert_eq!(t.len(), 1000);
        assert_eq!(t.get(id(1)), Some(w(7)));
        let mut row = [5; NT];
        t.sum(&[id(1), 4, id(2)], &mut row);
        let expected: [i32; NT] =
            std::array::from_fn(|i| 5 + i32::from(w(7)[i]) + i32::from(w(2)[i]));
        assert_eq!(row, expected);
        // Every key is summed, wherever it went.
        let keys: Vec<u32> = (1..=1000u32).map(id).collect();
        let mut all = [0; NT];
        t.sum(&keys, &mut all);
        // Absent keys add nothing.
        let mut mixed = keys.clone();
        mixed.extend([4, 6, 8]);
        let mut with_absent = [0; NT];
        t.sum(&mixed, &mut with_absent);
        assert_eq!(with_absent, all);
        let total =
            |t: usize| i32::from(w(7)[t]) + (2..=1000).map(|k| i32::from(w(k)[t])).sum::<i32>();
        assert_eq!(all, std::array::from_fn(total));
        assert_eq!(all[0], 0);
        assert_eq!(t.entries().len(), 1000);
        assert!(t.entries().windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn each_feature_keeps_its_weights_to_one_part_in_127_of_its_largest() {
        let mut t = Table::new(1.0, 0);
        let small: [i16; NT] = [0, 3, -2, 1, 0, 0, 0, 0, 5];
        let large: [i16; NT] = [0, 16000, -1000, 300, 7, 0, 0, 0, 100];
        let over: [i16; NT] = [0, i16::MAX, i16::MIN, 0, 0, 0, 0, 0, 0];
        t.insert(1, small);
        t.insert(2, large);
        t.insert(3, over);
        assert_eq!(t.get(1), Some(small), "small weights kept exactly");
        // Shift 7: rounded to multiples of 128, half away from zero.
        assert_eq!(t.get(2), Some([0, 16000, -1024, 256, 0, 0, 0, 0, 128]));
        assert_eq!(t.get(3), Some([0, MAX_UNITS, -MAX_UNITS, 0, 0, 0, 0, 0, 0]));
        let mut row = [0; NT];
        t.sum(&[1, 2], &mut row);
        assert_eq!(row, [0, 16003, -1026, 257, 0, 0, 0, 0, 133]);
    }

    #[test]
    fn quantize_makes_weights_relative_to_o_drops_zero_rows_and_rounds() {
        let mut a = [0f32; NT];
        a[2] = 0.5;
        let mut b = [0.3f32; NT];
        b[4] = 1.3;
        let t = Table::quantize(
            10.0,
            0.0,
            &[(5, a), (6, [0.01; NT]), (0, [1.0; NT]), (7, b)],
        );
        assert_eq!(t.len(), 2, "a row equal for every tag says nothing");
        assert_eq!(t.get(5).unwrap()[2], 5);
        let mut rel = [0f32; NT];
        rel[4] = 1.0;
        assert_eq!(t.rows(), vec![(5, a), (7, rel)]);
    }
}
