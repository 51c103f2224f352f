//! Costs that must stay linear in the size of the input (issue 17, item 12): `suggest` on one
//! long single-line document, importing one JSONL line with many spans, suggesting with a
//! large learned memory, and exporting a RON file with many spans (time and peak memory).
//! Each case runs at three sizes, each in its own process (so peak memory is that case's);
//! the "per unit" column shows whether the cost grows linearly. Prints figures; asserts nothing.
//!
//! Run: `cargo bench --no-default-features --bench costs` (`BIAOZHU_COSTS_SCALE=0.25` for
//! quarter sizes, `BIAOZHU_COSTS_CASES=suggest,memory` for some cases).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use biaozhu::corpus::{Corpus, Document};
use biaozhu::model::span::{AnnotationFile, Origin, Span, Status};
use biaozhu::store::Store;
use biaozhu::suggest::memory::Memory;
use biaozhu::suggest::{Options, suggest};

/// Forgets the peak so far (Linux: writing 5 to clear_refs resets VmHWM), so that what a case
/// prepares does not count in its peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

mod common;
use common::peak_mb;

fn seeds() -> Corpus {
    Corpus::open(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))).expect("seeds")
}

/// The seeds' texts on one line, repeated to at least `bytes`.
fn one_line(bytes: usize) -> String {
    let seeds = seeds();
    let mut s = String::with_capacity(bytes + 10_000);
    while s.len() < bytes {
        for (_, d) in seeds.iter() {
            s.push_str(&d.expect("seed").text.replace('\n', " "));
        }
    }
    s
}

