//! PER candidates: a name after a title or role, a surname-led unknown word the segmenter tags
//! as a name, a pseudonym (王某).

use super::lexicon::{AFTER_NAME, ORG_SUFFIXES, is_han};
use super::repeats;
use super::token::{Token, starting_at};
use super::{Candidate, Recognizer};

impl Recognizer {
    /// PER: a name after a title or role, an unknown surname-led word that the segmenter
    /// tags as a name, a pseudonym (王某).
    pub(super) fn people(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for (i, t) in tokens.iter().enumerate() {
            if self.is_title(t.word) {
                // Skip the spaces of a byline: 记者 戈驰川 尹雪, and a colon: 作者：王  军.
                let colon = tokens
                    .get(i + 1)
                    .is_some_and(|n| n.word == "：" || n.word == ":");
                let mut j = skip_spaces(tokens, i + 1 + usize::from(colon));
                // A byline: names set apart by spaces after the role (本报记者  胡  健  程远州),
                // where a two-char name may be padded to the width of three (胡  健).
                let byline = j > i + 1;
                while let Some((end, next)) = self.name_at(tokens, j, byline) {
                    out.push(Candidate {
                        range: tokens[j].range.start..end,
                        label: "PER".into(),
                        rule: if byline {
                            "pattern:byline-name"
                        } else {
                            "pattern:title-name"
                        }
                        .into(),
                        priority: 3,
                    });
                    // A list: A、B 或 A B.
                    j = next;
                    let sep = tokens.get(j).is_some_and(|n| {
                        n.word == "、" || n.word.trim().is_empty() && !n.word.contains('\n')
                    });
                    if !sep {
                        break;
                    }
                    // The spaces between the names of a byline (two to a name padded).
                    j = skip_spaces(tokens, j + 1);
                }
                continue;
            }
            let chars = t.word.chars().count();
            // A name stands after punctuation, a function word, a verb or a title, not right
            // after a noun or adjective (精准施策 is no person).
            let after_boundary = || {
                i == 0 || {
                    let p = &tokens[i - 1];
                    !p.is_han()
                        || self.is_title(p.word)
                        || p.word.ends_with(['员', '长'])
                        || matches!(
                            p.tag.chars().next(),
                            Some('p' | 'c' | 'u' | 'v' | 'r' | 'd' | 'f' | 't')
                        )
                }
            };
            if matches!(t.tag, "nr" | "nrfg" | "nrt" | "x")
                && (2..=3).contains(&chars)
                && t.is_han()
                && self.is_surname_start(t.word)
                && !self.known(t.word)
                && !self.places.contains_key(t.word)
                && after_boundary()
            {
                out.push(Candidate {
                    range: t.range.clone(),
                    label: "PER".into(),
                    rule: format!("jieba:{}", t.tag),
                    priority: 1,
                });
            }
            // 王某, 李某某.
            if t.is_han()
                && self
                    .surnames
                    .contains(&t.word.chars().next().unwrap_or(' '))
                && (t.word.ends_with('某') && (2..=3).contains(&chars))
            {
                out.push(Candidate {
                    range: t.range.clone(),
                    label: "PER".into(),
                    rule: "pattern:pseudonym".into(),
                    priority: 2,
                });
            }
        }
    }

    /// In a byline, the Han words from token `j` up to the next space, line end or mark,
    /// when there are two or more making two or three chars, and no title or role is among
    /// them: a name set apart by spaces, however the segmenter cut it (宋朝 + 军 in
    /// 本报记者  王  锦  宋朝军); a photographer's 摄 after it is left out.
    /// Its end byte and the index of the token after it.
    fn byline_run(&self, tokens: &[Token], j: usize) -> Option<(usize, usize)> {
        let k = j + tokens[j..].iter().take_while(|t| t.is_han()).count();
        let run = &tokens[j..k];
        let mut chars: usize = run.iter().map(|t| t.word.chars().count()).sum();
        let mut end = run.last()?.range.end;
        // A photographer's credit: 宋朝军摄.
        if run.len() > 1 && run[run.len() - 1].word.ends_with('摄') {
            end -= '摄'.len_utf8();
            chars -= 1;
        }
        (run.len() > 1
            && (2..=3).contains(&chars)
            && !run
                .iter()
                .any(|t| self.is_title(t.word) || ROLE_WORDS.contains(&t.word)))
        .then_some((end, k))
    }

