//! One segmenter word with its tag and byte range, and what it can be part of.

use std::ops::Range;

use super::lexicon::{is_han, is_numeral};

/// The index of the word that starts at byte `at` (None when `at` is inside a word or past
/// the last): where a span that ends at `at` could go on.
pub(crate) fn starting_at(tokens: &[Token], at: usize) -> Option<usize> {
    let k = tokens.partition_point(|t| t.range.start < at);
    tokens
        .get(k)
        .is_some_and(|t| t.range.start == at)
        .then_some(k)
}

/// One segmenter word with its tag and byte range.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub(crate) word: &'a str,
    pub(crate) tag: &'a str,
    pub(crate) range: Range<usize>,
}

impl Token<'_> {
    pub(crate) fn is_han(&self) -> bool {
        !self.word.is_empty() && self.word.chars().all(is_han)
    }

    /// Tagged as a name or unknown: ns, nr, nz, nt, x (an out-of-vocabulary word).
    pub(crate) fn is_name_like(&self) -> bool {
        self.is_han()
            && matches!(
                self.tag,
                "ns" | "nr" | "nrt" | "nrfg" | "nz" | "nt" | "x" | "j"
            )
    }

    /// A verb, but not a verbal noun (vn: 扶贫开发 in 扶贫开发领导小组 names a thing).
    pub(crate) fn is_verb(&self) -> bool {
        self.tag.starts_with('v') && self.tag != "vn"
    }

    /// Whether this word can sit inside an organisation's name (nouns, names, some verbs:
    /// 达诺农业开发有限公司), as opposed to function words and punctuation.
    pub(crate) fn can_be_in_name(&self) -> bool {
        if !self.is_han() {
            return self.tag == "eng";
        }
        let function = matches!(
            self.tag,
            "p" | "c"
                | "u"
                | "uj"
                | "ul"
                | "uz"
                | "ud"
                | "ug"
                | "uv"
                | "r"
                | "d"
                | "m"
                | "q"
                | "f"
                | "t"
                | "y"
                | "e"
                | "o"
                | "rr"
                | "rz"
                | "mq"
        );
        !function
            // 三级纪委: a numeral word is not part of the name; 二胖 (a name) is.
            && (!self.word.starts_with(is_numeral) || self.is_name_like())
            && !"的了在和与及等是为对把被将从向给到由以于或".contains(self.word)
    }
}
