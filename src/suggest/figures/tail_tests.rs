//! The long tail seen on unseen articles and the guide's "Settled conventions": colloquial
//! and Chinese-numeral forms, Latin units, shared units, ages, decades, vague amounts, rates.
//! Each form is a pattern; the sentences here are written for the test.

use super::tests::{check, figs, none};

/// (sentence, span, label, value, unit, approx) for sentences with exactly one figure.
fn table(rows: &[(&str, &str, &str, &str, &str, bool)]) {
    for &(text, span, label, value, unit, approx) in rows {
        check(text, span, label, value, unit, approx);
    }
}

#[test]
fn colloquial_counts() {
    table(&[
        ("俩孩子都上了大学。", "俩", "COUNT", "2", "", false),
        (
            "合作社已经办了两期培训班。",
            "两期",
            "COUNT",
            "2",
            "期",
            false,
        ),
        ("组织开展4期以上培训班。", "4期", "COUNT", "4", "期", true),
        ("每个小组三五个人。", "三五个", "COUNT", "3..5", "个", false),
        (
            "十几万干部下沉一线。",
            "十几万",
            "COUNT",
            "100000",
            "",
            true,
        ),
        (
            "订单班已累计培养学生上百人。",
            "百人",
            "COUNT",
            "100",
            "人",
            true,
        ),
        ("近千户农户受益。", "千户", "COUNT", "1000", "户", true),
        ("上百万群众受益。", "百万", "COUNT", "1000000", "", true),
        ("新建的3层新型农房。", "3层", "COUNT", "3", "层", false),
        (
            "这家合作社属于八大类富硒产品之一。",
            "八大类",
            "COUNT",
            "8",
            "类",
            false,
        ),
        ("实现两大目标。", "两大", "COUNT", "2", "", false),
    ]);
    // After a noun 俩 is part of it.
    none("他们俩都回村创业了。");
    none("赵家兄弟俩的家");
    none("母女俩相依为命");
    none("识破了他的伎俩");
    // After a demonstrative a lone 一 is an article, even after 仅.
    none("仅这一个项目");
    check("一家两口的年收入", "两口", "COUNT", "2", "口", false);
    // An address's number is not a count.
    none("大榆村1组贫困户");
    // Numbers in a slogan belong to it.
    none("围绕打造“万亩千亿产业平台”");
    // Back to back, the second in Chinese numerals.
    let f = figs("全村三百多户一千二百多人。");
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["三百多户", "一千二百多人"]
    );
    none("千家万户受益，百年大计。");
    // Administrative units counted directly, a parenthetical alternative included.
    let f = figs("携手3市及周边的5县（市）共同发展。");
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].2.as_str(), f[0].3.as_str()),
        ("3市", "3", "市")
    );
    assert_eq!((f[1].0.as_str(), f[1].3.as_str()), ("5县（市）", "县"));
    let f = figs("涉及全县5镇1乡1街道。");
    let spans: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(spans, ["5镇", "1乡", "1街道"]);
    check(
        "开行专车、专列、包机1.5万辆（列、架）次。",
        "1.5万辆（列、架）次",
        "COUNT",
        "15000",
        "辆次",
        false,
    );
}

#[test]
fn ages_are_counts_in_years_of_age() {
    table(&[
        ("35岁的詹某说", "35岁", "COUNT", "35", "岁", false),
        ("70岁以上的老人", "70岁", "COUNT", "70", "岁", true),
        ("年满六十周岁的村民", "六十周岁", "COUNT", "60", "岁", false),
    ]);
}

#[test]
fn colloquial_durations() {
    table(&[
        ("用了半年多时间。", "半年多", "DURATION", "0.5", "年", true),
        (
            "干了一年多，终于见效。",
            "一年多",
            "DURATION",
            "1",
            "年",
            true,
        ),
        ("一年时间就吸纳零工。", "一年", "DURATION", "1", "年", false),
        ("这是一年内第三次来。", "一年", "DURATION", "1", "年", false),
        (
            "已经坚守了十三个春秋。",
            "十三个春秋",
            "DURATION",
            "13",
            "年",
            false,
        ),
        ("工期一年半。", "一年半", "DURATION", "1.5", "年", false),
        ("忙了半个月。", "半个月", "DURATION", "0.5", "月", false),
    ]);
    // The halves of a year are periods, not lengths.
    none("上半年经济平稳。");
    // A rate: "a month" frames the amount and is not a figure (一个月能有六七千元: only 六七千元).
    let f = figs("一个月能有六七千元。");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "六七千元");
    let f = figs("现在一小时能做200个工件。");
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["200个"]
    );
    // Without an amount in the clause, a month is a month.
    check(
        "用了一个月，把路修通了。",
        "一个月",
        "DURATION",
        "1",
        "月",
        false,
    );
}

#[test]
fn money_without_a_written_currency() {
    table(&[
        (
            "他拿出四五十万的扶贫款。",
            "四五十万",
            "MONEY",
            "400000..500000",
            "元",
            false,
        ),
        (
            "开网店一年能挣四五十万。",
            "四五十万",
            "MONEY",
            "400000..500000",
            "元",
            false,
        ),
        ("一斤只卖两毛钱。", "两毛钱", "MONEY", "0.2", "元", false),
        (
            "月薪七八千元。",
            "七八千元",
            "MONEY",
            "7000..8000",
            "元",
            false,
        ),
    ]);
    // 二元 is "dual", not two yuan.
    none("破除城乡二元结构。");
}