    /// A name starting at token `j`: its end byte and the index of the token after it. In a
    /// `byline`, a surname and one char with one or two spaces between them, standing alone,
    /// are a two-char name padded to three (胡  健).
    pub(super) fn name_at(
        &self,
        tokens: &[Token],
        j: usize,
        byline: bool,
    ) -> Option<(usize, usize)> {
        let t = tokens.get(j)?;
        if !t.is_han() || !self.is_surname_start(t.word) {
            return None;
        }
        if byline && let Some(found) = self.byline_run(tokens, j) {
            return Some(found);
        }
        let chars = t.word.chars().count();
        match chars {
            // The segmenter cut the name into a word and a char it tags as a name: 会长 +
            // 段应/v + 碧/nr.
            2 if tokens.get(j + 1).is_some_and(|n| {
                n.is_han() && n.word.chars().count() == 1 && n.tag.starts_with("nr")
            }) =>
            {
                Some((tokens[j + 1].range.end, j + 2))
            }
            2 | 3
                if t.tag.starts_with("nr")
                    || (!self.known(t.word)
                        && !t.tag.starts_with('v')
                        && !t.word.chars().skip(1).any(|c| AFTER_NAME.contains(c))) =>
            {
                // A two-char word and one more char (胡宝 + 才).
                if chars == 2
                    && let Some(n) = tokens.get(j + 1)
                    && n.is_han()
                    && n.word.chars().count() == 1
                    && !AFTER_NAME.contains(n.word)
                    && !tokens.get(j + 2).is_some_and(|m| {
                        m.is_han() && m.word.chars().count() == 1 && !AFTER_NAME.contains(m.word)
                    })
                {
                    return Some((n.range.end, j + 2));
                }
                Some((t.range.end, j + 1))
            }
            1 if byline && tokens.get(j + 1).is_some_and(|n| n.word.trim().is_empty()) => {
                let k = skip_spaces(tokens, j + 1);
                let spaces: usize = tokens[j + 1..k]
                    .iter()
                    .map(|n| n.word.chars().count())
                    .sum();
                let given = tokens.get(k)?;
                let alone = tokens
                    .get(k + 1)
                    .is_none_or(|a| !a.is_han() || a.word.trim().is_empty());
                (spaces <= 2 && given.is_han() && given.word.chars().count() == 1 && alone)
                    .then_some((given.range.end, k + 1))
            }
            1 => {
                // A surname and a given name split: 郑 + 小东.
                let n = tokens.get(j + 1)?;
                let nc = n.word.chars().count();
                let given = match nc {
                    1 => !AFTER_NAME.contains(n.word),
                    // A plain noun too where no noun follows it (副县长 + 龙/n + 志学/n + 陪同).
                    2 => {
                        n.is_name_like()
                            || !self.known(n.word)
                            || n.tag == "n"
                                && !self.is_title(n.word)
                                && !tokens.get(j + 2).is_some_and(|m| m.tag.starts_with('n'))
                    }
                    _ => false,
                };
                (given && n.is_han()).then_some((n.range.end, j + 2))
            }
            _ => None,
        }
    }
}

/// Words of a byline that are no name: what the reporters did (本报记者 李华 报道).
const ROLE_WORDS: [&str; 4] = ["报道", "摄影", "通讯员", "记者"];

/// The index of the first token from `j` that is not a space (a byline's names stay on their
/// line).
fn skip_spaces(tokens: &[Token], j: usize) -> usize {
    j + tokens
        .get(j..)
        .unwrap_or_default()
        .iter()
        .take_while(|n| n.word.trim().is_empty() && !n.word.contains('\n'))
        .count()
}

