//! Entity pattern tests: each rule on a sentence of the genre (the rules alone, without the
//! model; the model's tests are in `ner`).

use super::*;

/// What the model stage proposes: `label` over the `nth` occurrence of `s` in `text`.
/// The string and label of one model span (the `nth` `s` of `text`, labelled `label`) after a
/// post-model pass over the text's tokens.
fn after_pass(
    text: &str,
    s: &str,
    label: &str,
    pass: impl Fn(&[Token], &mut Vec<Candidate>),
) -> (String, String) {
    let mut c = vec![model_span(text, s, 0, label)];
    pass(&recognizer().tokens(text), &mut c);
    (text[c[0].range.clone()].to_owned(), c[0].label.clone())
}

fn model_span(text: &str, s: &str, nth: usize, label: &str) -> Candidate {
    let start = text.match_indices(s).nth(nth).unwrap().0;
    Candidate {
        range: start..start + s.len(),
        label: label.into(),
        rule: "model".into(),
        priority: 3,
    }
}

fn found(text: &str) -> Vec<(String, &'static str)> {
    found_with(text, None)
}

fn found_with(text: &str, memory: Option<&Memory>) -> Vec<(String, &'static str)> {
    let map = CharMap::new(text);
    recognizer()
        .find_with(text, &map, &|_| false, &[], memory, None, None)
        .into_iter()
        .map(|e| {
            let label: &'static str = match e.label.as_str() {
                "PER" => "PER",
                "LOC" => "LOC",
                "ORG" => "ORG",
                "POLICY" => "POLICY",
                _ => "OTHER",
            };
            (
                crate::text::char_slice(text, e.start..e.end).to_owned(),
                label,
            )
        })
        .collect()
}

/// What the whole pipeline with the shipped model finds in `text`: (text, label).
fn found_by_model(text: &str, memory: Option<&Memory>) -> Vec<(String, String)> {
    let map = CharMap::new(text);
    recognizer()
        .find_with(
            text,
            &map,
            &|_| false,
            &[],
            memory,
            crate::suggest::ner::base(),
            None,
        )
        .into_iter()
        .map(|e| {
            (
                crate::text::char_slice(text, e.start..e.end).to_owned(),
                e.label,
            )
        })
        .collect()
}

fn has(text: &str, want: &str, label: &str) {
    let f = found(text);
    assert!(
        f.iter().any(|(t, l)| t == want && *l == label),
        "{want} as {label} in {text}: {f:?}"
    );
}

/// Asserts that the whole pipeline with the shipped model finds `want` as `label` in `text`.
fn has_by_model(text: &str, want: &str, label: &str) {
    let f = found_by_model(text, None);
    assert!(
        f.iter().any(|(t, l)| t == want && l == label),
        "{want} as {label} in {text}: {f:?}"
    );
}

fn lacks(text: &str, unwanted: &str) {
    let f = found(text);
    assert!(
        !f.iter().any(|(t, _)| t == unwanted),
        "{unwanted} in {text}: {f:?}"
    );
}

#[test]
fn autonomous_divisions_by_their_short_forms() {
    for (name, short, place) in [
        ("凉山彝族自治州", "凉山州", "凉山"),
        ("道真仡佬族苗族自治县", "道真县", "道真"),
        ("湘西土家族苗族自治州", "湘西州", "湘西"),
        ("积石山保安族东乡族撒拉族自治县", "积石山县", "积石山"),
        ("伊犁哈萨克自治州", "伊犁州", "伊犁"),
        ("东乡族自治县", "东乡县", "东乡"),
        ("鄂伦春自治旗", "鄂伦春旗", "鄂伦春"),
    ] {
        assert_eq!(
            lexicon::autonomous_short_form(name),
            Some((short.to_owned(), place)),
            "{name}"
        );
    }
    assert_eq!(lexicon::autonomous_short_form("通榆县"), None);
    assert_eq!(lexicon::autonomous_short_form("广西壮族自治区"), None);
    has("帮助道真县发展高粱种植", "道真县", "LOC");
    has("凉山州的干部说", "凉山州", "LOC");
}

#[test]
fn places() {
    has("寒冬时节，放眼辽源市及各县", "辽源市", "LOC");
    has(
        "走进东辽县渭津镇大榆村大球盖菇种植扶贫项目基地",
        "东辽县渭津镇大榆村",
        "LOC",
    );
    has("吉林省白城市通榆县", "吉林省白城市通榆县", "LOC");
    has("他来到陆家村", "陆家村", "LOC");
    lacks("实现了对全市未退出贫困村遍访", "全市");
    lacks("实现了对全市未退出贫困村遍访", "贫困村");
    lacks("该县今年", "该县");
    lacks("多角度加强队伍建设", "多角度");
}

#[test]
fn a_division_named_like_a_generic_place_needs_its_place_before_it() {
    // 城区, 郊区, 矿区 are districts of 长治, 铜陵, 阳泉 and generic words everywhere else.
    let text = "中心城区人口持续增长，郊区农民收入提高，矿区生态修复加快。";
    for word in ["城区", "郊区", "矿区"] {
        lacks(text, word);
    }
    has("山西省长治市城区新建两所学校", "山西省长治市城区", "LOC");
    has("阳泉市矿区的棚户区改造完成", "阳泉市矿区", "LOC");
    // A town whose stem is a generic word and a level (老 + 县 + 镇) is no generic division.
    has("他来到老县镇七里沟村", "老县镇七里沟村", "LOC");
    let f = found_by_model(text, None);
    assert!(!f.iter().any(|(_, l)| l == "LOC"), "{f:?}");
}

#[test]
fn listed_places() {
    let districts = "拥有广袤农村的白云、花都、增城、从化等区，落地重大项目";
    for d in ["白云", "花都", "增城", "从化"] {
        has(districts, d, "LOC");
    }
    lacks(districts, "农村的白云");
    has("力争朱场、打朝两个贫困村出列", "朱场", "LOC");
    has("力争朱场、打朝两个贫困村出列", "打朝", "LOC");
    has("睦化、摆塘、交麻3个贫困乡“减贫摘帽”", "摆塘", "LOC");
    has("在斗篷冲、烂山等村", "斗篷冲", "LOC");
    let counted = "新关村、岩上村等5个贫困村出列";
    has(counted, "岩上村", "LOC");
    has(counted, "新关村", "LOC");
    lacks(counted, "关村");
    lacks(counted, "岩上村等");
    // Not a kind of place after the list (shops are organisations); one item only; a generic
    // word as an item.
    lacks("种植、养殖等基地", "种植");
    has("沃尔玛、家乐福等超市", "家乐福", "ORG");
    lacks("老人、儿童等群体", "儿童");
    lacks("发展到斗篷冲等村", "斗篷冲");
    lacks("城市、农村等地区", "农村");
    // 等 glued to the kind of place by the segmenter (南沙 + 等区).
    let glued = "在产业园区众多的黄埔、番禺、南沙等区，打造标杆区";
    for d in ["黄埔", "番禺", "南沙"] {
        has(glued, d, "LOC");
    }
    // In brackets after the kind of place, 原 (former) left out; above the model.
    // The model's place that runs on into 等区 gives way to the list's items.
    let text = "在中心城区的越秀、海珠、荔湾、天河等区，则打造";
    let found = found_by_model(text, None);
    for place in ["越秀", "海珠", "荔湾", "天河"] {
        assert!(
            found.iter().any(|(t, l)| t == place && l == "LOC"),
            "{place}: {found:?}"
        );
    }
    assert!(!found.iter().any(|(t, _)| t.contains('等')), "{found:?}");
    let map = CharMap::new(text);
    let mut spans = vec![(15..19, "LOC"), (12..14, "LOC"), (0..4, "ORG")];
    places::trim_list_heads(text, &map, &mut spans);
    assert_eq!(spans, vec![(15..17, "LOC"), (12..14, "LOC"), (0..4, "ORG")]);
    let mut spans = vec![(17..19, "LOC")];
    places::trim_list_heads(text, &map, &mut spans);
    assert!(spans.is_empty());
    let text = "全县现有3个贫困乡镇（原睦化、代化、交麻）、38个贫困村";
    let found = found_by_model(text, None);
    for place in ["睦化", "代化", "交麻"] {
        assert!(
            found.iter().any(|(t, l)| t == place && l == "LOC"),
            "{place}: {found:?}"
        );
    }
}

