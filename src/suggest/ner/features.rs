//! What the sequence labeller sees of each char: the char and its neighbours, the segmenter's
//! word (its position in the word, its tag, the word itself), gazetteer and lexicon membership,
//! and what the pattern rules say there. Every feature is a 32-bit hash; the model maps hashes
//! to weights, so no feature dictionary is kept.

/// Word flags: what the lexicons say about a segmenter word.
pub mod flag {
    /// A division name or short form from the gazetteer (province, prefecture, county, town).
    pub const GAZETTEER: u16 = 1;
    /// A title or role (书记, 县委书记, 记者).
    pub const TITLE: u16 = 1 << 1;
    /// Ends with an organisation suffix (公司, 合作社, 局).
    pub const ORG_SUFFIX: u16 = 1 << 2;
    /// Ends with a place suffix (村, 镇, 县).
    pub const PLACE_SUFFIX: u16 = 1 << 3;
    /// Starts with a surname.
    pub const SURNAME: u16 = 1 << 4;
    /// A common word of the segmenter's dictionary (not a name).
    pub const KNOWN: u16 = 1 << 5;
    /// A named region (东北, 长江).
    pub const REGION: u16 = 1 << 6;
    /// Starts with an administrative level char (市, 县): 市扶贫办.
    pub const LEVEL: u16 = 1 << 7;
    /// A generic place word (全市, 贫困村).
    pub const GENERIC: u16 = 1 << 8;
    /// In the policy lexicon.
    pub const POLICY: u16 = 1 << 9;
    /// Ends with a programme ending (计划, 模式, 工程).
    pub const PROGRAMME: u16 = 1 << 10;
    /// Number of flags.
    pub const COUNT: u32 = 11;
}

/// A segmenter word, in chars of its line.
#[derive(Debug, Clone)]
pub struct Word {
    /// First char.
    pub start: usize,
    /// Past the last char.
    pub end: usize,
    /// Hash of the part-of-speech tag.
    pub tag: u64,
    /// Hash of the word itself.
    pub text: u64,
    /// [`flag`]s.
    pub flags: u16,
}

/// What is known about one line of text before labelling it.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// The line's chars.
    pub chars: Vec<char>,
    /// The segmenter's words, in order, covering every char.
    pub words: Vec<Word>,
    /// Per char: the index of its word.
    pub word_of: Vec<u32>,
    /// Per char: the rules' suggestion covering it: label index (1 = PER … 4 = POLICY, 0 =
    /// none), position (0 B, 1 I, 2 E, 3 S) and a hash of the rule's name.
    pub rule: Vec<(u8, u8, u64)>,
}

/// A stable 64-bit hash of a string (FNV-1a): the same on every machine and build, so that
/// a saved model keeps its meaning.
pub fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A feature id from a template number and its values: each value xored in and multiplied
/// (one multiplication per value), the result finished once (splitmix64's last steps). Never
/// 0 (the weight table's empty slot; a hash of 0 becomes 1).
#[inline]
fn feature(template: u64, values: &[u64]) -> u32 {
    let h = values
        .iter()
        .fold(template.wrapping_mul(0x9e37_79b9_7f4a_7c15), |h, v| {
            (h ^ v).wrapping_mul(0xbf58_476d_1ce4_e5b9).rotate_left(31)
        });
    let h = (h ^ (h >> 29)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((h >> 32) as u32).max(1)
}

/// The features of every char of a line, one flat list: char `i`'s ids are
/// `ids[ends[i - 1]..ends[i]]`. Reused between lines, so tagging allocates nothing per char.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    ids: Vec<u32>,
    ends: Vec<u32>,
    /// When extracted for tagging ([`Extractor::extract_for_tagging`]): char `i`'s
    /// few-valued features as rows of weights the model summed in advance ([`ROWS`]),
    /// `rows[row_ends[i - 1]..row_ends[i]]` (those features are then not in `ids`). Empty
    /// otherwise.
    rows: Vec<u16>,
    row_ends: Vec<u32>,
    /// When extracted for tagging: the line's char codes ([`window_id`]), two before it and
    /// two after, whose window features (the char and its neighbours ±2) the model reads from
    /// its per-char records; the codes from [`WINDOW_CODES`] up keep theirs among the ids.
    /// Empty otherwise.
    window: Vec<u32>,
}

