//! Entity suggestions: PER, LOC, ORG and POLICY.
//!
//! The segmenter (jieba-rs, with part-of-speech tags) is one signal among several. Its tags
//! are noisy on this genre (徐徐/nr, 惠及/ns), so a tag alone suggests an entity only when
//! something else supports it: a gazetteer of administrative divisions (`data/divisions.tsv`,
//! added to the segmenter's dictionary so that place names come out as one word), place and
//! organisation suffixes, a title or role before a name, 《book-title marks》, quoted programme
//! names and a short lexicon of national policies (`data/policies.txt`).
//!
//! Building the recogniser loads the segmenter's dictionary (~0.2 s): do it once, off the UI
//! thread ([`recognizer`] builds it on first use; [`warm_up`] starts that on a thread).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;

use super::memory::Memory;
use super::ner::{self, Model};
use crate::text::CharMap;
use lexicon::{
    COUNTRIES, DIVISIONS, Level, ORG_SUFFIXES, ORG_WORDS, POLICIES, SHORT_FORM_ENDS, SURNAMES,
    TITLES, autonomous_short_form, generic_place, last_char, short_form,
};
use token::Token;

mod lexicon;
mod organisations;
mod people;
mod places;
mod programmes;
mod repeats;
mod signals;
mod token;

pub use signals::Line;

/// Time spent per stage of entity recognition, summed over calls.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Segmenting and tagging (jieba-rs).
    pub segmenter: std::time::Duration,
    /// Places: gazetteer lookups, suffixes, adjacent places.
    pub gazetteer: std::time::Duration,
    /// Organisations, people, programmes, the policy lexicon.
    pub patterns: std::time::Duration,
    /// The entity model: features and decoding.
    pub model: std::time::Duration,
    /// Document repeats: the model's strings found again in the document.
    pub repeats: std::time::Duration,
    /// The annotator's memory: learned strings and rejections.
    pub learned: std::time::Duration,
    /// Choosing among overlapping candidates.
    pub resolve: std::time::Duration,
}

/// One entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// PER, LOC, ORG or POLICY (or a learned label).
    pub label: String,
    /// The source: `jieba:ns`, `gazetteer:county`, `pattern:org-suffix`, `lexicon:policy`, …
    pub rule: String,
}

/// A candidate while resolving overlaps, in byte offsets.
#[derive(Debug, Clone)]
struct Candidate {
    range: Range<usize>,
    label: String,
    rule: String,
    /// Higher wins among overlapping candidates of equal length.
    priority: u8,
}

/// FNV-1a, the lexicons' hash: their keys are short words and chars, looked up for every
/// word of every text, for which it is several times faster than the default SipHash. (Its
/// resistance to crafted collisions is not needed: the tables hold our own lexicons.)
#[derive(Debug, Default, Clone, Copy)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h ^ 0xcbf2_9ce4_8422_2325;
    }
}

/// Hash tables of the lexicons.
type Fast = BuildHasherDefault<Fnv>;

/// The entity recogniser: segmenter, gazetteer and lexicons. Immutable once built, shared
/// between threads.
pub struct Recognizer {
    jieba: Jieba,
    /// Full names and short forms (吉林省, 吉林) → level.
    places: HashMap<String, Level, Fast>,
    policies: AhoCorasick,
    policy_names: Vec<String>,
    surnames: HashSet<char, Fast>,
    /// Surnames of two chars or more (欧阳).
    compound_surnames: HashSet<&'static str, Fast>,
    /// The most chars of a compound surname.
    compound_chars: usize,
    titles: HashSet<&'static str, Fast>,
    /// Last chars of the titles: a quick test before comparing endings.
    title_last: HashSet<char, Fast>,
    /// Last chars of the organisation suffixes and lexicon: a quick test before comparing
    /// suffixes or looking a word up.
    org_last: HashSet<char, Fast>,
    /// The organisation lexicon (`data/entities/org_words.txt`): whole names of bodies.
    org_words: HashSet<&'static str, Fast>,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("places", &self.places.len())
            .field("policies", &self.policy_names.len())
            .finish_non_exhaustive()
    }
}

