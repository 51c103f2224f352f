//! The lines of an article and what each looks like on its own — length, sentence
//! punctuation, function words, site vocabulary — then, as jusText does, the short lines
//! classified by their neighbours. Evidence that holds across sites; no site's strings.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

/// What a line is, before the title and the trailer are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Nothing but whitespace.
    Blank,
    /// Site chrome; `strong` when it frames a page (navigation, page lists, trailers, editor
    /// lines), weak when a single short word or a caption could also be the article's.
    Chrome { strong: bool },
    /// A publication line: date and/or source.
    Meta,
    /// A paragraph: punctuated like prose.
    Prose,
    /// A short line (heading, title, byline, list item, a line of verse): its neighbours decide.
    Short,
}

/// Sentence punctuation (inside or at the end of a sentence), full- and half-width.
pub(super) fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '。' | '，' | '；' | '！' | '？' | '、' | ',' | ';' | '!' | '?'
    )
}

/// Does the line end a sentence (。！？… before any closing quotes or brackets)?
pub(super) fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['”', '’', '」', '』', '）', ')', '】', '"', '\'']);
    t.ends_with(['。', '！', '？', '!', '?', '…', '；', ';'])
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Function characters: frequent in running prose, rare in navigation and headlines
/// (the stop-word evidence of jusText, by character since Chinese has no spaces).
fn is_function_char(c: char) -> bool {
    matches!(
        c,
        '的' | '了'
            | '是'
            | '在'
            | '和'
            | '与'
            | '也'
            | '都'
            | '就'
            | '而'
            | '及'
            | '等'
            | '把'
            | '被'
            | '从'
            | '对'
            | '向'
            | '让'
            | '为'
            | '以'
            | '于'
            | '这'
            | '我'
            | '他'
            | '她'
            | '们'
            | '着'
            | '过'
            | '将'
            | '要'
            | '能'
            | '会'
            | '有'
            | '不'
            | '还'
            | '又'
            | '所'
            | '其'
            | '之'
            | '并'
            | '但'
            | '或'
            | '因'
            | '此'
            | '说'
    )
}

/// Measures of one trimmed line.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Shape {
    /// Chars.
    pub chars: usize,
    /// Han characters.
    pub han: usize,
    /// Sentence punctuation marks.
    pub punct: usize,
    /// Function characters.
    pub function: usize,
    /// Ends a sentence.
    pub ends_sentence: bool,
}

impl Shape {
    pub(super) fn of(t: &str) -> Self {
        let mut s = Self::default();
        for c in t.chars() {
            s.chars += 1;
            if is_han(c) {
                s.han += 1;
                s.function += usize::from(is_function_char(c));
            }
            s.punct += usize::from(is_sentence_punct(c));
        }
        s.ends_sentence = ends_sentence(t);
        s
    }

    /// Running prose: a sentence that ends, or a long punctuated line with function words.
    pub(super) fn is_prose(&self) -> bool {
        (self.ends_sentence && self.chars >= 10 && self.han >= 6)
            || (self.punct >= 1 && self.chars >= 25 && self.function * 25 >= self.han)
    }
}

/// Vocabulary of site and e-paper chrome: navigation, page controls, sharing, accounts.
const NAV_WORDS: &[&str] = &[
    "首页",
    "返回",
    "上一篇",
    "下一篇",
    "上一版",
    "下一版",
    "上一期",
    "下一期",
    "版面导航",
    "本版",
    "列表",
    "目录",
    "往期",
    "放大",
    "缩小",
    "默认",
    "字号",
    "打印",
    "关闭",
    "收藏",
    "分享",
    "转发",
    "登录",
    "注册",
    "退出",
    "网站地图",
    "联系我们",
    "关于我们",
    "客服",
    "更多",
    "点击",
    "扫一扫",
    "扫码",
    "二维码",
    "客户端",
    "公众号",
    "顶部",
    "置顶",
    "搜索",
    "手机版",
    "电子版",
    "订阅",
    "投稿",
    "导航",
    "评论",
];

static NAV: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(NAV_WORDS)
        .expect("fixed word list")
});