/// A deterministic stream of pseudo-random numbers (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Runs one case at one size in this process; returns (seconds, what was done).
fn run_case(case: &str, n: usize) -> (f64, String) {
    match case {
        "suggest" => {
            // As `biaozhu suggest FILE`: decode, structure, suggestions, JSON lines.
            let text = one_line(n);
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("long.txt");
            std::fs::write(&path, &text).expect("write");
            biaozhu::suggest::entities::recognizer();
            // Boilerplate included: a line made of whole articles is taken for a link list,
            // and the point is the cost of suggesting on all of it.
            let opts = Options {
                include_boilerplate: true,
                ..Options::default()
            };
            let t = Instant::now();
            let doc = Document::load(&path).expect("document");
            let mut out = 0;
            for s in suggest(&doc, &opts) {
                out += s.to_json(&doc).to_string().len();
            }
            (t.elapsed().as_secs_f64(), format!("{out} bytes of JSON"))
        }
        "import" => {
            // One JSONL line with `n` spans on a document of 4n chars.
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus_dir = dir.path().join("corpus");
            std::fs::create_dir_all(&corpus_dir).expect("dir");
            let base: Vec<char> = one_line(100_000).chars().collect();
            let text: String = base.iter().cycle().take(4 * n).collect();
            std::fs::write(corpus_dir.join("long.txt"), &text).expect("write");
            let corpus = Corpus::open(&corpus_dir).expect("corpus");
            let labels: Vec<serde_json::Value> = (0..n)
                .map(|i| serde_json::json!([4 * i, 4 * i + 3, "LOC"]))
                .collect();
            let line = serde_json::json!({"id": "long", "text": text, "label": labels}).to_string();
            let store = Store::new(dir.path().join("annotations"));
            reset_peak();
            let t = Instant::now();
            let report =
                biaozhu::export::jsonl::import(&corpus, &store, "alice", &line).expect("import");
            (
                t.elapsed().as_secs_f64(),
                format!("{} spans imported", report.spans),
            )
        }
        "memory" => {
            // A learned memory of `n` strings, pieces of the seeds' text (so that many occur
            // in every article) and random strings beyond those; the time to suggest on one
            // seed article, as the command line does (the memory shared) and as the app does
            // (a copy per document).
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let mut memory = Memory::default();
            let labels = ["PER", "LOC", "ORG", "POLICY"];
            let docs: Vec<std::sync::Arc<Document>> =
                seeds().iter().map(|(_, d)| d.expect("seed")).collect();
            let chars: Vec<char> = docs
                .iter()
                .flat_map(|d| d.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            for _ in 0..n {
                let len = 2 + (rng.next() % 4) as usize;
                let at = (rng.next() as usize) % (chars.len() - len);
                let s: String = if memory.accepted.len() < n / 4 {
                    chars[at..at + len].iter().collect()
                } else {
                    (0..len)
                        .map(|_| {
                            char::from_u32(0x4E00 + (rng.next() % 0x51A5) as u32).unwrap_or('中')
                        })
                        .collect()
                };
                memory.accept(&s, labels[(rng.next() % 4) as usize]);
            }
            biaozhu::suggest::entities::recognizer();
            let memory = Arc::new(memory);
            let opts = Options {
                memory: Some(memory.clone()),
                ..Options::default()
            };
            let t = Instant::now();
            let mut found = 0;
            for d in &docs {
                found += suggest(d, &opts).len();
            }
            let shared = t.elapsed().as_secs_f64() / docs.len() as f64;
            let t = Instant::now();
            for d in &docs {
                let copy = Options {
                    memory: Some(Arc::new((*memory).clone())),
                    ..Options::default()
                };
                found += suggest(d, &copy).len();
            }
            let copied = t.elapsed().as_secs_f64() / docs.len() as f64;
            (
                shared.max(copied),
                format!(
                    "per document: {shared:.3} s shared, {copied:.3} s copied per document ({found} suggestions)"
                ),
            )
        }
        "export" => {
            // A RON file with `n` spans (a document of 4n chars), exported as JSONL.
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus_dir = dir.path().join("corpus");
            std::fs::create_dir_all(&corpus_dir).expect("dir");
            let base: Vec<char> = one_line(100_000).chars().collect();
            let text: String = base.iter().cycle().take(4 * n).collect();
            std::fs::write(corpus_dir.join("long.txt"), &text).expect("write");
            let corpus = Corpus::open(&corpus_dir).expect("corpus");
            let doc = corpus.doc(0).expect("document");
            let store = Store::new(dir.path().join("annotations"));
            let mut file = AnnotationFile::new(&doc.id, &doc.fingerprint, "alice");
            let chars: Vec<char> = doc.text.chars().collect();
            file.spans = (0..n)
                .map(|i| Span {
                    start: 4 * i,
                    end: 4 * i + 3,
                    label: "LOC".into(),
                    text: chars[4 * i..4 * i + 3].iter().collect(),
                    status: Status::Accepted,
                    origin: Origin::Manual,
                    value: None,
                    note: None,
                    suggested: None,
                    changes: Vec::new(),
                    unanchored: false,
                })
                .collect();
            let path = store.path("alice", &doc.id);
            std::fs::create_dir_all(path.parent().expect("folder")).expect("dir");
            std::fs::write(&path, biaozhu::store::to_ron(&file)).expect("write");
            drop(file);
            drop(chars);
            let out = dir.path().join("out.jsonl");
            reset_peak();
            let t = Instant::now();
            let summary = biaozhu::export::run(
                &corpus,
                &store,
                &Default::default(),
                &biaozhu::export::Options {
                    annotator: "alice".into(),
                    ..Default::default()
                },
                biaozhu::export::Format::Jsonl,
                &out,
                &|_| {},
            )
            .expect("export");
            (
                t.elapsed().as_secs_f64(),
                format!("{} spans exported", summary.spans),
            )
        }
        other => panic!("unknown case {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--case") {
        let case = &args[i + 1];
        let n: usize = args[i + 2].parse().expect("size");
        let (secs, what) = run_case(case, n);
        println!("{secs} {} {what}", peak_mb());
        return;
    }
    let scale: f64 = std::env::var("BIAOZHU_COSTS_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    let cases: [(&str, &str, [usize; 3], f64); 4] = [
        ("suggest", "MB", [3_000_000, 6_000_000, 12_000_000], 1e6),
        ("import", "k spans", [40_000, 80_000, 160_000], 1e3),
        ("memory", "k entries", [50_000, 100_000, 200_000], 1e3),
        ("export", "k spans", [250_000, 500_000, 1_000_000], 1e3),
    ];
    let only: Option<String> = std::env::var("BIAOZHU_COSTS_CASES").ok();
    let exe = std::env::current_exe().expect("own path");
    for (case, unit, sizes, per) in cases {
        if only
            .as_ref()
            .is_some_and(|o| !o.split(',').any(|c| c == case))
        {
            continue;
        }
        for size in sizes {
            let n = ((size as f64) * scale) as usize;
            let out = std::process::Command::new(&exe)
                .args(["--case", case, &n.to_string()])
                .output()
                .expect("runs itself");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let line = stdout.lines().last().unwrap_or_default();
            let mut parts = line.splitn(3, ' ');
            let secs: f64 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(f64::NAN);
            let peak: f64 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(f64::NAN);
            let what = parts.next().unwrap_or_default();
            let units = n as f64 / per;
            println!(
                "{case:<8} {units:>7.1} {unit:<9} {secs:>8.3} s  {:>8.4} s per {}  peak {peak:>7.0} MB  {what}{}",
                secs / units,
                unit.trim_start_matches("k "),
                if out.status.success() {
                    String::new()
                } else {
                    format!("  FAILED: {}", String::from_utf8_lossy(&out.stderr).trim())
                }
            );
        }
    }
}