static RECOGNIZER: OnceLock<Recognizer> = OnceLock::new();

/// Byte ranges of the policy lexicon's names that begin with a numeral (六个精准, 四个不摘):
/// figures inside them are none (see [`crate::suggest::suggest`]), and the names themselves
/// are near-certain POLICY.
pub fn numbered_policies(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    lexicon::NUMBERED_POLICIES
        .find_iter(text)
        .map(|m| m.range())
}

/// The shared recogniser, built on first use (~0.2 s).
pub fn recognizer() -> &'static Recognizer {
    RECOGNIZER.get_or_init(Recognizer::new)
}

/// The shared recogniser if it is built already.
pub fn ready() -> Option<&'static Recognizer> {
    RECOGNIZER.get()
}

/// Starts building the shared recogniser on a named thread.
pub fn warm_up() {
    if RECOGNIZER.get().is_none() {
        let _ = std::thread::Builder::new()
            .name("biaozhu-entities".into())
            .spawn(|| {
                // The model first: once `ready` says yes, suggesting entities in the
                // window's thread must not wait for the model file to be parsed.
                ner::base();
                recognizer();
            });
    }
}

impl Default for Recognizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Recognizer {
    /// Loads the segmenter's dictionary, the gazetteer and the lexicons.
    pub fn new() -> Self {
        let mut jieba = Jieba::new();
        let mut places = HashMap::default();
        for line in DIVISIONS.lines() {
            let Some((code, name)) = line.split_once('\t') else {
                continue;
            };
            let Some(level) = Level::of_code(code) else {
                continue;
            };
            // Town-level entries include farms and institutes (市农科所): keep towns.
            if level == Level::Town
                && !["镇", "乡", "街道", "苏木"]
                    .iter()
                    .any(|s| name.ends_with(s))
            {
                continue;
            }
            places.entry(name.to_owned()).or_insert(level);
            // A frequency high enough that the segmenter keeps the name whole.
            jieba.add_word(name, Some(5000), Some("ns"));
            // Short forms (吉林, 通榆) of provinces, prefectures, and of counties whose short
            // form is no common word (新建区 → 新建 is a verb).
            if let Some(short) = short_form(name, level)
                && (level != Level::County || !jieba.has_word(short))
            {
                places.entry(short.to_owned()).or_insert(level);
            }
            // An autonomous division by its usual short form (凉山州, 道真县), kept whole by
            // the segmenter, and by its place name where that is no common word (道真).
            if let Some((short, place)) = autonomous_short_form(name) {
                jieba.add_word(&short, Some(5000), Some("ns"));
                places.entry(short).or_insert(level);
                if !jieba.has_word(place) {
                    places.entry(place.to_owned()).or_insert(level);
                }
            }
        }
        // Countries and world regions, as the segmenter writes them (not added to its
        // dictionary: 马里 would split 索马里); a division of the same name stays one.
        for name in lexicon::entries(COUNTRIES) {
            places.entry(name.to_owned()).or_insert(Level::Country);
        }
        // Abbreviated government bodies the dictionary splits (省住/建局).
        for org in ORG_WORDS.iter() {
            jieba.add_word(org, Some(5000), Some("nt"));
        }
        let policy_names: Vec<String> = lexicon::entries(POLICIES)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let policies = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&policy_names)
            .expect("the policy lexicon builds");
        Self {
            jieba,
            places,
            policies,
            policy_names,
            surnames: SURNAMES
                .iter()
                .filter_map(|s| {
                    let mut cs = s.chars();
                    cs.next().filter(|_| cs.next().is_none())
                })
                .collect(),
            compound_surnames: SURNAMES
                .iter()
                .copied()
                .filter(|c| c.chars().nth(1).is_some())
                .collect(),
            compound_chars: SURNAMES
                .iter()
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(1),
            titles: TITLES.iter().copied().collect(),
            title_last: TITLES.iter().map(|t| last_char(t)).collect(),
            org_last: ORG_SUFFIXES
                .iter()
                .chain(ORG_WORDS.iter())
                .map(|s| last_char(s))
                .chain(['央', '院', '大'])
                .collect(),
            org_words: ORG_WORDS.iter().copied().collect(),
        }
    }

    /// Entities in `text`, in char offsets, without overlaps, in text order, from the shipped
    /// model and the rules. `skip` says which char ranges to leave alone (boilerplate); `taken`
    /// are char ranges already claimed (figures); `memory` adds learned strings and removes
    /// rejected ones.
    pub fn find(
        &self,
        text: &str,
        map: &CharMap,
        skip: &dyn Fn(&Range<usize>) -> bool,
        taken: &[Range<usize>],
        memory: Option<&Memory>,
    ) -> Vec<Entity> {
        self.find_with(text, map, skip, taken, memory, ner::base(), None)
    }

    /// [`Recognizer::find`] with a given model (None: the rules alone), adding the time each
    /// stage takes to `timings` (for benchmarks).
    pub fn find_with(
        &self,
        text: &str,
        map: &CharMap,
        skip: &dyn Fn(&Range<usize>) -> bool,
        taken: &[Range<usize>],
        memory: Option<&Memory>,
        model: Option<&Model>,
        mut timings: Option<&mut Timings>,
    ) -> Vec<Entity> {
        let mut clock = std::time::Instant::now();
        let mut lap = |slot: fn(&mut Timings) -> &mut std::time::Duration| {
            if let Some(t) = timings.as_deref_mut() {
                let now = std::time::Instant::now();
                *slot(t) += now - clock;
                clock = now;
            }
        };
        let tokens = self.tokens(text);
        lap(|t| &mut t.segmenter);
        let mut candidates = Vec::new();
        self.places(&tokens, &mut candidates);
        lap(|t| &mut t.gazetteer);
        self.patterns(text, &tokens, &mut candidates);
        lap(|t| &mut t.patterns);
        let by_priority = model.is_some();
        if let Some(model) = model {
            let mut rules = resolve(candidates, &[], false);
            let lines = self.lines(text, &tokens, &rules);
            self.newspapers(&tokens, &mut rules);
            let mut tagged = ner::tag(model, &lines);
            places::trim_list_heads(text, map, &mut tagged);
            candidates = combine(rules, tagged, map);
            places::complete_suffixes(&tokens, &|w| self.known(w), &mut candidates);
            people::complete_surnames(text, &tokens, &mut candidates);
            people::complete_given_names(text, &tokens, &|w| self.known(w), &mut candidates);
            people::join_dotted_names(text, &tokens, &mut candidates);
            self.drop_unnamed_people(text, &tokens, &mut candidates);
            self.names_beside_titles(&tokens, &mut candidates);
            self.speakers(text, &tokens, &mut candidates);
            organisations::trim_leading_verbs(
                &tokens,
                &|w| self.org_words.contains(w),
                &mut candidates,
            );
            organisations::places_with_bodies(&tokens, &mut candidates);
            organisations::cut_at_inner_verbs(&tokens, &mut candidates);
            organisations::meetings(&tokens, &mut candidates);
            organisations::trim_titles(&tokens, &mut candidates);
            organisations::trim_title_heads(&tokens, &|w| self.is_title(w), &mut candidates);
            self.split_body_and_place(&tokens, &mut candidates);
            programmes::place_models(text, &tokens, &mut candidates);
            programmes::complete_to_word_ends(&tokens, &mut candidates);
            places::trim_function_chars(text, &tokens, &mut candidates);
            places::drop_generic(text, &mut candidates);
            places::places_named_short(text, &mut candidates);
            self.drop_unnamed_policies(text, &tokens, &mut candidates);
            lap(|t| &mut t.model);
            let short = self.short_places(&tokens);
            let mut again = repeats::repeats(text, &tokens, &candidates, &short);
            repeats::outrank_shorter(&candidates, &mut again);
            candidates.extend(again);
            let alike = repeats::list_alike(text, &tokens, &candidates);
            candidates.extend(alike);
            let credited = repeats::credit_lines(text, &candidates);
            candidates.extend(credited);
            people::drop_things(text, &tokens, &mut candidates);
            people::trim_known_names(text, &mut candidates);
            people::one_kind_per_name(text, &|w| self.places.contains_key(w), &mut candidates);
            lap(|t| &mut t.repeats);
        } else {
            self.newspapers(&tokens, &mut candidates);
            organisations::meetings(&tokens, &mut candidates);
            programmes::place_models(text, &tokens, &mut candidates);
            self.drop_unnamed_policies(text, &tokens, &mut candidates);
        }
        if let Some(memory) = memory {
            candidates.retain(|c| !memory.is_rejected(&text[c.range.clone()], &c.label));
            let found = learned(
                text,
                &tokens,
                memory,
                by_priority.then_some(&candidates[..]),
            );
            candidates.extend(found);
        }
        lap(|t| &mut t.learned);
        let taken: Vec<Range<usize>> = taken.iter().map(|r| map.byte_range(r.clone())).collect();
        let kept = resolve(candidates, &taken, by_priority);
        let kept = chain_places(text, kept, memory);
        lap(|t| &mut t.resolve);
        kept.into_iter()
            .filter_map(|c| {
                let r = map.char_of_byte(c.range.start)..map.char_of_byte(c.range.end);
                (!skip(&r)).then_some(Entity {
                    start: r.start,
                    end: r.end,
                    label: c.label,
                    rule: c.rule,
                })
            })
            .collect()
    }

    /// The pattern rules' candidates after the gazetteer's (ORG, PER, POLICY): the same at
    /// training ([`Recognizer::lines_of`]) and at suggesting, since they are model features.
    fn patterns(&self, text: &str, tokens: &[Token], out: &mut Vec<Candidate>) {
        self.organisations(tokens, out);
        self.people(tokens, out);
        people::photo_credits(text, out);
        self.caption_speakers(text, tokens, out);
        self.programmes(text, tokens, out);
    }

    /// The lines of `text` with the signals the model reads (for training and evaluation).
    pub fn lines_of(&self, text: &str) -> Vec<Line> {
        let tokens = self.tokens(text);
        let mut candidates = Vec::new();
        self.places(&tokens, &mut candidates);
        self.patterns(text, &tokens, &mut candidates);
        let rules = resolve(candidates, &[], false);
        self.lines(text, &tokens, &rules)
    }

    /// The short forms of the divisions `tokens` name in full (平利县 → 平利, 图们市 → 图们;
    /// a town of two chars and 镇 or 乡: 广顺镇 → 广顺, which [`short_form`] leaves alone
    /// elsewhere): an article names its county or town in full once and by its short form
    /// after.
    fn short_places<'t>(&self, tokens: &[Token<'t>]) -> Vec<&'t str> {
        let town = |w: &'t str| {
            let stem = w.strip_suffix('镇').or_else(|| w.strip_suffix('乡'))?;
            (stem.chars().count() == 2 && !generic_place(stem)).then_some(stem)
        };
        let mut out: Vec<&str> = tokens
            .iter()
            .filter(|t| {
                SHORT_FORM_ENDS.contains(last_char(t.word)) || t.word.ends_with(['镇', '乡'])
            })
            .filter_map(|t| match *self.places.get(t.word)? {
                Level::Town => town(t.word),
                level => short_form(t.word, level),
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The segmenter's words in `text` (byte ranges), for snapping selections to words.
    pub fn words(&self, text: &str) -> Vec<Range<usize>> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.byte_start..t.byte_end)
            .collect()
    }

    /// Whether the segmenter's dictionary knows `word` (a common word, not a name).
    fn known(&self, word: &str) -> bool {
        self.jieba.has_word(word) && !self.places.contains_key(word)
    }

    /// Whether a place-suffixed word is a verb or adverb and a suffix: 荣获 + 省.
    fn verb_stem(&self, word: &str) -> bool {
        let stem = &word[..word.len() - last_char(word).len_utf8()];
        self.jieba.has_word(stem)
            && self.jieba.tag(stem, false).first().is_some_and(|t| {
                t.word == stem && matches!(t.tag.chars().next(), Some('v' | 'd' | 'p' | 'r' | 'c'))
            })
    }

    /// A title or role, alone or at the end of a word (县委书记, 村党支部书记).
    fn is_title(&self, word: &str) -> bool {
        // Every title ends with one of these chars: a quick test first (this runs for every
        // word of every text).
        if !self.title_last.contains(&last_char(word)) {
            return false;
        }
        // The word and its endings of two to five chars, looked up (not compared with every
        // title).
        self.titles.contains(word)
            || word
                .char_indices()
                .rev()
                .skip(1)
                .take(4)
                .any(|(b, _)| b > 0 && self.titles.contains(&word[b..]))
    }

    fn is_surname_start(&self, s: &str) -> bool {
        s.chars().next().is_some_and(|c| self.surnames.contains(&c))
            // Its beginnings of two chars and more, looked up (not compared with every
            // compound surname: this runs for every word of every text).
            || s.char_indices()
                .skip(2)
                .map(|(b, _)| b)
                .chain([s.len()])
                .take(self.compound_chars.saturating_sub(1))
                .any(|b| self.compound_surnames.contains(&s[..b]))
    }

    /// The segmenter's words with their tags; a function char that the segmenter's
    /// unknown-word model glued to the edge of a name is its own word again
    /// ([`Recognizer::unglue`]).
    fn tokens<'a>(&'a self, text: &'a str) -> Vec<Token<'a>> {
        let mut out = Vec::new();
        for t in self.jieba.tag(text, true) {
            let token = Token {
                word: t.word,
                tag: t.tag,
                range: t.byte_start..t.byte_end,
            };
            self.unglue(token, &mut out);
        }
        out
    }

    /// Pushes `t` onto `out`, split when it is a word the dictionary does not know, of three
    /// chars or more, that begins or ends with a function char ([`GLUED_BEFORE`],
    /// [`GLUED_AFTER`]): the segmenter's unknown-word model joins a name to the preposition
    /// or verb beside it (王培安说 → 王培安 + 说, 以天农 → 以 + 天农, 增江以 → 增江 + 以).
    /// The name keeps the word's tag; the function char gets its own.
    fn unglue<'a>(&'a self, t: Token<'a>, out: &mut Vec<Token<'a>>) {
        let mut chars = t.word.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            out.push(t);
            return;
        };
        let before = GLUED_BEFORE.contains(&first);
        let after = GLUED_AFTER.contains(&last);
        if !(before || after)
            || chars.clone().count() < usize::from(before) + usize::from(after)
            || !t.is_han()
            || self.jieba.has_word(t.word)
        {
            out.push(t);
            return;
        }
        // The part of `t` at `range`, with `tag` or its own from the dictionary.
        let word_at = |range: Range<usize>, tag: Option<&'a str>| {
            let word = &t.word[range.start - t.range.start..range.end - t.range.start];
            Token {
                word,
                tag: tag
                    .unwrap_or_else(|| self.jieba.tag(word, false).first().map_or("x", |g| g.tag)),
                range,
            }
        };
        let mut start = t.range.start;
        let mut end = t.range.end;
        if before {
            start += first.len_utf8();
            out.push(word_at(t.range.start..start, None));
        }
        if after {
            end -= last.len_utf8();
        }
        out.push(word_at(start..end, Some(t.tag)));
        if after {
            out.push(word_at(end..t.range.end, None));
        }
    }
}

