//! Document-level consistency: a string the model tagged somewhere in a text is suggested
//! with the same label where it occurs again untagged. A name is written the same way
//! throughout an article, but the context around each occurrence differs, and the model reads
//! only the context (吴道银 found after 小哥 is missed before 说; a programme named in the title
//! and again in the body). The same holds for the places a list names by their kind, and for a
//! division named in full once and by its short form after (平利县 … 平利). Items of a list
//! written with 、 are of one kind: an item nothing took gets the label its neighbours got.
//! Measured in `data/README.md`.

use std::collections::HashMap;
use std::ops::Range;

use super::lexicon::{generic_place, is_han};
use super::places;
use super::token::{Token, starting_at};
use super::{Candidate, Fast};

/// Shortest string (chars) that is repeated: one char is too ambiguous.
const MIN_CHARS: usize = 2;

/// The last chars of a division's name (村, 镇, 县 …): a place the model tagged with one of
/// them is repeated though the dictionary knows it as a common word.
const DIVISION_ENDS: &[char] = &[
    '省', '市', '县', '区', '镇', '乡', '村', '屯', '旗', '盟', '州',
];

/// The rule name of a repeated span.
pub(super) const RULE: &str = "model:repeat";

/// The rules whose spans are repeated: the model's, the places and organisations a list
/// names by their kind (睦化、代化、交麻3个贫困乡: 代化 alone later in the text), and the
/// speakers' names (”陈先进说 … 种植大户陈先进的).
const REPEATED: &[&str] = &[
    "model",
    "pattern:listed-place",
    "pattern:listed-org",
    "pattern:speaker",
];

/// Whether the word `t`, which starts with the person's name `s` (three chars or more), is
/// that name and one char more that the segmenter's unknown-word model glued to it as one
/// name (曾毓仲 + 时/nr, 曾毓仲 + 转/nr): the name is repeated there though no word ends after
/// it.
fn glued_to_name(t: &Token, s: &str, label: &str) -> bool {
    label == "PER"
        && t.tag == "nr"
        && s.chars().nth(2).is_some()
        && t.word.strip_prefix(s).is_some_and(|rest| {
            let mut c = rest.chars();
            c.next().is_some_and(is_han) && c.next().is_none()
        })
}

