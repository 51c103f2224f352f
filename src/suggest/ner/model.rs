//! The labeller's weights: one row of tag weights per feature id ([`Table`]), tag-to-tag
//! transitions, Viterbi decoding under BIO constraints, and the compact binary file they are
//! saved in.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::NerError;
use super::features::{Features, ROWS, WINDOW_CODES, row_ids, window_id};
use super::table::{MAX_UNITS, Table};

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

/// File magic and the version of the feature scheme and weights (3: weights relative to O's;
/// 4: feature ids hashed with one multiplication per value; 5: weights up to [`MAX_UNITS`], each
/// feature's to 8 bits of its largest; 6: no char pairs two apart nor char triples; 7: the same
/// features with the rules' answers for countries, lexicon bodies and five-year plans; 8: and
/// for the organisations a list names by their kind, national bodies and titles left out of
/// bodies; 9: and for quoted slogans written as lists and the places of a list whose 等 the
/// segmenter glued to their kind; 10: and for quoted models written with +; 11: and for the
/// speakers of broadcast sound bites and of captions up to six chars, photo credits after
/// their outlet, and place lists whose items end with an organisation suffix); a model saved
/// with another version is refused rather than silently misread.
const MAGIC: &[u8; 8] = b"BZNER\x00\x0b\x00";

/// Whether a model file was saved with this version of the feature scheme.
pub fn same_version(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Trained weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Feature id → weight per tag (quantised; what is saved is what is used).
    weights: Table,
    /// `trans[a][b]`: weight of tag `b` after tag `a`; row `NT` is the start.
    pub trans: [[f32; NT]; NT + 1],
    /// Per row of few-valued features ([`ROWS`]): the sum of its features' weights (in
    /// units, O's 0), worked out from `weights` once.
    rows: Vec<[i32; NT]>,
    /// Per char code below [`WINDOW_CODES`]: its record in `records` (0: none of its window
    /// features has a weight).
    window: Vec<u16>,
    /// Per char with window weights: the weights (in units, O's left out as 0) of its window
    /// features at offsets 0–4 (two before the char tagged … two after), worked out from
    /// `weights` once: a char's five lookups in the table become one read.
    records: Vec<[[i16; NT - 1]; 5]>,
}

impl Default for Model {
    /// No weights, no transitions.
    fn default() -> Self {
        Self::of(Table::default(), [[0.0; NT]; NT + 1])
    }
}

/// Buffers of Viterbi decoding, kept between lines.
#[derive(Debug, Default)]
pub struct Decoder {
    score: Vec<[f32; NT]>,
}

/// No path.
const NEG: f32 = f32::NEG_INFINITY;

/// The tags that tag `b` may follow ([`allowed`]): any for O and B-X, B-X or I-X (the two
/// just before it) for I-X.
#[inline]
fn from(b: usize) -> std::ops::Range<usize> {
    if b.is_multiple_of(2) && b > 0 {
        b - 1..b + 1
    } else {
        0..NT
    }
}

impl Model {
    /// A model of these weights (feature id, weight per tag) and transitions. The weights are
    /// kept relative to O's (which decodes the same) on a common scale (the largest weight or
    /// transition at [`MAX_UNITS`]), as the table keeps them (8-bit mantissas with a shift
    /// per feature); those that round to zero are dropped.
    pub fn new(rows: &[(u32, [f32; NT])], trans: [[f32; NT]; NT + 1]) -> Self {
        Self::pruned(rows, trans, 0.0)
    }

    /// [`Model::new`] without the features whose weights (relative to O's) are all smaller
    /// than `min` in absolute value: most features of a trained model have small weights
    /// that change few decisions, and a smaller table is faster to look up.
    pub fn pruned(rows: &[(u32, [f32; NT])], trans: [[f32; NT]; NT + 1], min: f32) -> Self {
        let max = rows
            .iter()
            .flat_map(|(_, w)| w.iter().map(|x| x - w[0]))
            .chain(trans.iter().flatten().copied())
            .fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 {
            f32::from(MAX_UNITS) / max
        } else {
            1.0
        };
        Self::of(Table::quantize(scale, min, rows), trans)
    }

