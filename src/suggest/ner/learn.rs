//! Learning from the analyst: an annotator's entity model grows from the shipped one on their
//! decisions — accepted, added, relabelled and imported entities as positives, rejected
//! suggestions as negatives — while it rehearses what it knew on general text that it labels
//! itself ([`rehearsal`]), and lives in `annotations/<annotator>.model`, beside the learned
//! memory. It is rebuilt when missing or older than the annotator's files; a
//! [`Retrainer`] rebuilds it on a background thread while the analyst works.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::SystemTime;

use super::data::{Example, sequences};
use super::features::{Extractor, Features};
use super::model::{self, LABELS, Model};
use super::train::Sequence;
use super::train::{Settings, train};
use crate::corpus::Corpus;
use crate::model::span::{AnnotationFile, DocStatus, Status};
use crate::store::{Store, check_name, write_atomic};
use crate::suggest::entities::recognizer;

/// Passes over the annotator's documents (and the rehearsal text) when tuning the base model.
const EPOCHS: usize = 8;
/// The margin by which the annotator's decisions must win (see [`Settings::margin`]), in the
/// units of the base model's weights: 128 since the base is trained with a margin of 64 (its
/// weights are larger than a plain perceptron's, and 8 then taught less than nothing: k = 1
/// on `dev/gold.jsonl` 0.787 against 0.810 untaught); learning curves over 32–512
/// (data/README.md). 8 from format 7 to 8, 4 before.
const MARGIN: f32 = 128.0;
/// How many times the annotator's updates count.
pub const WEIGHT: u32 = 2;
/// Chars of rehearsal text ([`rehearsal`]) per char of the annotator's lines in training.
/// These four were measured together with `evaluate --learning-curve` (data/README.md; again
/// with `--runs` after the base model and features changed: all within the noise):
/// without rehearsal the tuning forgets the base model's knowledge on documents unlike the
/// annotated ones; with a fixed 100,000 chars of it the model no longer learns a new pattern
/// from one short document; 1–2 chars per char keep both. 1 since the listed places: the same
/// curves (18 and 10 runs: `dev/gold.jsonl` 0.702 against 0.701 over k = 1–8, the seeds 0.749
/// against 0.741 over k = 1–4), and two documents taught a new shop name in 5 of the six sets
/// of tests/train.rs instead of 4.
pub const REHEARSAL: usize = 1;
/// Trainings in other shuffling orders averaged into the annotator's model: 3 scored within
/// the noise of 1 over 18 and 10 learning curves (data/README.md) for 3 times the retraining.
pub const MIXES: u64 = 1;

/// The annotator's newest done documents that check their model against the shipped one
/// ([`check`]): at most this many, and never all of them (one at least is learned from).
pub const CHECKED: usize = 2;

/// Where `annotator`'s model lives under the annotations folder.
pub fn path(root: &Path, annotator: &str) -> PathBuf {
    root.join(format!("{annotator}.model"))
}

/// A training example from one annotation file: the whole document when it is marked done,
/// else only the lines with a decision. Rejected entity spans stay O (negative evidence);
/// suggestions not yet reviewed say nothing.
pub fn example(file: &AnnotationFile, text: &str) -> Option<Example> {
    let entity = |l: &str| LABELS.contains(&l);
    let decided: Vec<Range<usize>> = file
        .spans
        .iter()
        .filter(|s| entity(&s.label) && s.status != Status::Suggested)
        .map(|s| s.range())
        .collect();
    if decided.is_empty() && file.status != DocStatus::Done {
        return None;
    }
    Some(Example {
        id: file.doc.clone(),
        text: text.to_owned(),
        spans: file
            .spans
            .iter()
            .filter(|s| entity(&s.label) && s.status.is_final())
            .map(|s| (s.start, s.end, s.label.clone()))
            .collect(),
        reviewed: (file.status != DocStatus::Done).then_some(decided),
        weight: WEIGHT,
    })
}

