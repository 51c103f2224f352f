//! The model's feature weights as tagging reads them: a hash table of 64-byte buckets (one
//! cache line), each holding three feature ids with their weights per tag as i16 on a common
//! scale, so that looking a feature up reads one cache line. Weights are kept relative to
//! the O tag (O's is 0: adding the same amount to every tag of a char changes no decision),
//! which leaves eight per feature. A bucket that overflowed into the next one says so; a
//! lookup of a feature the model never saw stops at its first bucket otherwise. Built once
//! when a model is trained or loaded, at most half full: then few buckets overflow, and a
//! lookup rarely takes the branch that walks on (at three quarters full, that branch, hard
//! to predict, cost a third of the tagging time).

use super::model::NT;

/// Feature ids per bucket.
const WAYS: usize = 3;
/// Weights kept per feature: every tag but O.
const NW: usize = NT - 1;

/// One cache line: up to three feature ids (0: empty) and their weights for tags 1….
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(64))]
struct Bucket {
    keys: [u32; WAYS],
    /// Some key whose first bucket is this one went on to a later bucket.
    overflow: bool,
    w: [[i16; NW]; WAYS],
}

/// Quantised weights per feature id (never 0: feature ids are not).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    buckets: Vec<Bucket>,
    len: usize,
    /// i16 units per unit of weight.
    scale: f32,
}

impl Default for Table {
    fn default() -> Self {
        Self::new(1.0, 0)
    }
}

impl Table {
    /// An empty table for `n` features with weights at `scale` (i16 units per unit).
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
        let q = |x: f32| (x * scale).round().clamp(-32767.0, 32767.0) as i16;
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
            if !bk.overflow {
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
            self.buckets[b].w[way] = rest;
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
                bk.w[way] = rest;
                self.len += 1;
                return;
            }
            bk.overflow = true;
            b = self.next(b);
        }
    }

    /// `key`'s weights (O's is 0).
    pub fn get(&self, key: u32) -> Option<[i16; NT]> {
        if key == 0 {
            return None;
        }
        self.find(key).map(|(b, way)| {
            let w = &self.buckets[b].w[way];
            std::array::from_fn(|t| if t == 0 { 0 } else { w[t - 1] })
        })
    }

    /// Adds the weights of `keys` to `row` (in i16 units; O's stays as it is). Without
    /// branches on what a bucket holds (but for the rare overflowed bucket), so that the
    /// processor fetches the buckets of several features at once.
    #[inline]
    pub fn sum(&self, keys: &[u32], row: &mut [i32; NT]) {
        let mut acc = [0i32; NW];
        for &k in keys {
            let bk = &self.buckets[self.home(k)];
            let [m0, m1, m2] = bk.keys.map(|x| x == k);
            let way = usize::from(m1 & !m0) + 2 * usize::from(m2 & !m0 & !m1);
            let hit = m0 | m1 | m2;
            let mask = -i32::from(hit);
            for (a, x) in acc.iter_mut().zip(&bk.w[way]) {
                *a += i32::from(*x) & mask;
            }
            if !hit
                && bk.overflow
                && let Some((b, way)) = self.find(k)
            {
                for (a, x) in acc.iter_mut().zip(&self.buckets[b].w[way]) {
                    *a += i32::from(*x);
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

    /// i16 units per unit of weight.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Every feature with its weights (O's 0), sorted by id.
    pub fn entries(&self) -> Vec<(u32, [i16; NT])> {
        let mut v: Vec<(u32, [i16; NT])> = self
            .buckets
            .iter()
            .flat_map(|b| b.keys.iter().zip(&b.w))
            .filter(|(k, _)| **k != 0)
            .map(|(k, w)| {
                (
                    *k,
                    std::array::from_fn(|t| if t == 0 { 0 } else { w[t - 1] }),
                )
            })
            .collect();
        v.sort_unstable_by_key(|(k, _)| *k);
        v
    }

    /// Every feature with its weights in units (i16 ÷ scale), sorted by id.
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
        let w =
            |k: u32| -> [i16; NT] { std::array::from_fn(|i| if i == 0 { 0 } else { k as i16 }) };
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
            t.buckets.iter().any(|b| b.overflow),
            "some bucket overflowed"
        );
        for k in 1..=1000u32 {
            assert_eq!(t.get(id(k)), Some(w(k)));
        }
        assert!((1..=1000).all(|k| id(k) != 4));
        assert_eq!(t.get(4), None);
        assert_eq!(t.get(0), None);
        t.insert(id(1), w(u32::MAX));
        assert_eq!(t.len(), 1000);
        assert_eq!(t.get(id(1)), Some(w(u32::MAX)));
        let mut row = [5; NT];
        t.sum(&[id(1), 4, id(2)], &mut row);
        assert_eq!(
            row,
            std::array::from_fn(|i| if i == 0 { 5 } else { 5 - 1 + 2 })
        );
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
        assert_eq!(all[3], -1 + (2..=1000).sum::<i32>());
        assert_eq!(all[0], 0);
        assert_eq!(t.entries().len(), 1000);
        assert!(t.entries().windows(2).all(|w| w[0].0 < w[1].0));
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