/// Candidates (byte ranges of `text`) for the occurrences of the spans among `tagged` whose
/// rule is in [`REPEATED`], each with the label it got, and of `short_places` (the short forms
/// of the divisions the text names in full) as LOC; below every other
/// candidate of the model's stage (priority 2), so they fill only places nothing else took.
/// An occurrence must start and end at the segmenter's word edges in `tokens` (南平 inside a
/// word 南平村 is not the place); a string tagged with two labels is not repeated.
pub(super) fn repeats<'t>(
    text: &'t str,
    tokens: &[Token],
    tagged: &[Candidate],
    short_places: &[&'t str],
) -> Vec<Candidate> {
    let mut label_of: HashMap<&str, Option<&str>> = HashMap::new();
    // A name that is one common word of the segmenter (电商/n, which the model once took for
    // an organisation beside a list of them) is not copied through the document: a name
    // repeated is read as a name (nr, ns, nt, nz, …) or is more than one word. Programmes
    // are often words of the dictionary (安居工程/n).
    let common_word = |r: &Range<usize>| {
        starting_at(tokens, r.start).is_some_and(|k| {
            let t = &tokens[k];
            t.range == *r && t.is_han() && !t.is_name_like()
        })
    };
    // A village or a town is a place though the dictionary has its name (星火村/n); not a
    // generic one (山区, 社区, 贫困村), which the model should not have tagged.
    let division = |c: &Candidate| {
        let s = &text[c.range.clone()];
        c.label == "LOC"
            && s.ends_with(DIVISION_ENDS)
            && s.chars().nth(2).is_some()
            && !generic_place(s)
    };
    let spans = tagged
        .iter()
        .filter(|c| {
            REPEATED.contains(&c.rule.as_str())
                && (c.label == "POLICY" || division(c) || !common_word(&c.range))
        })
        .map(|c| (&text[c.range.clone()], c.label.as_str()));
    let shorts = short_places.iter().map(|s| (*s, "LOC"));
    for (s, label) in spans.chain(shorts) {
        if s.chars().count() < MIN_CHARS {
            continue;
        }
        label_of
            .entry(s)
            .and_modify(|l| {
                if *l != Some(label) {
                    *l = None;
                }
            })
            .or_insert(Some(label));
    }
    // The strings by their first char, longest first (the longest name as written wins).
    let mut by_first: HashMap<char, Vec<(&str, &str)>, Fast> = HashMap::default();
    for (s, l) in label_of {
        if let (Some(l), Some(c)) = (l, s.chars().next()) {
            by_first.entry(c).or_default().push((s, l));
        }
    }
    if by_first.is_empty() {
        return Vec::new();
    }
    for v in by_first.values_mut() {
        v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
    }
    // Per byte of the text: whether a word ends there.
    let mut ends = vec![false; text.len() + 1];
    for t in tokens {
        ends[t.range.end] = true;
    }
    // From each word's start, left to right, not inside a repeat already found.
    let mut out = Vec::new();
    let mut past = 0;
    for t in tokens {
        let at = t.range.start;
        if at < past {
            continue;
        }
        let rest = &text[at..];
        let Some(strings) = rest.chars().next().and_then(|c| by_first.get(&c)) else {
            continue;
        };
        if let Some((s, l)) = strings
            .iter()
            .find(|(s, l)| rest.starts_with(s) && (ends[at + s.len()] || glued_to_name(t, s, l)))
        {
            out.push(Candidate {
                range: at..at + s.len(),
                label: (*l).to_owned(),
                rule: RULE.into(),
                priority: 2,
            });
            past = at + s.len();
        }
    }
    out
}

/// The rule name of a list item given its neighbours' label.
pub(super) const LIST_RULE: &str = "model:list";

/// A repeat that contains a shorter span the model gave the same label there (吉绒隆沟 found
/// in one sentence, 吉|绒隆沟 in another) takes the model's priority: as long as the model,
/// the longer name wins, which the document writes in full elsewhere.
pub(super) fn outrank_shorter(tagged: &[Candidate], again: &mut [Candidate]) {
    let mut model: Vec<&Candidate> = tagged.iter().filter(|c| c.rule == "model").collect();
    model.sort_by_key(|c| c.range.start);
    for r in again.iter_mut() {
        let from = model.partition_point(|c| c.range.start < r.range.start);
        let to = model.partition_point(|c| c.range.start < r.range.end);
        if model[from..to].iter().any(|c| {
            c.label == r.label && c.range.end <= r.range.end && c.range.len() < r.range.len()
        }) {
            r.priority = r.priority.max(3);
        }
    }
}

/// Chars that end a list (a clause): 、 separates its items.
const LIST_ENDS: &[char] = &[
    '，', '。', '；', '：', '！', '？', '（', '）', '(', ')', '“', '”', '《', '》', '\n', ',', ';',
    ':',
];

/// Longest list item (chars) given its neighbours' label.
const MAX_ITEM_CHARS: usize = 6;

