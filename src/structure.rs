//! Article structure: title, publication date, source, authors, and the body as opposed to
//! web or e-paper boilerplate (navigation, page lists, copyright notices, "相关阅读", link
//! lists). Everything is a char range into the unchanged text. The detector reads evidence that
//! holds across sites (see [`lines`]); when in doubt a line is the article's.

mod byline;
mod correction;
mod lines;

pub use correction::{Correction, CorrectionError};

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::text::CharMap;
use lines::{Kind, Shape};

/// What the detector found in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Structure {
    /// The headline.
    pub title: Option<Range<usize>>,
    /// The publication date as written (e.g. `2018-04-09`, `2016年12月07日`).
    pub date: Option<Range<usize>>,
    /// The date as ISO 8601, as far as it is known.
    pub date_iso: Option<String>,
    /// The source's name (来源:吉林日报 → 吉林日报; 转自《吉林日报》 → 吉林日报).
    pub source: Option<Range<usize>>,
    /// Each author's name (记者 戈驰川 尹雪 → two ranges).
    pub authors: Vec<Range<usize>>,
    /// From the first paragraph of the article to the end of its last one.
    pub body: Range<usize>,
    /// Web boilerplate, sorted, not overlapping; may lie before, inside or after the body.
    pub boilerplate: Vec<Range<usize>>,
    /// Where the detector is unsure; empty when it is confident.
    pub notes: Vec<Note>,
}

/// Something the analyst should check in a document's detected structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Note {
    /// No line looks like a headline.
    NoTitle,
    /// The title was chosen on weak evidence, or another line was nearly as likely.
    TitleUnsure,
    /// No line reads like a paragraph of prose: everything but clear chrome is kept as body.
    NoProse,
    /// Over half of the text was judged boilerplate.
    MostlyBoilerplate,
}

impl Note {
    /// In plain words, for `check`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::NoTitle => "no line looks like a headline",
            Self::TitleUnsure => "title unsure: another line could be the headline",
            Self::NoProse => "no paragraph of prose: all but clear site chrome is kept as body",
            Self::MostlyBoilerplate => "over half of the text judged boilerplate: check the body",
        }
    }
}

impl Structure {
    /// Is char offset `c` inside boilerplate?
    pub fn in_boilerplate(&self, c: usize) -> bool {
        let i = self.boilerplate.partition_point(|r| r.end <= c);
        self.boilerplate.get(i).is_some_and(|r| r.start <= c)
    }

    /// Does `r` overlap boilerplate?
    pub fn overlaps_boilerplate(&self, r: &Range<usize>) -> bool {
        let i = self.boilerplate.partition_point(|b| b.end <= r.start);
        self.boilerplate.get(i).is_some_and(|b| b.start < r.end)
    }

    /// Is the detection confident (no notes)?
    pub fn confident(&self) -> bool {
        self.notes.is_empty()
    }

    /// Detects the structure of `text`.
    pub fn detect(text: &str) -> Self {
        Detector::new(text).run()
    }
}

struct Line<'a> {
    range: Range<usize>,
    /// Byte offset of the line in the text.
    byte: usize,
    raw: &'a str,
    trimmed: &'a str,
    shape: Shape,
    kind: Kind,
    boiler: bool,
}

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})/(\d{1,2})/(\d{1,2})",
    )
    .unwrap()
});
/// 来源:吉林日报, at the start of the line or of a field (not 数据来源：, a chart's credit).
static SOURCE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s|｜])(?:来源|稿源|出处)\s*[:：]\s*《?([^\s|｜》　]+)").unwrap()
});
static TRANSFER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(?:转自|来源[:：]?)\s*《?([^》)）\s]+)》?\s*[)）]").unwrap()
});
/// A contributors' credit closing an article: （方晴、万娟参与采写）.
static CONTRIBUTORS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(（][^()（）]{1,30}(?:参与采写|对本文亦有贡献)[)）]$").unwrap()
});
/// A short credit line between the title and the text: 制图：张三, 数据来源：国家统计局.
static CREDIT_LINE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}{2,4}\s*[:：]\s*[^，。；！？,;!?]{1,16}$").unwrap());
/// A series number under a byline: 之一, 之 二, （上）.
static SERIES_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:之\s*[一二三四五六七八九十]{1,3}|[(（]\s*[上中下一二三四五六七八九十]{1,3}\s*[)）])$",
    )
    .unwrap()
});
/// Box labels a newspaper puts before an article's first paragraph.
const LABELS: [&str; 6] = ["编者按", "核心阅读", "导读", "摘要", "提要", "内容提要"];
/// Words of a byline.
const BYLINE_WORDS: [&str; 6] = ["记者", "通讯员", "作者", "撰稿", "本报讯", "特约"];

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
}