/// Function chars that rarely begin a name and that the segmenter's unknown-word model joins
/// to the name after them (以天农 公司, 原睦化): prepositions, the copula, 原 (former). Not
/// surnames such as 于, 和, 向.
const GLUED_BEFORE: [char; 13] = [
    '以', '在', '的', '了', '是', '将', '把', '被', '对', '让', '原', '据', '经',
];

/// Function chars that rarely end a name and that the segmenter's unknown-word model joins to
/// the name before them (王培安说, 增江以, 朱小红家): speech verbs, prepositions, particles, 家
/// (home). Not chars that end given names (和, 为, 与).
const GLUED_AFTER: [char; 12] = [
    '说', '以', '在', '的', '了', '是', '等', '将', '把', '被', '到', '家',
];

/// Keeps the best non-overlapping candidates: longer first (the longest name as written),
/// then higher priority — or, `by_priority`, higher priority first (learned strings, then the
/// near-certain rules, then the model); drops candidates that overlap `taken` (figures).
fn resolve(
    mut candidates: Vec<Candidate>,
    taken: &[Range<usize>],
    by_priority: bool,
) -> Vec<Candidate> {
    if by_priority {
        candidates.sort_by(|a, b| {
            (b.priority, b.range.len(), a.range.start).cmp(&(
                a.priority,
                a.range.len(),
                b.range.start,
            ))
        });
    } else {
        candidates.sort_by(|a, b| {
            (b.range.len(), b.priority, a.range.start).cmp(&(
                a.range.len(),
                a.priority,
                b.range.start,
            ))
        });
    }
    // Taken ranges merged and sorted, kept ones disjoint by construction: in both, the range
    // starting last before a candidate ends is the only one that can reach into it, so each
    // check is a lookup (linear in the text, not quadratic, on a long one-line document).
    let mut merged: Vec<Range<usize>> = taken.to_vec();
    merged.sort_by_key(|r| r.start);
    let mut blocked: std::collections::BTreeMap<usize, usize> = Default::default();
    for r in merged {
        match blocked.last_key_value() {
            Some((_, &e)) if r.start < e => {
                let (_, e) = blocked.iter_mut().next_back().expect("not empty");
                *e = (*e).max(r.end);
            }
            _ => {
                blocked.insert(r.start, r.end);
            }
        }
    }
    let hits = |m: &std::collections::BTreeMap<usize, usize>, r: &Range<usize>| {
        m.range(..r.end)
            .next_back()
            .is_some_and(|(_, &e)| e > r.start)
    };
    let mut kept_at: std::collections::BTreeMap<usize, usize> = Default::default();
    let mut kept: Vec<Candidate> = Vec::new();
    for c in candidates {
        if c.range.is_empty() || hits(&blocked, &c.range) || hits(&kept_at, &c.range) {
            continue;
        }
        kept_at.insert(c.range.start, c.range.end);
        kept.push(c);
    }
    kept.sort_by_key(|c| c.range.start);
    kept
}

