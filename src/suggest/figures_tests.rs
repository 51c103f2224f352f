//! Every construction and trap named in the annotation guide and the figure issue.

use super::*;

/// (text, label, value, unit, approx) of each figure in `text`.
pub(super) fn figs(text: &str) -> Vec<(String, &'static str, String, String, bool)> {
    find(text, &|_| false)
        .into_iter()
        .map(|f| {
            let t = crate::text::char_slice(text, f.start..f.end).to_string();
            // A decade (七八十年代) is a DATE without a value: "-".
            let Some(value) = &f.value else {
                return (t, f.label, "-".into(), String::new(), false);
            };
            let mut v = value.value.to_string();
            if let Some(m) = &value.value_max {
                v = format!("{v}..{m}");
            }
            (
                t,
                f.label,
                v,
                value.unit.clone().unwrap_or_default(),
                value.approx,
            )
        })
        .collect()
}

/// The single figure in `text`: (span text, label, value, unit, approx).
pub(super) fn one(text: &str) -> (String, &'static str, String, String, bool) {
    let f = figs(text);
    assert_eq!(f.len(), 1, "{text}: {f:?}");
    f.into_iter().next().unwrap()
}

pub(super) fn none(text: &str) {
    let f = figs(text);
    assert!(f.is_empty(), "{text}: {f:?}");
}

pub(super) fn check(text: &str, span: &str, label: &str, value: &str, unit: &str, approx: bool) {
    let got = one(text);
    assert_eq!(
        got,
        (
            span.to_string(),
            leak(label),
            value.to_string(),
            unit.to_string(),
            approx
        ),
        "{text}"
    );
}

fn leak(s: &str) -> &'static str {
    match s {
        "MONEY" => MONEY,
        "PERCENT" => PERCENT,
        "COUNT" => COUNT,
        "MEASURE" => MEASURE,
        "DATE" => DATE,
        _ => DURATION,
    }
}

#[test]
fn money() {
    check(
        "完成投资5.3亿元,",
        "5.3亿元",
        "MONEY",
        "530000000",
        "元",
        false,
    );
    check(
        "募集爱心款物2900余万元。",
        "2900余万元",
        "MONEY",
        "29000000",
        "元",
        true,
    );
    check(
        "共发放资助资金1042.2万元,",
        "1042.2万元",
        "MONEY",
        "10422000",
        "元",
        false,
    );
    check(
        "户均纯收益6000元以上。",
        "6000元",
        "MONEY",
        "6000",
        "元",
        true,
    );
    check("年收入近3万元", "3万元", "MONEY", "30000", "元", true);
    check(
        "可实现超过30亿元的交易收入",
        "30亿元",
        "MONEY",
        "3000000000",
        "元",
        true,
    );
    check(
        "每户补助3-5万元",
        "3-5万元",
        "MONEY",
        "30000..50000",
        "元",
        false,
    );
    check(
        "人均增收1000元左右。",
        "1000元",
        "MONEY",
        "1000",
        "元",
        true,
    );
    check("每斤平均价18元", "18元", "MONEY", "18", "元", false);
    check(
        "帮扶资金51635万元",
        "51635万元",
        "MONEY",
        "516350000",
        "元",
        false,
    );
    check(
        "每年３００多元的低保",
        "３００多元",
        "MONEY",
        "300",
        "元",
        true,
    );
    check(
        "每户补助3万至5万元。",
        "3万至5万元",
        "MONEY",
        "30000..50000",
        "元",
        false,
    );
    check("投入两千万元", "两千万元", "MONEY", "20000000", "元", false);
}

#[test]
fn percent() {
    check("贫困发生率从4.9%下降", "4.9%", "PERCENT", "4.9", "%", false);
    check("优秀率52%;", "52%", "PERCENT", "52", "%", false);
    check("减少了近90%。", "90%", "PERCENT", "90", "%", true);
    check(
        "同比增加5个百分点,",
        "5个百分点",
        "PERCENT",
        "5",
        "个百分点",
        false,
    );
    check("增长百分之十。", "百分之十", "PERCENT", "10", "%", false);
    check("约为2.3%,", "2.3%", "PERCENT", "2.3", "%", true);
    check("占10.29%", "10.29%", "PERCENT", "10.29", "%", false);
}