/// The model's person names of one char (a surname the model stopped after: 王|建春) take the
/// word after them when it is one or two Han chars and no word that ends a name; those that
/// cannot are dropped (a surname alone names no one).
pub(super) fn complete_surnames(text: &str, tokens: &[Token], candidates: &mut Vec<Candidate>) {
    candidates.retain_mut(|c| {
        if c.rule != "model" || c.label != "PER" || text[c.range.clone()].chars().nth(1).is_some() {
            return true;
        }
        match starting_at(tokens, c.range.end).map(|k| &tokens[k]) {
            Some(t)
                if t.is_han()
                    && (1..=2).contains(&t.word.chars().count())
                    && !t.word.chars().any(|ch| AFTER_NAME.contains(ch)) =>
            {
                c.range.end = t.range.end;
                true
            }
            _ => false,
        }
    });
}

/// Chars that follow a name as a word of their own without being part of it: whose family,
/// which group, which place (王强家, 王强们, 李庄村), an adverb (温特只出现了一会).
const NOT_GIVEN: &str = "家们村镇乡县市省区组队户只";

/// The model's person names of two chars that the segmenter tagged as a name and cut before
/// the third take that char in: when it stands alone as a word and the name ends after it
/// (punctuation, a space, the end of the line, a verb: 胡宝/nr 才/d 告诉, 田东/nr 艳/a,
/// 吴道/nr 银/ng。), or when the segmenter glued it to a char that ends a name into a word its
/// dictionary does not know (吴道/nr 银说/n). Not a char that ends a name itself (说, 等) or
/// follows one as a word (家, 们). Three-char names are the common case, and the segmenter's
/// dictionary knows the first two chars of many as a name.
pub(super) fn complete_given_names(
    text: &str,
    tokens: &[Token],
    known: &dyn Fn(&str) -> bool,
    candidates: &mut [Candidate],
) {
    let given = |ch: char| !AFTER_NAME.contains(ch) && !NOT_GIVEN.contains(ch);
    for c in candidates
        .iter_mut()
        .filter(|c| c.rule == "model" && c.label == "PER")
    {
        let Some(k) = starting_at(tokens, c.range.start) else {
            continue;
        };
        let name = &tokens[k];
        if name.range.end != c.range.end
            || !name.tag.starts_with("nr")
            || text[c.range.clone()].chars().count() != 2
        {
            continue;
        }
        let Some(x) = tokens.get(k + 1).filter(|x| x.is_han()) else {
            continue;
        };
        let mut chars = x.word.chars();
        let (Some(first), second, None) = (chars.next(), chars.next(), chars.next()) else {
            continue;
        };
        if !given(first) {
            continue;
        }
        let take = match second {
            // A verb or function word alone is no given name (赖特|出|生于).
            None => {
                !matches!(
                    x.tag.as_bytes().first(),
                    Some(b'v' | b'p' | b'c' | b'u' | b'r')
                ) && tokens.get(k + 2).is_none_or(|a| !a.is_han() || a.is_verb())
            }
            Some(second) => AFTER_NAME.contains(second) && !known(x.word),
        };
        if take {
            c.range.end = x.range.start + first.len_utf8();
        }
    }
}

/// The last chars of the titles of an office (县长, 书记, 主席, 主任): after one of them a name
/// of the segmenter is a person's; after a role (医生, 乡村医生|养老/nr) not always.
const OFFICE_ENDS: [char; 6] = ['理', '长', '记', '席', '任', '官'];

/// Offices of state that news names before their holders (国务院总理李强), beyond the titles
/// of the lexicon (`data/entities/titles.txt`, a feature of the model: not changed here, which
/// would retrain it).
const OFFICES_OF_STATE: [&str; 8] = [
    "总理",
    "副总理",
    "总统",
    "副总统",
    "首相",
    "国务卿",
    "委员长",
    "外长",
];