#[test]
fn organisations() {
    has("依托东骏科技有限公司的成熟技术", "东骏科技有限公司", "ORG");
    has(
        "东辽县众联农业发展公司年存栏720万只蛋鸡",
        "东辽县众联农业发展公司",
        "ORG",
    );
    has("新组建市扶贫办，", "市扶贫办", "ORG");
    has("转自《吉林日报》", "吉林日报", "ORG");
    has("《 人民日报 》（ 2025年03月05日 04 版）", "人民日报", "ORG");
    lacks("《 人民日报 》（ 2025年03月05日 04 版）", "《 人民日报 》");
    has("认真落实党中央、国务院决策部署", "国务院", "ORG");
    // National bodies of the lexicon, whole (the segmenter alone splits them: 人力资源 /
    // 社会保障部, 国家 / 卫生 / 计生委).
    has(
        "人力资源社会保障部等部门联合开展",
        "人力资源社会保障部",
        "ORG",
    );
    has("国家卫生计生委主任李斌说", "国家卫生计生委", "ORG");
    has("财政部和农业农村部印发通知", "农业农村部", "ORG");
    lacks("帮助贫困户成立合作社", "合作社");
    lacks("县委书记郑小东说", "县委");
}

#[test]
fn people() {
    has("县委书记郑小东说", "郑小东", "PER");
    has("村党支部书记胡宝才告诉记者", "胡宝才", "PER");
    has("记者 戈驰川 尹雪", "戈驰川", "PER");
    has("记者 戈驰川 尹雪", "尹雪", "PER");
    // Bylines with two-char names padded to the width of three, and the names after them.
    has("本报记者  胡  健  程远州", "胡  健", "PER");
    has("本报记者  胡  健  程远州", "程远州", "PER");
    has("本报记者 朱 华 史治国 许大桥", "朱 华", "PER");
    has("本报记者 朱 华 史治国 许大桥", "许大桥", "PER");
    // A name the segmenter cuts into common words (宋朝 + 军), set apart by spaces.
    has("本报记者  王  锦  宋朝军", "宋朝军", "PER");
    has("（记者 宋朝军 王锦）", "宋朝军", "PER");
    lacks("记者 从省扶贫办获悉", "从省");
    has("图为扶贫车间。（本报记者 宋朝军摄）", "宋朝军", "PER");
    has("作者：王  军", "王  军", "PER");
    has("记者：李红梅", "李红梅", "PER");
    // A byline's names stay on its line.
    let two_lines = "编辑:田东艳 | 责编:刘征宇\n\n  原题:白城市多举措";
    has(two_lines, "刘征宇", "PER");
    lacks(two_lines, "原题");
    // Not a padded name: a char that runs on into a word, or no byline.
    lacks("记者 王 大力推进", "王 大");
    lacks("王 华说", "王 华");
    has("贫困户王某领到了分红", "王某", "PER");
    lacks("一幅幅生动的幸福画卷徐徐展开", "徐徐");
    lacks("探索精准识别引导精准施策的路子", "施策");
    has("县委组织部组织员张平、县人社局", "张平", "PER");
    has("也让魏欣寝食难安", "魏欣", "PER");
    // A name the segmenter cut into a word and a char it tags as a name (段应/v 碧/nr).
    has("中国扶贫基金会会长段应碧出席了发布会", "段应碧", "PER");
    // A surname and a given name the dictionary knows as a noun (龙/n 志学/n).
    has("花垣县委常委、副县长龙志学陪同。", "龙志学", "PER");
}

/// The lexicon's numbered policies are near-certain names, and their numbers no figures
/// (the guide: numerals inside slogans are not figures).
#[test]
fn numbered_policies_are_names_not_counts() {
    let text = "各地坚持六个精准、五个一批，落实四个不摘要求。";
    has(text, "六个精准", "POLICY");
    has(text, "四个不摘", "POLICY");
    has_by_model(text, "六个精准", "POLICY");
    has_by_model(text, "四个不摘", "POLICY");
    let doc = crate::corpus::Document::from_text("t", text);
    let found = crate::suggest::suggest(&doc, &crate::suggest::Options::default());
    assert!(!found.iter().any(|s| s.label == "COUNT"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|s| doc.slice(s.start..s.end) == "四个不摘")
    );
}

#[test]
fn policies() {
    has(
        "制定《产业精准扶贫规划》，建立制度",
        "《产业精准扶贫规划》",
        "POLICY",
    );
    has("开展“百企助百村”活动", "百企助百村", "POLICY");
    // The guide's settled cases: the bare topics are no named policy, the strategy is.
    has("深入实施乡村振兴战略", "乡村振兴战略", "POLICY");
    lacks("全面推进乡村振兴，做好易地扶贫搬迁后续扶持", "乡村振兴");
    lacks("全面推进乡村振兴，做好易地扶贫搬迁后续扶持", "易地扶贫搬迁");
    has(
        "以实现“两不愁三保障”目标要求为主线",
        "两不愁三保障",
        "POLICY",
    );
    has("推行“双带四增”的做法", "双带四增", "POLICY");
    has("认真落实雨露计划，", "雨露计划", "POLICY");
    has("坚持精准扶贫方略", "精准扶贫", "POLICY");
    lacks("诠释“煤城”奋进力量", "煤城");
    // A quoted name that starts with a numeral, four chars or more: a numbered slogan.
    has("健康扶贫“五措并举”", "五措并举", "POLICY");
    has(
        "实行“三下沉、两提高、一兜底”机制",
        "三下沉、两提高、一兜底",
        "POLICY",
    );
    // A quoted list of phrases: a slogan; not a list of things, not quoted speech.
    has(
        "确保“搬迁一户、安居一户、脱贫一户”，其中",
        "搬迁一户、安居一户、脱贫一户",
        "POLICY",
    );
    has(
        "让群众‘看得起病、看得好病、看得上病、少生病’，进一步",
        "看得起病、看得好病、看得上病、少生病",
        "POLICY",
    );
    has(
        "走出一条“以贫困户为主体,以脱贫增收为目标,政府驱动、龙头带动、市场推动”的路子",
        "以贫困户为主体,以脱贫增收为目标,政府驱动、龙头带动、市场推动",
        "POLICY",
    );
    lacks("覆盖“县、镇、村”三级", "县、镇、村");
    lacks("这里有“山、泉、林、溪、石”", "山、泉、林、溪、石");
    lacks("他说“挣钱、顾家两不误。”", "挣钱、顾家两不误。");
    lacks("她说“我想学做月嫂、育婴师”", "我想学做月嫂、育婴师");
    // A quoted model written with +: a POLICY, whatever is on either side of the +.
    has(
        "采取“协会+贫困妇女”、“企业+贫困妇女”等方式",
        "企业+贫困妇女",
        "POLICY",
    );
    has("打造“全域+”模式", "全域+", "POLICY");
    has("探索“1 + 9 + 36”工作法", "1 + 9 + 36", "POLICY");
    has(
        "推广‘党支部+合作社+电商+贫困户’模式",
        "党支部+合作社+电商+贫困户",
        "POLICY",
    );
    lacks(
        "他说：“1+1大于2，合作才能共赢。”",
        "1+1大于2，合作才能共赢。",
    );
    lacks("卫生院“五室”建设", "五室");
    lacks("就医“一站式”结算", "一站式");
    lacks(
        "他说：“今年大棚刚建好，等到明年就可以分红了。”",
        "今年大棚刚建好，等到明年就可以分红了。",
    );
}

#[test]
fn learned_and_rejected() {
    let mut m = Memory::default();
    m.accept("众联", "ORG");
    let f = found_with("依托众联搞养殖", Some(&m));
    assert!(f.contains(&("众联".into(), "ORG")), "{f:?}");
    m.reject("辽源市", "LOC");
    let f = found_with("放眼辽源市及各县", Some(&m));
    assert!(!f.iter().any(|(t, _)| t == "辽源市"), "{f:?}");
}

#[test]
fn offsets_are_chars() {
    let text = "𠀀走进陆家村";
    let map = CharMap::new(text);
    let e = recognizer().find_with(text, &map, &|_| false, &[], None, None, None);
    let loc = e.iter().find(|e| e.label == "LOC").expect("a place");
    assert_eq!((loc.start, loc.end), (3, 6));
    // The same with the shipped model.
    let e = recognizer().find(text, &map, &|_| false, &[], None);
    let loc = e.iter().find(|e| e.label == "LOC").expect("a place");
    assert_eq!((loc.start, loc.end), (3, 6));
}