impl Features {
    /// From one list of ids per char (hand-made data in tests).
    pub fn from_lists<I: IntoIterator<Item = Vec<u32>>>(lists: I) -> Self {
        let mut f = Self::default();
        for l in lists {
            f.ids.extend(l);
            f.ends.push(f.ids.len() as u32);
        }
        f
    }

    /// Number of chars.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no chars.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Char `i`'s feature ids.
    pub fn get(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.ids[start..self.ends[i] as usize]
    }

    /// Every char's feature ids in one list, and where each char's end in it.
    pub fn flat(&self) -> (&[u32], &[u32]) {
        (&self.ids, &self.ends)
    }

    /// Whether the few-valued features are given as rows ([`Features::rows`]) rather than
    /// among the ids.
    pub fn has_rows(&self) -> bool {
        !self.row_ends.is_empty()
    }

    /// Char `i`'s rows of summed weights ([`ROWS`]; empty unless extracted for tagging).
    pub fn rows(&self, i: usize) -> &[u16] {
        if self.row_ends.is_empty() {
            return &[];
        }
        let start = if i == 0 {
            0
        } else {
            self.row_ends[i - 1] as usize
        };
        &self.rows[start..self.row_ends[i] as usize]
    }

    /// The line's char codes, two before and two after it, when extracted for tagging
    /// ([`Features::window`]); else empty.
    pub fn window(&self) -> &[u32] {
        &self.window
    }

    /// Each char's feature ids, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &[u32]> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// Frees what the lines before left (keeps the capacity).
    fn clear(&mut self) {
        self.ids.clear();
        self.ends.clear();
        self.rows.clear();
        self.row_ends.clear();
        self.window.clear();
    }

    /// Adds a feature to the current char.
    #[inline]
    fn push(&mut self, id: u32) {
        self.ids.push(id);
    }

    /// Adds lexicon flag `b` of the word on `side` (`pos`: the char's position in its word),
    /// as a row when `rows`, else as an id.
    #[inline]
    fn push_flag(&mut self, rows: bool, side: Side, b: u64, pos: u64) {
        if rows {
            self.rows.push(flag_row(side, b, pos) as u16);
        } else {
            self.push(flag_id(side, b, pos));
        }
    }

    /// Closes the current char (`rows`: whether its features were given as rows).
    fn next_char(&mut self, rows: bool) {
        self.ends.push(self.ids.len() as u32);
        if rows {
            self.row_ends.push(self.rows.len() as u32);
        }
    }
}

/// Codes of the window features below this one (the line's edges, 1 and 2, and the chars of
/// the Basic Multilingual Plane, as `char + 16`) have per-char records in the model when
/// extracted for tagging ([`Features::window`]): one read per char instead of five lookups in
/// the hash table. A rarer char (beyond U+FFFF) keeps its hashed ids.
pub const WINDOW_CODES: u32 = 0x1_0000 + 16;

/// The hashed id of the window feature at `offset` (0–4: the char two before … two after)
/// whose char has `code` (the char + 16; 1 before the line, 2 after it).
#[inline]
pub fn window_id(offset: usize, code: u32) -> u32 {
    feature(10 + offset as u64, &[u64::from(code)])
}

/// Few-valued features: with [`Extractor::extract_for_tagging`] they are not hashed but
/// given as rows of a small array of weights that the model sums once
/// ([`super::model::Model`]), instead of being looked up one by one in its hash table. Four
/// groups whose features take few values together, one row per char each: bias, quotation
/// marks, clause and rule answer; suffix distances; word length and surnames; char classes;
/// then a row per lexicon flag of the word (with the char's position in it) and of the words
/// before and after. About eleven of the 23 lookups per char become reads of 64 KB of rows
/// that stay in cache.
const GROUP_SIZES: [usize; 4] = [4 * 7 * 20, 4 * 7 * 7, 4 * 7 * 8, 9 * 9 * 9];

