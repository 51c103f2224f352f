//! Structure detection on layouts written for the test (`tests/fixtures/structure/*.txt`, each
//! with a `.expect` file of what a reader sees in it) and, where `../shared/dev/articles` exists,
//! on the development set's unseen articles.

use std::path::{Path, PathBuf};

use biaozhu::corpus::Document;
use biaozhu::structure::Note;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/structure")
}

/// What a reader sees in an article.
#[derive(Debug, Default)]
struct Expect {
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
    authors: Vec<String>,
    body_starts: String,
    body_ends: String,
    /// Every non-blank line in boilerplate, trimmed, in document order.
    boilerplate: Vec<String>,
    notes: Vec<String>,
}

fn parse_expect(text: &str) -> Expect {
    let mut e = Expect::default();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (key, value) = line
            .split_once(": ")
            .unwrap_or((line.trim_end_matches(':'), ""));
        let value = value.to_owned();
        match key {
            "title" => e.title = (value != "—").then_some(value),
            "date" => e.date = Some(value),
            "source" => e.source = Some(value),
            "authors" => e.authors = value.split('、').map(str::to_owned).collect(),
            "body starts" => e.body_starts = value,
            "body ends" => e.body_ends = value,
            "boilerplate" => e.boilerplate.push(value),
            "note" => e.notes.push(value),
            other => panic!("unknown key {other:?}"),
        }
    }
    e
}

fn note_name(n: Note) -> String {
    serde_json::to_value(n)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// Checks a document against what a reader sees; returns the differences.
fn differences(doc: &Document, e: &Expect) -> Vec<String> {
    let s = &doc.structure;
    let mut out = Vec::new();
    let slice = |r: &Option<std::ops::Range<usize>>| r.clone().map(|r| doc.slice(r).to_owned());
    let same = |out: &mut Vec<String>, what: &str, got: String, want: String| {
        if got != want {
            out.push(format!("{what}: got {got}, want {want}"));
        }
    };
    same(
        &mut out,
        "title",
        format!("{:?}", slice(&s.title)),
        format!("{:?}", e.title),
    );
    if let Some(d) = &e.date {
        same(
            &mut out,
            "date",
            format!("{:?}", s.date_iso),
            format!("{:?}", Some(d)),
        );
    }
    if let Some(src) = &e.source {
        same(
            &mut out,
            "source",
            format!("{:?}", slice(&s.source)),
            format!("{:?}", Some(src)),
        );
    }
    let authors: Vec<&str> = s.authors.iter().map(|r| doc.slice(r.clone())).collect();
    same(
        &mut out,
        "authors",
        format!("{authors:?}"),
        format!("{:?}", e.authors),
    );
    let body = doc.slice(s.body.clone());
    if !body.starts_with(&e.body_starts) || !body.ends_with(&e.body_ends) {
        let head: String = body.chars().take(30).collect();
        let tail: String = body
            .chars()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        out.push(format!(
            "body: got {head:?} … {tail:?}, want {:?} … {:?}",
            e.body_starts, e.body_ends
        ));
    }
    let mut boiler = Vec::new();
    let mut at = 0;
    for line in doc.text.split('\n') {
        let n = line.chars().count();
        let t = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}');
        if !t.is_empty() {
            let lead = line.find(t).map_or(0, |b| line[..b].chars().count());
            let r = at + lead..at + lead + t.chars().count();
            let inside = s
                .boilerplate
                .iter()
                .any(|b| b.start <= r.start && r.end <= b.end);
            let touches = s.overlaps_boilerplate(&r);
            assert_eq!(
                inside, touches,
                "{}: boilerplate splits the line {t:?}",
                doc.id
            );
            if inside {
                boiler.push(t.to_owned());
            }
        }
        at += n + 1;
    }
    same(
        &mut out,
        "boilerplate",
        format!("{boiler:#?}"),
        format!("{:#?}", e.boilerplate),
    );
    let notes: Vec<String> = s.notes.iter().map(|&n| note_name(n)).collect();
    same(
        &mut out,
        "notes",
        format!("{notes:?}"),
        format!("{:?}", e.notes),
    );
    out
}

