//! The model's feature weights as tagging reads them: an open-addressing table of slots, each
//! a feature id and its weights per tag as i16 on a common scale (24 bytes, so one lookup is
//! one cache line in the common case). Built once when a model is trained or loaded; the
//! table holds at most half as many features as slots (linear probing stays short, a feature
//! the model never saw ends at an empty slot after one or two probes).

use super::model::NT;

/// One slot: a feature id (0: empty) and its weights per tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(C)]
struct Slot {
    key: u32,
    w: [i16; NT],
}

/// Quantised weights per feature id (never 0: feature ids are not).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: the slot of a key is the top bits of key × a constant.
    shift: u32,
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
        let size = (2 * n).next_power_of_two().max(16);
        Self {
            slots: vec![Slot::default(); size],
            shift: 64 - size.trailing_zeros(),
            len: 0,
            scale,
        }
    }

    /// The table of `rows` (feature id, weights), weights rounded at `scale`; rows that round
    /// to zero everywhere and the id 0 are left out.
    pub fn quantize(scale: f32, rows: &[(u32, [f32; NT])]) -> Self {
        let q = |x: f32| (x * scale).round().clamp(-32767.0, 32767.0) as i16;
        let mut sorted: Vec<(u32, [i16; NT])> = rows
            .iter()
            .map(|(k, w)| (*k, w.map(q)))
            .filter(|(k, w)| *k != 0 && w.iter().any(|x| *x != 0))
            .collect();
        sorted.sort_unstable_by_key(|(k, _)| *k);
        let mut t = Self::new(scale, sorted.len());
        for (k, w) in sorted {
            t.insert(k, w);
        }
        t
    }

    /// The slot where `key` is or would go.
    #[inline]
    fn slot_of(&self, key: u32) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = (u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        loop {
            let k = self.slots[i].key;
            if k == key || k == 0 {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// Sets `key`'s weights (key 0 is ignored). The table grows to stay at most half full.
    pub fn insert(&mut self, key: u32, w: [i16; NT]) {
        if key == 0 {
            return;
        }
        if 2 * (self.len + 1) > self.slots.len() {
            let mut bigger = Self::new(self.scale, self.len + 1);
            for s in self.slots.iter().filter(|s| s.key != 0) {
                bigger.insert(s.key, s.w);
            }
            *self = bigger;
        }
        let i = self.slot_of(key);
        if self.slots[i].key == 0 {
            self.len += 1;
        }
        self.slots[i] = Slot { key, w };
    }

    /// `key`'s weights.
    #[inline]
    pub fn get(&self, key: u32) -> Option<&[i16; NT]> {
        let s = &self.slots[self.slot_of(key)];
        (s.key == key && key != 0).then_some(&s.w)
    }

    /// Adds the weights of `keys` to `row` (in i16 units).
    #[inline]
    pub fn sum(&self, keys: &[u32], row: &mut [i32; NT]) {
        for &k in keys {
            if let Some(w) = self.get(k) {
                for (r, x) in row.iter_mut().zip(w) {
                    *r += i32::from(*x);
                }
            }
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

    /// Every feature with its weights, sorted by id.
    pub fn entries(&self) -> Vec<(u32, [i16; NT])> {
        let mut v: Vec<_> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| (s.key, s.w))
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
    fn slots_are_24_bytes() {
        assert_eq!(std::mem::size_of::<Slot>(), 24);
    }

    #[test]
    fn insert_get_grow() {
        let mut t = Table::new(100.0, 0);
        for k in 1..=1000u32 {
            t.insert(k * 7919, [k as i16; NT]);
        }
        assert_eq!(t.len(), 1000);
        assert!(t.slots.len() >= 2000);
        for k in 1..=1000u32 {
            assert_eq!(t.get(k * 7919), Some(&[k as i16; NT]));
        }
        assert_eq!(t.get(3), None);
        assert_eq!(t.get(0), None);
        t.insert(7919, [-1; NT]);
        assert_eq!(t.len(), 1000);
        assert_eq!(t.get(7919), Some(&[-1; NT]));
        let mut row = [0; NT];
        t.sum(&[7919, 3, 7919 * 2], &mut row);
        assert_eq!(row, [1; NT]);
        assert_eq!(t.entries().len(), 1000);
        assert!(t.entries().windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn quantize_drops_zero_rows_and_rounds() {
        let mut a = [0f32; NT];
        a[2] = 0.5;
        let t = Table::quantize(10.0, &[(5, a), (6, [0.01; NT]), (0, [1.0; NT])]);
        assert_eq!(t.len(), 1);
        assert_eq!(t.get(5).unwrap()[2], 5);
        assert_eq!(t.rows(), vec![(5, a)]);
    }
}