/// Training examples from every file `annotator` has for `corpus`, and problems with files
/// that could not be read.
/// They come in the order the annotator last saved them (oldest first), so that the newest
/// done documents are the last ones ([`check`]).
pub fn examples(root: &Path, annotator: &str, corpus: &Corpus) -> (Vec<Example>, Vec<String>) {
    let store = Store::new(root);
    let (mut files, problems) = store.load_all(annotator, corpus);
    let saved = |doc: &str| {
        std::fs::metadata(store.path(annotator, doc))
            .and_then(|m| m.modified())
            .ok()
    };
    // Ties (and unreadable times) keep the corpus order: the sort is stable.
    files.sort_by_cached_key(|(_, f)| saved(&f.doc));
    let ex = files
        .iter()
        .filter_map(|(i, f)| example(f, &corpus.read(*i).ok()?.text))
        .collect();
    (ex, problems)
}

/// General text the annotator's model rehearses what the base model knew on: the first
/// 100,000 chars of sentences of the Universal NER Chinese GSDSimp training split (text
/// only, CC BY-SA 4.0; see data/README.md).
const REHEARSAL_TEXT: &str = include_str!("../../../data/rehearsal.txt");

/// Rehearsal data: the lines of `texts` (as far as `budget` chars), each labelled with what
/// `base` says there. Tuning on these beside the annotator's documents keeps what the base
/// model knew (pseudo-rehearsal, Robins 1995): a change that the annotator's documents ask
/// for stays only where it costs little on text unlike them.
pub fn rehearsal_of(base: &Model, texts: &[&str], budget: usize) -> Vec<Sequence> {
    let rec = recognizer();
    let mut out = Vec::new();
    let mut chars = 0;
    let mut extractor = Extractor::default();
    for text in texts {
        for line in rec.lines_of(text) {
            if chars >= budget {
                return out;
            }
            chars += line.range.len();
            let mut feats = Features::default();
            extractor.extract(&line.signals, &mut feats);
            let tags = base.decode(&base.emissions(&feats));
            out.push(Sequence {
                feats,
                tags,
                weight: 1,
            });
        }
    }
    out
}

/// [`rehearsal_of`] the shipped rehearsal text (about 0.1 s; done once per base model).
pub fn rehearsal(base: &Model) -> Vec<Sequence> {
    rehearsal_of(base, &[REHEARSAL_TEXT], usize::MAX)
}

/// How the annotator's model is tuned: the constants above, and the shuffling seed
/// (`evaluate --learning-curve --runs` varies it to average over training orders).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tuning {
    /// Passes ([`EPOCHS`]).
    pub epochs: usize,
    /// Margin ([`MARGIN`]).
    pub margin: f32,
    /// How many times the annotator's updates count ([`WEIGHT`]).
    pub weight: u32,
    /// Rehearsal chars per annotator char ([`REHEARSAL`]).
    pub rehearsal: usize,
    /// Trainings in other shuffling orders averaged ([`MIXES`]).
    pub mixes: u64,
    /// Shuffling seed.
    pub seed: u64,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            epochs: EPOCHS,
            margin: MARGIN,
            weight: WEIGHT,
            rehearsal: REHEARSAL,
            mixes: MIXES,
            seed: Settings::default().seed,
        }
    }
}

/// The base model tuned on `examples` (the base alone when there are none), with `rehearsal`
/// sequences ([`rehearsal`]) in training beside them.
pub fn retrain(base: &Model, examples: &[Example], rehearsal: &[Sequence]) -> Model {
    retrain_with(base, examples, rehearsal, Tuning::default())
}

/// [`retrain`] with `tuning` instead of the constants. The examples keep their own weights
/// ([`Tuning::weight`] is what callers make them with: [`WEIGHT`] in the app).
pub fn retrain_with(
    base: &Model,
    examples: &[Example],
    rehearsal: &[Sequence],
    tuning: Tuning,
) -> Model {
    if examples.is_empty() {
        return base.clone();
    }
    let mut data = sequences(recognizer(), examples);
    // Rehearsal text in proportion to the annotator's lines: a few decisions still teach a
    // new pattern, many cannot push the model far from what it knew.
    let budget = tuning.rehearsal * data.iter().map(|s| s.tags.len()).sum::<usize>();
    let mut chars = 0;
    for r in rehearsal {
        if chars >= budget {
            break;
        }
        chars += r.tags.len();
        data.push(r.clone());
    }
    train(
        &data,
        Some(base),
        Settings {
            epochs: tuning.epochs,
            margin: tuning.margin,
            mixes: tuning.mixes,
            seed: tuning.seed,
            ..Settings::default()
        },
    )
}