/// Where each group's rows start, then the flags' rows: the word's (flag × position), the
/// word before's, the word after's.
const GROUP_START: [usize; 4] = [
    0,
    GROUP_SIZES[0],
    GROUP_SIZES[0] + GROUP_SIZES[1],
    GROUP_SIZES[0] + GROUP_SIZES[1] + GROUP_SIZES[2],
];
const FLAG_START: usize = GROUP_START[3] + GROUP_SIZES[3];
const FLAGS: usize = flag::COUNT as usize;
const PREV_FLAG_START: usize = FLAG_START + 4 * FLAGS;
const NEXT_FLAG_START: usize = PREV_FLAG_START + FLAGS;

/// Number of rows of summed weights.
pub const ROWS: usize = NEXT_FLAG_START + FLAGS;

/// The group of each of [`Small::ids`].
const GROUP_OF: [usize; 9] = [0, 0, 0, 0, 1, 1, 2, 2, 3];

/// The values of a char's few-valued features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Small {
    /// Inside 《…》 (2) and inside “…” (1): 0–3.
    marks: u64,
    /// [`bucket`] of the chars since the clause began: 0–6.
    clause: u64,
    /// The rules' label (0–4) times 4 plus the char's position in their span (0–3).
    rule: u64,
    /// Position in the word: 0 B, 1 I, 2 E, 3 single: 0–3.
    pos: u64,
    /// [`bucket`]s of the distances to an organisation suffix and a programme ending: 0–6.
    org: u64,
    prog: u64,
    /// The word's length, at most 6.
    len: u64,
    /// Whether a surname-initial word starts at this char (1), one back (2), two back (4).
    names: u64,
    /// The [`class`]es of the char before, the char, the char after: 0–8.
    classes: [u64; 3],
}

impl Small {
    /// The features' hashed ids, in the order of [`GROUP_OF`].
    fn ids(&self) -> [u32; 9] {
        let names = [self.names & 1, (self.names >> 1) & 1, self.names >> 2];
        [
            feature(1, &[]),
            feature(26, &[self.marks >> 1, self.marks & 1]),
            feature(62, &[self.clause]),
            feature(50, &[self.rule / 4, self.rule % 4]),
            feature(60, &[self.org, self.pos]),
            feature(61, &[self.prog, self.pos]),
            feature(32, &[self.pos, self.len]),
            feature(
                64,
                &[names[0], names[1], names[2], self.pos, self.len.min(4)],
            ),
            feature(25, &self.classes),
        ]
    }

    /// The row of each group.
    fn rows(&self) -> [u16; 4] {
        let local = [
            (self.marks * 7 + self.clause) * 20 + self.rule,
            (self.pos * 7 + self.org) * 7 + self.prog,
            (self.pos * 7 + self.len) * 8 + self.names,
            (self.classes[0] * 9 + self.classes[1]) * 9 + self.classes[2],
        ];
        std::array::from_fn(|g| (GROUP_START[g] as u64 + local[g]) as u16)
    }

    /// The values that row `i` of `group` stands for (the other groups' left at 0).
    fn of_row(group: usize, i: u64) -> Self {
        let mut s = Self::default();
        match group {
            0 => (s.marks, s.clause, s.rule) = (i / 140, i / 20 % 7, i % 20),
            1 => (s.pos, s.org, s.prog) = (i / 49, i / 7 % 7, i % 7),
            2 => (s.pos, s.len, s.names) = (i / 56, i / 8 % 7, i % 8),
            _ => s.classes = [i / 81, i / 9 % 9, i % 9],
        }
        s
    }
}

/// Whose lexicon flags a feature reads: the char's word (with the char's position in it),
/// the word before it or the word after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Word,
    Before,
    After,
}

/// The row of flag `b` of the word on `side`.
fn flag_row(side: Side, b: u64, pos: u64) -> usize {
    let b = b as usize;
    match side {
        Side::Word => FLAG_START + b * 4 + pos as usize,
        Side::Before => PREV_FLAG_START + b,
        Side::After => NEXT_FLAG_START + b,
    }
}