/// Lines that end an article page: related links, comments, copyright, sharing.
pub(super) static TRAILER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:相关阅读|相关新闻|相关链接|相关报道|相关稿件|延伸阅读|猜你喜欢|热门评论|最新评论|网友评论|发表评论|我要评论|已有\d+条评论|频道推荐|新闻推荐|热点推荐|推荐阅读|分享到|打印本页|关闭窗口|返回顶部|版权所有|免责声明|\S*版权\S*声明|Copyright|copyright|COPYRIGHT|©)").unwrap()
});
/// Markers of related links: a trailer when links follow, a sidebar when prose does.
pub(super) static RELATED_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:相关|延伸阅读|推荐阅读|链接)").unwrap());
/// An editor's or reviewer's credit.
pub(super) static EDITOR_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[(（【\[]?\s*(?:责任编辑|责编|主编|编辑|审核|审校|校对|值班编辑|终审|初审|监制)\s*[:：]",
    )
    .unwrap()
});
static CONTACT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:热线|电话|邮箱|传真|地址|邮编|E-?mail|email|联系我们|客服)\s*[:：]|https?://|www\.|[\w.-]+@[\w-]+\.[\w.]+",
    )
    .unwrap()
});
/// An e-paper page marker: 第03版, 01:一版要闻, A4版.
static PAGE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第\s*[0-9０-９A-Z]{1,3}\s*版|[0-9０-９A-Z]{1,3}\s*[:：版]\S{0,8}版)").unwrap()
});

/// A line that marks the end of an article on a page (相关阅读, 责任编辑：…, a copyright
/// notice), not a sentence that happens to start with such words (网友评论说，……。).
pub(super) fn is_marker(t: &str, shape: &Shape) -> bool {
    !shape.ends_sentence && shape.punct <= 2 && (TRAILER_RE.is_match(t) || EDITOR_RE.is_match(t))
}

/// Is the line site chrome, and how strongly? `None` for anything that could be the article's.
pub(super) fn chrome(t: &str, shape: &Shape) -> Option<bool> {
    let n = shape.chars;
    if is_marker(t, shape) || PAGE_RE.is_match(t) {
        return Some(true);
    }
    if t.starts_with('【') && t.matches('【').count() >= 2 {
        return Some(true);
    }
    // The rest is about short lines that are no sentences (and cheap for paragraphs).
    if n > 80 || shape.ends_sentence {
        return None;
    }
    let contact_like = t.contains(['@', ':', '：']) || t.contains("www.");
    if contact_like && CONTACT_RE.is_match(t) {
        return Some(true);
    }
    // Breadcrumbs. (A bulleted line is not chrome by itself: articles have lists too; a link
    // list is known by its neighbours.)
    if t.contains(['>', '＞']) {
        let crumbs = t
            .split(['>', '＞'])
            .filter(|p| !p.trim().is_empty())
            .count();
        if crumbs >= 3 || t.contains(" > ") {
            return Some(true);
        }
    }
    // Short words side by side: a menu (four could also be a line of verse: weak).
    if shape.punct == 0 && t.contains([' ', '\u{3000}']) && !t.contains([':', '：', '“', '”'])
    {
        let byline = ["记者", "通讯员", "作者"].iter().any(|r| t.contains(r));
        let words = t.split_whitespace().count();
        if words >= 4 && !byline && t.split_whitespace().all(|w| w.chars().count() <= 8) {
            return Some(words >= 5);
        }
    }
    // Navigation words filling a short line.
    if n <= 30 && shape.punct <= 1 {
        let mut covered = 0;
        let mut distinct = 0;
        let mut last = usize::MAX;
        for m in NAV.find_iter(t) {
            covered += t[m.range()].chars().count();
            if m.pattern().as_usize() != last {
                distinct += 1;
                last = m.pattern().as_usize();
            }
        }
        if distinct >= 2 || (covered >= 4 && covered * 2 >= n) {
            return Some(true);
        }
        if covered > 0 && n <= 8 {
            return Some(false);
        }
    }
    // A counter or a button label: "35.1K", "Close".
    if n <= 8 && t.is_ascii() && !t.chars().any(|c| c.is_ascii_digit() && t.len() > 4) {
        return Some(false);
    }
    None
}