impl Recognizer {
    /// A name of the segmenter (nr, nrfg, nrt: two or three chars, no place; from a surname
    /// of ours, or a name its dictionary holds, 习近平, which the rule of unknown names leaves
    /// out) right before or after the title of an office ([`OFFICE_ENDS`]; not before a role:
    /// 拓宽, which the dictionary tags a name, + 村民), is a PER where the model found nothing
    /// there:
    /// 习近平/nrfg + 总书记, 总理 + 李强/nr + 5日 (the model, reading chars, missed the name
    /// before a date). The guide's 习总书记 (a surname and a title) is no name of the
    /// segmenter.
    pub(super) fn names_beside_titles(&self, tokens: &[Token], candidates: &mut Vec<Candidate>) {
        let mut found = Vec::new();
        for (i, t) in tokens.iter().enumerate() {
            if !matches!(t.tag, "nr" | "nrfg" | "nrt")
                || !(2..=3).contains(&t.word.chars().count())
                || !t.is_han()
                || !(self.is_surname_start(t.word) || self.known(t.word))
                || self.places.contains_key(t.word)
                || !(tokens
                    .get(i + 1)
                    .is_some_and(|n| self.is_title(n.word) && n.word.ends_with(OFFICE_ENDS))
                    || i.checked_sub(1).is_some_and(|p| {
                        let w = tokens[p].word;
                        self.is_title(w) && w.ends_with(OFFICE_ENDS)
                            || OFFICES_OF_STATE.contains(&w)
                    }))
            {
                continue;
            }
            let r = &t.range;
            if !candidates
                .iter()
                .any(|c| c.range.start < r.end && r.start < c.range.end)
            {
                found.push(Candidate {
                    range: r.clone(),
                    label: "PER".into(),
                    rule: "pattern:name-title".into(),
                    priority: 3,
                });
            }
        }
        candidates.extend(found);
    }

    /// A speaker's name that nothing found: a surname and one or two Han chars between a
    /// clause's start (or a title: 书记 + 范战标) and a speech verb (说, 表示, 介绍 …), however
    /// the segmenter cut them (陈/nr + 先进/a + 说: the given name is a common word). The
    /// first word is the surname alone or a name or unknown word of the segmenter (not 许多,
    /// 马上, 古人: common words that start with a surname char), and the name ends with no
    /// particle or plural (高兴地说, 王某说, 李家说 are no names).
    pub(super) fn speakers(&self, text: &str, tokens: &[Token], candidates: &mut Vec<Candidate>) {
        const SPEECH: [&str; 8] = [
            "说",
            "表示",
            "介绍",
            "告诉",
            "坦言",
            "说道",
            "感慨",
            "笑着说",
        ];
        const NOT_IN_NAME: [char; 17] = [
            '某', '们', '等', '家', '地', '的', '得', '了', '着', '也', '都', '就', '他', '她',
            '我', '你', '它',
        ];
        let boundary = |c: char| {
            matches!(
                c,
                '，' | '。'
                    | '；'
                    | '：'
                    | '！'
                    | '？'
                    | '“'
                    | '”'
                    | '、'
                    | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | '"'
                    | '\n'
                    | ' '
                    | '\u{3000}'
            )
        };
        let taken =
            crate::text::Overlaps::new(candidates.iter().map(|c| (c.range.start, c.range.end)));
        let mut found = Vec::new();
        for (k, t) in tokens.iter().enumerate() {
            if !SPEECH.contains(&t.word) {
                continue;
            }
            let end = t.range.start;
            // The name's first word: three, two or one words back (the longest name first).
            for first in [
                k.saturating_sub(3),
                k.saturating_sub(2),
                k.saturating_sub(1),
            ] {
                if first >= k {
                    continue;
                }
                let start = tokens[first].range.start;
                let name = &text[start..end];
                let n = name.chars().count();
                if !(2..=3).contains(&n) || !name.chars().all(super::lexicon::is_han) {
                    continue;
                }
                let head = &tokens[first];
                let by_title = first
                    .checked_sub(1)
                    .is_some_and(|p| self.is_title(tokens[p].word));
                let opens = text[..start].chars().next_back().is_none_or(boundary) || by_title;
                let surname_word = if head.word.chars().count() == 1 {
                    // Not a conjunction, pronoun, adverb, preposition … (但, 并, 又).
                    !matches!(
                        head.tag.chars().next(),
                        Some('c' | 'r' | 'd' | 'p' | 'u' | 'v' | 'm' | 'q' | 'f' | 'a')
                    )
                } else {
                    matches!(head.tag, "nr" | "nrfg" | "nrt" | "x") || !self.known(head.word)
                };
                if !opens
                    || !self.is_surname_start(name)
                    || !surname_word
                    || name.chars().skip(1).any(|c| NOT_IN_NAME.contains(&c))
                    || self.is_title(name)
                    || self.is_title(&name[name.chars().next().map_or(0, char::len_utf8)..])
                    || self.places.contains_key(name)
                    || taken.any(start, end)
                {
                    continue;
                }
                found.push(Candidate {
                    range: start..end,
                    label: "PER".into(),
                    rule: "pattern:speaker".into(),
                    priority: 3,
                });
                break;
            }
        }
        candidates.extend(found);
    }