#[test]
fn counts() {
    check(
        "带动贫困人口21万人(次)",
        "21万人",
        "COUNT",
        "210000",
        "人",
        false,
    );
    check("带动贫困户874户,", "874户", "COUNT", "874", "户", false);
    check("带动60个村", "60个", "COUNT", "60", "个", false);
    check(
        "3000余户发展辣椒种植",
        "3000余户",
        "COUNT",
        "3000",
        "户",
        true,
    );
    check(
        "建设了150万只奶山羊养殖",
        "150万只",
        "COUNT",
        "1500000",
        "只",
        false,
    );
    check("共开展22次全市性大督查", "22次", "COUNT", "22", "次", false);
    check("全省1489名第一书记", "1489名", "COUNT", "1489", "名", false);
    check("抽调两名干部", "两名", "COUNT", "2", "名", false);
    check("合作社带户三项制度", "三项", "COUNT", "3", "项", false);
    check(
        "吉林省农村贫困人口减少到78,000人",
        "78,000人",
        "COUNT",
        "78000",
        "人",
        false,
    );
    check("11.3万农村贫困人口", "11.3万", "COUNT", "113000", "", false);
    check(
        "全省超过2700万人口中",
        "2700万",
        "COUNT",
        "27000000",
        "",
        true,
    );
    check(
        "有70多万农村贫困人口",
        "70多万",
        "COUNT",
        "700000",
        "",
        true,
    );
    check(
        "组织市县乡三级干部1万多人",
        "1万多人",
        "COUNT",
        "10000",
        "人",
        true,
    );
    check(
        "累计评选500余人次",
        "500余人次",
        "COUNT",
        "500",
        "人次",
        true,
    );
    check(
        "发展两三千户",
        "两三千户",
        "COUNT",
        "2000..3000",
        "户",
        false,
    );
    check("来了四五个人", "四五个", "COUNT", "4..5", "个", false);
    check("来了十几个人", "十几个", "COUNT", "10", "个", true);
    check("分三批完成", "三批", "COUNT", "3", "批", false);
    check(
        "激发了32,397名穷人",
        "32,397名",
        "COUNT",
        "32397",
        "名",
        false,
    );
}

#[test]
fn back_to_back_figures_are_two_spans() {
    let f = figs("2.8万户11.3万农村贫困人口住房困难");
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!((f[0].0.as_str(), f[0].2.as_str()), ("2.8万户", "28000"));
    assert_eq!(
        (f[1].0.as_str(), f[1].2.as_str(), f[1].3.as_str()),
        ("11.3万", "113000", "")
    );
    let f = figs("全市共发展庭院经济12.7万户、12万亩。");
    assert_eq!(
        f.iter().map(|x| (x.0.as_str(), x.1)).collect::<Vec<_>>(),
        [("12.7万户", COUNT), ("12万亩", MEASURE)]
    );
    let f = figs("帮扶带动贫困户1045户3108人。");
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["1045户", "3108人"]
    );
}

#[test]
fn measures() {
    check(
        "总规模18.5万千瓦,",
        "18.5万千瓦",
        "MEASURE",
        "185000",
        "千瓦",
        false,
    );
    check(
        "平均500千瓦的村级光伏电站",
        "500千瓦",
        "MEASURE",
        "500",
        "千瓦",
        false,
    );
    check(
        "单棚面积400平方米。",
        "400平方米",
        "MEASURE",
        "400",
        "平方米",
        false,
    );
    check(
        "耕地面积1147公顷。",
        "1147公顷",
        "MEASURE",
        "1147",
        "公顷",
        false,
    );
    check(
        "铺设水泥路6.5公里,",
        "6.5公里",
        "MEASURE",
        "6.5",
        "公里",
        false,
    );
    check("产茧10万斤,", "10万斤", "MEASURE", "100000", "斤", false);
    check("12万亩。", "12万亩", "MEASURE", "120000", "亩", false);
    check(
        "平均每户耕地近3公顷。",
        "3公顷",
        "MEASURE",
        "3",
        "公顷",
        true,
    );
    check(
        "2,100公顷的交易指数",
        "2,100公顷",
        "MEASURE",
        "2100",
        "公顷",
        false,
    );
}

