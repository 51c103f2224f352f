//! The library on the sample corpus: structure detection and figure fixtures.

use std::path::Path;

use biaozhu::corpus::{Corpus, Document};
use biaozhu::suggest::{Options, suggest};

fn seed(id: &str) -> Document {
    Document::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("seeds")
            .join(format!("{id}.txt")),
    )
    .unwrap()
}

fn check_fixture(id: &str, fixture: &str, ranges: &[(usize, usize)]) {
    let doc = seed(id);
    let expected: Vec<String> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture),
    )
    .unwrap()
    .lines()
    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    .map(str::to_owned)
    .collect();
    // Figures only: the fixtures list figures.
    let opts = Options {
        no_entities: true,
        ..Options::default()
    };
    let got: Vec<String> = suggest(&doc, &opts)
        .into_iter()
        .filter(|s| ranges.iter().any(|&(a, b)| s.start >= a && s.end <= b))
        .map(|s| {
            let v = s.value.unwrap();
            let mut value = v.value.to_string();
            if let Some(m) = v.value_max {
                value = format!("{value}..{m}");
            }
            format!(
                "{}\t{}\t{}\t{}\t{}",
                doc.slice(s.start..s.end),
                s.label,
                value,
                v.unit.unwrap_or_default(),
                v.approx
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn figures_of_seed_001_match_the_fixture() {
    check_fixture(
        "001_90b8c66fbb8c3966",
        "figures_001_part.tsv",
        &[(880, 1000), (1200, 1800)],
    );
}

#[test]
fn figures_of_seed_004_match_the_fixture() {
    check_fixture("004_bf8f8bf75c4b0a16", "figures_004_part.tsv", &[(0, 1100)]);
}

#[test]
fn structure_of_the_seeds() {
    let corpus = Corpus::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap();
    assert!(corpus.errors.is_empty());
    assert_eq!(corpus.len(), 5);
    let bp = |d: &Document| -> Vec<String> {
        d.structure
            .boilerplate
            .iter()
            .map(|r| d.slice(r.clone()).to_owned())
            .collect()
    };
    let body = |d: &Document| d.slice(d.structure.body.clone()).to_owned();
    let authors = |d: &Document| -> Vec<String> {
        d.structure
            .authors
            .iter()
            .map(|r| d.slice(r.clone()).to_owned())
            .collect()
    };

    // 000: navigation, hotline and e-mail above the title; image-link lines inside; copyright notice below.
    let d = corpus.doc(0).unwrap();
    let d = &*d;
    let b = bp(d);
    assert!(
        b[0].starts_with("关东黑土")
            && b[0].contains("热线:0431-81126178")
            && b[0].ends_with("jilin@cri.cn")
    );
    assert_eq!(b.iter().filter(|x| x.starts_with("【天下粮仓")).count(), 4);
    assert!(
        b.last()
            .unwrap()
            .starts_with("国际在线版权与信息产品内容销售的声明")
    );
    assert!(body(d).starts_with("志智双扶转变了贫困群众的思想意识。"));
    assert!(body(d).ends_with("保证了资金高效、安全使用。"));
    assert_eq!(authors(d), ["戈驰川", "尹雪"]);

    // 001: byline in the header, source at the end.
    let d = corpus.doc(1).unwrap();
    let d = &*d;
    assert_eq!(authors(d), ["隋二龙", "赵蓓蓓", "庞智源"]);
    assert!(body(d).starts_with("寒冬时节"));
    assert!(body(d).ends_with("累计发放小额贷款396.74万元。"));

    // 002: editor's credit is boilerplate; a heading with quotes is not.
    let d = corpus.doc(2).unwrap();
    let d = &*d;
    assert_eq!(bp(d), ["主编:李思阳"]);
    assert_eq!(d.title(), "吉林:发力脱贫攻坚 推动全面振兴");

    // 003: breadcrumbs and the whole "相关阅读 / 猜你喜欢 / 评论" trailer; the photo credits
    // inside the article are the article's (the guide labels the photographer: 张三摄 → 张三).
    let d = corpus.doc(3).unwrap();
    let d = &*d;
    let b = bp(d);
    assert_eq!(b[0], "注册\n闽南网 > 漳州 > 漳州新闻 > 正文");
    assert_eq!(b.len(), 2, "{b:?}");
    assert!(body(d).contains("洪骏 方瑜 供稿图") && body(d).contains("解决劳力出路 范伟鸿 摄"));
    let trailer = b.last().unwrap();
    assert!(
        trailer.starts_with("相关阅读:")
            && trailer.contains("猜你喜欢")
            && trailer.contains("已有0条评论")
    );
    assert!(body(d).starts_with("“十二五”期间"));
    assert_eq!(authors(d), ["吴志润", "穆伦刚"]);

    // 004: site header above the title; editor, share widget and counters below.
    let d = corpus.doc(4).unwrap();
    let d = &*d;
    let b = bp(d);
    assert!(b[0].starts_with("聚焦中央乡村工作会议") && b[0].contains("滚动资讯"));
    assert!(b[1].starts_with("(责任编辑 :景远)") && b[1].ends_with("Close"));
    assert!(body(d).ends_with("村稳民安的美丽家园。"));
}