    /// The model of these weights and transitions, with the sums of its rows of few-valued
    /// features ([`ROWS`]).
    fn of(weights: Table, trans: [[f32; NT]; NT + 1]) -> Self {
        let rows = (0..ROWS)
            .map(|r| {
                let mut row = [0i32; NT];
                weights.sum(&row_ids(r), &mut row);
                row
            })
            .collect();
        // Only the codes a line can have: the two edges (1, 2) and the chars of the BMP
        // (char + 16; no surrogates). At most 63,490 records besides the empty one: the
        // indices fit 16 bits.
        let mut window = vec![0u16; WINDOW_CODES as usize];
        let mut records = vec![[[0i16; NT - 1]; 5]];
        let codes = [1, 2]
            .into_iter()
            .chain((16..WINDOW_CODES).filter(|code| char::from_u32(code - 16).is_some()));
        for code in codes {
            let found: [Option<[i16; NT]>; 5] =
                std::array::from_fn(|o| weights.get(window_id(o, code)));
            if found.iter().all(Option::is_none) {
                continue;
            }
            window[code as usize] = records.len() as u16;
            records.push(found.map(|w| {
                let w = w.unwrap_or_default();
                std::array::from_fn(|t| w[t + 1])
            }));
        }
        Self {
            weights,
            trans,
            rows,
            window,
            records,
        }
    }

    /// The window record of the char with `code` ([`Model::records`]).
    #[inline]
    fn record(&self, code: u32) -> &[[i16; NT - 1]; 5] {
        let r = self.window.get(code as usize).copied().unwrap_or(0);
        &self.records[usize::from(r)]
    }

    /// The feature weights.
    pub fn weights(&self) -> &Table {
        &self.weights
    }

    /// Number of features with a weight.
    pub fn features(&self) -> usize {
        self.weights.len()
    }

    /// Per-tag scores of each char from its features.
    pub fn emissions(&self, feats: &Features) -> Vec<[f32; NT]> {
        let mut out = Vec::new();
        self.emissions_into(feats, &mut out);
        out
    }

    /// [`Model::emissions`] into `out` (its contents replaced).
    pub fn emissions_into(&self, feats: &Features, out: &mut Vec<[f32; NT]>) {
        let unit = 1.0 / self.weights.scale();
        let n = feats.len();
        let win = feats.window();
        let win = if win.len() == n + 4 { win } else { &[] };
        out.clear();
        out.extend((0..n).map(|i| {
            let mut row = [0i32; NT];
            for &r in feats.rows(i) {
                for (x, w) in row.iter_mut().zip(&self.rows[usize::from(r)]) {
                    *x += w;
                }
            }
            // The char and its neighbours: window position i + o holds the char at offset
            // o - 2.
            if let Some(codes) = win.get(i..i + 5) {
                for (o, &code) in codes.iter().enumerate() {
                    for (x, w) in row[1..].iter_mut().zip(&self.record(code)[o]) {
                        *x += i32::from(*w);
                    }
                }
            }
            self.weights.sum(feats.get(i), &mut row);
            row.map(|x| x as f32 * unit)
        }));
    }

    /// The best tag sequence (Viterbi, BIO constraints enforced).
    pub fn decode(&self, em: &[[f32; NT]]) -> Vec<usize> {
        let mut out = Vec::new();
        self.decode_into(em, &mut Decoder::default(), &mut out);
        out
    }