/// A near-certain rule wins over a model span it crosses, not over a longer model span that
/// contains it (the organisation named after its village).
#[test]
fn near_certain_rules_yield_to_longer_model_spans() {
    let text = "南平村党支部书记说，南平村很美。";
    let map = CharMap::new(text);
    let place = |a: usize, b: usize| Candidate {
        range: map.byte_range(a..b),
        label: "LOC".into(),
        rule: "gazetteer:village".into(),
        priority: 0,
    };
    let rules = vec![place(0, 3), place(10, 13)];
    // The model: the party branch 0..6, and a span crossing the second place (11..14).
    let model = vec![(0..6, "ORG"), (11..14, "ORG")];
    let kept = resolve(combine(rules, model, &map), &[], true);
    let got: Vec<(&str, &str)> = kept
        .iter()
        .map(|c| (&text[c.range.clone()], c.label.as_str()))
        .collect();
    assert_eq!(got, vec![("南平村党支部", "ORG"), ("南平村", "LOC")]);
}

/// With the model, a learned string gives way to a longer candidate that contains it, not to
/// one it crosses or one of the same range.
#[test]
fn learned_strings_yield_to_longer_spans() {
    let mut m = Memory::default();
    m.accept("组织部", "ORG");
    let text = "县委组织部和组织部，部组织部长";
    let map = CharMap::new(text);
    let cand = |a: usize, b: usize| Candidate {
        range: map.byte_range(a..b),
        label: "ORG".into(),
        rule: "model".into(),
        priority: 3,
    };
    // 县委组织部 contains the first; the second has a candidate of its own range; one crosses
    // the third.
    let stage = vec![cand(0, 5), cand(6, 9), cand(10, 12)];
    // Every char a word of its own: word edges are everywhere here.
    let tokens: Vec<Token> = text
        .char_indices()
        .map(|(i, c)| Token {
            word: &text[i..i + c.len_utf8()],
            tag: "n",
            range: i..i + c.len_utf8(),
        })
        .collect();
    let got = |stage: Option<&[Candidate]>| -> Vec<usize> {
        learned(text, &tokens, &m, stage)
            .iter()
            .map(|c| map.char_of_byte(c.range.start))
            .collect()
    };
    assert_eq!(got(Some(&stage)), vec![6, 11]);
    // Without the model (the rules alone resolve longest first anyway), all of them.
    assert_eq!(got(None), vec![2, 6, 11]);
    // Through the pipeline with the shipped model.
    let text = "县委组织部部长说，组织部要抓好落实。";
    let found: Vec<String> = found_by_model(text, Some(&m))
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(found, vec!["县委组织部", "组织部"]);
}

/// A learned string is suggested where it is a word or words of its own, not inside one.
#[test]
fn learned_strings_keep_to_word_edges() {
    let mut m = Memory::default();
    m.accept("代化", "LOC");
    let text = "推进现代化建设，走进代化。";
    let tokens = recognizer().tokens(text);
    let found: Vec<&str> = learned(text, &tokens, &m, None)
        .iter()
        .map(|c| &text[c.range.clone()])
        .collect();
    assert_eq!(found, ["代化"]);
    assert_eq!(
        learned(text, &tokens, &m, None)[0].range.start,
        text.rfind("代化").unwrap()
    );
}

#[test]
fn model_places_take_a_suffix_written_apart() {
    let candidate = |text: &str, end: &str, label: &str| Candidate {
        range: 0..text.find(end).unwrap(),
        label: label.into(),
        rule: "model".into(),
        priority: 3,
    };
    let known = |w: &str| recognizer().known(w);
    let text = "登封市唐庄乡范家门村的村民";
    let tokens = recognizer().tokens(text);
    let mut c = vec![
        candidate(text, "村的", "LOC"),
        candidate(text, "村的", "ORG"),
    ];
    places::complete_suffixes(&tokens, &known, &mut c);
    assert_eq!(&text[c[0].range.clone()], "登封市唐庄乡范家门村");
    assert_eq!(
        &text[c[1].range.clone()],
        "登封市唐庄乡范家门",
        "places only"
    );
    // A level word after a place, the gazetteer's too (白山 + 地区, 长春 + 新区); not a glued
    // suffix char after the gazetteer's (that is the model's reading alone).
    let text = "东部白山地区靖宇县和长春新区";
    let tokens = recognizer().tokens(text);
    let at = |s: &str| text.find(s).unwrap()..text.find(s).unwrap() + s.len();
    let gazetteer = |s: &str| Candidate {
        range: at(s),
        label: "LOC".into(),
        rule: "gazetteer:prefecture".into(),
        priority: 4,
    };
    let mut c = vec![gazetteer("白山"), gazetteer("长春")];
    places::complete_suffixes(&tokens, &known, &mut c);
    assert_eq!(&text[c[0].range.clone()], "白山地区");
    assert_eq!(&text[c[1].range.clone()], "长春新区");
    let text = "范家门村时";
    let tokens = recognizer().tokens(text);
    let mut c = vec![Candidate {
        range: 0..text.find("村时").unwrap(),
        label: "LOC".into(),
        rule: "gazetteer:town".into(),
        priority: 4,
    }];
    places::complete_suffixes(&tokens, &known, &mut c);
    assert_eq!(&text[c[0].range.clone()], "范家门");
    // A suffix char that starts a longer word (村民) is not taken.
    let text = "范家门村民说";
    let tokens = recognizer().tokens(text);
    let mut c = vec![candidate(text, "村民", "LOC")];
    places::complete_suffixes(&tokens, &known, &mut c);
    assert_eq!(&text[c[0].range.clone()], "范家门");
    // Glued to the word after it (村时/ng), or the place's last part cut into a one-char
    // fragment and a word (迳/zg 下村/n).
    for (text, model, whole) in [
        (
            "来到登封市唐庄乡范家门村时,竟有凉风",
            "登封市唐庄乡范家门",
            "登封市唐庄乡范家门村",
        ),
        (
            "在黄埔区龙湖街道迳下村，由中建",
            "黄埔区龙湖街道迳",
            "黄埔区龙湖街道迳下村",
        ),
    ] {
        let tokens = recognizer().tokens(text);
        let mut c = vec![model_span(text, model, 0, "LOC")];
        places::complete_suffixes(&tokens, &known, &mut c);
        let words: Vec<String> = tokens
            .iter()
            .map(|t| format!("{}/{}", t.word, t.tag))
            .collect();
        assert_eq!(&text[c[0].range.clone()], whole, "{words:?}");
    }
}

#[test]
fn a_division_named_in_full_is_found_by_its_short_form_later() {
    let text = "今年，岚皋县相继出台了一批政策。岚皋全面建成小康社会，在岚皋有很多这样的干部。";
    let tokens = recognizer().tokens(text);
    assert_eq!(recognizer().short_places(&tokens), ["岚皋"]);
    let f = found_by_model(text, None);
    let short: Vec<_> = f.iter().filter(|(t, _)| t == "岚皋").collect();
    assert_eq!(short.len(), 2, "{f:?}");
    assert!(short.iter().all(|(_, l)| l == "LOC"), "{f:?}");
    // Without the full name in the text, the short form alone is not suggested.
    let alone = "岚皋全面建成小康社会，在岚皋有很多这样的干部。";
    assert!(
        !found_by_model(alone, None).iter().any(|(t, _)| t == "岚皋"),
        "{:?}",
        found_by_model(alone, None)
    );
    // A town of two chars and 镇 or 乡 too (广顺镇 → 广顺).
    let text = "全县搬迁安置点分布在广顺镇和城关镇。\n广顺：1382套4620人。";
    let tokens = recognizer().tokens(text);
    assert_eq!(recognizer().short_places(&tokens), ["城关", "广顺"]);
    let f = found_by_model(text, None);
    assert!(f.contains(&("广顺".into(), "LOC".into())), "{f:?}");
}

#[test]
fn places_written_together_are_one_span() {
    let text = "贵州毕节、贵州省委在毕节黔西市";
    let at = |s: &str, nth: usize, label: &str| model_span(text, s, nth, label);
    let kept = vec![
        at("贵州", 0, "LOC"),
        at("毕节", 0, "LOC"),
        at("贵州", 1, "LOC"),
        at("省委", 0, "ORG"),
        at("毕节", 1, "LOC"),
        at("黔西市", 0, "LOC"),
    ];
    let spans = |c: &[Candidate]| -> Vec<String> {
        c.iter().map(|c| text[c.range.clone()].to_owned()).collect()
    };
    let chained = chain_places(text, kept.clone(), None);
    // Not across 、, not a place and an organisation.
    assert_eq!(spans(&chained), ["贵州毕节", "贵州", "省委", "毕节黔西市"]);
    assert_eq!(chained[0].rule, "pattern:adjacent-places");
    // Not when the annotator rejected the whole as a place.
    let mut memory = Memory::default();
    memory.reject("贵州毕节", "LOC");
    let chained = chain_places(text, kept, Some(&memory));
    assert_eq!(
        spans(&chained),
        ["贵州", "毕节", "贵州", "省委", "毕节黔西市"]
    );
}