/// Items of a list written with 、 take the label that at least two of their neighbours got
/// as whole items, when no item got another (尅炳村、茅山村、磨谢村 … 湾河村 with most of them
/// places: 湾河 → 湾河村; a person between two people): coordinated items are of one kind.
/// Candidates (byte ranges) at the model's priority, so an item wins over a shorter span
/// inside it. The items are those of [`list_items`].
pub(super) fn list_alike(text: &str, tokens: &[Token], tagged: &[Candidate]) -> Vec<Candidate> {
    // Each clause with a 、 once (from the char after the end before it to the end after it),
    // with its items.
    let mut lists: Vec<(Range<usize>, Vec<Range<usize>>)> = Vec::new();
    let mut done = 0;
    for (at, _) in text.match_indices('、') {
        if at < done {
            continue;
        }
        let start = text[..at].rfind(LIST_ENDS).map_or(0, |i| {
            i + text[i..].chars().next().map_or(0, char::len_utf8)
        });
        let end = text[at..].find(LIST_ENDS).map_or(text.len(), |i| at + i);
        done = end;
        lists.push((start..end, list_items(text, tokens, start..end)));
    }
    if lists.is_empty() {
        return Vec::new();
    }
    // The labels of the spans inside those clauses (most spans are in none).
    let in_list = |r: &Range<usize>| {
        let k = lists.partition_point(|(c, _)| c.end < r.end);
        lists.get(k).is_some_and(|(c, _)| c.start <= r.start)
    };
    let label_at: HashMap<(usize, usize), &str> = tagged
        .iter()
        .filter(|c| matches!(c.label.as_str(), "PER" | "LOC" | "ORG") && in_list(&c.range))
        .map(|c| ((c.range.start, c.range.end), c.label.as_str()))
        .collect();
    let mut out = Vec::new();
    for (_, items) in lists {
        let mut label = None;
        let mut agree = 0;
        for r in &items {
            if let Some(&l) = label_at.get(&(r.start, r.end)) {
                if label.is_some_and(|x| x != l) {
                    label = None;
                    break;
                }
                label = Some(l);
                agree += 1;
            }
        }
        let Some(label) = label.filter(|_| agree >= 2) else {
            continue;
        };
        for r in items {
            let s = &text[r.clone()];
            let n = s.chars().count();
            if (2..=MAX_ITEM_CHARS).contains(&n)
                && s.chars().all(is_han)
                && !label_at.contains_key(&(r.start, r.end))
            {
                out.push(Candidate {
                    range: r,
                    label: label.to_owned(),
                    rule: LIST_RULE.into(),
                    priority: 3,
                });
            }
        }
    }
    out
}

/// The names of a credit line written with spaces after a role and a colon (播 控：郑常 刘猛
/// 何南 王冠), or of a block of such lines one under another (编辑：谭敏 / 核编：易奇勋 / 签发：
/// 潘向明), are all people when at least two of them were found as people and none as
/// anything else: each name two to four Han chars, each role at most six chars before its
/// colon. Candidates (byte ranges) at the model's priority, as [`list_alike`]'s.
pub(super) fn credit_lines(text: &str, tagged: &[Candidate]) -> Vec<Candidate> {
    let mut out = Vec::new();
    // The names of the block of credit lines being read, and the byte range it covers.
    let mut block: Vec<Range<usize>> = Vec::new();
    let mut block_start = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n').chain(std::iter::once("")) {
        let start = line_start;
        line_start += line.len();
        if let Some(names) = credit_names(line, start) {
            if block.is_empty() {
                block_start = start;
            }
            block.extend(names);
            continue;
        }
        if !block.is_empty() {
            complete_credits(text, &block, block_start..start, tagged, &mut out);
            block.clear();
        }
    }
    out
}