#[test]
fn every_fixture_layout_reads_as_a_reader_sees_it() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    let mut failures = Vec::new();
    for f in &files {
        let doc = Document::load(f).unwrap();
        let expect = parse_expect(&std::fs::read_to_string(f.with_extension("expect")).unwrap());
        for d in differences(&doc, &expect) {
            failures.push(format!("{}: {d}", doc.id));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Line endings and legacy encodings do not change what is found.
#[test]
fn crlf_and_gb18030_read_the_same() {
    let path = fixtures().join("clean_indented.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let expect = parse_expect(&std::fs::read_to_string(path.with_extension("expect")).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let crlf = dir.path().join("crlf.txt");
    std::fs::write(&crlf, text.replace('\n', "\r\n")).unwrap();
    let gb = dir.path().join("gb.txt");
    std::fs::write(&gb, encoding_rs::GB18030.encode(&text).0).unwrap();
    for p in [crlf, gb] {
        let doc = Document::load(&p).unwrap();
        assert_eq!(
            differences(&doc, &expect),
            Vec::<String>::new(),
            "{}",
            p.display()
        );
    }
}

/// The development set: nine articles from outlets the detector was not written for (clean
/// texts with and without indentation, e-paper dumps, a government brief, a GB18030 and a CRLF
/// file). Runs only where `../shared/dev/articles` exists; the texts stay outside the repository.
#[test]
fn the_dev_articles_read_as_a_reader_sees_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev/articles");
    if !dir.exists() {
        eprintln!("skipped: no {}", dir.display());
        return;
    }
    let e =
        |title: Option<&str>, authors: &[&str], starts: &str, ends: &str, boiler: &[&str]| Expect {
            title: title.map(str::to_owned),
            authors: authors.iter().map(|s| s.to_string()).collect(),
            body_starts: starts.into(),
            body_ends: ends.into(),
            boilerplate: boiler.iter().map(|s| s.to_string()).collect(),
            ..Expect::default()
        };
    let cases = [
        (
            "da01_guangzhou",
            e(
                Some("广州绘就城乡区域协调发展“实景图”（经济聚焦）"),
                &["胡  健", "程远州"],
                "全面推动“强区促镇带村”",
                "广州正在蹚出一条区域共同富裕之路。",
                &[],
            ),
        ),
        (
            "da02_bijie",
            e(
                Some("在贵州毕节，看春风行动如何促就业（大数据观察·数据里的增收故事）"),
                &["邱超奕"],
                "又是一年“春风”起。",
                "共同做好外出务工人员公共就业服务。",
                &[],
            ),
        ),
        (
            "da03_jiankang",
            e(
                Some("补贫困地区医疗服务“短板” 健康扶贫“五措并举”"),
                &["胡浩"],
                "新华社北京６月８日电（记者 胡浩）",
                "降低大病患者实际自付费用。",
                &[],
            ),
        ),
        (
            "db01_changshun",
            e(
                Some("长顺县贫困（深度贫困）基本情况"),
                &[],
                "一、贫困情况",
                "25039人（其中代化1905户，7711人）",
                &[],
            ),
        ),
        (
            "db02_leshan",
            e(
                Some("探寻嘉州春天 共话乡村振兴"),
                &["赵径"],
                "本报讯 (记者 赵径)近日",
                "入选省级农村生产生活遗产名录3个。",
                &[
                    "01:一版要闻",
                    "本版列表新闻",
                    "第01版:一版要闻",
                    "第02版:综合新闻·广告",
                    "第03版:教育",
                    "第04版:时事·广告",
                    "我市与法国伊西莱莫利诺市升级为友好城市",
                    "黄润秋来乐调研生态环境分区管控工作",
                    "我市货车司机“暖心之家”预计5月底投用",
                    "探寻嘉州春天 共话乡村振兴",
                    "工程建设进入扫尾 计划今年10月完工",
                ],
            ),
        ),
        (
            "db03_weishan",
            e(
                Some("生态扶贫打造美丽乡村"),
                &[],
                "盛夏时节,地处黑惠江畔",
                "实现产业帮扶全覆盖。",
                &[
                    "顶部",
                    "第03版:要 闻",
                    "版面导航",
                    "第01版",
                    "第02版",
                    "第03版",
                    "第04版",
                    "第05版",
                    "第06版",
                    "第08版",
                ],
            ),
        ),
        (
            "db04_zhengzhou",
            Expect {
                notes: vec!["no_title".into()],
                ..e(
                    None,
                    &["朱 华", "史治国", "许大桥"],
                    "省会也有贫困人口?",
                    "发展果木种植业,(下转四版)",
                    &[],
                )
            },
        ),
        (
            "db05_yufendou",
            e(
                Some("“豫”奋斗 “豫”出彩——乡村振兴看河南"),
                &[],
                "河南\n一个拥有1亿人口",
                "正在铺展开来",
                &["责任编辑:李秀娟"],
            ),
        ),
        (
            "db06_minxian",
            e(
                Some("岷州大地启新程"),
                &["崔银辉"],
                "11月21日,省政府批准",
                "“中国黄芪蜂蜜之乡”等美誉。",
                &[],
            ),
        ),
    ];
    let mut failures = Vec::new();
    for (id, expect) in &cases {
        let doc = Document::load(&dir.join(format!("{id}.txt"))).unwrap();
        for d in differences(&doc, expect) {
            failures.push(format!("{id}: {d}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// `biaozhu check` shows each detected title and body, and says where it is unsure.
#[test]
fn check_shows_notes_where_detection_is_unsure() {
    let run = |json: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_biaozhu"));
        cmd.env(
            "BIAOZHU_PREFS",
            std::env::temp_dir().join("biaozhu-tests-no-prefs.ron"),
        );
        cmd.args(["check", "--corpus", fixtures().to_str().unwrap()]);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(false);
    let block = text
        .split("\nno_title  [")
        .nth(1)
        .and_then(|b| b.split("\nportal  [").next())
        .unwrap();
    assert!(block.contains("title:   —"), "{block}");
    assert!(
        block.contains("note:    no line looks like a headline"),
        "{block}"
    );
    let clean = text.split("clean_plain  [").nth(1).unwrap();
    let clean = clean.split("\ngovernment_brief").next().unwrap();
    assert!(!clean.contains("note:"), "{clean}");
    for line in run(true).lines() {
        let o: serde_json::Value = serde_json::from_str(line).unwrap();
        let notes = o["notes"].as_array().unwrap();
        assert_eq!(
            notes.is_empty(),
            o["doc"] != "no_title" && o["doc"] != "portal_trailer",
            "{o}"
        );
    }
}