#[test]
fn latin_units() {
    table(&[
        ("全长70Km的公路", "70Km", "MEASURE", "70", "公里", false),
        (
            "面积31.51km2。",
            "31.51km2",
            "MEASURE",
            "31.51",
            "平方公里",
            false,
        ),
        ("占地1200m²。", "1200m²", "MEASURE", "1200", "平方米", false),
        ("日供水500m³。", "500m³", "MEASURE", "500", "立方米", false),
        (
            "年发电120万kWh。",
            "120万kWh",
            "MEASURE",
            "1200000",
            "千瓦时",
            false,
        ),
        ("装机50KW。", "50KW", "MEASURE", "50", "千瓦", false),
    ]);
}

#[test]
fn measures_bare_and_approximate() {
    table(&[
        ("建成千亩产业基地。", "千亩", "MEASURE", "1000", "亩", false),
        ("去年收了8吨多，", "8吨多", "MEASURE", "8", "吨", true),
        ("走了十几里山路。", "十几里", "MEASURE", "10", "里", true),
    ]);
    // A magnitude inside a name (鳌头镇万亩良田示范项目) is part of the name.
    none("鳌头镇万亩良田示范项目");
}

#[test]
fn shared_units_in_pairs() {
    let f = figs("分别提高5.4个和7.5个百分点。");
    let got: Vec<(&str, &str, &str)> = f
        .iter()
        .map(|x| (x.0.as_str(), x.1, x.3.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("5.4个", "PERCENT", "个百分点"),
            ("7.5个百分点", "PERCENT", "个百分点")
        ]
    );
}

#[test]
fn decades_are_dates_without_a_value() {
    table(&[
        ("七八十年代的老房子", "七八十年代", "DATE", "-", "", false),
        ("上世纪80年代", "80年代", "DATE", "-", "", false),
        ("1990年代以来", "1990年代", "DATE", "-", "", false),
    ]);
}

#[test]
fn bare_years_at_the_start_of_a_phrase() {
    table(&[
        ("2023稳秋粮 夺丰收", "2023", "DATE", "2023", "", false),
        ("    2020福建高考招录", "2020", "DATE", "2020", "", false),
    ]);
    // After a word it is a count of something unnamed, not a year.
    none("全乡2000农户");
}

#[test]
fn bound_words_mark_approximations() {
    for (text, span) in [
        ("不足3000元", "3000元"),
        ("不到3000元", "3000元"),
        ("至少5个", "5个"),
        ("突破1亿元", "1亿元"),
        ("超10万人", "10万人"),
        ("3000元左右", "3000元"),
        ("不少于20天", "20天"),
    ] {
        let f = figs(text);
        assert_eq!(f.len(), 1, "{text}: {f:?}");
        assert_eq!((f[0].0.as_str(), f[0].4), (span, true), "{text}");
    }
    // A lone 一 after a bound word quantifies: 至少建设一个.
    check(
        "每个村至少建设一个服务站。",
        "一个",
        "COUNT",
        "1",
        "个",
        true,
    );
    check("至少落实一种带动方式", "一种", "COUNT", "1", "种", true);
}

#[test]
fn vague_amounts_are_not_figures() {
    for text in [
        "几十个村",
        "数十名学员正在训练。",
        "散居于方圆数十公里的大山深处",
        "几十天如一日地驻村",
        "这几年变化大。",
        "一半的收入",
        "六分之一的土地",
        "2/3以上",
        "好几轮",
        "保持两位数增长。",
        "十里八乡的人都知道。",
    ] {
        none(text);
    }
}

#[test]
fn a_colon_before_a_number_is_not_a_code() {
    table(&[
        ("长寨：596套", "596套", "COUNT", "596", "套", false),
        ("（一）极贫乡镇：1个", "1个", "COUNT", "1", "个", false),
        ("要求：30户以上", "30户", "COUNT", "30", "户", true),
    ]);
    // A clock time still is one.
    check("发布于 09:12:25", "09:12:25", "DATE", "09:12:25", "", false);
    // Back to back after a colon: 1382套4620人.
    let f = figs("广顺：1382套4620人，");
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["1382套", "4620人"]
    );
}

mod properties {
    use proptest::prelude::*;

    /// Text made of numerals, units, bound words, brackets and punctuation: where the rules
    /// look around and index.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "一",
            "两",
            "俩",
            "半",
            "十",
            "百",
            "千",
            "万",
            "亿",
            "几",
            "数",
            "3",
            "5.4",
            "2023",
            "个",
            "年",
            "月",
            "日",
            "岁",
            "市",
            "县",
            "（",
            "）",
            "、",
            "和",
            "大",
            "类",
            "元",
            "毛钱",
            "km2",
            "m³",
            "多",
            "余",
            "上",
            "近",
            "至少",
            "的",
            "款",
            "，",
            "。",
            "年代",
            "百分点",
            "时间",
            "能",
            "：",
            "“",
            "”",
            "《",
            "》",
            "里",
            "路",
            "\n",
            " ",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        /// Every figure lies inside the text, figures do not overlap, and come in order.
        #[test]
        fn figures_are_ordered_disjoint_spans(text in pieces()) {
            let n = text.chars().count();
            let found = super::super::find(&text, &|_| false);
            let mut last = 0;
            for f in &found {
                prop_assert!(f.start < f.end && f.end <= n, "{f:?} in {text:?}");
                prop_assert!(f.start >= last, "{f:?} overlaps in {text:?}");
                last = f.end;
            }
        }
    }
}