/// The hashed id of flag `b` of the word on `side`.
fn flag_id(side: Side, b: u64, pos: u64) -> u32 {
    match side {
        Side::Word => feature(40, &[b, pos]),
        Side::Before => feature(41, &[b]),
        Side::After => feature(42, &[b]),
    }
}

/// The hashed ids of the features that `row` (below [`ROWS`]) stands for.
pub fn row_ids(row: usize) -> Vec<u32> {
    if row >= FLAG_START {
        let (side, start) = if row >= NEXT_FLAG_START {
            (Side::After, NEXT_FLAG_START)
        } else if row >= PREV_FLAG_START {
            (Side::Before, PREV_FLAG_START)
        } else {
            (Side::Word, FLAG_START)
        };
        let i = (row - start) as u64;
        let (b, pos) = if side == Side::Word {
            (i / 4, i % 4)
        } else {
            (i, 0)
        };
        return vec![flag_id(side, b, pos)];
    }
    let group = GROUP_START.iter().rposition(|&s| s <= row).unwrap_or(0);
    let ids = Small::of_row(group, (row - GROUP_START[group]) as u64).ids();
    (0..ids.len())
        .filter(|&k| GROUP_OF[k] == group)
        .map(|k| ids[k])
        .collect()
}

/// The class of a char: Han, digit, Chinese numeral, Latin, opening or closing mark, other
/// punctuation, space.
fn class(c: Option<char>) -> u64 {
    let Some(c) = c else { return 0 };
    match c {
        '0'..='9' | '０'..='９' => 1,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千'
        | '万' | '亿' | '零' | '两' => 2,
        'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 3,
        '《' | '“' | '「' | '（' | '(' | '【' | '‘' => 4,
        '》' | '”' | '」' | '）' | ')' | '】' | '’' => 5,
        // Han (the common case) without the Unicode tables.
        '\u{4e00}'..='\u{9fff}' => 7,
        c if c.is_whitespace() || c == '\u{3000}' => 6,
        c if c.is_alphabetic() => 7,
        _ => 8,
    }
}

/// Extracts features line after line, keeping its buffers between lines.
#[derive(Debug, Default)]
pub struct Extractor {
    /// Per char (with two places of padding on each side): the char's value in the hash.
    chars: Vec<u64>,
    /// Per char: distances to the next organisation suffix and programme ending in the
    /// clause, and to the next closing quote or book-title mark.
    ahead: Vec<[u32; 3]>,
    /// Per char (with one place of padding on each side): its [`class`].
    classes: Vec<u64>,
    /// Per char (with two places of padding before): whether a surname-initial word starts
    /// there.
    surnames: Vec<bool>,
}

/// Feature ids for every char of a line (a fresh [`Extractor`]).
pub fn extract(s: &Signals, out: &mut Features) {
    Extractor::default().extract(s, out);
}

impl Extractor {
    /// Feature ids for every char of `s` into `out` (what was there is replaced): all of
    /// them as ids, for training.
    pub fn extract(&mut self, s: &Signals, out: &mut Features) {
        self.run(s, out, false);
    }

    /// [`Extractor::extract`] for tagging: the few-valued features as rows of summed weights
    /// ([`Features::rows`]) and the window features as the line's char codes
    /// ([`Features::window`]) instead of ids; the model's emissions are the same.
    pub fn extract_for_tagging(&mut self, s: &Signals, out: &mut Features) {
        self.run(s, out, true);
    }

