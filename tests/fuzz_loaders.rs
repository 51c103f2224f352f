//! Property tests over the loaders (issue 17): arbitrary bytes and arbitrary spans into the
//! RON annotation files, the JSONL import and the article decoder. Nothing panics; whatever
//! loads holds only spans that fit the article; a file that did not load whole is never
//! overwritten. Bounded for CI (`PROPTEST_CASES` runs more).

use biaozhu::corpus::{Corpus, Document, decode};
use biaozhu::model::span::{AnnotationFile, Origin, Span, Status};
use biaozhu::store::{Store, to_ron};
use proptest::prelude::*;

const TEXT: &str = "标题\n\n白城市投入5.3亿元,带动贫困户874户。𠮟\n";

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(128),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A temporary corpus with one article and an annotations folder.
struct World {
    dir: tempfile::TempDir,
    corpus: Corpus,
    store: Store,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    std::fs::write(dir.path().join("corpus/d1.txt"), TEXT).unwrap();
    let corpus = Corpus::open(&dir.path().join("corpus")).unwrap();
    let store = Store::new(dir.path().join("annotations"));
    World { dir, corpus, store }
}

/// Every span of a loaded file fits the article.
fn check_loaded(w: &World, annotator: &str) -> Result<(), TestCaseError> {
    let doc = &*w.corpus.doc(0).unwrap();
    if let Ok(Some(l)) = w.store.load(annotator, doc) {
        prop_assert_eq!(&l.file.annotator, annotator);
        for s in &l.file.spans {
            prop_assert!(s.start < s.end, "{}..{}", s.start, s.end);
            prop_assert!(s.end <= doc.char_len());
            if !s.unanchored {
                prop_assert_eq!(doc.slice(s.range()), s.text.as_str());
            }
        }
    }
    Ok(())
}

fn write(w: &World, annotator: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = w.store.path(annotator, "d1");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A span as a hand editor might leave it: any offsets, any label, any text.
fn arb_span() -> impl Strategy<Value = (usize, usize, String, String, bool)> {
    let labels = prop_oneof![
        Just("LOC".to_string()),
        Just("MONEY".to_string()),
        Just("".to_string()),
        Just("O".to_string()),
        Just("two words".to_string()),
        Just("TAB\tX".to_string()),
        "[A-Za-z0-9_ \\n-]{0,6}",
    ];
    (
        0usize..40,
        0usize..40,
        labels,
        "[白城市投入亿元0-9a-z]{0,4}",
        any::<bool>(),
    )
}

/// A valid file of the article to mutate.
fn valid_file() -> String {
    let doc = Document::from_text("d1", TEXT);
    let mut f = AnnotationFile::new("d1", &doc.fingerprint, "alice");
    f.spans
        .push(Span::new(&doc.text, 4, 7, "LOC", Status::Accepted, Origin::Manual).unwrap());
    f.spans
        .push(Span::suggestion(&doc.text, 9, 14, "MONEY", "money", None).unwrap());
    to_ron(&f)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_as_an_annotation_file(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let w = world();
        write(&w, "alice", &bytes);
        check_loaded(&w, "alice")?;
        let (_, problems) = w.store.load_all("alice", &w.corpus);
        let _ = problems;
    }

    #[test]
    fn a_valid_file_cut_or_with_bytes_changed(
        cut in 0usize..2000,
        flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..4),
    ) {
        let w = world();
        let mut bytes = valid_file().into_bytes();
        for (at, b) in flips {
            if !bytes.is_empty() {
                let n = bytes.len();
                bytes[at % n] = b;
            }
        }
        bytes.truncate(cut.min(bytes.len()));
        let path = write(&w, "alice", &bytes);
        check_loaded(&w, "alice")?;
        // Whatever a writer does next, a file that did not load whole stays as it was.
        let doc = &*w.corpus.doc(0).unwrap();
        let whole = matches!(w.store.load("alice", doc), Ok(Some(ref l)) if !l.version.damaged());
        let _ = w.store.update("alice", doc, |f| {
            f.spans.clear();
            true
        });
        if !whole {
            prop_assert_eq!(std::fs::read(&path).unwrap(), bytes);
        }
    }

    #[test]
    fn arbitrary_spans_in_a_well_formed_file(
        spans in proptest::collection::vec(arb_span(), 0..8),
        same_text in any::<bool>(),
    ) {
        let w = world();
        let doc = &*w.corpus.doc(0).unwrap();
        let fingerprint = if same_text { doc.fingerprint.clone() } else { "sha256:old".into() };
        let lines: Vec<String> = spans
            .iter()
            .map(|(start, end, label, text, unanchored)| {
                format!(
                    "(start: {start}, end: {end}, label: {label:?}, text: {text:?}, status: Accepted, origin: Manual, unanchored: {unanchored})"
                )
            })
            .collect();
        let ron = format!(
            "(format: 1, doc: \"d1\", fingerprint: {fingerprint:?}, annotator: \"mallory\", status: InProgress, spans: [\n{}\n])",
            lines.join(",\n")
        );
        write(&w, "alice", ron.as_bytes());
        check_loaded(&w, "alice")?;
        let l = w.store.load("alice", doc).unwrap().unwrap();
        prop_assert_eq!(l.file.spans.len() + l.problems.iter().filter(|p| p.left_out).count(), spans.len());
        // Exports of what loaded never fail.
        let opts = biaozhu::export::Options { annotator: "alice".into(), ..Default::default() };
        for format in biaozhu::export::Format::ALL {
            let out = w.dir.path().join(format!("out.{}", format.name()));
            let _ = biaozhu::export::run(&w.corpus, &w.store, &Default::default(), &opts, format, &out, &|_| {});
        }
    }

    #[test]
    fn arbitrary_jsonl_imports(lines in proptest::collection::vec(
        prop_oneof![
            "[ -~]{0,40}".prop_map(|s| s),
            (0i64..40, -2i64..40, "[A-Z ]{0,4}|O|LOC").prop_map(|(s, e, l)| {
                format!("{{\"id\": \"d1\", \"label\": [[{s}, {e}, {l:?}]]}}")
            }),
            (0i64..40, -2i64..40).prop_map(|(s, e)| {
                format!("{{\"id\": \"d1\", \"entities\": [{{\"label\": \"ORG\", \"start_offset\": {s}, \"end_offset\": {e}}}]}}")
            }),
        ],
        0..6,
    ), bom in any::<bool>()) {
        let w = world();
        let mut input = lines.join("\n");
        if bom {
            input.insert(0, '\u{feff}');
        }
        let _ = biaozhu::export::jsonl::import(&w.corpus, &w.store, "alice", &input);
        check_loaded(&w, "alice")?;
        let l = w.store.load("alice", &w.corpus.doc(0).unwrap()).unwrap();
        if let Some(l) = l {
            // What the import wrote loads whole (a label outside the schema is only told).
            prop_assert!(!l.version.damaged(), "{:?}", l.problems);
        }
    }

    #[test]
    fn arbitrary_bytes_as_an_article(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(d) = decode(&bytes) {
            prop_assert!(!d.text.contains('\r'));
            prop_assert!(d.bad_bytes.iter().all(|&b| b < bytes.len()));
            let doc = Document::from_text("x", &d.text);
            let _ = biaozhu::suggest::suggest(&doc, &biaozhu::suggest::Options { no_entities: true, ..Default::default() });
        }
    }
}