#[test]
fn a_surname_alone_takes_the_given_name_after_it_or_goes() {
    let model = |text: &str, s: &str| model_span(text, s, 0, "PER");
    let text = "扶贫干部王建春今年";
    let tokens = recognizer().tokens(text);
    let words: Vec<&str> = tokens.iter().map(|t| t.word).collect();
    let mut c = vec![model(text, "王")];
    people::complete_surnames(text, &tokens, &mut c);
    assert_eq!(
        c.iter().map(|c| &text[c.range.clone()]).collect::<Vec<_>>(),
        ["王建春"],
        "{words:?}"
    );
    // Followed by a word that ends a name: nothing to take, and a surname alone goes.
    let text = "王说";
    let tokens = recognizer().tokens(text);
    let mut c = vec![model(text, "王")];
    people::complete_surnames(text, &tokens, &mut c);
    assert!(c.is_empty());
}

#[test]
fn a_two_char_name_takes_the_given_name_char_the_segmenter_cut_off() {
    let completed = |text: &str, name: &str| {
        let mut c = vec![model_span(text, name, 0, "PER")];
        let tokens = recognizer().tokens(text);
        let known = |w: &str| recognizer().known(w);
        people::complete_given_names(text, &tokens, &known, &mut c);
        let words: Vec<String> = tokens
            .iter()
            .map(|t| format!("{}/{}", t.word, t.tag))
            .collect();
        (text[c[0].range.clone()].to_owned(), words)
    };
    // The third char alone before a verb, punctuation, spaces; glued to 说.
    for (text, name, whole) in [
        ("村党支部书记胡宝才告诉记者", "胡宝", "胡宝才"),
        ("还有跑腿小哥吴道银。一大早", "吴道", "吴道银"),
        ("编辑:田东艳   |  责编", "田东", "田东艳"),
        ("吴道银说，零工平台好", "吴道", "吴道银"),
    ] {
        let (got, words) = completed(text, name);
        assert_eq!(got, whole, "{words:?}");
    }
    // Not a verb, an adverb or a word after a name (赖特|出|生于, 温特|只|出现, 王强|家).
    for (text, name) in [
        ("赖特出生于普尔市", "赖特"),
        ("温特只出现了一会", "温特"),
        ("走进王强家的院子", "王强"),
        ("王强说，今年好", "王强"),
    ] {
        let (got, words) = completed(text, name);
        assert_eq!(got, name, "{words:?}");
    }
}

#[test]
fn a_place_and_the_body_after_it_are_one_org() {
    let rec = recognizer();
    let check = |text: &str, place: &str, expected: (&str, &str)| {
        let tokens = rec.tokens(text);
        let mut c = vec![model_span(text, place, 0, "LOC")];
        organisations::places_with_bodies(&tokens, &mut c);
        assert_eq!(
            (&text[c[0].range.clone()], c[0].label.as_str()),
            expected,
            "{text}"
        );
    };
    // Up to the last suffix within reach, over names and nouns.
    check(
        "岷县申都康顺堂农业专业合作社联合社党支部成立",
        "岷县",
        ("岷县申都康顺堂农业专业合作社联合社党支部", "ORG"),
    );
    check("南平村党支部组织村民", "南平村", ("南平村党支部", "ORG"));
    // A body and a title written as one word: the body without the title.
    check("申都乡党委书记说", "申都乡", ("申都乡党委", "ORG"));
    // A title alone ends the walk too.
    check("南平村书记办公室", "南平村", ("南平村", "LOC"));
    // Not over a verb, nor to a suffix that needs a name of its own.
    check("鸿兴镇依托合作社发展", "鸿兴镇", ("鸿兴镇", "LOC"));
    check("长顺县超市", "长顺县", ("长顺县", "LOC"));
    // Nothing after the place that ends a body.
    check("长顺县农业发展很快", "长顺县", ("长顺县", "LOC"));
}

#[test]
fn a_function_char_glued_to_a_name_is_its_own_word() {
    let words = |text: &str| -> Vec<String> {
        recognizer()
            .tokens(text)
            .iter()
            .map(|t| t.word.to_owned())
            .collect()
    };
    // The segmenter alone joins them: 王培安说, 以天农, 增江以.
    for (text, name, glued) in [
        ("国家卫生计生委副主任王培安说。", "王培安", "说"),
        ("着力抓好以天农公司为龙头的产业。", "天农", "以"),
        ("蜿蜒，增江以山水为墨。", "增江", "以"),
        ("在村民朱小红家，他察看了厨房。", "朱小红", "家"),
    ] {
        let w = words(text);
        assert!(w.iter().any(|x| x == name), "{text}: {w:?}");
        assert!(w.iter().any(|x| x == glued), "{text}: {w:?}");
    }
    // A dictionary word is never cut, nor a word of two chars.
    let w = words("以色列的说法在此。");
    assert!(w.iter().any(|x| x == "以色列"), "{w:?}");
}

#[test]
fn a_bare_verb_is_no_policy_of_the_model() {
    let rec = recognizer();
    let text = "开展对口帮扶，落实雨露计划。";
    let tokens = rec.tokens(text);
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        start..start + s.len()
    };
    let candidate = |s: &str, rule: &str| Candidate {
        range: at(s),
        label: "POLICY".into(),
        rule: rule.into(),
        priority: 3,
    };
    let mut candidates = vec![
        candidate("帮扶", "model"),
        candidate("雨露计划", "model"),
        candidate("帮扶", "memory"),
    ];
    rec.drop_unnamed_policies(text, &tokens, &mut candidates);
    let kept: Vec<(&str, &str)> = candidates
        .iter()
        .map(|c| (&text[c.range.clone()], c.rule.as_str()))
        .collect();
    // The model's 帮扶 (one verb) goes; a programme name and what the analyst taught stay.
    assert_eq!(kept, [("雨露计划", "model"), ("帮扶", "memory")]);
}

#[test]
fn a_newspaper_without_book_title_marks_is_an_org() {
    let f = found("据人民日报报道，新甘肃·甘肃日报记者在现场。镇里每天发布工作日报。");
    assert!(f.contains(&("人民日报".into(), "ORG")), "{f:?}");
    assert!(f.contains(&("甘肃日报".into(), "ORG")), "{f:?}");
    // A daily report is no newspaper.
    assert!(!f.iter().any(|(s, _)| s.contains("工作日报")), "{f:?}");
}

#[test]
fn a_verb_before_a_name_is_left_out_of_it() {
    let text = "来自北京大学的专家走进向阳村，落实党中央部署，认真落实党中央决策。";
    let tokens = recognizer().tokens(text);
    let model = |s: &str, label: &str| model_span(text, s, 0, label);
    let mut c = vec![
        model("来自北京大学", "ORG"),
        model("向阳村", "LOC"),
        model("走进向阳村", "POLICY"),
        model("落实党中央", "ORG"),
        model("认真落实党中央", "ORG"),
        // Begun inside 认真落实/z.
        model_span(text, "落实党中央", 1, "ORG"),
    ];
    let body = |w: &str| recognizer().org_words.contains(w);
    organisations::trim_leading_verbs(&tokens, &body, &mut c);
    let spans: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    // Before a common word (村) the verb stays, but not before a body of the lexicon (党中央);
    // a POLICY keeps its verb.
    assert_eq!(
        spans,
        [
            "北京大学",
            "向阳村",
            "走进向阳村",
            "党中央",
            "党中央",
            "党中央"
        ]
    );
}

#[test]
fn a_place_and_its_way_of_working_are_a_policy() {
    for text in [
        "各地纷纷学习推广陆家村模式，成效明显。",
        "会议总结推广了白城经验。",
    ] {
        let policies = |f: Vec<(String, String)>| -> Vec<String> {
            f.into_iter()
                .filter(|(_, l)| l == "POLICY")
                .map(|(s, _)| s)
                .collect()
        };
        let rules = found(text)
            .into_iter()
            .map(|(s, l)| (s, l.to_owned()))
            .collect();
        for p in [policies(rules), policies(found_by_model(text, None))] {
            assert!(p == ["陆家村模式"] || p == ["白城经验"], "{text}: {p:?}");
        }
    }
}