/// How a model tuned on the annotator's documents fared against the shipped one on their
/// newest done documents, which it was not tuned on ([`check`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// Documents held out: the newest done ones ([`CHECKED`] at most).
    pub documents: usize,
    /// Exact entity F1 of the shipped model on them.
    pub base_f1: f64,
    /// Exact entity F1 of the model tuned on the annotator's other documents.
    pub tuned_f1: f64,
}

impl Check {
    /// Whether the shipped model is kept: the tuned one did worse on the held-out documents
    /// (a tie goes to the tuned one, which knows the annotator's other documents).
    pub fn keeps_base(&self) -> bool {
        self.tuned_f1 < self.base_f1
    }
}

/// Checks the tuning on the annotator's own documents before it is used: the base model is
/// tuned on all `examples` but the newest done documents (the last whole ones, at most
/// [`CHECKED`], one at least left to learn from), and its entity suggestions on those are
/// scored against the shipped model's (exact spans; the whole pipeline on the detected body,
/// as the analyst sees it, without the learned memory, which both would share). None with
/// fewer than two done documents: nothing to check on.
///
/// Tuning on a few documents of one outlet can teach patterns that do not hold on the next
/// (扶贫工程 as a programme, 金银花 as a person): with a base model trained on the genre, the
/// tuned model scored below the untaught one on documents of other outlets (data/README.md,
/// two halves of the development set). Held-out checks like this one decide whether a
/// recommender is used in INCEpTION too.
pub fn check(
    base: &Model,
    examples: &[Example],
    rehearsal: &[Sequence],
    tuning: Tuning,
) -> Option<Check> {
    let done: Vec<usize> = (0..examples.len())
        .filter(|&i| examples[i].reviewed.is_none())
        .collect();
    if done.len() < 2 {
        return None;
    }
    let held = &done[done.len() - CHECKED.min(done.len() - 1)..];
    let rest: Vec<Example> = (0..examples.len())
        .filter(|i| !held.contains(i))
        .map(|i| examples[i].clone())
        .collect();
    let tuned = retrain_with(base, &rest, rehearsal, tuning);
    let docs: Vec<crate::corpus::Document> = held
        .iter()
        .map(|&i| crate::corpus::Document::from_text(examples[i].id.clone(), &examples[i].text))
        .collect();
    let f1 = |m: Arc<Model>| {
        let (mut hit, mut predicted, mut gold) = (0, 0, 0);
        let opts = crate::suggest::Options {
            model: Some(m),
            ..Default::default()
        };
        for (k, &i) in held.iter().enumerate() {
            let e = &examples[i];
            let truth: HashSet<&(usize, usize, String)> = e.spans.iter().collect();
            let pred: Vec<(usize, usize, String)> = crate::suggest::suggest(&docs[k], &opts)
                .into_iter()
                .filter(|s| model::LABELS.contains(&s.label.as_str()))
                .map(|s| (s.start, s.end, s.label))
                .collect();
            hit += pred.iter().filter(|p| truth.contains(p)).count();
            predicted += pred.len();
            gold += truth.len();
        }
        2.0 * hit as f64 / (predicted + gold).max(1) as f64
    };
    Some(Check {
        documents: held.len(),
        base_f1: f1(Arc::new(base.clone())),
        tuned_f1: f1(Arc::new(tuned)),
    })
}

/// The annotator's model as the app and `suggest --annotator` use it: [`check`]ed, then the
/// base tuned on all `examples` ([`retrain_with`]), or the base as it is when the check
/// keeps it.
pub fn retrain_checked(
    base: &Model,
    examples: &[Example],
    rehearsal: &[Sequence],
    tuning: Tuning,
) -> (Model, Option<Check>) {
    let check = check(base, examples, rehearsal, tuning);
    if check.is_some_and(|c| c.keeps_base()) {
        return (base.clone(), check);
    }
    (retrain_with(base, examples, rehearsal, tuning), check)
}