    fn run(&mut self, s: &Signals, out: &mut Features, dense: bool) {
        out.clear();
        let n = s.chars.len();
        // Chars as hash values: 1 before the line, 2 after it.
        self.chars.clear();
        self.chars.extend([1, 1]);
        self.chars
            .extend(s.chars.iter().map(|&c| u64::from(c) + 16));
        self.chars.extend([2, 2]);
        let ch = &self.chars;
        self.ahead.clear();
        self.ahead.resize(n, [u32::MAX; 3]);
        lookahead(s, &mut self.ahead);
        self.classes.clear();
        self.classes.push(class(None));
        self.classes.extend(s.chars.iter().map(|&c| class(Some(c))));
        self.classes.push(class(None));
        self.surnames.clear();
        self.surnames.extend([false, false]);
        self.surnames.extend((0..n).map(|k| {
            let w = &s.words[s.word_of[k] as usize];
            k == w.start && w.flags & flag::SURNAME != 0
        }));
        let (classes, surnames) = (&self.classes, &self.surnames);
        out.ids.reserve(n * 32);
        out.ends.reserve(n);
        if dense {
            out.rows.reserve(n * 8);
            out.row_ends.reserve(n);
            out.window.extend(ch.iter().map(|&c| c as u32));
        }
        // Inside 《…》 or “…” on this line; where the clause and the quotation began.
        let mut book = false;
        let mut quote = false;
        let mut clause_start = 0usize;
        let mut opened: Option<usize> = None;
        for i in 0..n {
            let c = s.chars[i];
            // ch[i + 2] is char i; ch[i + 2 + k] its neighbour at k.
            let at = |k: isize| ch[(i as isize + 2 + k) as usize];
            if c == '《' {
                book = true;
            }
            if c == '“' {
                quote = true;
            }
            let wi = s.word_of[i] as usize;
            let w = &s.words[wi];
            let len = w.end - w.start;
            let pos: u64 = if len == 1 {
                3
            } else if i == w.start {
                0
            } else if i + 1 == w.end {
                2
            } else {
                1
            };
            let [org, programme, closes] = self.ahead[i];
            let (label, rpos, rule) = s.rule[i];
            let small = Small {
                marks: u64::from(book) << 1 | u64::from(quote),
                clause: bucket((i - clause_start) as u32),
                rule: u64::from(label) * 4 + u64::from(rpos),
                pos,
                org: bucket(org),
                prog: bucket(programme),
                len: len.min(6) as u64,
                // surnames[i + 2] is char i's.
                names: u64::from(surnames[i + 2])
                    | u64::from(surnames[i + 1]) << 1
                    | u64::from(surnames[i]) << 2,
                // classes[i + 1] is char i's.
                classes: [classes[i], classes[i + 1], classes[i + 2]],
            };
            let small_ids = if dense {
                out.rows.extend(small.rows());
                None
            } else {
                Some(small.ids())
            };
            // Pushes the few-valued feature `k` (when extracting for training).
            macro_rules! small {
                ($k:expr) => {
                    if let Some(ids) = &small_ids {
                        out.push(ids[$k]);
                    }
                };
            }

            small!(0);
            for k in -2..=2isize {
                let code = at(k);
                if !dense || code >= u64::from(WINDOW_CODES) {
                    out.push(window_id((k + 2) as usize, code as u32));
                }
            }
            out.push(feature(20, &[at(-1), at(0)]));
            out.push(feature(21, &[at(0), at(1)]));
            small!(8);
            small!(1);
            if c == '》' {
                book = false;
            }
            if c == '”' {
                quote = false;
            }
            // The word: position, tag, identity, length, flags; its neighbours at its edges.
            out.push(feature(30, &[pos, w.tag]));
            out.push(feature(31, &[pos, w.text]));
            small!(6);
            let prev = wi.checked_sub(1).map(|k| &s.words[k]);
            let next = s.words.get(wi + 1);
            out.push(feature(33, &[pos, prev.map_or(0, |p| p.tag), w.tag]));
            out.push(feature(34, &[pos, w.tag, next.map_or(0, |p| p.tag)]));
            for b in bits(w.flags) {
                out.push_flag(dense, Side::Word, b, pos);
            }
            if (pos == 0 || pos == 3)
                && let Some(p) = prev
            {
                out.push(feature(35, &[p.text]));
                for b in bits(p.flags) {
                    out.push_flag(dense, Side::Before, b, pos);
                }
            }
            if (pos == 2 || pos == 3)
                && let Some(nx) = next
            {
                out.push(feature(36, &[nx.text]));
                for b in bits(nx.flags) {
                    out.push_flag(dense, Side::After, b, pos);
                }
            }
            // Within the clause: how far the next organisation suffix and programme ending are
            // (a long name runs from a place to its suffix), how far back the clause and the
            // quotation started, and how far the quotation ends.
            small!(4);
            small!(5);
            small!(2);
            if quote || book {
                let since = opened.map_or(u32::MAX, |o| (i - o) as u32);
                out.push(feature(63, &[bucket(since), bucket(closes)]));
            }
            // A name's shape: a surname one or two chars back, the word lengths around.
            small!(7);
            // The rules.
            small!(3);
            if label != 0 {
                out.push(feature(51, &[rule, u64::from(rpos)]));
                out.push(feature(52, &[u64::from(label), u64::from(rpos), w.tag]));
            }
            out.next_char(dense);
            if clause_mark(c) {
                clause_start = i + 1;
            }
            if matches!(c, '《' | '“' | '「' | '『') {
                opened = Some(i);
            }
        }
    }
}

