//! Unit tests of the structure detector on short texts written for them.

use super::*;

#[test]
fn plain_text_is_all_body() {
    let s = Structure::detect("今年全村发展产业,户均增收3000元。\n");
    assert_eq!(s.body, 0..19);
    assert!(s.boilerplate.is_empty());
    // A sentence is not a headline.
    assert_eq!(s.title, None);
    assert_eq!(s.notes, [Note::NoTitle]);
}

mod properties {
    use super::super::Structure;
    use proptest::prelude::*;

    fn pages() -> impl Strategy<Value = String> {
        let line = prop::sample::select(vec![
            "",
            "　　今年全村发展产业，户均增收3000元。",
            "首页 > 新闻 > 正文",
            "第03版:要 闻",
            "责任编辑:某某",
            "相关阅读:",
            "某县扶贫工作纪实",
            "本报记者 某某",
            "2016年12月07日 来源:某报",
            "——副标题",
            "巍山县——",
            "农业机械化",
            "顶部",
            "  • 链接",
            "版权所有",
            "“豫”奋斗",
            "之 一",
            "编者按",
            "a@b.cn",
            "Close",
        ]);
        prop::collection::vec(line, 0..30).prop_map(|v| v.join("\n"))
    }

    proptest! {
        /// Ranges lie inside the text; boilerplate is sorted and disjoint; the title and
        /// the body are not boilerplate's start.
        #[test]
        fn ranges_are_inside_sorted_and_disjoint(text in pages()) {
            let n = text.chars().count();
            let s = Structure::detect(&text);
            prop_assert!(s.body.start <= s.body.end && s.body.end <= n);
            let mut last = 0;
            for b in &s.boilerplate {
                prop_assert!(b.start < b.end && b.end <= n && b.start >= last, "{s:?}");
                last = b.end;
            }
            if let Some(t) = &s.title {
                prop_assert!(t.end <= n && !s.in_boilerplate(t.start), "{s:?}");
            }
        }
    }
}

#[test]
fn short_titles() {
    let text = "第二篇\n\n新增投资200万元。\n";
    let s = Structure::detect(text);
    assert_eq!(s.title, Some(0..3));
    assert_eq!(
        crate::text::char_slice(text, s.body.clone()),
        "新增投资200万元。"
    );
    // Two characters are a place or a label, not a headline.
    assert_eq!(Structure::detect("河南\n\n新增投资200万元。\n").title, None);
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