    /// Drops the model's person names that start with a common word of the segmenter's
    /// dictionary and no surname, and go on past it (手艺/n + 升/zg of “手艺升一级”): a char
    /// model's guess across words, not a name. A foreign name the dictionary knows as a common
    /// word stays: one word (拿破仑), or parts joined by a name dot (大卫·加姆逊). And those that
    /// are one function word (拉着/uz), a surname and a term of address (吴老, 李总), two chars
    /// ending with a place's suffix (鸡公|梁村: the end of a village's name), or a word of the
    /// dictionary of the form ABB that describes what follows (黄灿灿的).
    pub(super) fn drop_unnamed_people(
        &self,
        text: &str,
        tokens: &[Token],
        candidates: &mut Vec<Candidate>,
    ) {
        candidates.retain(|c| {
            if c.rule != "model" || c.label != "PER" {
                return true;
            }
            let Some(k) = starting_at(tokens, c.range.start) else {
                return true;
            };
            let t = &tokens[k];
            let common = t.is_han()
                && !t.is_name_like()
                && t.word.chars().count() >= 2
                && self.known(t.word);
            let name = &text[c.range.clone()];
            let across = t.range.end < c.range.end && !name.contains(NAME_DOTS);
            // One word the segmenter tags as a particle, preposition, conjunction or pronoun
            // (拉着/uz in 老人拉着总书记的手, a tag its unknown-word model gave) names no one.
            let function = t.range.end == c.range.end
                && matches!(t.tag.as_bytes().first(), Some(b'u' | b'p' | b'c' | b'r'));
            // A surname and a term of address (吴老, 李总, 王姐): the guide's surname and title.
            let addressed = name.chars().count() == 2
                && self.is_surname_start(name)
                && name.ends_with(ADDRESS_TERMS);
            // A surname char and a place's suffix: the end of a village's name (鸡公|梁村).
            let place_end = name.chars().count() == 2 && name.ends_with(['村', '镇', '乡', '县']);
            // A word of the dictionary of the form ABB before 的 or 地 describes (黄灿灿的蜜桔,
            // 金灿灿的稻谷: the dictionary tags some of them nr).
            let described = t.range.end == c.range.end
                && self.known(t.word)
                && reduplicated(t.word)
                && text[c.range.end..].starts_with(['的', '地']);
            !(common && across && !self.is_surname_start(name)
                || function
                || addressed
                || place_end
                || described)
        });
    }
}

/// Whether a word is three chars whose last two are the same (黄灿灿, 绿油油).
fn reduplicated(word: &str) -> bool {
    let mut c = word.chars();
    matches!((c.next(), c.next(), c.next(), c.next()), (Some(_), Some(b), Some(d), None) if b == d)
}

/// A model organisation that is a person's name elsewhere in the document and ends with no
/// organisation suffix is that person (陈/nr 驻军/n, the model's ORG in two sentences, a PER
/// after his title in two others); a model person that is a division of the gazetteer and a
/// place elsewhere in the document is that place (开展|彭水/nr|农特产品, with 彭水 a place in
/// 潼南、彭水两地). One name, one kind, in one document.
pub(super) fn one_kind_per_name(
    text: &str,
    is_place: &dyn Fn(&str) -> bool,
    candidates: &mut [Candidate],
) {
    let labelled = |label: &str| -> Vec<&str> {
        candidates
            .iter()
            .filter(|c| c.label == label)
            .map(|c| &text[c.range.clone()])
            .collect()
    };
    let (people, places) = (labelled("PER"), labelled("LOC"));
    let mut relabel = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if c.rule != "model" {
            continue;
        }
        let name = &text[c.range.clone()];
        if c.label == "ORG"
            && people.contains(&name)
            && !ORG_SUFFIXES.iter().any(|s| name.ends_with(s))
        {
            relabel.push((i, "PER"));
        } else if c.label == "PER" && is_place(name) && places.contains(&name) {
            relabel.push((i, "LOC"));
        }
    }
    for (i, label) in relabel {
        candidates[i].label = label.into();
    }
}

