//! Article structure: title, publication date, source, authors, and the body as opposed to
//! web boilerplate (navigation, copyright notices, "相关阅读", link lists, comment widgets).
//! Everything is a char range into the unchanged text.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::text::CharMap;

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

    /// Detects the structure of `text`.
    pub fn detect(text: &str) -> Self {
        Detector::new(text).run()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// Site chrome: navigation, breadcrumbs, contact lines, link lists, credits.
    Boiler,
    /// Publication line: date and/or source.
    Meta,
    /// Article text.
    Text,
}

struct Line<'a> {
    range: Range<usize>,
    /// Byte offset of the line in the text.
    byte: usize,
    raw: &'a str,
    trimmed: &'a str,
    kind: Kind,
}

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})/(\d{1,2})/(\d{1,2})",
    )
    .unwrap()
});
static SOURCE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:来源|稿源|出处)\s*[:：]\s*《?([^\s|｜》　]+)").unwrap());
static TRANSFER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[(（]\s*(?:转自|来源[:：]?)\s*《?([^》)）\s]+)》?\s*[)）]").unwrap()
});
static TRAILER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:相关阅读|相关新闻|相关链接|相关报道|延伸阅读|猜你喜欢|热门评论|最新评论|网友评论|发表评论|我要评论|已有\d+条评论|频道推荐|新闻推荐|热点推荐|推荐阅读|分享到|打印本页|关闭窗口|返回顶部|版权所有|免责声明|\S*版权\S*声明|Copyright|copyright|©)").unwrap()
});
static EDITOR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(（]?\s*(?:责任编辑|责编|主编|编辑|审核|校对|值班编辑)\s*[:：]").unwrap()
});
static CONTACT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:热线|电话|邮箱|传真|地址|邮编|E-?mail|email|联系我们|客服)\s*[:：]|https?://|www\.",
    )
    .unwrap()
});
static CREDIT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:摄|供稿图|供图|图片来源.*|资料图)\s*$").unwrap());

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
}

fn has_sentence_punct(s: &str) -> bool {
    s.contains(['。', '，', ',', '；', ';', '！', '？', '!', '?', '、'])
}

/// Lines a site repeats around an article, recognisable without context.
fn is_chrome(t: &str) -> bool {
    if t.starts_with('•') || t.starts_with('·') && t.chars().count() < 60 {
        return true;
    }
    if t.split('>').filter(|p| !trim(p).is_empty()).count() >= 3 || t.contains(" > ") {
        return true;
    }
    if t.starts_with('【') && t.matches('【').count() >= 2 {
        return true;
    }
    if CONTACT_RE.is_match(t) || EDITOR_RE.is_match(t) || TRAILER_RE.is_match(t) {
        return true;
    }
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let byline = ["记者", "通讯员", "作者"].iter().any(|r| t.contains(r));
    if tokens.len() >= 4
        && !byline
        && !has_sentence_punct(t)
        && !t.contains(['：', ':', '“', '”'])
        && tokens.iter().all(|w| w.chars().count() <= 8)
    {
        return true;
    }
    if CREDIT_RE.is_match(t) && !has_sentence_punct(t) && t.chars().count() <= 30 {
        return true;
    }
    // A counter or a button label: "35.1K", "Close".
    if t.chars().count() <= 8
        && t.is_ascii()
        && !t.chars().any(|c| c.is_ascii_digit() && t.len() > 4)
    {
        return true;
    }
    false
}