#[test]
fn dates() {
    check(
        "2016年12月07日 讯",
        "2016年12月07日",
        "DATE",
        "2016-12-07",
        "",
        false,
    );
    check("截至2017年年底,", "2017年", "DATE", "2017", "", false);
    check("吉林日报4月9日讯", "4月9日", "DATE", "--04-09", "", false);
    check("从今年9月份开工", "9月份", "DATE", "--09", "", false);
    check("今年1—6月,", "1—6月", "DATE", "--01..--06", "", false);
    check("截至10月底", "10月", "DATE", "--10", "", false);
    check("二〇一六年", "二〇一六年", "DATE", "2016", "", false);
    check("2017年8月国土部", "2017年8月", "DATE", "2017-08", "", false);
    check("截至9月23日,", "9月23日", "DATE", "--09-23", "", false);
    check("十月份竣工", "十月份", "DATE", "--10", "", false);
    let f = figs("2018-04-09 09:12:25  |  来源");
    assert_eq!(
        f.iter()
            .map(|x| (x.0.as_str(), x.2.as_str()))
            .collect::<Vec<_>>(),
        [("2018-04-09", "2018-04-09"), ("09:12:25", "09:12:25")]
    );
    let f = figs("2016年12月07日 11:04   来源");
    assert_eq!(
        f.iter().map(|x| x.2.as_str()).collect::<Vec<_>>(),
        ["2016-12-07", "11:04"]
    );
}

#[test]
fn durations() {
    check("持续20年的分红", "20年", "DURATION", "20", "年", false);
    check(
        "经过1个多月的紧张建设",
        "1个多月",
        "DURATION",
        "1",
        "月",
        true,
    );
    check(
        "每天浇水20至40分钟,",
        "20至40分钟",
        "DURATION",
        "20..40",
        "分钟",
        false,
    );
    check("三年内减少了", "三年", "DURATION", "3", "年", false);
    check("五年前", "五年", "DURATION", "5", "年", false);
    check("玩了两天半", "两天半", "DURATION", "2.5", "天", false);
    check("近两年,辽源市", "两年", "DURATION", "2", "年", true);
    check(
        "在该事由发生之日起30日内进行",
        "30日",
        "DURATION",
        "30",
        "天",
        false,
    );
    check("同吃同住一周", "一周", "DURATION", "1", "周", false);
}

#[test]
fn traps_are_not_figures() {
    none("推行1+N脱贫考核模式");
    none("平利县实施“11236”合力推进");
    none("学习十九大精神");
    none("“十二五”期间");
    none("十二五期间");
    none("担任第一书记的魏欣");
    none("落实“五级书记抓扶贫责任制”");
    none("五级书记");
    none("热线:0431-81126178");
    none("电话 13812345678");
    none("见http://www.mnw.cn/2016/09/26/123.html");
    none("邮箱:jilin2018@cri.cn");
    none("见第3版");
    none("邀请东北师大开展第三方评估");
    none("第十一");
    none("80后返乡青年");
    none("服务三农");
    none("一位老人");
    none("一次走访");
    none("一个个");
    none("一起纠纷");
    none("一目了然");
    none("零距离");
    none("做到了一月一督查");
    // 十个一批 is a programme's name; 两大目标 counts (the seeds' gold: [两大], COUNT 2).
    none("十个一批");
    none("“1 + 9 + 36”扶贫政策支持体系");
    none("“4321”工作法");
    none("荣耀x50gt和华为nova12");
    none("35.1K");
    none("百企助百村");
    none("九里村七里沟村三里垭村");
    none("收入为.91元");
    none("洮北区洮河镇大六家子水稻合作社");
    none("实现了三方共赢");
    none("省委九届、市委十届全会精神");
    none("经营性利润二次分红");
}

#[test]
fn figures_inside_document_titles_belong_to_the_title() {
    none("制定了《平利县2016年脱贫村村容村貌集中整治工作方案》");
    check(
        "《方案》投入200万元",
        "200万元",
        "MONEY",
        "2000000",
        "元",
        false,
    );
}

#[test]
fn long_quotes_keep_their_figures() {
    let f = figs("“今年9月,我们住进了40平方米的砖瓦房,现在每个月有300多元的低保。”");
    assert_eq!(
        f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["9月", "40平方米", "300多元"]
    );
}

#[test]
fn full_width_digits() {
    check(
        "投资５．３亿元",
        "５．３亿元",
        "MONEY",
        "530000000",
        "元",
        false,
    );
    check("增长４．９％", "４．９％", "PERCENT", "4.9", "%", false);
}

#[test]
fn skip_callback_drops_ranges() {
    let text = "投资5.3亿元,带动21万人";
    let f = find(text, &|r: &Range<usize>| r.start < 8);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].label, COUNT);
}