#[test]
fn a_person_of_the_model_named_like_a_village_of_the_text_is_that_village() {
    let text = "来到登封市唐庄乡范家门村。范家门的变迁定格在2009年，范家门人说。";
    let at = |s: &str, nth: usize, label: &str| model_span(text, s, nth, label);
    let mut c = vec![
        at("登封市唐庄乡范家门村", 0, "LOC"),
        at("范家门", 1, "PER"),
        at("家门", 2, "PER"),
    ];
    places::places_named_short(text, &mut c);
    let labels: Vec<&str> = c.iter().map(|c| c.label.as_str()).collect();
    // Not a part of the place's own name (家门 of 范家门).
    assert_eq!(labels, ["LOC", "LOC", "PER"]);
}

#[test]
fn the_models_generic_places_go() {
    let text = "城区、贫困村、大湾区、长江村";
    let mut c: Vec<Candidate> = text
        .split('、')
        .map(|w| model_span(text, w, 0, "LOC"))
        .collect();
    places::drop_generic(text, &mut c);
    let kept: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    // One suffix comes off: 大湾 + 区 is a name, though 大 is a generic stem.
    assert_eq!(kept, ["大湾区", "长江村"]);
}

#[test]
fn an_agencys_dateline_is_the_agency_and_a_place() {
    let text = "新华社北京６月８日电（记者 胡浩）８日召开的国务院常务会议部署实施健康扶贫工程。";
    let rec = recognizer();
    let tokens = rec.tokens(text);
    let mut c = vec![model_span(text, "新华社北京", 0, "ORG")];
    rec.split_body_and_place(&tokens, &mut c);
    let spans: Vec<(&str, &str)> = c
        .iter()
        .map(|c| (&text[c.range.clone()], c.label.as_str()))
        .collect();
    assert_eq!(spans, [("新华社", "ORG"), ("北京", "LOC")]);
    let f = found_by_model(text, None);
    assert!(f.contains(&("新华社".into(), "ORG".into())), "{f:?}");
    assert!(f.contains(&("北京".into(), "LOC".into())), "{f:?}");
}

#[test]
fn a_name_beside_a_title_is_a_person_where_the_model_saw_none() {
    let rec = recognizer();
    let text = "全面推动了习近平总书记关于扶贫工作的重要论述落实。";
    let tokens = rec.tokens(text);
    let mut c = Vec::new();
    rec.names_beside_titles(&tokens, &mut c);
    let words: Vec<String> = tokens
        .iter()
        .map(|t| format!("{}/{}", t.word, t.tag))
        .collect();
    let spans: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(spans, ["习近平"], "{words:?}");
    // Not over what the model found there, nor a surname and a title (习总书记).
    rec.names_beside_titles(&tokens, &mut c);
    assert_eq!(c.len(), 1);
    let text = "习总书记强调";
    let tokens = rec.tokens(text);
    let mut c = Vec::new();
    rec.names_beside_titles(&tokens, &mut c);
    assert!(
        c.is_empty(),
        "{:?}",
        tokens.iter().map(|t| t.word).collect::<Vec<_>>()
    );
    // After the title of an office, before a date; not after a role (乡村医生|养老/nr).
    let text = "国务院总理李强5日在北京出席活动。";
    let f = found_by_model(text, None);
    assert!(f.contains(&("李强".into(), "PER".into())), "{f:?}");
    let text = "提高乡村医生养老待遇。";
    let tokens = rec.tokens(text);
    let mut c = Vec::new();
    rec.names_beside_titles(&tokens, &mut c);
    assert!(
        c.is_empty(),
        "{:?}",
        tokens.iter().map(|t| t.word).collect::<Vec<_>>()
    );
}

#[test]
fn a_model_name_across_common_words_goes() {
    let rec = recognizer();
    let kept = |text: &str, name: &str| {
        let mut c = vec![model_span(text, name, 0, "PER")];
        let tokens = rec.tokens(text);
        rec.drop_unnamed_people(text, &tokens, &mut c);
        !c.is_empty()
    };
    assert!(!kept("“手艺升一级，收入跟着涨”", "手艺升"));
    // A surname, a foreign name of one word or with its dot stay.
    assert!(kept("扶贫干部王建春今年", "王建春"));
    assert!(kept("正如拿破仑所说", "拿破仑"));
    assert!(kept("大卫·加姆逊说", "大卫·加姆逊"));
}

#[test]
fn a_broadcast_title_is_no_policy() {
    let f =
        found("中央电视台《焦点访谈》报道了《关于打赢脱贫攻坚战的决定》，《新闻联播》节目也播了。");
    let policies: Vec<&str> = f
        .iter()
        .filter(|(_, l)| *l == "POLICY")
        .map(|(s, _)| s.as_str())
        .collect();
    assert_eq!(policies, ["《关于打赢脱贫攻坚战的决定》"]);
    // A documentary named by the word before it.
    let f = found_by_model("脱贫攻坚大型政论专题片《摆脱贫困》第八集", None);
    assert!(!f.iter().any(|(_, l)| l == "POLICY"), "{f:?}");
    // Named by its own end, the kind of programme.
    let f = found_by_model("7月3日，《新闻联播》的一条新闻聚焦了星火村。", None);
    assert!(!f.iter().any(|(_, l)| l == "POLICY"), "{f:?}");
    // Nor when the model says so.
    let text = "央视《焦点访谈》播出。";
    let rec = recognizer();
    let tokens = rec.tokens(text);
    let start = text.find('《').unwrap();
    let mut c = vec![Candidate {
        range: start..text.find('》').unwrap() + '》'.len_utf8(),
        label: "POLICY".into(),
        rule: "model".into(),
        priority: 3,
    }];
    rec.drop_unnamed_policies(text, &tokens, &mut c);
    assert!(c.is_empty());
}

#[test]
fn countries_are_places_where_the_segmenter_keeps_them_whole() {
    let f = found("法国总统在巴黎会见德国的代表，英国、泰国官员出席，非洲和东南亚国家代表参加。");
    for c in ["法国", "德国", "英国", "泰国", "非洲", "东南亚"] {
        assert!(f.contains(&(c.into(), "LOC")), "{c}: {f:?}");
    }
    // Not inside a longer word: an ethnic group.
    let f = found("他来到延边朝鲜族自治州，见到蒙古族牧民。");
    assert!(!f.iter().any(|(s, _)| s == "朝鲜" || s == "蒙古"), "{f:?}");
}

#[test]
fn five_year_plans_are_policies() {
    let f = found("“十三五”期间完成搬迁，十四五时期继续推进。");
    assert!(f.contains(&("十三五".into(), "POLICY")), "{f:?}");
    assert!(f.contains(&("十四五".into(), "POLICY")), "{f:?}");
    // Counts and ordinals are not.
    for text in ["二十一五个人", "第十三五号", "十五个村"] {
        let f = found(text);
        assert!(!f.iter().any(|(_, l)| *l == "POLICY"), "{text}: {f:?}");
    }
}

#[test]
fn bodies_of_the_lexicon_are_orgs_whatever_their_tag() {
    // 水利局 is a common noun to the segmenter, 新华社 an nt.
    let f = found("组织部、财政局和水利局分别牵头。据新华社报道，人民网转载。");
    for o in ["水利局", "新华社", "人民网"] {
        assert!(f.contains(&(o.into(), "ORG")), "{o}: {f:?}");
    }
    // Not where its last char begins the next word: 人社部|门 is 人社部门, 财政部|长 a title.
    let f = found("在人社部门支持下，财政部长出席。");
    assert!(
        !f.iter().any(|(s, _)| s == "人社部" || s == "财政部"),
        "{f:?}"
    );
    // Near-certain over the model, unless a longer model span holds it.
    assert!(near_certain("lexicon:org"));
}

#[test]
fn a_company_the_model_cut_on_its_left_starts_where_the_suffix_rule_does() {
    let text = "毕节明月工艺美术有限公司招工。";
    let map = CharMap::new(text);
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        start..start + s.len()
    };
    let rule = Candidate {
        range: at("毕节明月工艺美术有限公司"),
        label: "ORG".into(),
        rule: "pattern:org-suffix".into(),
        priority: 3,
    };
    let chars = |r: std::ops::Range<usize>| map.char_of_byte(r.start)..map.char_of_byte(r.end);
    let out = combine(
        vec![rule],
        vec![(chars(at("工艺美术有限公司")), "ORG")],
        &map,
    );
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(&text[out[0].range.clone()], "毕节明月工艺美术有限公司");
    assert_eq!(out[0].rule, "model");
}