/// A photo's credit on a line of its own or after a caption's last sentence and a space, the
/// photographer's name and 摄 with the agency in brackets after it or not (舒 雯摄（影像中国）,
/// 柳永泉摄, 情况。 周训超摄（影像中国）), or the outlet or role and a space before it (人民网
/// 焦艳摄, 新华社记者 杨世尧 摄): the name (a two-char name may be padded with a space, as in
/// bylines), as near-certain as a byline's.
static PHOTO_CREDIT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?m)(?:^|[。！？])[ \t\u{3000}]*(?:\p{Han}{1,10}(?:网|社|报|台|记者|通讯员)[ \t\u{3000}]+)?(\p{Han}[ \u{3000}]\p{Han}|\p{Han}{2,4})[ \u{3000}]?摄[ \u{3000}]*(?:[（(][^）)\n]{1,12}[）)])?[ \t\u{3000}]*$",
    )
    .expect("a valid pattern")
});

/// The names of the photo credits of `text` ([`PHOTO_CREDIT`]).
pub(super) fn photo_credits(text: &str, out: &mut Vec<Candidate>) {
    if !text.contains('摄') {
        return;
    }
    for c in PHOTO_CREDIT.captures_iter(text) {
        if let Some(name) = c.get(1) {
            // The segmenter's name that took 摄 in (焦艳摄/nr) goes.
            let with_verb = name.start()..name.end() + '摄'.len_utf8();
            out.retain(|o| !(o.label == "PER" && o.range == with_verb));
            out.push(Candidate {
                range: name.range(),
                label: "PER".into(),
                rule: "pattern:byline-name".into(),
                priority: 3,
            });
        }
    }
}

/// Most chars of a caption's speaker: the names of some peoples run to six (马一布拉黑麦, a
/// Dongxiang name).
const MAX_SPEAKER_CHARS: usize = 6;

/// How a broadcast script marks a sound bite, on a line with who speaks after it.
const SOUND_BITES: [&str; 4] = ["【同期声】", "【同期】", "[同期声]", "（同期声）"];