/// Whether a credit's name is an outlet or a body (来源：新华社, 来源：人民网): no person.
fn names_a_source(name: &str) -> bool {
    ["网", "社", "报", "台", "局", "委", "办", "部"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// What sets a credit line's names apart, and ends the line.
const CREDIT_GAPS: [char; 5] = [' ', '\u{3000}', '\t', '\n', '\r'];

/// The names (byte ranges, the line starting at byte `start` of the text) of a credit line:
/// a role of at most six chars, a colon, names of two to four Han chars apart by spaces.
fn credit_names(line: &str, start: usize) -> Option<Vec<Range<usize>>> {
    let colon = line.find(['：', ':'])?;
    let role = line[..colon].trim();
    if role.is_empty() || role.chars().count() > 6 || !role.chars().all(|c| is_han(c) || c == ' ') {
        return None;
    }
    let after = colon + line[colon..].chars().next().map_or(1, char::len_utf8);
    let mut names = Vec::new();
    let mut at = after;
    for part in line[after..].split_inclusive(CREDIT_GAPS) {
        let name = part.trim_end_matches(CREDIT_GAPS);
        if !name.is_empty() {
            if !(2..=4).contains(&name.chars().count()) || !name.chars().all(is_han) {
                return None;
            }
            names.push(start + at..start + at + name.len());
        }
        at += part.len();
    }
    (!names.is_empty()).then_some(names)
}

/// The untagged names of a block of credit lines (`names`, inside `block`) as people, when two
/// or more of them were found as people and nothing inside the block as anything else.
fn complete_credits(
    text: &str,
    names: &[Range<usize>],
    block: Range<usize>,
    tagged: &[Candidate],
    out: &mut Vec<Candidate>,
) {
    let spans: Vec<&Candidate> = tagged
        .iter()
        .filter(|c| c.range.start >= block.start && c.range.end <= block.end)
        .collect();
    let people = names
        .iter()
        .filter(|r| spans.iter().any(|c| c.range == **r && c.label == "PER"))
        .count();
    if people < 2 || spans.iter().any(|c| c.label != "PER") {
        return;
    }
    for r in names {
        if !spans.iter().any(|c| c.range == *r) && !names_a_source(&text[r.clone()]) {
            out.push(Candidate {
                range: r.clone(),
                label: "PER".into(),
                rule: LIST_RULE.into(),
                priority: 3,
            });
        }
    }
}

/// The items of the list that is the `clause` of `text` (byte ranges): split at 、, trimmed of
/// spaces and of a leading 原 (former), the last cut at 等 and before a verb or function word
/// after its first word (韩正|出席大会), the first from the last word edge that leaves it as
/// long as the shortest other item and on back over words that can be in a name up to the
/// longest (栗战书, 其中|芗城, 全县有|尅炳村).
fn list_items(text: &str, tokens: &[Token], clause: Range<usize>) -> Vec<Range<usize>> {
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut start = clause.start;
    for i in text[clause.clone()]
        .match_indices('、')
        .map(|(i, _)| clause.start + i)
        .chain(std::iter::once(clause.end))
    {
        let mut r = start..i;
        start = i + '、'.len_utf8();
        if r.end == clause.end
            && let Some(k) = text[r.clone()].find('等')
        {
            r.end = r.start + k;
        }
        let s = &text[r.clone()];
        let trimmed = s.trim();
        let at = r.start + (s.len() - s.trim_start().len());
        items.push(at + places::former(trimmed)..at + trimmed.len());
    }
    let chars = |r: &Range<usize>| text[r.clone()].chars().count();
    let words = |r: &Range<usize>| {
        let from = tokens.partition_point(|t| t.range.start < r.start);
        let to = tokens.partition_point(|t| t.range.end <= r.end);
        &tokens[from..to.max(from)]
    };
    // The last item ends before a function word or a verb of two chars or more after a word
    // (韩正|出席大会; not 斗篷冲村, whose 冲 the segmenter calls a verb).
    if let Some(last) = items.last_mut()
        && let Some(t) = words(last)
            .iter()
            .skip(1)
            .find(|t| (t.is_verb() && t.word.chars().nth(1).is_some()) || !t.can_be_in_name())
    {
        last.end = t.range.start;
    }
    let others = items[1..].iter().map(chars).filter(|&n| n > 0);
    if let (Some(shortest), Some(longest)) = (others.clone().min(), others.max()) {
        // From the last word edge that leaves it as long as the shortest other item, and on
        // back over words that can be in a name as long as it is no longer than the longest.
        let first = items[0].clone();
        let mut start = first.end;
        for t in words(&first).iter().rev() {
            let n = chars(&(t.range.start..first.end));
            if chars(&(start..first.end)) >= shortest && (!t.can_be_in_name() || n > longest) {
                break;
            }
            start = t.range.start;
        }
        items[0].start = start;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `words` in order as the segmenter's tokens of their concatenation.
    fn segment(words: &[&'static str]) -> (String, Vec<Token<'static>>) {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for w in words {
            // Out-of-vocabulary words, as names mostly are to the segmenter.
            tokens.push(Token {
                word: w,
                tag: "x",
                range: text.len()..text.len() + w.len(),
            });
            text.push_str(w);
        }
        (text, tokens)
    }

    /// A model span over the `nth` occurrence of `s`.
    fn model(text: &str, s: &str, nth: usize, label: &str) -> Candidate {
        let start = text.match_indices(s).nth(nth).expect("span in text").0;
        Candidate {
            range: start..start + s.len(),
            label: label.into(),
            rule: "model".into(),
            priority: 3,
        }
    }

    fn spans<'t>(text: &'t str, found: &[Candidate]) -> Vec<(&'t str, usize)> {
        found
            .iter()
            .map(|c| (&text[c.range.clone()], c.range.start))
            .collect()
    }

    #[test]
    fn a_tagged_string_is_suggested_where_it_occurs_again() {
        let (text, tokens) = segment(&["小哥", "吴道", "银", "送完", "。", "”", "吴道银", "说"]);
        let tagged = [model(&text, "吴道银", 0, "PER")];
        let found = repeats(&text, &tokens, &tagged, &[]);
        // Both occurrences: the model's own (resolving keeps one of the two) and the other.
        let second = text.rfind("吴道银").unwrap();
        assert_eq!(
            spans(&text, &found),
            [("吴道银", tagged[0].range.start), ("吴道银", second)]
        );
        assert!(found.iter().all(|c| c.label == "PER" && c.rule == RULE));
        assert!(found.iter().all(|c| c.priority < tagged[0].priority));
        // A speaker's name (after the model) is repeated as well; a byline's is not.
        let mut speaker = tagged[0].clone();
        speaker.rule = "pattern:speaker".into();
        assert_eq!(repeats(&text, &tokens, &[speaker.clone()], &[]).len(), 2);
        speaker.rule = "pattern:byline-name".into();
        assert!(repeats(&text, &tokens, &[speaker], &[]).is_empty());
    }

    #[test]
    fn not_inside_a_word_not_one_char_not_two_labels() {
        let (text, tokens) = segment(&["南平", "很", "美", "。", "南平村", "在", "南平", "。"]);
        let tagged = [model(&text, "南平", 0, "LOC")];
        // Not the 南平 that ends inside the word 南平村.
        let found = repeats(&text, &tokens, &tagged, &[]);
        assert_eq!(
            spans(&text, &found),
            [("南平", 0), ("南平", text.rfind("南平").unwrap())]
        );
        // A string the model tagged with two labels: not repeated.
        let both = [
            model(&text, "南平", 0, "LOC"),
            model(&text, "南平", 2, "ORG"),
        ];
        assert!(repeats(&text, &tokens, &both, &[]).is_empty());
        // One char: not repeated.
        assert!(repeats(&text, &tokens, &[model(&text, "美", 0, "LOC")], &[]).is_empty());
        // Only the model's spans (and the listed places') are repeated, not the other rules'.
        let mut rule = model(&text, "南平", 0, "LOC");
        rule.rule = "gazetteer:county".into();
        assert!(repeats(&text, &tokens, &[rule], &[]).is_empty());
    }

    #[test]
    fn a_name_that_is_one_common_word_is_not_repeated() {
        let (text, mut tokens) =
            segment(&["京东", "、", "电商", "平台", "。", "电商", "扶贫", "。"]);
        for t in tokens.iter_mut().filter(|t| t.word == "电商") {
            t.tag = "n";
        }
        // The model took the common noun 电商 for an organisation once: not copied on.
        let tagged = [model(&text, "电商", 0, "ORG")];
        assert!(repeats(&text, &tokens, &tagged, &[]).is_empty());
        // A programme may be a word of the dictionary (安居工程/n): repeated.
        let policy = [model(&text, "电商", 0, "POLICY")];
        assert_eq!(repeats(&text, &tokens, &policy, &[]).len(), 2);
    }

    #[test]
    fn listed_places_and_short_forms_of_full_names_are_repeated() {
        let (text, tokens) = segment(&[
            "平利县",
            "有",
            "睦化",
            "、",
            "代化",
            "两个",
            "乡",
            "。",
            "平利",
            "的",
            "代化",
            "。",
        ]);
        let mut listed = model(&text, "代化", 0, "LOC");
        listed.rule = "pattern:listed-place".into();
        let found = repeats(&text, &tokens, &[listed], &["平利"]);
        let later = text.rfind("代化").unwrap();
        assert_eq!(
            spans(&text, &found),
            [
                ("代化", text.find("代化").unwrap()),
                ("平利", text.rfind("平利").unwrap()),
                ("代化", later)
            ]
        );
        assert!(found.iter().all(|c| c.label == "LOC"));
        // A short form that the model tagged as another label is left alone.
        let per = model(&text, "平利", 1, "PER");
        assert!(repeats(&text, &tokens, &[per], &["平利"]).is_empty());
    }

    #[test]
    fn list_items_take_the_label_of_their_neighbours() {
        let (text, tokens) = segment(&[
            "全县",
            "有",
            "尅炳村",
            "、",
            "茅山村",
            "、",
            "磨谢村",
            "、",
            " ",
            "湾河",
            "村",
            "等",
            "4",
            "个",
            "贫困村",
            "。",
        ]);
        let mut tagged = vec![
            model(&text, "茅山村", 0, "LOC"),
            model(&text, "磨谢村", 0, "LOC"),
            model(&text, "湾河", 0, "LOC"),
        ];
        let found = list_alike(&text, &tokens, &tagged);
        // The first item from a word edge (not 全县有尅炳村), the last without 等 or the space.
        assert_eq!(
            spans(&text, &found),
            [
                ("尅炳村", text.find("尅炳村").unwrap()),
                ("湾河村", text.find("湾河村").unwrap())
            ]
        );
        assert!(
            found
                .iter()
                .all(|c| c.label == "LOC" && c.rule == LIST_RULE)
        );
        // Above the shorter model span inside the item.
        assert!(found.iter().all(|c| c.priority >= tagged[2].priority));
        // An empty item (、 、) is no item.
        let (text2, tokens2) = segment(&["茅山村", "、", " ", "、", "磨谢村", "、", "湾河村"]);
        let tagged2 = [
            model(&text2, "茅山村", 0, "LOC"),
            model(&text2, "磨谢村", 0, "LOC"),
        ];
        assert_eq!(
            spans(&text2, &list_alike(&text2, &tokens2, &tagged2)),
            [("湾河村", text2.find("湾河村").unwrap())]
        );
        // One neighbour is not enough; two labels among the items: nothing.
        assert!(list_alike(&text, &tokens, &tagged[..1]).is_empty());
        tagged.push(model(&text, "尅炳村", 0, "PER"));
        assert!(list_alike(&text, &tokens, &tagged).is_empty());
    }

    #[test]
    fn list_items_end_where_the_clause_goes_on() {
        let (mut text, mut tokens) = (String::new(), Vec::new());
        for (w, tag) in [
            ("栗", "nr"),
            ("战书", "n"),
            ("、", "x"),
            ("汪洋", "nr"),
            ("、", "x"),
            ("王沪宁", "nr"),
            ("、", "x"),
            ("韩正", "nr"),
            ("出席", "v"),
            ("大会", "n"),
            ("。", "x"),
        ] {
            tokens.push(Token {
                word: w,
                tag,
                range: text.len()..text.len() + w.len(),
            });
            text.push_str(w);
        }
        let tagged = [
            model(&text, "汪洋", 0, "PER"),
            model(&text, "王沪宁", 0, "PER"),
        ];
        // The first item as long as the longest other (not 战书), the last before the verb
        // (not 韩正出席大会).
        assert_eq!(
            spans(&text, &list_alike(&text, &tokens, &tagged)),
            [("栗战书", 0), ("韩正", text.find("韩正").unwrap())]
        );
    }
}