/// What the analyst is told after a retraining: on how many documents, and how the check on
/// their newest done ones came out ([`check`]).
pub fn describe(documents: usize, check: Option<Check>) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match check {
        Some(c) if c.keeps_base() => format!(
            "entity model kept as shipped: on your {} newest done document{} it found entities \
             at F1 {:.3}, retrained on your other documents {:.3}",
            c.documents,
            plural(c.documents),
            c.base_f1,
            c.tuned_f1
        ),
        Some(c) => format!(
            "entity model retrained on {documents} document{} (on your {} newest done, \
             retrained without them: F1 {:.3}, as shipped {:.3})",
            plural(documents),
            c.documents,
            c.tuned_f1,
            c.base_f1
        ),
        None => format!(
            "entity model retrained on {documents} document{}",
            plural(documents)
        ),
    }
}

/// The newest modification time among the annotator's files (their folder and memory).
fn newest_input(root: &Path, annotator: &str) -> Option<SystemTime> {
    let mut newest = None;
    let mut see = |p: &Path| {
        if let Ok(t) = std::fs::metadata(p).and_then(|m| m.modified()) {
            newest = newest.max(Some(t));
        }
    };
    if let Ok(rd) = std::fs::read_dir(root.join(annotator)) {
        for e in rd.flatten() {
            if e.path().extension().is_some_and(|x| x == "ron") {
                see(&e.path());
            }
        }
    }
    see(&root.join(format!("{annotator}.memory.ron")));
    newest
}

/// What [`load_or_build`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The annotator has no decisions yet: the shipped model.
    Base,
    /// Their model file was up to date.
    Loaded,
    /// It was (re)built from their files and saved: from this many documents, with the check
    /// on their newest done ones (when it keeps the shipped model, that is what was saved).
    Built {
        /// Documents learned from.
        documents: usize,
        /// The check ([`check`]).
        check: Option<Check>,
    },
    /// Their model file is unusable: the shipped model, with this message.
    Fallback(String),
}

/// `annotator`'s model: loaded when its file is newer than their annotation files, else
/// rebuilt from them and saved. A model file that cannot be read falls back to the shipped
/// model with a message (it is rebuilt the next time their files change). Problems reading
/// annotation files are returned, not fatal.
pub fn load_or_build(
    root: &Path,
    annotator: &str,
    corpus: &Corpus,
    base: &Model,
) -> Result<(Arc<Model>, Outcome, Vec<String>), crate::error::StoreError> {
    check_name(annotator)?;
    let file = path(root, annotator);
    let Some(newest) = newest_input(root, annotator) else {
        return Ok((Arc::new(base.clone()), Outcome::Base, Vec::new()));
    };
    let saved = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
    // A model saved by another version of the features is rebuilt, not used or refused.
    let stale_version =
        || std::fs::read(&file).is_ok_and(|b| b.starts_with(b"BZNER") && !model::same_version(&b));
    if saved.is_some_and(|t| t >= newest) && !stale_version() {
        return Ok(match std::fs::read(&file).map(|b| Model::from_bytes(&b)) {
            Ok(Ok(m)) => (Arc::new(m), Outcome::Loaded, Vec::new()),
            Ok(Err(e)) => {
                let msg = format!("{}: {e}; using the shipped model", file.display());
                (Arc::new(base.clone()), Outcome::Fallback(msg), Vec::new())
            }
            Err(e) => {
                let msg = format!("{}: {e}; using the shipped model", file.display());
                (Arc::new(base.clone()), Outcome::Fallback(msg), Vec::new())
            }
        });
    }
    let (ex, problems) = examples(root, annotator, corpus);
    if ex.is_empty() {
        return Ok((Arc::new(base.clone()), Outcome::Base, problems));
    }
    let (model, check) = retrain_checked(base, &ex, &rehearsal(base), Tuning::default());
    write_atomic(&file, &model.to_bytes())?;
    let documents = ex.len();
    Ok((
        Arc::new(model),
        Outcome::Built { documents, check },
        problems,
    ))
}

/// What a retraining job learns from.
enum Source {
    /// These examples.
    Examples(Vec<Example>),
    /// The annotator's files on disk (read on the retraining thread).
    Files {
        root: PathBuf,
        annotator: String,
        corpus: Arc<Corpus>,
    },
}

/// A retraining job: what to learn from and where to save the model.
struct Job {
    source: Source,
    save_to: Option<PathBuf>,
}