fn is_meta(t: &str) -> bool {
    let n = t.chars().count();
    n <= 120
        && (DATE_RE.is_match(t) && (n <= 60 || SOURCE_RE.is_match(t)) && !t.ends_with('。')
            || SOURCE_RE.is_match(t) && n <= 80)
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
            lines.push(Line {
                range: start..end,
                byte,
                raw,
                trimmed,
                kind: Kind::Text,
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
        start..start + l.trimmed.chars().count()
    }

    /// Char range of a byte range inside line `i`'s trimmed text.
    fn sub_range(&self, i: usize, b: Range<usize>) -> Range<usize> {
        let l = &self.lines[i];
        let base = l.byte + (l.trimmed.as_ptr() as usize - l.raw.as_ptr() as usize);
        self.map.char_of_byte(base + b.start)..self.map.char_of_byte(base + b.end)
    }

    fn run(mut self) -> Structure {
        let mut s = Structure::default();
        for l in &mut self.lines {
            l.kind = if l.trimmed.is_empty() {
                Kind::Blank
            } else if is_meta(l.trimmed) {
                Kind::Meta
            } else if is_chrome(l.trimmed) {
                Kind::Boiler
            } else {
                Kind::Text
            };
        }
        let nonblank: Vec<usize> = (0..self.lines.len())
            .filter(|&i| self.lines[i].kind != Kind::Blank)
            .collect();

        // The publication line, if the article has one near its top.
        let meta = nonblank
            .iter()
            .take(15)
            .copied()
            .find(|&i| self.lines[i].kind == Kind::Meta);
        // The title: the text line just above the publication line, else the first text line.
        let title = match meta {
            Some(m) => (0..m).rev().find(|&i| self.lines[i].kind == Kind::Text),
            None => nonblank
                .iter()
                .copied()
                .find(|&i| self.lines[i].kind == Kind::Text),
        };
        if let Some(t) = title {
            s.title = Some(self.trimmed_range(t));
            // Everything above the title is the site's header.
            for i in 0..t {
                if self.lines[i].kind == Kind::Text {
                    self.lines[i].kind = Kind::Boiler;
                }
            }
        }
        let title_text = title.map(|t| self.lines[t].trimmed).unwrap_or("");

        // The trailer: from the first trailer marker (or run of chrome ending the article) on.
        let after_title = title.map_or(0, |t| t + 1);
        let trailer = (after_title..self.lines.len()).find(|&i| {
            let t = self.lines[i].trimmed;
            TRAILER_RE.is_match(t) || EDITOR_RE.is_match(t)
        });
        if let Some(tr) = trailer {
            for l in &mut self.lines[tr..] {
                if l.kind != Kind::Blank {
                    l.kind = Kind::Boiler;
                }
            }
        }

        // Date and source from the publication line, or from any meta-like line.
        let meta_lines: Vec<usize> = match meta {
            Some(m) => vec![m],
            None => Vec::new(),
        };
        for &m in &meta_lines {
            let t = self.lines[m].trimmed;
            if let Some(c) = DATE_RE.captures(t) {
                let whole = c.get(0).unwrap();
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
                s.source = Some(self.sub_range(m, c.get(1).unwrap().range()));
            }
        }
        if s.source.is_none() {
            for i in 0..self.lines.len() {
                if let Some(c) = TRANSFER_RE.captures(self.lines[i].trimmed) {
                    s.source = Some(self.sub_range(i, c.get(1).unwrap().range()));
                    break;
                }
            }
        }

        // Header lines after the title that are not paragraphs: 原题, a subtitle, a byline, a
        // repeated title.
        let is_header = |l: &Line| {
            l.trimmed == title_text
                || l.trimmed.starts_with("原题")
                || l.trimmed.starts_with("——")
                || (l.trimmed.contains("记者")
                    && l.trimmed.chars().count() <= 40
                    && !has_sentence_punct(l.trimmed))
        };
        let body_first = (after_title..self.lines.len())
            .find(|&i| self.lines[i].kind == Kind::Text && !is_header(&self.lines[i]));
        let body_last = (after_title..self.lines.len()).rev().find(|&i| {
            let l = &self.lines[i];
            l.kind == Kind::Text && !TRANSFER_RE.is_match(l.trimmed)
        });
        s.body = match (body_first, body_last) {
            (Some(a), Some(b)) if a <= b => self.trimmed_range(a).start..self.trimmed_range(b).end,
            _ => {
                let r = self.trimmed_whole();
                r.clone()
            }
        };

        // Authors: in the header and in parenthesised bylines.
        s.authors = self.authors(title.unwrap_or(0));

        // Boilerplate ranges, adjacent lines merged.
        let mut boiler: Vec<Range<usize>> = Vec::new();
        for i in 0..self.lines.len() {
            if self.lines[i].kind != Kind::Boiler {
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
        s.boilerplate = boiler;
        s
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
            if l.kind == Kind::Blank || l.kind == Kind::Boiler {
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
                    let names = byline_names(t, pos + role.len());
                    out.extend(names.into_iter().map(|r| self.sub_range(i, r)));
                }
            }
        }
        out.sort_by_key(|r| r.start);
        out.dedup();
        out
    }
}

/// Names after a role word in a byline: "记者 戈驰川 尹雪)" → [戈驰川, 尹雪];
/// "记者吴志润通讯员穆伦刚" → [吴志润] (the next role is read on its own). Byte ranges into `t`.
fn byline_names(t: &str, mut at: usize) -> Vec<Range<usize>> {
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let rest = &t[at..];
    let skip = rest.len() - rest.trim_start_matches([' ', '\u{3000}', ':', '：']).len();
    at += skip;
    let mut names = Vec::new();
    loop {
        let rest = &t[at..];
        let run: usize = rest
            .chars()
            .take_while(|&c| is_han(c))
            .map(char::len_utf8)
            .sum();
        if run == 0 {
            break;
        }
        let mut word = &rest[..run];
        let mut stopped_at_role = false;
        for role in ["通讯员", "记者", "摄影", "报道"] {
            if let Some(p) = word.find(role)
                && p > 0
            {
                word = &word[..p];
                stopped_at_role = true;
            }
        }
        let n = word.chars().count();
        if !(2..=4).contains(&n) {
            break;
        }
        let after = rest[word.len()..].chars().next();
        let ends_ok =
            stopped_at_role || matches!(after, None | Some(' ' | '\u{3000}' | ')' | '）' | '、'));
        if !ends_ok {
            break;
        }
        names.push(at..at + word.len());
        at += word.len();
        if stopped_at_role {
            break;
        }
        let rest = &t[at..];
        let sep = rest.len() - rest.trim_start_matches([' ', '\u{3000}', '、']).len();
        if sep == 0 {
            break;
        }
        at += sep;
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bylines() {
        let t = "(记者 戈驰川 尹雪):产业";
        let names: Vec<&str> = byline_names(t, t.find("记者").unwrap() + 6)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(names, ["戈驰川", "尹雪"]);
        let t = "(记者吴志润通讯员穆伦刚)";
        let names: Vec<&str> = byline_names(t, t.find("记者").unwrap() + 6)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(names, ["吴志润"]);
        let t = "告诉记者:“今年大棚";
        assert!(byline_names(t, t.find("记者").unwrap() + 6).is_empty());
        let t = "记者了解到,今年";
        assert!(byline_names(t, t.find("记者").unwrap() + 6).is_empty());
    }

    #[test]
    fn plain_text_is_all_body() {
        let s = Structure::detect("今年全村发展产业,户均增收3000元。\n");
        assert_eq!(s.body, 0..19);
        assert!(s.boilerplate.is_empty());
        assert_eq!(s.title, Some(0..19));
    }

    #[test]
    fn finds_header_meta_and_trailer() {
        let text = "首页 > 新闻 > 正文\n\n某县扶贫工作纪实\n\n2016年12月07日 11:04   来源:陕西日报\n\n  正文第一段,投入100万元。\n  第二段。\n\n相关阅读:\n新闻 娱乐 福建\n";
        let s = Structure::detect(text);
        let sl = |r: &Range<usize>| crate::text::char_slice(text, r.clone()).to_string();
        assert_eq!(sl(s.title.as_ref().unwrap()), "某县扶贫工作纪实");
        assert_eq!(s.date_iso.as_deref(), Some("2016-12-07"));
        assert_eq!(sl(s.source.as_ref().unwrap()), "陕西日报");
        assert_eq!(sl(&s.body), "正文第一段,投入100万元。\n  第二段。");
        assert_eq!(s.boilerplate.len(), 2);
        assert_eq!(sl(&s.boilerplate[0]), "首页 > 新闻 > 正文");
        assert_eq!(sl(&s.boilerplate[1]), "相关阅读:\n新闻 娱乐 福建");
        assert!(s.in_boilerplate(0));
        assert!(!s.in_boilerplate(s.body.start));
    }
}