#[test]
fn a_quoted_formula_is_one_policy_over_the_bodies_inside() {
    // Bodies and places inside, which the model and the gazetteer name on their own.
    let text = "当地推行“中国农业大学+贵州省农科院+合作社”、“毕节市+广州市”的做法。";
    let f = found_by_model(text, None);
    for name in ["中国农业大学+贵州省农科院+合作社", "毕节市+广州市"] {
        assert!(f.contains(&(name.into(), "POLICY".into())), "{name}: {f:?}");
    }
}

#[test]
fn a_meeting_of_a_body_is_one_org_with_it() {
    let f = found("8日召开的国务院常务会议部署实施健康扶贫工程。");
    assert!(f.contains(&("国务院常务会议".into(), "ORG")), "{f:?}");
    let f = found_by_model("国务院总理主持召开国务院常务会议。", None);
    assert!(
        f.contains(&("国务院常务会议".into(), "ORG".into())),
        "{f:?}"
    );
}

#[test]
fn organisations_of_a_list_named_by_their_kind() {
    let platforms = "积极引进与阿里巴巴、京东、拼多多等知名电商平台合作";
    for name in ["阿里巴巴", "京东", "拼多多"] {
        has(platforms, name, "ORG");
    }
    lacks(platforms, "与阿里巴巴");
    let firms = "学校已经与广汽、理想汽车等企业建立合作关系";
    has(firms, "广汽", "ORG");
    has(firms, "理想汽车", "ORG");
    lacks(firms, "与广汽");
    // The first item runs back over a name the segmenter split (苏宁 + 易购), not over 现有.
    has("在现有苏宁易购、贵农网等平台的基础上", "苏宁易购", "ORG");
    // Trades, not names; places before 等地; one item only.
    let trades = "引导餐饮、物流、电商等企业吸纳脱贫劳动力";
    for trade in ["餐饮", "物流", "电商"] {
        lacks(trades, trade);
    }
    has("北京、上海等地的企业纷纷前来", "北京", "LOC");
    lacks("中国人寿等保险公司", "中国人寿等");
    // The model's pipeline keeps them above its own reading.
    has_by_model(platforms, "拼多多", "ORG");
    // A first item not found (拼/v 多多/m): the others still are.
    let split = "拼多多、京东、美团等电商平台开设了助农专区";
    has(split, "京东", "ORG");
    has(split, "美团", "ORG");
}

#[test]
fn national_and_international_bodies_are_orgs() {
    has("认真落实党中央、国务院决策部署", "党中央", "ORG");
    has("联合国开发计划署驻华代表表示", "联合国开发计划署", "ORG");
    has(
        "国家金融监督管理总局印发通知",
        "国家金融监督管理总局",
        "ORG",
    );
    has_by_model("世界银行和国际劳工组织的专家来到县里。", "世界银行", "ORG");
}

#[test]
fn a_title_written_with_its_body_stays_outside_the_org() {
    let text = "中共中央政治局常委、国务院总理出席会议并讲话";
    has(text, "中共中央政治局", "ORG");
    lacks(text, "中共中央政治局常委");
    has_by_model(text, "中共中央政治局", "ORG");
    // A body and its title the gold sets mark the same way: 图们市委|书记.
    has_by_model("花垣县委常委、副县长龙志学陪同。", "花垣县委", "ORG");
    // One function word of the dictionary is no name (拉着/uz).
    let f = found_by_model("苗族村民石拔专老人拉着总书记的手说", None);
    assert!(!f.iter().any(|(t, _)| t == "拉着"), "{f:?}");
    has_by_model("图们市委书记到村调研", "图们市委", "ORG");
    // The place ends inside the body's word (阜平 | 县委 | 副 | 书记, 贵州 | 省政府).
    has_by_model("阜平县委副书记、县长刘靖介绍了情况。", "阜平县委", "ORG");
    has_by_model("贵州省政府副省长吴强表示。", "贵州省政府", "ORG");
    // Not a committee: the place stays.
    has_by_model("阜平县委托第三方开展评估。", "阜平县", "LOC");
}

/// A model ORG that ends with the head of a title (常务副, 副) before the rest of it ends
/// before the head; one whose last word is no title head stays.
#[test]
fn a_title_head_stays_outside_the_org() {
    let rec = recognizer();
    let is_title = |w: &str| rec.is_title(w);
    for (text, span, want) in [
        (
            "农工党中央常务副主席何维参加调研",
            "农工党中央常务副",
            "农工党中央",
        ),
        ("河北省委常务副书记王正谱说", "河北省委常务副", "河北省委"),
        ("县委副书记刘靖说", "县委副", "县委"),
        // Its last word is no title head: the span stays as the model gave it.
        ("市扶贫办主任说", "市扶贫办", "市扶贫办"),
        ("省委常务会议召开", "省委", "省委"),
    ] {
        let tokens = rec.tokens(text);
        let mut c = vec![model_span(text, span, 0, "ORG")];
        organisations::trim_title_heads(&tokens, &is_title, &mut c);
        assert_eq!(&text[c[0].range.clone()], want, "{text}");
    }
}

#[test]
fn a_transliterated_name_is_one_across_its_dot() {
    // The segmenter read the second part as a common noun; the model stops at the dot.
    has_by_model(
        "疏附县的阿卜杜拉·买买提经营着一家馕店。",
        "阿卜杜拉·买买提",
        "PER",
    );
    // Two bodies a dot separates stay apart.
    let f = found_by_model("新甘肃·甘肃日报记者报道", None);
    assert!(!f.iter().any(|(t, _)| t.contains('·')), "{f:?}");
}

#[test]
fn a_lexicon_body_before_a_two_char_word_stays_whole() {
    // 大二 is a word of the dictionary, but 二次 is the next word: 全国人大 is the body.
    has("十四届全国人大二次会议在北京开幕", "全国人大", "ORG");
    // A one-char word that makes a word with the body's last char still parts them.
    lacks("人社部门联合开展培训", "人社部");
}

#[test]
fn a_speaker_that_nothing_found_is_a_name() {
    let speakers = |text: &str, found: &[Candidate]| {
        let rec = recognizer();
        let tokens = rec.tokens(text);
        let mut c = found.to_vec();
        rec.speakers(text, &tokens, &mut c);
        let words: Vec<String> = tokens
            .iter()
            .map(|t| format!("{}/{}", t.word, t.tag))
            .collect();
        let names: Vec<String> = c[found.len()..]
            .iter()
            .map(|c| text[c.range.clone()].to_owned())
            .collect();
        (names, words)
    };
    // After a closing quote, a title, a comma; the given name a common word (陈 + 先进).
    for (text, name) in [
        ("比去年增加30%。”陈先进说，2016年", "陈先进"),
        ("村党支部书记范战标说，山里人", "范战标"),
        ("回来了。王建春表示，今年", "王建春"),
        ("，刘芳介绍，合作社", "刘芳"),
    ] {
        let (names, words) = speakers(text, &[]);
        assert_eq!(names, [name], "{words:?}");
    }
    // Not common words that start with a surname char, pronouns, particles, plurals,
    // titles, or what the model already found.
    for text in [
        "，许多人说，今年",
        "，马上说，今年",
        "，他高兴地说，今年",
        "。但他说，今年",
        "。王某说，今年",
        "。张书记说，今年",
        "。李家说，今年",
        "，古人说，今年",
        "。大家说，今年",
    ] {
        let (names, words) = speakers(text, &[]);
        assert!(names.is_empty(), "{text}: {names:?} {words:?}");
    }
    let text = "。”陈先进说，今年";
    let (names, _) = speakers(text, &[model_span(text, "陈先进", 0, "PER")]);
    assert!(names.is_empty());
}

#[test]
fn a_crop_read_as_a_name_goes_where_the_text_uses_it_as_a_thing() {
    let text = "村民王继龙种了一辈子黄梨，没想到这几年黄梨能这么赚钱。高平市黄梨种植面积达5万亩，\
                铁炉村的黄梨品质高。铁炉村黄梨产业必须找出路。";
    let at = |s: &str, nth: usize| model_span(text, s, nth, "PER");
    // The repeat of 黄梨 where 产业 follows it tells.
    let mut repeat = at("黄梨", 4);
    repeat.rule = repeats::RULE.into();
    let mut c = vec![
        at("王继龙", 0),
        at("黄梨", 0),
        at("黄梨能", 0),
        at("黄梨", 2),
        repeat,
    ];
    let tokens = recognizer().tokens(text);
    people::drop_things(text, &tokens, &mut c);
    let kept: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(kept, ["王继龙"]);
    // A name that nothing counts or that no thing word follows stays.
    let text = "王继龙种植黄梨二十年，王继龙说。";
    let mut c = vec![model_span(text, "王继龙", 0, "PER")];
    people::drop_things(text, &recognizer().tokens(text), &mut c);
    assert_eq!(c.len(), 1);
}