/// The rules that beat the model where they speak (measured on the development gold, see
/// `data/README.md`): a division or country name from the gazetteer, a body of the
/// organisation lexicon (财政部, 新华社), a five-year plan (十四五), a 《book title》, a
/// newspaper, the names of a byline, the places and organisations of a list named by their
/// kind (白云、花都等区; 阿里巴巴、京东等电商平台), quoted slogans written as a list, quoted
/// models written with + (“公司+农户”), the policy lexicon's names that begin with a numeral
/// (六个精准).
fn near_certain(rule: &str) -> bool {
    rule.starts_with("gazetteer:")
        || rule == "lexicon:org"
        || rule == "pattern:five-year-plan"
        || rule == "pattern:book-title"
        || rule == "pattern:newspaper"
        || rule == "pattern:byline-name"
        || rule == "pattern:listed-place"
        || rule == "pattern:listed-org"
        || rule == "pattern:listed-slogan"
        || rule == "pattern:quoted-formula"
        || rule == "lexicon:numbered-policy"
}

/// Places written together without a char between them are one span, as the guide asks of a
/// chain (贵州 + 毕节 → 贵州毕节, 毕节 + 黔西市沙井乡), whatever found each part (the model,
/// a repeat, the gazetteer); not when the annotator rejected the whole as a place. `kept` is
/// in text order and without overlaps.
fn chain_places(text: &str, kept: Vec<Candidate>, memory: Option<&Memory>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::with_capacity(kept.len());
    for c in kept {
        if let Some(last) = out.last_mut()
            && last.label == "LOC"
            && c.label == "LOC"
            && last.range.end == c.range.start
            && !memory.is_some_and(|m| m.is_rejected(&text[last.range.start..c.range.end], "LOC"))
        {
            last.range.end = c.range.end;
            last.rule = "pattern:adjacent-places".into();
            continue;
        }
        out.push(c);
    }
    out
}