/// A model the [`Retrainer`] finished.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model.
    pub model: Arc<Model>,
    /// How many documents it learned from (0: the base model as it is).
    pub documents: usize,
    /// The check on the newest done documents ([`check`]); when it keeps the shipped
    /// model, `model` is the shipped one.
    pub check: Option<Check>,
}

/// Retrains an annotator's model on a background thread: [`Retrainer::request`] (examples)
/// or [`Retrainer::request_files`] (their files, read on the thread) hands it a job (only the
/// newest waiting job is done), [`Retrainer::poll`] returns a finished model. The caller never
/// waits.
#[derive(Debug)]
pub struct Retrainer {
    jobs: Sender<Job>,
    done: Receiver<Result<Trained, String>>,
}

impl Retrainer {
    /// Starts the thread; it tunes `base`.
    pub fn spawn(base: Arc<Model>) -> std::io::Result<Self> {
        let (jobs, job_rx) = channel::<Job>();
        let (done_tx, done) = channel();
        std::thread::Builder::new()
            .name("biaozhu-retrain".into())
            .spawn(move || {
                // Built at the first job, on this thread: the window never waits for it.
                let mut rehearsed: Option<Vec<Sequence>> = None;
                while let Ok(mut job) = job_rx.recv() {
                    // Only the newest request matters.
                    while let Ok(newer) = job_rx.try_recv() {
                        job = newer;
                    }
                    let examples = match job.source {
                        Source::Examples(ex) => ex,
                        Source::Files {
                            root,
                            annotator,
                            corpus,
                        } => examples(&root, &annotator, &corpus).0,
                    };
                    let documents = examples.len();
                    let (model, check) = if examples.is_empty() {
                        ((*base).clone(), None)
                    } else {
                        let r = rehearsed.get_or_insert_with(|| rehearsal(&base));
                        retrain_checked(&base, &examples, r, Tuning::default())
                    };
                    let saved = match &job.save_to {
                        Some(p) if documents > 0 => {
                            write_atomic(p, &model.to_bytes()).map_err(|e| e.to_string())
                        }
                        _ => Ok(()),
                    };
                    let result = saved.map(|()| Trained {
                        model: Arc::new(model),
                        documents,
                        check,
                    });
                    if done_tx.send(result).is_err() {
                        return;
                    }
                }
            })?;
        Ok(Self { jobs, done })
    }

    /// Asks for a model trained on `examples`, saved to `save_to` when given.
    pub fn request(&self, examples: Vec<Example>, save_to: Option<PathBuf>) {
        // The thread only stops when this sender is dropped.
        let _ = self.jobs.send(Job {
            source: Source::Examples(examples),
            save_to,
        });
    }

    /// Asks for `annotator`'s model trained on their files under `root` (as saved now), saved
    /// to its place beside them.
    pub fn request_files(&self, root: &Path, annotator: &str, corpus: Arc<Corpus>) {
        let _ = self.jobs.send(Job {
            source: Source::Files {
                root: root.to_path_buf(),
                annotator: annotator.to_owned(),
                corpus,
            },
            save_to: Some(path(root, annotator)),
        });
    }

    /// The newest finished model (or the error saving it), if one is ready.
    pub fn poll(&self) -> Option<Result<Trained, String>> {
        let mut last = None;
        while let Ok(r) = self.done.try_recv() {
            last = Some(r);
        }
        last
    }
}