#[test]
fn a_name_of_the_document_with_a_char_after_it_is_that_name() {
    let text = "驻村干部王莹进行考核。王莹来的时候，村民王莹来也在。";
    let mut c = vec![
        model_span(text, "王莹", 0, "PER"),
        model_span(text, "王莹来", 0, "PER"),
    ];
    people::trim_known_names(text, &mut c);
    let names: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(names, ["王莹", "王莹"]);
    // Found as it is twice: a name of its own.
    let mut c = vec![
        model_span(text, "王莹", 0, "PER"),
        model_span(text, "王莹来", 0, "PER"),
        model_span(text, "王莹来", 1, "PER"),
    ];
    people::trim_known_names(text, &mut c);
    let names: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(names, ["王莹", "王莹来", "王莹来"]);
}

#[test]
fn a_models_policy_or_org_ends_at_a_words_end() {
    let text = "扎实推进精准扶贫精准脱贫。";
    let mut c = vec![model_span(text, "精准扶贫精准脱", 0, "POLICY")];
    programmes::complete_to_word_ends(&recognizer().tokens(text), &mut c);
    assert_eq!(&text[c[0].range.clone()], "精准扶贫精准脱贫");
    // Right before a word that ends programmes' names, with it.
    let (name, _) = after_pass(
        "持续做好东西部扶贫协作、对口支援等工作。",
        "东西部扶贫",
        "POLICY",
        |t, c| programmes::complete_to_word_ends(t, c),
    );
    assert_eq!(name, "东西部扶贫协作");
    // An organisation's too, when its word ends with a suffix; not over a title's head.
    let text = "考察鲁甸县农产品交易中心项目，阜平县委副书记讲话。";
    let mut c = vec![
        model_span(text, "鲁甸县农产品交易中", 0, "ORG"),
        model_span(text, "阜平县委", 0, "ORG"),
    ];
    programmes::complete_to_word_ends(&recognizer().tokens(text), &mut c);
    let names: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(names, ["鲁甸县农产品交易中心", "阜平县委"]);
}

#[test]
fn a_photo_credit_on_its_own_line_names_the_photographer() {
    let text = "江苏省泗阳县卢集镇，小朋友在休闲中心玩耍。\n  裴 成摄（人民视觉）\n\
                山东省郯城县马头镇黄金殿村。\n  房德华摄\n图为村民在加工厂工作摄影。";
    has(text, "裴 成", "PER");
    has(text, "房德华", "PER");
    lacks(text, "工作");
    has_by_model(text, "房德华", "PER");
}

#[test]
fn a_name_of_the_dictionary_before_a_role_is_no_person() {
    // jieba's dictionary tags 拓宽 (to widen) nr; 村民 is a role, not an office.
    lacks("马兰村积极发展特色产业，拓宽村民增收渠道", "拓宽");
    let f = found_by_model("马兰村积极发展特色产业，拓宽村民增收渠道", None);
    assert!(!f.iter().any(|(t, _)| t == "拓宽"), "{f:?}");
}

#[test]
fn a_repeat_of_a_longer_name_outranks_the_models_shorter_span() {
    let text = "（吉绒隆沟异地扶贫安置点住房。）紧邻遗址的吉绒隆沟异地扶贫安置点距离县城仅几百米。";
    let tagged = vec![
        model_span(text, "绒隆沟", 0, "LOC"),
        model_span(text, "吉绒隆沟", 1, "LOC"),
    ];
    let tokens = recognizer().tokens(text);
    let mut again = repeats::repeats(text, &tokens, &tagged, &[]);
    repeats::outrank_shorter(&tagged, &mut again);
    let first = again
        .iter()
        .find(|c| &text[c.range.clone()] == "吉绒隆沟" && c.range.start < tagged[0].range.start)
        .expect("the repeat at the first place");
    assert_eq!(first.priority, 3);
    // Where the model found the whole name, the repeat keeps its own priority.
    assert!(
        again
            .iter()
            .filter(|c| c.range == tagged[1].range)
            .all(|c| c.priority == 2)
    );
}

#[test]
fn one_name_is_one_kind_in_a_document() {
    let text =
        "第一书记陈驻军来到大棚。陈驻军把想法告诉书记。开展彭水农特产品活动，潼南、彭水两地合作。";
    let mut c = vec![
        model_span(text, "陈驻军", 0, "PER"),
        model_span(text, "陈驻军", 1, "ORG"),
        model_span(text, "彭水", 0, "PER"),
        model_span(text, "彭水", 1, "LOC"),
    ];
    people::one_kind_per_name(text, &|w| w == "彭水", &mut c);
    let labels: Vec<&str> = c.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["PER", "PER", "LOC", "LOC"]);
    // An organisation's name with its suffix stays one, whatever else the text calls it.
    let text = "王家合作社成立了。王家合作社的社员说。";
    let mut c = vec![
        model_span(text, "王家合作社", 0, "PER"),
        model_span(text, "王家合作社", 1, "ORG"),
    ];
    people::one_kind_per_name(text, &|_| false, &mut c);
    assert_eq!(c[1].label, "ORG");
}

#[test]
fn a_news_site_is_an_org() {
    has_by_model(
        "中国甘肃网10月18日讯（记者 孙珩力）下午，新闻发布会举行。",
        "中国甘肃网",
        "ORG",
    );
    has_by_model(
        "青岛新闻网12月25日讯 昨天上午，签约仪式举行。",
        "青岛新闻网",
        "ORG",
    );
    lacks("全面建成农村电网，织密防返贫监测网。", "监测网");
    // The end of a longer name: not a site of its places alone.
    lacks("来源:每日甘肃网-甘肃农民报", "甘肃网");
    let f = found_by_model("全面建成农村电网，织密防返贫监测网，天罗地网。", None);
    assert!(!f.iter().any(|(_, l)| l == "ORG"), "{f:?}");
}

#[test]
fn a_photo_credit_after_a_captions_sentence_names_the_photographer() {
    has(
        "贵州省黔西市协和镇仡仲村，驻村第一书记肖庆仙在了解农户种植情况。 周训超摄（影像中国）",
        "周训超",
        "PER",
    );
}

#[test]
fn a_surname_and_a_term_of_address_is_no_name() {
    let text = "“我们夫妻俩年纪大了。”吴老激动地说。吴继明是脱贫户。";
    let mut c = vec![
        model_span(text, "吴老", 0, "PER"),
        model_span(text, "吴继明", 0, "PER"),
    ];
    recognizer().drop_unnamed_people(text, &recognizer().tokens(text), &mut c);
    let kept: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(kept, ["吴继明"]);
    // Nor a surname char and a place's suffix: the end of a village's name.
    let text = "确定鸡公梁村成立展华茶叶合作社。";
    let mut c = vec![model_span(text, "梁村", 0, "PER")];
    recognizer().drop_unnamed_people(text, &recognizer().tokens(text), &mut c);
    assert!(c.is_empty());
}

#[test]
fn a_bare_topic_is_no_policy_and_a_named_strategy_is() {
    let text = "聚焦乡村振兴，大凉山正在全面实施乡村振兴战略。";
    let tokens = recognizer().tokens(text);
    let mut c = vec![
        model_span(text, "乡村振兴", 0, "POLICY"),
        model_span(text, "乡村振兴", 1, "POLICY"),
    ];
    recognizer().drop_unnamed_policies(text, &tokens, &mut c);
    let kept: Vec<&str> = c.iter().map(|c| &text[c.range.clone()]).collect();
    assert_eq!(kept, ["乡村振兴战略"]);
}

#[test]
fn a_captions_speaker_is_a_person() {
    let text = "  四川省凉山彝族自治州喜德县中坝村文瀚小学学生 何玲：\n  这是最大的舞台。\n\
                目标 任务：全面脱贫。";
    has(text, "何玲", "PER");
    lacks(text, "任务");
    has_by_model(text, "何玲", "PER");
}

#[test]
fn a_newspapers_edition_and_a_title_after_a_newspaper() {
    has(
        "《人民日报海外版》（2018年12月14日第03版）",
        "人民日报海外版",
        "ORG",
    );
    has_by_model(
        "今天，梅州日报编委、全媒要闻部主任李莹带领全媒体记者走进五华县潭下镇大玉村。",
        "梅州日报",
        "ORG",
    );
    let f = found_by_model("今天，梅州日报编委、全媒要闻部主任李莹带领记者进村。", None);
    assert!(!f.iter().any(|(t, _)| t == "梅州日报编委"), "{f:?}");
}