/// The annotator's learned strings in `text` as candidates (above every other), where they
/// begin and end at word edges of the segmenter's `tokens` (not 代化 inside 现代化), except
/// those inside a longer candidate of the model's `stage` when given: like a near-certain rule
/// ([`combine`]), a learned string gives way to a longer span that names more (组织部 learned
/// in one document, 县委组织部 in another; measured in `data/README.md`).
fn learned(
    text: &str,
    tokens: &[Token],
    memory: &Memory,
    stage: Option<&[Candidate]>,
) -> Vec<Candidate> {
    let longer = Spans::new(stage.unwrap_or_default().iter().map(|c| c.range.clone()));
    let edge = |at: usize| at == text.len() || token::starting_at(tokens, at).is_some();
    memory
        .find(text)
        .into_iter()
        .filter(|(range, _)| edge(range.start) && edge(range.end) && !longer.contain_longer(range))
        .map(|(range, label)| Candidate {
            range,
            label: label.to_owned(),
            rule: "learned".into(),
            priority: 5,
        })
        .collect()
}

/// Ranges looked up by whether one of them contains a given range and is longer: sorted by
/// start, each with the furthest end up to it, so that a lookup is two binary searches.
struct Spans(Vec<(usize, usize)>);

impl Spans {
    fn new(ranges: impl Iterator<Item = Range<usize>>) -> Self {
        let mut reach: Vec<(usize, usize)> = ranges.map(|r| (r.start, r.end)).collect();
        reach.sort_unstable();
        let mut furthest = 0;
        for r in &mut reach {
            furthest = furthest.max(r.1);
            r.1 = furthest;
        }
        Self(reach)
    }

