//! The labeller's weights: one row of tag weights per feature hash, tag-to-tag transitions,
//! Viterbi decoding under BIO constraints, and the compact binary file they are saved in.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::NerError;

/// The tags: O, then B and I for each label.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-POLICY", "I-POLICY",
];
/// Number of tags.
pub const NT: usize = TAGS.len();
/// The labels, in tag order (tag `2k+1` is B-label k, `2k+2` is I-label k).
pub const LABELS: [&str; 4] = ["PER", "LOC", "ORG", "POLICY"];

/// The tag index of B-`label` (None for labels the labeller does not know).
pub fn begin_tag(label: &str) -> Option<usize> {
    LABELS.iter().position(|l| *l == label).map(|k| 2 * k + 1)
}

/// The label of a tag (None for O).
pub fn tag_label(tag: usize) -> Option<&'static str> {
    (tag > 0).then(|| LABELS[(tag - 1) / 2])
}

/// Whether tag `b` may follow tag `a` (`a` = None at the start): I-X only after B-X or I-X.
pub fn allowed(a: Option<usize>, b: usize) -> bool {
    if b == 0 || b % 2 == 1 {
        return true;
    }
    a.is_some_and(|a| a != 0 && (a - 1) / 2 == (b - 1) / 2)
}

/// Feature hashes are already mixed: one multiplication spreads them.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        // The table takes its control bits from the top of the hash: spread the (already
        // mixed) 32 bits over all 64, or every key would share them.
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A map keyed by feature hash.
pub type FeatureMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

/// File magic and the version of the feature scheme; a model saved with another scheme is
/// refused rather than silently misread.
const MAGIC: &[u8; 8] = b"BZNER\x00\x02\x00";

/// Whether a model file was saved with this version of the feature scheme.
pub fn same_version(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Trained weights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// Feature hash → weight per tag.
    pub weights: FeatureMap<[f32; NT]>,
    /// `trans[a][b]`: weight of tag `b` after tag `a`; row `NT` is the start.
    pub trans: [[f32; NT]; NT + 1],
}

impl Model {
    /// Per-tag scores of each char from its features.
    pub fn emissions(&self, feats: &[Vec<u32>]) -> Vec<[f32; NT]> {
        feats
            .iter()
            .map(|fs| {
                let mut row = [0f32; NT];
                for f in fs {
                    if let Some(w) = self.weights.get(f) {
                        for (r, x) in row.iter_mut().zip(w) {
                            *r += x;
                        }
                    }
                }
                row
            })
            .collect()
    }

    /// The best tag sequence (Viterbi, BIO constraints enforced).
    pub fn decode(&self, em: &[[f32; NT]]) -> Vec<usize> {
        let n = em.len();
        if n == 0 {
            return Vec::new();
        }
        const NEG: f32 = f32::NEG_INFINITY;
        let mut score = vec![[NEG; NT]; n];
        let mut back = vec![[0u8; NT]; n];
        for b in 0..NT {
            if allowed(None, b) {
                score[0][b] = self.trans[NT][b] + em[0][b];
            }
        }
        for i in 1..n {
            for b in 0..NT {
                let mut best = NEG;
                let mut arg = 0;
                for (a, prev) in score[i - 1].iter().enumerate() {
                    if !allowed(Some(a), b) {
                        continue;
                    }
                    let s = prev + self.trans[a][b];
                    if s > best {
                        best = s;
                        arg = a;
                    }
                }
                score[i][b] = best + em[i][b];
                back[i][b] = arg as u8;
            }
        }
        let mut tag = (0..NT)
            .max_by(|a, b| score[n - 1][*a].total_cmp(&score[n - 1][*b]))
            .unwrap_or(0);
        let mut out = vec![0; n];
        for i in (0..n).rev() {
            out[i] = tag;
            tag = back[i][tag] as usize;
        }
        out
    }