fn is_meta(t: &str) -> bool {
    let n = t.chars().count();
    n <= 120
        && (DATE_RE.is_match(t) && (n <= 60 || SOURCE_RE.is_match(t)) && !t.ends_with('。')
            || SOURCE_RE.is_match(t) && n <= 80)
}

/// A byline: a reporter's role and names, short, not a sentence.
fn is_byline(t: &str, shape: &Shape) -> bool {
    shape.chars <= 40 && !shape.ends_sentence && BYLINE_WORDS.iter().any(|r| t.contains(r))
}

/// A line that belongs to the header between the title and the first paragraph.
fn is_header_line(t: &str, shape: &Shape, title: &str) -> bool {
    t == title
        || t.starts_with("原题")
        || t.starts_with("——")
        || is_byline(t, shape)
        || LABELS.contains(&t)
        || CREDIT_LINE_RE.is_match(t)
        || SERIES_RE.is_match(t)
}

struct Detector<'a> {
    text: &'a str,
    map: CharMap,
    lines: Vec<Line<'a>>,
}

impl<'a> Detector<'a> {
    fn new(text: &'a str) -> Self {
        let map = CharMap::new(text);
        let mut lines = Vec::new();
        let mut byte = 0;
        for raw in text.split('\n') {
            let start = map.char_of_byte(byte);
            let end = start + raw.chars().count();
            let trimmed = trim(raw);
            let shape = Shape::of(trimmed);
            let kind = if trimmed.is_empty() {
                Kind::Blank
            } else if let Some(strong) = lines::chrome(trimmed, &shape) {
                Kind::Chrome { strong }
            } else if shape.is_prose() {
                Kind::Prose
            } else {
                Kind::Short
            };
            lines.push(Line {
                range: start..end,
                byte,
                raw,
                trimmed,
                shape,
                kind,
                boiler: false,
            });
            byte += raw.len() + 1;
        }
        Self { text, map, lines }
    }

    /// Char range of the trimmed part of line `i`.
    fn trimmed_range(&self, i: usize) -> Range<usize> {
        let l = &self.lines[i];
        let lead = l.raw.len()
            - l.raw
                .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
                .len();
        let start = l.range.start + l.raw[..lead].chars().count();
        start..start + l.shape.chars
    }

    /// Char range of a byte range inside line `i`'s trimmed text.
    fn sub_range(&self, i: usize, b: Range<usize>) -> Range<usize> {
        let l = &self.lines[i];
        let base = l.byte + (l.trimmed.as_ptr() as usize - l.raw.as_ptr() as usize);
        self.map.char_of_byte(base + b.start)..self.map.char_of_byte(base + b.end)
    }