impl Recognizer {
    /// The speakers of a broadcast script's sound bites: a line that starts with its mark
    /// ([`SOUND_BITES`]) and names who speaks, fields apart by spaces, the name last (【同期声】
    /// 凉山彝族自治州悬崖村 村民 甲拉以洛; 【同期声】摄影师 赵明): the last field, two to
    /// [`MAX_SPEAKER_CHARS`] Han chars and no word of the dictionary, after at least one other. A line of one field
    /// (【同期声】习近平总书记) is left to the model.
    fn sound_bite_speakers(&self, text: &str, out: &mut Vec<Candidate>) {
        if !text.contains("同期") {
            return;
        }
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let at = start;
            start += line.len();
            let body = line.trim_start_matches([' ', '\u{3000}']);
            let Some(rest) = SOUND_BITES.iter().find_map(|m| body.strip_prefix(m)) else {
                continue;
            };
            let rest = rest.trim_end();
            let Some((before, name)) = rest.rsplit_once([' ', '\u{3000}']) else {
                continue;
            };
            let chars = name.chars().count();
            if before.trim().is_empty()
                || !(2..=MAX_SPEAKER_CHARS).contains(&chars)
                || !name.chars().all(is_han)
                || self.known(name)
                || self.is_title(name)
            {
                continue;
            }
            let end = at + line.trim_end().len();
            out.push(Candidate {
                range: end - name.len()..end,
                label: "PER".into(),
                rule: "pattern:byline-name".into(),
                priority: 3,
            });
        }
    }

    /// The speakers of a broadcast's captions: who they are, a space, the name and a colon
    /// (四川省…文瀚小学学生 何玲：, 中坝社区第一书记 刘超：, …老庄村村民 马一布拉黑麦：), the name
    /// two to [`MAX_SPEAKER_CHARS`] Han chars between the space and the colon that start with
    /// a surname and are no common word of the dictionary (not 目标 任务：), as near-certain as
    /// a byline's names.
    pub(super) fn caption_speakers(&self, text: &str, tokens: &[Token], out: &mut Vec<Candidate>) {
        self.sound_bite_speakers(text, out);
        for (colon, _) in text.match_indices([':', '：']) {
            let before = &text[..colon];
            let Some(start) = before
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_han(*c))
                .take(MAX_SPEAKER_CHARS + 1)
                .enumerate()
                .filter(|(n, _)| *n < MAX_SPEAKER_CHARS)
                .last()
                .filter(|(n, _)| *n >= 1)
                .map(|(_, (at, _))| at)
            else {
                continue;
            };
            // Exactly the run of Han chars before the colon, after spaces after a Han char.
            let rest = &before[..start];
            let spoken = rest.trim_end_matches([' ', '\u{3000}']);
            if rest.chars().next_back().is_some_and(is_han)
                || spoken.len() == rest.len()
                || !spoken.chars().next_back().is_some_and(is_han)
            {
                continue;
            }
            let name = start..colon;
            let word = starting_at(tokens, name.start).map(|k| &tokens[k]);
            let common = word.is_some_and(|t| {
                t.range.end == name.end && !t.is_name_like() && self.known(t.word)
            });
            if self.is_surname_start(&text[name.clone()]) && !common {
                out.push(Candidate {
                    range: name,
                    label: "PER".into(),
                    rule: "pattern:byline-name".into(),
                    priority: 3,
                });
            }
        }
    }
}

/// A model person's name that is another name of the document's people with one char after
/// it (曾毓仲|正躺在床上, with 曾毓仲 found elsewhere): that name; after a name of two chars,
/// only a char that ends names (王莹|来的时候). Not when the longer name is found as it is
/// elsewhere too.
pub(super) fn trim_known_names(text: &str, candidates: &mut [Candidate]) {
    // Each place once (a repeat finds the model's own spans again).
    let mut people: Vec<(usize, &str)> = candidates
        .iter()
        .filter(|c| c.label == "PER")
        .map(|c| (c.range.start, &text[c.range.clone()]))
        .collect();
    people.sort_unstable();
    people.dedup();
    let count = |s: &str| people.iter().filter(|p| p.1 == s).count();
    let mut trimmed = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        if c.label != "PER" || c.rule != "model" {
            continue;
        }
        let name = &text[c.range.clone()];
        let Some((at, last)) = name.char_indices().next_back() else {
            continue;
        };
        let head = &name[..at];
        // After a name of three chars or more, any char (曾毓仲|正躺: the segmenter's
        // unknown-word model glues a char to a name it knows nothing of, and the model follows
        // it); after two, a char that often follows a name (王莹|来).
        let heads = head.chars().count();
        if heads >= 2
            && (heads >= 3 || AFTER_NAME.contains(last))
            && count(head) > 0
            && count(name) == 1
        {
            trimmed.push((i, c.range.start + at));
        }
    }
    for (i, end) in trimmed {
        candidates[i].range.end = end;
    }
}

/// Words that, right after a string, say it names a crop or a product, not a person: 黄梨
/// followed by 产业 or 品质 (黄 is a surname, and the segmenter's unknown-word model tags 黄梨
/// a name).
const THING_AFTER: &[&str] = &[
    "产业", "面积", "产量", "品质", "基地", "价格", "品种", "产值", "销量", "亩产", "种苗", "果园",
    "树", "苗",
];

/// Ends of the measure words that, right before a string, count it as a thing: 5万亩|黄梨,
/// 两斤|茶叶.
const THING_MEASURES: &[char] = &['亩', '斤', '吨', '株', '棵', '箱', '筐'];