    /// Serialises the model: magic, transitions, then for each feature (sorted by hash) its
    /// hash, how many tags have a weight, and (tag, weight) pairs, weights as i16 on a common
    /// scale. Weights that round to zero are left out.
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self
            .weights
            .values()
            .flat_map(|w| w.iter())
            .chain(self.trans.iter().flatten())
            .fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { 32000.0 / max } else { 1.0 };
        let q = |x: f32| (x * scale).round() as i16;
        let mut out = Vec::with_capacity(self.weights.len() * 12 + 512);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&scale.to_le_bytes());
        for row in &self.trans {
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        let mut keys: Vec<u32> = self
            .weights
            .iter()
            .filter(|(_, w)| w.iter().any(|x| q(*x) != 0))
            .map(|(k, _)| *k)
            .collect();
        keys.sort_unstable();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            let w = &self.weights[&k];
            out.extend_from_slice(&k.to_le_bytes());
            let nz: Vec<(usize, i16)> = w
                .iter()
                .enumerate()
                .map(|(t, x)| (t, q(*x)))
                .filter(|(_, x)| *x != 0)
                .collect();
            out.push(nz.len() as u8);
            for (t, x) in nz {
                out.push(t as u8);
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`Model::to_bytes`]; anything malformed is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, NerError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(NerError::Format(
                "not a biaozhu entity model (or another version)",
            ));
        }
        let scale = r.f32()?;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(NerError::Format("bad weight scale"));
        }
        let mut model = Model::default();
        for row in model.trans.iter_mut() {
            for x in row.iter_mut() {
                *x = r.f32()?;
            }
        }
        let n = r.u32()? as usize;
        if n > bytes.len() / 5 {
            return Err(NerError::Format("feature count larger than the file"));
        }
        model.weights.reserve(n);
        for _ in 0..n {
            let k = r.u32()?;
            let m = r.take(1)?[0] as usize;
            let mut w = [0f32; NT];
            for _ in 0..m {
                let t = r.take(1)?[0] as usize;
                let x = i16::from_le_bytes(r.take(2)?.try_into().expect("two bytes"));
                let slot = w.get_mut(t).ok_or(NerError::Format("tag out of range"))?;
                *slot = f32::from(x) / scale;
            }
            model.weights.insert(k, w);
        }
        if r.at != bytes.len() {
            return Err(NerError::Format("trailing bytes"));
        }
        Ok(model)
    }
}

/// A bounds-checked reader over a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], NerError> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(NerError::Format("file ends too early"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, NerError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, NerError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bio_constraints() {
        assert!(allowed(None, 1));
        assert!(!allowed(None, 2));
        assert!(allowed(Some(1), 2));
        assert!(allowed(Some(2), 2));
        assert!(!allowed(Some(3), 2));
        assert!(!allowed(Some(0), 4));
        assert_eq!(tag_label(3), Some("LOC"));
        assert_eq!(begin_tag("POLICY"), Some(7));
    }

    #[test]
    fn decoding_never_starts_inside() {
        let m = Model::default();
        let mut em = vec![[0f32; NT]; 3];
        em[0][2] = 5.0; // I-PER first: not allowed
        em[1][2] = 5.0;
        let tags = m.decode(&em);
        assert_ne!(tags[0], 2);
        for w in tags.windows(2) {
            assert!(allowed(Some(w[0]), w[1]), "{tags:?}");
        }
    }

    #[test]
    fn bytes_round_trip_and_corruption() {
        let mut m = Model::default();
        m.weights
            .insert(7, [0.5, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]);
        m.weights.insert(9, [0.0; NT]);
        m.trans[NT][1] = -0.25;
        let b = m.to_bytes();
        let back = Model::from_bytes(&b).unwrap();
        assert_eq!(back.weights.len(), 1, "all-zero rows are dropped");
        assert!((back.weights[&7][8] - 2.0).abs() < 1e-3);
        assert!((back.weights[&7][1] + 1.0).abs() < 1e-3);
        assert_eq!(back.trans[NT][1], -0.25);
        // Truncated, garbage, other magic: errors.
        assert!(Model::from_bytes(&b[..b.len() - 1]).is_err());
        assert!(Model::from_bytes(b"hello").is_err());
        let mut other = b.clone();
        other[0] = b'X';
        assert!(Model::from_bytes(&other).is_err());
        let mut extra = b;
        extra.push(0);
        assert!(Model::from_bytes(&extra).is_err());
    }
}