#[test]
fn a_place_cut_inside_its_divisions_word_takes_the_body_after_it() {
    // The model's place ends inside 平利县 (陕西省平利 | 县 | 委 | 书记): with the committee
    // after the word, one ORG.
    let text = "陕西省平利县委书记郑小东：举全县之力。";
    let tokens = recognizer().tokens(text);
    let mut c = vec![model_span(text, "陕西省平利", 0, "LOC")];
    organisations::places_with_bodies(&tokens, &mut c);
    assert_eq!(&text[c[0].range.clone()], "陕西省平利县委");
    assert_eq!(c[0].label, "ORG");
    // Without a body after the word, the place is left as it is.
    let text = "陕西省平利县的村民说。";
    let tokens = recognizer().tokens(text);
    let mut c = vec![model_span(text, "陕西省平利", 0, "LOC")];
    organisations::places_with_bodies(&tokens, &mut c);
    assert_eq!(c[0].label, "LOC");
}

#[test]
fn a_photo_credit_after_its_outlet_names_the_photographer() {
    has(
        "记者见面会现场。人民网 焦艳摄\n分享人：项忠红",
        "焦艳",
        "PER",
    );
    has(
        "6月2日，工人在扶贫工厂工作。新华社记者 杨世尧 摄\n",
        "杨世尧",
        "PER",
    );
    has_by_model("记者见面会现场。人民网 焦艳摄\n", "焦艳", "PER");
}

#[test]
fn a_name_glued_to_the_char_after_it_is_the_name() {
    // jieba-rs's unknown-word model reads 曾毓仲时 and 曾毓仲正 as names of four chars.
    let text = "村民曾毓仲是采访对象，曾毓仲逐步丧失劳动能力。第一次见到曾毓仲时，\
                曾毓仲正躺在床上，将曾毓仲转送到了医院。";
    let f = found_by_model(text, None);
    let people: Vec<&str> = f
        .iter()
        .filter(|(_, l)| l == "PER")
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(people, ["曾毓仲"; 5], "{f:?}");
}

#[test]
fn an_organisation_ends_before_a_verb_after_its_suffix() {
    let cut = |text: &str, s: &str| {
        after_pass(text, s, "ORG", |t, c| {
            organisations::cut_at_inner_verbs(t, c)
        })
        .0
    };
    assert_eq!(
        cut("中益乡小学离乡政府办公地不远。", "中益乡小学离乡政府"),
        "中益乡小学"
    );
    // A verb inside a body's own name, not after a suffix, stays.
    assert_eq!(
        cut("扶贫开发领导小组办公室召开会议。", "扶贫开发领导小组办公室"),
        "扶贫开发领导小组办公室"
    );
}

#[test]
fn the_names_of_a_credit_line_are_all_people() {
    let text = "村民自编山歌。\n策 划：张宋红\n播 控：郑常 刘猛 何南 王冠\n监 制：张宋红 王璐\n";
    has_by_model(text, "王冠", "PER");
    has_by_model(text, "郑常", "PER");
    // Not where an item is something else, or the line is prose.
    let tagged = vec![
        model_span("地点：北京 上海 广州", "北京", 0, "LOC"),
        model_span("地点：北京 上海 广州", "上海", 0, "LOC"),
    ];
    assert!(repeats::credit_lines("地点：北京 上海 广州", &tagged).is_empty());
    // A block of credit lines, one name each; a source's outlet is no person.
    let text = "正文。\n来源：刘歆\n编辑：谭敏\n核编：易奇勋\n来源：人民网\n";
    let tagged = vec![
        model_span(text, "刘歆", 0, "PER"),
        model_span(text, "谭敏", 0, "PER"),
    ];
    let found: Vec<&str> = repeats::credit_lines(text, &tagged)
        .iter()
        .map(|c| &text[c.range.clone()])
        .collect();
    assert_eq!(found, ["易奇勋"]);
}

#[test]
fn facilities_before_a_kind_of_place_are_no_places() {
    let text = "来到斜溪村产业扶贫基地、江东村新时代文明实践中心、爱心超市等地调研。";
    let f = found_by_model(text, None);
    assert!(
        !f.iter().any(|(t, _)| t == "爱心超市" || t == "实践中心"),
        "{f:?}"
    );
    has("白云、花都、增城等区", "花都", "LOC");
    // A list of bodies named by their kind keeps its items, which end with suffixes.
    has(
        "市银监局、市人行、市农行、市邮政银行等金融机构主动对接。",
        "市人行",
        "ORG",
    );
}

#[test]
fn a_village_the_dictionary_knows_is_repeated_as_a_place() {
    // jieba's dictionary has 星火村/n.
    let text = "她选择了星火村进行拍摄。“星火村全村的人外出打工。”大家走进了星火村。";
    let tagged = vec![model_span(text, "星火村", 0, "LOC")];
    let again = repeats::repeats(text, &recognizer().tokens(text), &tagged, &[]);
    let starts: Vec<usize> = again.iter().map(|c| c.range.start).collect();
    let want: Vec<usize> = text.match_indices("星火村").map(|(i, _)| i).collect();
    assert_eq!(starts, want);
    // A common word the model tagged as a place is not repeated (行政村/n is no name).
    let text = "行政村发展旅游。行政村的孩子上学。";
    let tagged = vec![model_span(text, "行政村", 0, "LOC")];
    assert!(repeats::repeats(text, &recognizer().tokens(text), &tagged, &[]).is_empty());
}

#[test]
fn a_broadcast_speakers_line_names_the_speaker() {
    let text = "【同期声】凉山彝族自治州悬崖村 村民 甲拉以洛\n外头人帮助我们修路。\n\
                【同期声】凉山彝族自治州支尔莫乡 党委书记 阿吾木牛\n脱贫攻坚是一场硬仗。\n\
                【同期声】摄影师 赵明\n我相信这里的村民。\n【同期声】习近平总书记\n我最牵挂的还是困难群众。\n";
    has(text, "甲拉以洛", "PER");
    has(text, "阿吾木牛", "PER");
    has_by_model(text, "甲拉以洛", "PER");
    has_by_model(text, "赵明", "PER");
    lacks(text, "习近平总书记");
}

#[test]
fn a_place_or_body_ends_before_a_function_word() {
    let trim = |text: &str, s: &str, label: &str| {
        after_pass(text, s, label, |t, c| {
            places::trim_function_chars(text, t, c)
        })
    };
    let (name, label) = trim("1918年，冰岛仍处于丹麦的政治控制下。", "冰岛仍", "ORG");
    assert_eq!(name, "冰岛");
    assert_eq!(label, "LOC");
    // A place's suffix the segmenter calls a bound morpheme stays (村/zg).
    let (name, _) = trim("他去了秋那桶村的学校。", "秋那桶村", "LOC");
    assert_eq!(name, "秋那桶村");
}

#[test]
fn a_reduplicated_word_before_de_describes_no_one() {
    // jieba's dictionary tags 黄灿灿 nr.
    let text = "在白羊村的山坡上，黄灿灿的温州蜜桔挂满枝头。";
    let mut c = vec![model_span(text, "黄灿灿", 0, "PER")];
    recognizer().drop_unnamed_people(text, &recognizer().tokens(text), &mut c);
    assert!(c.is_empty());
    // A name of that form is a name: not a word of the dictionary.
    let text = "村民王芳芳的家里种了蜜桔。";
    let mut c = vec![model_span(text, "王芳芳", 0, "PER")];
    recognizer().drop_unnamed_people(text, &recognizer().tokens(text), &mut c);
    assert_eq!(c.len(), 1);
}

#[test]
fn a_place_after_a_count_is_a_kind_of_place() {
    let text = "如何将这两个建扶村扶上致富路？全镇5个示范村。";
    let mut c = vec![
        model_span(text, "建扶村", 0, "LOC"),
        model_span(text, "示范村", 0, "LOC"),
    ];
    places::drop_generic(text, &mut c);
    assert!(c.is_empty());
}

#[test]
fn a_captions_speaker_may_have_a_long_name() {
    let text =
        "记者：目前你家里有多少羊？\n临夏州东乡县龙泉镇老庄村村民 马一布拉黑麦：七八十只羊。\n";
    has(text, "马一布拉黑麦", "PER");
    has_by_model(text, "马一布拉黑麦", "PER");
}