/// Drops the model's person names (and their repeats) whose string the document uses as a
/// thing at one of the places the model or a repeat put it: followed by a word of
/// [`THING_AFTER`] or counted by a measure word of [`THING_MEASURES`] (黄梨产业, 5万亩黄梨: 黄梨
/// is no one); and those that begin with such a string and go on by one char (黄梨|能, 黄梨|曾).
pub(super) fn drop_things(text: &str, tokens: &[Token], candidates: &mut Vec<Candidate>) {
    let guessed = |c: &Candidate| {
        c.label == "PER"
            && matches!(
                c.rule.as_str(),
                "model" | repeats::RULE | repeats::LIST_RULE
            )
    };
    // Where the model or a repeat put the string (a repeat finds it wherever it is a word).
    let things: Vec<&str> = candidates
        .iter()
        .filter(|c| guessed(c) && used_as_thing(tokens, &c.range))
        .map(|c| &text[c.range.clone()])
        .collect();
    if things.is_empty() {
        return;
    }
    candidates.retain(|c| {
        if !guessed(c) {
            return true;
        }
        let name = &text[c.range.clone()];
        !things.iter().any(|t| {
            name == *t
                || name
                    .strip_prefix(t)
                    .is_some_and(|rest| rest.chars().count() == 1)
        })
    });
}

/// Whether the words at `range` are followed by a thing word or counted by a thing measure.
fn used_as_thing(tokens: &[Token], range: &std::ops::Range<usize>) -> bool {
    let Some(k) = starting_at(tokens, range.start) else {
        return false;
    };
    let after = starting_at(tokens, range.end).map(|j| tokens[j].word);
    let before = k.checked_sub(1).map(|j| &tokens[j]);
    after.is_some_and(|w| THING_AFTER.contains(&w))
        || before.is_some_and(|b| b.word.ends_with(THING_MEASURES))
}

/// Terms of address after a surname (吴老, 李总, 王工, 张姐): with the surname, no name.
const ADDRESS_TERMS: &[char] = &[
    '老', '总', '董', '工', '哥', '姐', '叔', '婶', '伯', '嫂', '爷',
];

/// Dots that join the parts of a transliterated name: 阿卜杜拉·买买提, 科瑞·舒尔曼.
const NAME_DOTS: [char; 4] = ['·', '•', '・', '‧'];

/// A person's name of the model followed by a name dot and a word of Han chars takes them in
/// (阿卜杜拉 + · + 买买提: the segmenter read the second part as a common noun, and the model
/// stopped at the dot); a name found right after the dot becomes one with it, and one taken
/// over the dot that ends inside a word ends with the word. Not over a word that ends a name
/// (说, 等).
pub(super) fn join_dotted_names(text: &str, tokens: &[Token], candidates: &mut Vec<Candidate>) {
    let mut joined = Vec::new();
    for i in 0..candidates.len() {
        let c = &mut candidates[i];
        // A name the model took over the dot but ended inside the word after it
        // (阿卜杜拉·买买|提): the whole word.
        if c.label == "PER" && text[c.range.clone()].contains(NAME_DOTS) {
            let k = tokens.partition_point(|t| t.range.end <= c.range.end);
            if let Some(t) = tokens
                .get(k)
                .filter(|t| t.range.start < c.range.end && t.is_han())
            {
                c.range.end = t.range.end;
            }
        }
        let c = &candidates[i];
        let Some(dot) = text[c.range.end..]
            .chars()
            .next()
            .filter(|ch| c.label == "PER" && NAME_DOTS.contains(ch))
        else {
            continue;
        };
        let after = c.range.end + dot.len_utf8();
        let found = candidates
            .iter()
            .position(|n| n.range.start == after && n.label == "PER");
        let end = match found {
            Some(k) => {
                joined.push(k);
                candidates[k].range.end
            }
            None => match starting_at(tokens, after).map(|k| &tokens[k]) {
                Some(t)
                    if t.is_han()
                        && (2..=4).contains(&t.word.chars().count())
                        && !t.word.chars().any(|ch| AFTER_NAME.contains(ch)) =>
                {
                    t.range.end
                }
                _ => continue,
            },
        };
        candidates[i].range.end = end;
    }
    let mut k = 0;
    candidates.retain(|_| {
        k += 1;
        !joined.contains(&(k - 1))
    });
}