    /// Whether a range contains `r` and is longer than it.
    fn contain_longer(&self, r: &Range<usize>) -> bool {
        let reach = &self.0;
        let before = reach.partition_point(|s| s.0 < r.start);
        let at = reach.partition_point(|s| s.0 <= r.start);
        (before > 0 && reach[before - 1].1 >= r.end) || (at > before && reach[at - 1].1 > r.end)
    }
}

/// The model's spans (char ranges) as candidates, with the near-certain rules above them —
/// except inside a longer model span, which names more (南平村党支部 over the place 南平).
fn combine(
    rules: Vec<Candidate>,
    model: Vec<(Range<usize>, &'static str)>,
    map: &CharMap,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = model
        .into_iter()
        .map(|(r, label)| Candidate {
            range: map.byte_range(r),
            label: label.to_owned(),
            rule: "model".into(),
            priority: 3,
        })
        .collect();
    // An organisation's name the model cut on its left, where the suffix rule found it whole
    // from a place or name on (毕节|明月工艺美术有限公司): the rule's start.
    let mut whole: Vec<&Candidate> = rules
        .iter()
        .filter(|c| c.rule == "pattern:org-suffix")
        .collect();
    whole.sort_by_key(|c| c.range.end);
    for m in out.iter_mut().filter(|m| m.label == "ORG") {
        let at = whole.partition_point(|c| c.range.end < m.range.end);
        if let Some(c) = whole[at..]
            .iter()
            .take_while(|c| c.range.end == m.range.end)
            .find(|c| c.range.start < m.range.start)
        {
            m.range.start = c.range.start;
        }
    }
    // A byline's or a photo credit's name is the name where the model read on past it as a
    // person (焦艳摄: the credit's 摄 taken in).
    let credits: Vec<&Range<usize>> = rules
        .iter()
        .filter(|c| c.rule == "pattern:byline-name")
        .map(|c| &c.range)
        .collect();
    if !credits.is_empty() {
        out.retain(|m| {
            m.label != "PER"
                || !credits
                    .iter()
                    .any(|c| **c != m.range && c.start >= m.range.start && c.end <= m.range.end)
        });
    }
    let longer = Spans::new(out.iter().map(|m| m.range.clone()));
    let certain: Vec<Candidate> = rules
        .into_iter()
        .filter(|c| near_certain(&c.rule) && !longer.contain_longer(&c.range))
        .map(|mut c| {
            c.priority = 4;
            c
        })
        .collect();
    out.extend(certain);
    out
}

#[cfg(test)]
mod tests;