/// `annotator`'s saved model if it is up to date with their files and readable (None: it is
/// missing, older than their files, of another version or unreadable — retrain it).
pub fn load_fresh(root: &Path, annotator: &str) -> Option<Model> {
    let file = path(root, annotator);
    let saved = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
    if newest_input(root, annotator).is_some_and(|t| t > saved) {
        return None;
    }
    Model::from_bytes(&std::fs::read(&file).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::{Origin, Span};
    use crate::suggest::ner::eval::predict;

    fn file_with(
        doc: &crate::corpus::Document,
        spans: &[(usize, usize, &str, Status)],
    ) -> AnnotationFile {
        let mut f = AnnotationFile::new(&doc.id, &doc.fingerprint, "alice");
        for (s, e, l, st) in spans {
            f.spans
                .push(Span::new(&doc.text, *s, *e, l, *st, Origin::Manual).unwrap());
        }
        f
    }

    #[test]
    fn examples_from_decisions() {
        let doc = crate::corpus::Document::from_text(
            "d",
            "标题\n\n甲乙丙去了丁戊村。\n没有决定的一行。\n",
        );
        let mut f = file_with(
            &doc,
            &[
                (4, 7, "PER", Status::Accepted),
                (9, 12, "LOC", Status::Rejected),
            ],
        );
        let ex = example(&f, &doc.text).unwrap();
        assert_eq!(ex.spans, vec![(4, 7, "PER".into())]);
        assert_eq!(ex.reviewed.as_deref(), Some(&[4..7, 9..12][..]));
        f.status = DocStatus::Done;
        assert!(example(&f, &doc.text).unwrap().reviewed.is_none());
        let empty = file_with(&doc, &[]);
        assert!(example(&empty, &doc.text).is_none());
    }

    /// The files → model → file loop: built when missing, loaded when fresh, a corrupt file
    /// falls back to the shipped model with a message.
    #[test]
    fn load_build_and_fallback() {
        let base = crate::suggest::ner::base().expect("shipped model");
        let dir = tempfile::tempdir().unwrap();
        let corpus_dir = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus_dir).unwrap();
        std::fs::write(
            corpus_dir.join("a.txt"),
            "标题\n\n村民苟富贵说，合作社办得好。\n",
        )
        .unwrap();
        let corpus = Corpus::open(&corpus_dir).unwrap();
        let root = dir.path().join("annotations");
        let (_, outcome, _) = load_or_build(&root, "alice", &corpus, base).unwrap();
        assert_eq!(outcome, Outcome::Base);
        let doc = corpus.doc(0).unwrap();
        let mut f = file_with(&doc, &[(6, 9, "PER", Status::Added)]);
        f.status = DocStatus::Done;
        Store::new(&root)
            .save(&f, &crate::store::Version::default())
            .unwrap();
        let (m, outcome, problems) = load_or_build(&root, "alice", &corpus, base).unwrap();
        assert!(matches!(outcome, Outcome::Built { check: None, .. }));
        assert!(problems.is_empty());
        assert!(predict(recognizer(), &doc.text, Some(&m)).contains(&(6, 9, "PER".into())));
        let (_, outcome, _) = load_or_build(&root, "alice", &corpus, base).unwrap();
        assert_eq!(outcome, Outcome::Loaded);
        // A model of an older feature scheme is rebuilt.
        std::fs::write(path(&root, "alice"), b"BZNER\x00\x01\x00old").unwrap();
        let (_, outcome, _) = load_or_build(&root, "alice", &corpus, base).unwrap();
        assert!(matches!(outcome, Outcome::Built { check: None, .. }));
        std::fs::write(path(&root, "alice"), b"not a model").unwrap();
        let (m, outcome, _) = load_or_build(&root, "alice", &corpus, base).unwrap();
        assert!(matches!(outcome, Outcome::Fallback(ref msg) if msg.contains("alice.model")));
        assert_eq!(*m, *base);
    }

    /// The check on the newest done documents: an annotator whose first document calls a
    /// common word a person, and whose newer ones agree with the shipped model, keeps the
    /// shipped model; with one done document there is nothing to check on.
    #[test]
    fn check_keeps_the_shipped_model_when_tuning_does_worse() {
        let base = crate::suggest::ner::base().expect("shipped model");
        let entities = |text: &str| -> Vec<(usize, usize, String)> {
            let doc = crate::corpus::Document::from_text("t", text);
            let opts = crate::suggest::Options {
                model: Some(Arc::new(base.clone())),
                ..Default::default()
            };
            crate::suggest::suggest(&doc, &opts)
                .into_iter()
                .filter(|s| LABELS.contains(&s.label.as_str()))
                .map(|s| (s.start, s.end, s.label))
                .collect()
        };
        let done = |id: &str, text: String, spans| Example {
            id: id.into(),
            text,
            spans,
            reviewed: None,
            weight: WEIGHT,
        };
        // The first document: 合作社 is a person, every time.
        let odd = "标题\n\n".to_owned() + &"合作社说，今年的收成好。\n".repeat(8);
        let odd_spans = (0..8)
            .map(|k| (4 + 13 * k, 7 + 13 * k, "PER".into()))
            .collect();
        let chars: Vec<char> = odd.chars().collect();
        assert_eq!(chars[4..7].iter().collect::<String>(), "合作社");
        assert_eq!(chars[17..20].iter().collect::<String>(), "合作社");
        let newer = |name: &str| {
            let text = format!(
                "标题\n\n村民{name}说，合作社办得好。\n合作社说，今年的收成好。\n\
                 {name}在贵州省毕节市工作。\n"
            );
            let spans = entities(&text);
            assert!(!spans.is_empty(), "{text}");
            (text, spans)
        };
        let (t2, s2) = newer("王小明");
        let (t3, s3) = newer("李大山");
        let ex = vec![
            done("a", odd, odd_spans),
            done("b", t2, s2),
            done("c", t3, s3),
        ];
        let rehearsed = rehearsal(base);
        let c = check(base, &ex, &rehearsed, Tuning::default()).expect("two done documents");
        assert_eq!(c.documents, 2);
        assert!((c.base_f1 - 1.0).abs() < 1e-9, "{c:?}");
        assert!(c.keeps_base(), "{c:?}");
        let (m, _) = retrain_checked(base, &ex, &rehearsed, Tuning::default());
        assert_eq!(m, *base);
        assert!(describe(3, Some(c)).contains("kept as shipped"));
        // One done document (the others only partly reviewed): no check, the tuned model.
        let mut partial = ex.clone();
        for e in &mut partial[1..] {
            e.reviewed = Some(vec![4..7, 8..9]);
        }
        assert!(check(base, &partial, &rehearsed, Tuning::default()).is_none());
        let (m, c) = retrain_checked(base, &partial, &rehearsed, Tuning::default());
        assert!(c.is_none());
        assert_ne!(m, *base);
    }

    /// Tuning on a document that calls places organisations (ten sentences of them: with
    /// three, the shipped model of 2026-12-03's third stop moved too little either way to
    /// tell, 13,628 against 13,675 chars agreeing): with the rehearsal text in training the
    /// model keeps more of what the base model said elsewhere than without (13,549 against
    /// 12,991).
    #[test]
    fn rehearsal_keeps_what_the_base_model_knew() {
        const REPEATS: usize = 10;
        let base = crate::suggest::ner::base().expect("shipped model");
        let rehearsed = rehearsal(base);
        let chars: usize = rehearsed.iter().map(|s| s.tags.len()).sum();
        assert!((90_000..=110_000).contains(&chars), "{chars}");
        let text = "北京、上海和广州的游客很多，南京和杭州也是。\n".repeat(REPEATS);
        let spans = (0..REPEATS)
            .map(|k| k * 22)
            .flat_map(|o| {
                [(0, 2), (3, 5), (6, 8), (14, 16), (17, 19)]
                    .map(|(s, e)| (o + s, o + e, "ORG".to_owned()))
            })
            .collect();
        let ex = vec![Example {
            id: "x".into(),
            text,
            spans,
            reviewed: None,
            weight: WEIGHT,
        }];
        let agree = |m: &Model| -> usize {
            rehearsed
                .iter()
                .take(400)
                .map(|s| {
                    let tags = m.decode(&m.emissions(&s.feats));
                    tags.iter().zip(&s.tags).filter(|(a, b)| a == b).count()
                })
                .sum()
        };
        let with = retrain(base, &ex, &rehearsed);
        let without = retrain(base, &ex, &[]);
        assert!(
            agree(&with) > agree(&without),
            "{} vs {}",
            agree(&with),
            agree(&without)
        );
    }

    #[test]
    fn retrainer_answers_off_thread() {
        let base = Arc::new(crate::suggest::ner::base().expect("shipped").clone());
        let r = Retrainer::spawn(base).unwrap();
        let ex = Example {
            id: "x".into(),
            text: "镇长苟富贵说。".into(),
            spans: vec![(2, 5, "PER".into())],
            reviewed: None,
            weight: 3,
        };
        r.request(vec![ex], None);
        let start = std::time::Instant::now();
        loop {
            if let Some(m) = r.poll() {
                assert_eq!(m.unwrap().documents, 1);
                break;
            }
            assert!(start.elapsed().as_secs() < 60, "no model");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}
