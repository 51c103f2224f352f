//! Figure-suggestion throughput on a corpus of at least 20 MB made from the seeds, single
//! thread, plus the whole folder in parallel. Prints figures; asserts nothing about time.
//!
//! Run: `cargo bench --no-default-features --bench suggest`

use std::time::Instant;

use biaozhu::corpus::{Corpus, Document};
use biaozhu::suggest::{Options, suggest};
use rayon::prelude::*;

fn main() {
    let seeds = Corpus::open(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds"
    )))
    .expect("seeds folder");
    let target = 20 * 1024 * 1024;
    let mut docs = Vec::new();
    let mut bytes = 0;
    let mut k = 0;
    while bytes < target {
        for s in &seeds.docs {
            let d = Document::from_text(format!("{}_{k}", s.id), &s.text);
            bytes += d.text.len();
            docs.push(d);
        }
        k += 1;
    }
    let mb = bytes as f64 / 1e6;
    let opts = Options::default();

    // Warm-up, then the best of three single-thread passes.
    let mut n = 0;
    for d in docs.iter().take(50) {
        n += suggest(d, &opts).len();
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        n = 0;
        for d in &docs {
            n += suggest(d, &opts).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "figure suggestions, single thread: {mb:.1} MB in {} docs, {n} suggestions, {best:.3} s, {:.1} MB/s",
        docs.len(),
        mb / best
    );

    let t = Instant::now();
    let m: usize = docs.par_iter().map(|d| suggest(d, &opts).len()).sum();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "figure suggestions, {} threads: {m} suggestions, {secs:.3} s, {:.1} MB/s",
        rayon::current_num_threads(),
        mb / secs
    );

    let t = Instant::now();
    for d in docs.iter().take(2000) {
        std::hint::black_box(biaozhu::structure::Structure::detect(&d.text));
    }
    let per = t.elapsed().as_secs_f64() / 2000.0;
    println!("structure detection: {:.3} ms per article", per * 1e3);
}