/// Classifies the short lines by their neighbours, as jusText does: a run of short lines
/// between chrome on both sides (the page's edge counting as chrome, strong chrome on at
/// least one side) is chrome; anything else stays the article's. Weak chrome inside the
/// article's text (prose on both sides) is the article's too. Returns, per line, whether it is
/// boilerplate.
pub(super) fn short_runs_in_chrome(kinds: &[Kind]) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum Side {
        Edge,
        Chrome,
        Text,
    }
    let side = |k: Kind| match k {
        Kind::Chrome { strong: true } => Some(Side::Chrome),
        Kind::Prose | Kind::Meta => Some(Side::Text),
        Kind::Blank | Kind::Short | Kind::Chrome { strong: false } => None,
    };
    let mut out: Vec<bool> = kinds
        .iter()
        .map(|k| *k == Kind::Chrome { strong: true })
        .collect();
    let mut i = 0;
    while i < kinds.len() {
        if side(kinds[i]).is_some() || kinds[i] == Kind::Blank {
            i += 1;
            continue;
        }
        let start = i;
        while i < kinds.len() && side(kinds[i]).is_none() {
            i += 1;
        }
        let before = kinds[..start]
            .iter()
            .rev()
            .find_map(|&k| side(k))
            .unwrap_or(Side::Edge);
        let after = kinds[i..]
            .iter()
            .find_map(|&k| side(k))
            .unwrap_or(Side::Edge);
        let short_is_chrome = before != Side::Text
            && after != Side::Text
            && (before == Side::Chrome || after == Side::Chrome);
        let weak_is_chrome = before != Side::Text || after != Side::Text;
        for (k, o) in kinds[start..i].iter().zip(&mut out[start..i]) {
            *o = match k {
                Kind::Short => short_is_chrome,
                Kind::Chrome { .. } => weak_is_chrome,
                _ => false,
            };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrome_of(t: &str) -> Option<bool> {
        chrome(t, &Shape::of(t))
    }

    #[test]
    fn prose_and_short_lines() {
        assert!(Shape::of("今年全村发展产业，户均增收3000元。").is_prose());
        assert!(
            Shape::of("“我们零工市场由区属公司管理运营，一年时间就吸纳零工3500多人").is_prose()
        );
        assert!(!Shape::of("生态扶贫打造美丽乡村").is_prose());
        assert!(!Shape::of("河南粮食播种面积达16108.19万亩").is_prose());
        assert!(!Shape::of("八年来,河南").is_prose());
        assert!(ends_sentence("他说：“很满意。”"));
    }

    #[test]
    fn chrome_by_vocabulary_and_form() {
        for t in [
            "首页 > 新闻 > 正文",
            "第03版:要 闻",
            "01:一版要闻",
            "本版列表新闻",
            "2022年03月21日 星期一 放大 缩小 默认",
            "版面导航",
            "责任编辑:李秀娟",
            "（编辑：王某 邮箱：wang@example.com）",
            "相关阅读:",
            "长春 江城 四平 辽源 通化",
        ] {
            assert_eq!(chrome_of(t), Some(true), "{t}");
        }
        for t in ["顶部", "Close"] {
            assert_eq!(chrome_of(t), Some(false), "{t}");
        }
        for t in [
            "本报记者 朱 华 史治国 许大桥",
            "生态扶贫打造美丽乡村",
            "“豫”奋斗 “豫”出彩",
            "网友评论说，今年的收成比去年好得多，大家都很满意。",
            "农村5G基站数量达5万个",
            // Credits name people the annotators label (张三 摄 gives 张三).
            "洪骏 方瑜 供稿图",
            "制图：张芳曼",
        ] {
            assert_eq!(chrome_of(t), None, "{t}");
        }
    }

    #[test]
    fn short_lines_take_their_neighbours_class() {
        use Kind::*;
        let strong = Chrome { strong: true };
        let weak = Chrome { strong: false };
        // Between strong chrome and the page's edge: chrome (an e-paper's list of headlines).
        assert_eq!(
            short_runs_in_chrome(&[Prose, strong, Short, Short]),
            [false, true, true, true]
        );
        // Between prose and chrome, or alone on the page: the article's (when in doubt, body).
        assert_eq!(
            short_runs_in_chrome(&[Short, Prose, Short, Blank, Short, strong]),
            [false, false, false, false, false, true]
        );
        assert_eq!(short_runs_in_chrome(&[Short, Short]), [false, false]);
        // Weak chrome and the edge are not enough.
        assert_eq!(
            short_runs_in_chrome(&[Prose, weak, Short]),
            [false, true, false]
        );
        assert_eq!(
            short_runs_in_chrome(&[weak, Short, strong, Short, weak, Prose]),
            [true, true, true, false, true, false]
        );
        // Weak chrome inside the article's text is the article's.
        assert_eq!(
            short_runs_in_chrome(&[Prose, Short, weak, Blank, Prose]),
            [false, false, false, false, false]
        );
    }
}