    /// [`Model::decode`] with reused buffers, into `out` (its contents replaced). The forward
    /// pass keeps only the best scores (maxima without branches); the best previous tag is
    /// worked out again on the way back, for the one tag taken at each char (the same
    /// comparisons in the same order: the same path as keeping every back pointer, with one
    /// branching search per char instead of one per tag).
    pub fn decode_into(&self, em: &[[f32; NT]], d: &mut Decoder, out: &mut Vec<usize>) {
        let n = em.len();
        out.clear();
        if n == 0 {
            return;
        }
        d.score.clear();
        d.score.resize(n, [NEG; NT]);
        let trans = &self.trans;
        for b in 0..NT {
            if allowed(None, b) {
                d.score[0][b] = trans[NT][b] + em[0][b];
            }
        }
        for (i, e) in em.iter().enumerate().skip(1) {
            let prev = d.score[i - 1];
            let mut next = [NEG; NT];
            for (b, x) in next.iter_mut().enumerate() {
                let mut best = NEG;
                for a in from(b) {
                    let s = prev[a] + trans[a][b];
                    best = if s > best { s } else { best };
                }
                *x = best + e[b];
            }
            d.score[i] = next;
        }
        let mut tag = (0..NT)
            .max_by(|a, b| d.score[n - 1][*a].total_cmp(&d.score[n - 1][*b]))
            .unwrap_or(0);
        out.resize(n, 0);
        for i in (1..n).rev() {
            out[i] = tag;
            let prev = &d.score[i - 1];
            let mut best = NEG;
            let mut arg = from(tag).start;
            for a in from(tag) {
                let s = prev[a] + trans[a][tag];
                if s > best {
                    best = s;
                    arg = a;
                }
            }
            tag = arg;
        }
        out[0] = tag;
    }

    /// Serialises the model: magic, weight scale, transitions, then for each feature (sorted
    /// by id) its id, how many tags have a weight, and (tag, weight) pairs, weights as i16.
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries = self.weights.entries();
        let mut out = Vec::with_capacity(entries.len() * 12 + 512);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.weights.scale().to_le_bytes());
        for row in &self.trans {
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        for (k, w) in entries {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(w.iter().filter(|x| **x != 0).count() as u8);
            for (t, x) in w.iter().enumerate().filter(|(_, x)| **x != 0) {
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
        let mut trans = [[0f32; NT]; NT + 1];
        for row in trans.iter_mut() {
            for x in row.iter_mut() {
                *x = r.f32()?;
            }
        }
        let n = r.u32()? as usize;
        if n > bytes.len() / 5 {
            return Err(NerError::Format("feature count larger than the file"));
        }
        let mut weights = Table::new(scale, n);
        let mut last = 0u32;
        for _ in 0..n {
            let k = r.u32()?;
            if k <= last {
                return Err(NerError::Format("feature ids out of order"));
            }
            last = k;
            let m = r.take(1)?[0] as usize;
            let mut w = [0i16; NT];
            for _ in 0..m {
                let t = r.take(1)?[0] as usize;
                let x = i16::from_le_bytes(r.take(2)?.try_into().expect("two bytes"));
                *w.get_mut(t).ok_or(NerError::Format("tag out of range"))? = x;
            }
            weights.insert(k, w);
        }
        if r.at != bytes.len() {
            return Err(NerError::Format("trailing bytes"));
        }
        Ok(Model::of(weights, trans))
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
        let mut trans = [[0f32; NT]; NT + 1];
        trans[NT][1] = -0.25;
        let m = Model::new(
            &[
                (7, [0.5, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
                (9, [0.0; NT]),
            ],
            trans,
        );
        assert_eq!(m.features(), 1, "all-zero rows are dropped");
        let b = m.to_bytes();
        let back = Model::from_bytes(&b).unwrap();
        assert_eq!(back, m, "what is saved is what is used");
        // Kept relative to O's weight, to half a part in 127 of the feature's largest (1.5).
        let w = back.weights().rows()[0].1;
        assert_eq!(w[0], 0.0);
        assert!((w[8] - 1.5).abs() < 1e-3);
        assert!((w[1] + 1.5).abs() < 1e-3);
        assert!((w[2] + 0.5).abs() < 1.5 / 254.0);
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