    fn nonblank(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.lines.len()).filter(|&i| self.lines[i].kind != Kind::Blank)
    }

    /// The first paragraph that reads like the article's: a finished sentence of some length,
    /// or a long punctuated line; else the first line of prose.
    fn anchor(&self) -> Option<usize> {
        let prose = |i: &usize| {
            let l = &self.lines[*i];
            l.kind == Kind::Prose && !is_byline(l.trimmed, &l.shape)
        };
        self.nonblank()
            .filter(prose)
            .find(|&i| {
                let sh = &self.lines[i].shape;
                (sh.ends_sentence && sh.chars >= 20) || sh.chars >= 50
            })
            .or_else(|| self.nonblank().find(prose))
    }

    fn run(mut self) -> Structure {
        let mut s = Structure::default();
        // The header: everything up to the first paragraph (at most 25 lines), where the
        // title and the publication line are looked for.
        let anchor = self.anchor();
        let header: Vec<usize> = self
            .nonblank()
            .take_while(|&i| anchor.is_none_or(|a| i < a))
            .take(if anchor.is_some() { 25 } else { 12 })
            .collect();
        for &i in &header {
            if is_meta(self.lines[i].trimmed) {
                self.lines[i].kind = Kind::Meta;
            }
        }
        let meta = header
            .iter()
            .copied()
            .find(|&i| self.lines[i].kind == Kind::Meta);
        let (title, unsure) = self.title(&header, anchor);
        if let Some(t) = title {
            s.title = Some(self.trimmed_range(t));
            // Above the title: the site's header when there is site chrome there; prose is
            // never hidden, nor a kicker leading into the title (巍山县——).
            let kicker = (0..t)
                .rev()
                .take_while(|&j| {
                    let l = &self.lines[j];
                    l.kind == Kind::Blank || l.trimmed.ends_with("——")
                })
                .last();
            let site = self.lines[..t]
                .iter()
                .any(|l| matches!(l.kind, Kind::Chrome { .. } | Kind::Meta));
            for l in &mut self.lines[..kicker.unwrap_or(t)] {
                if site && l.kind == Kind::Short {
                    l.kind = Kind::Chrome { strong: true };
                }
            }
            self.lines[t].kind = Kind::Meta;
        }
        let title_text = title.map(|t| self.lines[t].trimmed).unwrap_or("");

        // The trailer: from a marker such as 相关阅读 or 责任编辑 on, when most of the prose
        // lies before it; a 相关链接 followed by a paragraph is a sidebar, the article's.
        let after_title = title.map_or(0, |t| t + 1);
        let next_is_prose = |i: usize| {
            self.lines[i + 1..]
                .iter()
                .filter(|l| l.kind != Kind::Blank)
                .take(3)
                .any(|l| l.kind == Kind::Prose)
        };
        let prose_chars = |r: Range<usize>| -> usize {
            self.lines[r]
                .iter()
                .filter(|l| l.kind == Kind::Prose)
                .map(|l| l.shape.chars)
                .sum()
        };
        let n = self.lines.len();
        let trailer = (after_title..n).find(|&i| {
            let l = &self.lines[i];
            lines::is_marker(l.trimmed, &l.shape)
                && !(lines::RELATED_RE.is_match(l.trimmed) && next_is_prose(i))
                && prose_chars(i + 1..n) < prose_chars(after_title..i)
        });
        if let Some(tr) = trailer {
            for l in &mut self.lines[tr..] {
                if l.kind != Kind::Blank {
                    l.kind = Kind::Chrome { strong: true };
                }
            }
        }
        let kinds: Vec<Kind> = self.lines.iter().map(|l| l.kind).collect();
        for (l, b) in self
            .lines
            .iter_mut()
            .zip(lines::short_runs_in_chrome(&kinds))
        {
            l.boiler = b;
        }

        self.date_and_source(&mut s, meta);

        // The body: from the first line after the title's header to the last line of text.
        let is_text = |l: &Line| l.kind != Kind::Blank && !l.boiler;
        let body_first = (after_title..n).find(|&i| {
            let l = &self.lines[i];
            is_text(l) && l.kind != Kind::Meta && !is_header_line(l.trimmed, &l.shape, title_text)
        });
        let body_last = (after_title..n).rev().find(|&i| {
            let l = &self.lines[i];
            is_text(l) && !TRANSFER_RE.is_match(l.trimmed) && !CONTRIBUTORS_RE.is_match(l.trimmed)
        });
        s.body = match (body_first, body_last) {
            (Some(a), Some(b)) if a <= b => self.trimmed_range(a).start..self.trimmed_range(b).end,
            _ => self.trimmed_whole(),
        };
        s.authors = self.authors(title.unwrap_or(0));
        s.boilerplate = self.boilerplate_ranges();

        if title.is_none() {
            s.notes.push(Note::NoTitle);
        } else if unsure {
            s.notes.push(Note::TitleUnsure);
        }
        if !kinds.contains(&Kind::Prose) {
            s.notes.push(Note::NoProse);
        }
        let boiler: usize = s.boilerplate.iter().map(|r| r.len()).sum();
        let total: usize = self.lines.iter().map(|l| l.shape.chars).sum();
        if boiler * 2 > total {
            s.notes.push(Note::MostlyBoilerplate);
        }
        s
    }

    /// The headline among the header's lines, scored on evidence: short, no sentence, near the
    /// top, just above a byline, a publication line or the first paragraph, repeated in the
    /// page, below (not above) the site's navigation. Returns the line and whether the choice
    /// is unsure.
    fn title(&self, header: &[usize], anchor: Option<usize>) -> (Option<usize>, bool) {
        let prev = |i: usize| (0..i).rev().find(|&j| self.lines[j].kind != Kind::Blank);
        let next =
            |i: usize| (i + 1..self.lines.len()).find(|&j| self.lines[j].kind != Kind::Blank);
        let mut scored: Vec<(f32, usize)> = Vec::new();
        for &i in header.iter().chain(anchor.iter()) {
            let l = &self.lines[i];
            let t = l.trimmed;
            let sh = &l.shape;
            let excluded = matches!(l.kind, Kind::Chrome { .. } | Kind::Meta)
                || sh.han < 3
                || sh.han * 2 < sh.chars
                || sh.chars > 64
                || sh.ends_sentence
                || t.contains('。')
                || t.ends_with(['：', ':', '，', ','])
                || t.starts_with("——")
                || t.ends_with("——")
                || t.starts_with("原题")
                || is_byline(t, sh)
                || LABELS.contains(&t);
            if excluded {
                continue;
            }
            let mut score = 1.0 - 0.1 * scored.len() as f32;
            match prev(i) {
                None => score += 0.5,
                Some(p) => {
                    let pl = &self.lines[p];
                    if matches!(pl.kind, Kind::Chrome { .. } | Kind::Meta)
                        || pl.trimmed.ends_with("——")
                    {
                        score += 0.3;
                    } else if pl.kind == Kind::Short {
                        score -= 0.6; // under another line of text: a subtitle
                    }
                }
            }
            let leads_in = |j: usize| {
                let nl = &self.lines[j];
                nl.kind == Kind::Meta
                    || is_byline(nl.trimmed, &nl.shape)
                    || nl.trimmed.starts_with("——")
                    || nl.trimmed == t
            };
            if let Some(nx) = next(i) {
                let nl = &self.lines[nx];
                if leads_in(nx) {
                    score += 1.0;
                } else if nl.kind == Kind::Prose {
                    score += 0.3;
                } else if nl.kind == Kind::Short && next(nx).is_some_and(leads_in) {
                    score += 0.5; // above a subtitle and the byline
                }
            }
            // Site navigation between it and the article: part of the page's header.
            let end = anchor.or(header.last().map(|&h| h + 1)).unwrap_or(i);
            if (i + 1..end).any(|j| self.lines[j].kind == Kind::Chrome { strong: true }) {
                score -= 0.5;
            }
            if memchr::memmem::find_iter(self.text.as_bytes(), t.as_bytes())
                .nth(1)
                .is_some()
            {
                score += 0.5;
            }
            score -= 0.3 * sh.punct as f32;
            if sh.chars > 40 {
                score -= 0.5;
            }
            if sh.han < 6 {
                score -= 0.3;
            }
            scored.push((score, i));
        }
        let best = scored
            .iter()
            .copied()
            .fold(None, |b: Option<(f32, usize)>, x| match b {
                Some(b) if b.0 >= x.0 => Some(b),
                _ => Some(x),
            });
        let Some((top, line)) = best else {
            return (None, false);
        };
        let second = scored
            .iter()
            .filter(|x| x.1 != line)
            .map(|x| x.0)
            .fold(f32::MIN, f32::max);
        (Some(line), top < 1.4 || top - second < 0.5)
    }

    fn date_and_source(&self, s: &mut Structure, meta: Option<usize>) {
        if let Some(m) = meta {
            let t = self.lines[m].trimmed;
            if let Some(c) = DATE_RE.captures(t) {
                let whole = c.get(0).expect("group 0");
                s.date = Some(self.sub_range(m, whole.range()));
                let g = |k: usize| c.get(k).map(|x| x.as_str());
                let (y, mo, d) = if g(1).is_some() {
                    (g(1), g(2), g(3))
                } else if g(4).is_some() {
                    (g(4), g(5), g(6))
                } else {
                    (g(7), g(8), g(9))
                };
                if let (Some(y), Some(mo), Some(d)) = (y, mo, d) {
                    let mo: u32 = mo.parse().unwrap_or(0);
                    let d: u32 = d.parse().unwrap_or(0);
                    s.date_iso = Some(format!("{y}-{mo:02}-{d:02}"));
                }
            }
            if let Some(c) = SOURCE_RE.captures(t) {
                s.source = Some(self.sub_range(m, c.get(1).expect("group 1").range()));
            }
        }
        if s.source.is_none() {
            for i in 0..self.lines.len() {
                if let Some(c) = TRANSFER_RE.captures(self.lines[i].trimmed) {
                    s.source = Some(self.sub_range(i, c.get(1).expect("group 1").range()));
                    break;
                }
            }
        }
    }

    /// Boilerplate lines as char ranges, neighbours merged across blank lines.
    fn boilerplate_ranges(&self) -> Vec<Range<usize>> {
        let mut boiler: Vec<Range<usize>> = Vec::new();
        for i in 0..self.lines.len() {
            if !self.lines[i].boiler {
                continue;
            }
            let r = self.trimmed_range(i);
            if let Some(last) = boiler.last_mut() {
                let gap = &self.text[self.map.byte_range(last.end..r.start)];
                if trim(gap).is_empty() {
                    last.end = r.end;
                    continue;
                }
            }
            boiler.push(r);
        }
        boiler
    }

    fn trimmed_whole(&self) -> Range<usize> {
        let lead = self.text.len() - self.text.trim_start().len();
        let start = self.map.char_of_byte(lead);
        let end = self.map.char_of_byte(self.text.trim_end().len());
        start..end.max(start)
    }

    fn authors(&self, title: usize) -> Vec<Range<usize>> {
        const ROLES: [&str; 4] = ["记者", "通讯员", "作者", "撰稿"];
        let mut out = Vec::new();
        for i in 0..self.lines.len() {
            let l = &self.lines[i];
            if l.kind == Kind::Blank || l.boiler {
                continue;
            }
            let header = i <= title + 4;
            let t = l.trimmed;
            for role in ROLES {
                for (pos, _) in t.match_indices(role) {
                    let before = &t[..pos];
                    let in_parens = before
                        .rfind(['(', '（'])
                        .is_some_and(|p| !before[p..].contains([')', '）']));
                    if !(header || in_parens) {
                        continue;
                    }
                    let names = byline::names(t, pos + role.len());
                    out.extend(names.into_iter().map(|r| self.sub_range(i, r)));
                }
            }
        }
        out.sort_by_key(|r| r.start);
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests;