/// The numbers of the bits set in `flags`, lowest first.
fn bits(flags: u16) -> impl Iterator<Item = u64> {
    let mut f = flags;
    std::iter::from_fn(move || {
        (f != 0).then(|| {
            let b = f.trailing_zeros();
            f &= f - 1;
            u64::from(b)
        })
    })
}

/// Marks that end a clause: the lookahead stops there.
fn clause_mark(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | '、' | '！' | '？' | ',' | ';' | ':' | '!' | '?'
    )
}

/// Per char, distances (`u32::MAX`: none) to the end of the next word with an organisation
/// suffix and with a programme ending in the same clause, and to the next closing quote or
/// book-title mark.
fn lookahead(s: &Signals, out: &mut [[u32; 3]]) {
    let (mut org, mut prog, mut close) = (None::<usize>, None::<usize>, None::<usize>);
    for i in (0..s.chars.len()).rev() {
        let c = s.chars[i];
        if clause_mark(c) {
            org = None;
            prog = None;
        }
        if matches!(c, '》' | '”' | '」' | '』') {
            close = Some(i);
        }
        let w = &s.words[s.word_of[i] as usize];
        if i + 1 == w.end {
            if w.flags & flag::ORG_SUFFIX != 0 {
                org = Some(i);
            }
            if w.flags & flag::PROGRAMME != 0 {
                prog = Some(i);
            }
        }
        let dist = |to: Option<usize>| to.map_or(u32::MAX, |t| (t - i) as u32);
        out[i] = [dist(org), dist(prog), dist(close)];
    }
}

/// A distance in a few buckets: 0, 1, 2, 3–4, 5–8, 9–16, farther or none.
fn bucket(d: u32) -> u64 {
    match d {
        0..=2 => u64::from(d),
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        _ => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        // A saved model depends on these values never changing.
        assert_eq!(hash_str(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash_str("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(feature(1, &[]), 2_106_318_624);
        assert_eq!(feature(24, &[16 + 0x4e00, 17, 2]), 2_331_150_042);
        assert_ne!(feature(10, &[5]), feature(11, &[5]));
        assert_ne!(feature(20, &[5, 6]), feature(20, &[6, 5]));
    }

    #[test]
    fn one_feature_list_per_char() {
        let chars: Vec<char> = "王某说".chars().collect();
        let s = Signals {
            words: vec![
                Word {
                    start: 0,
                    end: 2,
                    tag: hash_str("nr"),
                    text: hash_str("王某"),
                    flags: flag::SURNAME,
                },
                Word {
                    start: 2,
                    end: 3,
                    tag: hash_str("v"),
                    text: hash_str("说"),
                    flags: flag::KNOWN,
                },
            ],
            word_of: vec![0, 0, 1],
            rule: vec![(1, 0, 7), (1, 2, 7), (0, 0, 0)],
            chars,
        };
        let mut out = Features::default();
        extract(&s, &mut out);
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|f| f.len() > 15 && !f.contains(&0)));
        // The first and the last char differ in their features.
        assert_ne!(out.get(0), out.get(2));
        // The extractor's buffers carry nothing from one line to the next.
        let mut ex = Extractor::default();
        let mut again = Features::default();
        ex.extract(&s, &mut again);
        ex.extract(&s, &mut again);
        assert_eq!(again, out);
    }
}
