//! The consistency panel: groups of the same string labelled differently, labelled here and
//! not there, or given different values; each occurrence jumps to its place, and one decision
//! applies to the whole group (undoable as one step).

use eframe::egui::{self, Color32, RichText};

use std::time::Instant;

use super::Session;
use crate::consistency::{Decision, Kind, State};
use crate::model::span::DocStatus;
use crate::model::{Action, AnnotationFile};

/// Draws the panel when it is open.
pub fn consistency_ui(ctx: &egui::Context, s: &mut Session, message: &mut Option<String>) {
    if !s.show_consistency {
        return;
    }
    if s.consistency.is_none() && s.consistency_job.is_none() {
        s.check_consistency();
    }
    let checking = s.poll_consistency();
    if checking {
        ctx.request_repaint_after(std::time::Duration::from_millis(30));
    }
    let mut open = true;
    let mut jump = None;
    let mut decide: Option<(usize, Decision)> = None;
    let mut value_from: Option<(usize, usize)> = None;
    let mut recheck = false;
    let mut undo = false;
    egui::Window::new("Consistency")
        .open(&mut open)
        .default_size([560.0, 440.0])
        .show(ctx, |ui| {
            let groups = s.consistency.as_deref().unwrap_or_default();
            ui.horizontal(|ui| {
                if ui.button("Check again").clicked() {
                    recheck = true;
                }
                if ui
                    .add_enabled(
                        !s.group_undo.is_empty(),
                        egui::Button::new("Undo group decision"),
                    )
                    .clicked()
                {
                    undo = true;
                }
                if checking {
                    ui.spinner();
                    ui.label("checking…");
                } else {
                    ui.label(match groups.len() {
                        0 => "No inconsistencies.".to_owned(),
                        1 => "1 group".to_owned(),
                        n => format!("{n} groups"),
                    });
                }
            });
            if let Some(m) = message.as_deref() {
                ui.colored_label(Color32::from_rgb(200, 120, 0), m);
            }
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (gi, g) in groups.iter().enumerate() {
                    let labels: Vec<String> =
                        g.labels.iter().map(|(l, n)| format!("{l}×{n}")).collect();
                    let title = format!(
                        "{}  ·  {}  ·  {}  ({})",
                        g.text,
                        g.kind.describe(),
                        labels.join(" "),
                        g.occurrences.len()
                    );
                    egui::CollapsingHeader::new(title)
                        .id_salt(("group", gi, &g.text))
                        .default_open(gi < 3)
                        .show(ui, |ui| {
                            for (oi, o) in g.occurrences.iter().enumerate() {
                                let colour = match o.state {
                                    State::Labelled => ui.visuals().text_color(),
                                    _ => Color32::from_rgb(200, 120, 0),
                                };
                                let text = o.describe();
                                if ui
                                    .selectable_label(false, RichText::new(text).color(colour))
                                    .on_hover_text("Open this occurrence")
                                    .clicked()
                                {
                                    jump = Some((o.doc_index, o.start..o.end));
                                }
                                if g.kind == Kind::DifferentValues
                                    && let Some(v) = &o.value
                                    && ui
                                        .small_button(format!("Use {v} for all “{}”", g.text))
                                        .clicked()
                                {
                                    value_from = Some((gi, oi));
                                }
                            }
                            ui.horizontal_wrapped(|ui| {
                                if g.kind != Kind::DifferentValues {
                                    for l in g.labels.keys() {
                                        if ui.button(format!("All “{}” as {l}", g.text)).clicked()
                                        {
                                            decide = Some((gi, Decision::Label(l.clone())));
                                        }
                                    }
                                }
                                if ui.button(format!("Reject all “{}”", g.text)).clicked() {
                                    decide = Some((gi, Decision::Reject));
                                }
                            });
                        });
                }
            });
        });
    s.show_consistency = open;
    if let Some((gi, oi)) = value_from {
        let occurrence = s
            .consistency
            .as_ref()
            .and_then(|c| c.get(gi)?.occurrences.get(oi).cloned());
        let value = occurrence.and_then(|o| {
            s.ensure_loaded(o.doc_index);
            s.docs[o.doc_index]
                .as_ref()?
                .file
                .spans
                .iter()
                .find(|x| x.start == o.start && x.end == o.end && x.value.is_some())?
                .value
                .clone()
        });
        if let Some(v) = value {
            decide = Some((gi, Decision::Value(v)));
        }
    }
    if let Some((gi, d)) = decide {
        s.apply_group(gi, &d);
        *message = None;
    }
    if undo {
        let skipped = s.undo_group();
        *message = (!skipped.is_empty()).then(|| {
            format!(
                "Not undone in {} (edited since): undo there with Ctrl+Z.",
                skipped.join(", ")
            )
        });
    }
    if recheck {
        s.check_consistency();
    }
    if let Some((i, r)) = jump {
        s.jump_to(i, r);
    }
}

impl Session {
    /// The annotator's files as they stand now: in memory for documents open in the session
    /// (edited or not), from disk for the rest.
    pub fn current_files(&self) -> (Vec<(usize, AnnotationFile)>, Vec<String>) {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for (i, doc) in self.corpus.docs.iter().enumerate() {
            match &self.docs[i] {
                Some(d) if d.load_error.is_none() => files.push((i, d.file.clone())),
                _ => match self.store.load(&self.annotator, doc) {
                    Ok(Some(l)) => files.push((i, l.file)),
                    Ok(None) => {}
                    Err(e) => problems.push(e.to_string()),
                },
            }
        }
        (files, problems)
    }

    /// Starts the consistency check over the annotator's files on a thread: the documents
    /// open in the session as they are in memory, the rest read from disk there (a large
    /// corpus does not stall the window). [`Session::poll_consistency`] picks the result up.
    pub fn check_consistency(&mut self) {
        let open: Vec<(usize, AnnotationFile)> = self
            .docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let d = d.as_ref()?;
                d.load_error.is_none().then(|| (i, d.file.clone()))
            })
            .collect();
        let corpus = self.corpus.clone();
        let store = self.store.clone();
        let annotator = self.annotator.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("biaozhu-consistency".into())
            .spawn(move || {
                let mut files = open;
                let have: std::collections::HashSet<usize> =
                    files.iter().map(|(i, _)| *i).collect();
                for (i, doc) in corpus.docs.iter().enumerate() {
                    if !have.contains(&i)
                        && let Ok(Some(l)) = store.load(&annotator, doc)
                    {
                        files.push((i, l.file));
                    }
                }
                files.sort_by_key(|(i, _)| *i);
                let _ = tx.send(crate::consistency::find(&corpus, &files));
            });
        match spawned {
            Ok(_) => self.consistency_job = Some(rx),
            Err(_) => {
                let (files, _) = self.current_files();
                self.consistency = Some(crate::consistency::find(&self.corpus, &files));
            }
        }
    }

    /// Takes the consistency check's result when it is ready; true while it is running.
    pub fn poll_consistency(&mut self) -> bool {
        let Some(rx) = &self.consistency_job else {
            return false;
        };
        match rx.try_recv() {
            Ok(groups) => {
                self.consistency = Some(groups);
                self.consistency_job = None;
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.consistency_job = None;
                false
            }
        }
    }

    /// Applies one decision to every occurrence in group `g` of the last check: one undo step
    /// per document, undone together by [`Session::undo_group`]. Re-runs the check.
    pub fn apply_group(&mut self, g: usize, decision: &crate::consistency::Decision) {
        let Some(group) = self.consistency.as_ref().and_then(|c| c.get(g)).cloned() else {
            return;
        };
        let docs: std::collections::BTreeSet<usize> =
            group.occurrences.iter().map(|o| o.doc_index).collect();
        for &i in &docs {
            self.ensure_loaded(i);
        }
        let files: std::collections::HashMap<usize, &AnnotationFile> = docs
            .iter()
            .filter_map(|&i| {
                let d = self.docs[i].as_ref()?;
                d.load_error.is_none().then_some((i, &d.file))
            })
            .collect();
        let plan =
            crate::consistency::plan(&group, decision, &files, &self.corpus, &self.annotator);
        let mut done = Vec::new();
        for (i, action) in plan {
            let Some(Some(d)) = self.docs.get_mut(i) else {
                continue;
            };
            let action = if d.file.status == DocStatus::NotStarted {
                Action::Batch(vec![action, Action::SetStatus(DocStatus::InProgress)])
            } else {
                action
            };
            d.history.apply(&mut d.file, action);
            done.push((i, d.history.revision));
        }
        if !done.is_empty() {
            self.group_undo.push(done);
            self.last_edit = Some(Instant::now());
        }
        self.clamp_selection();
        self.check_consistency();
    }

    /// Undoes the last group decision in every document it touched (those edited since are
    /// left alone and reported). Returns the documents that could not be undone.
    pub fn undo_group(&mut self) -> Vec<String> {
        let Some(done) = self.group_undo.pop() else {
            return Vec::new();
        };
        let mut skipped = Vec::new();
        for (i, revision) in done {
            let Some(Some(d)) = self.docs.get_mut(i) else {
                continue;
            };
            if d.history.revision == revision && d.history.undo(&mut d.file) {
                self.last_edit = Some(Instant::now());
            } else {
                skipped.push(self.corpus.docs[i].id.clone());
            }
        }
        self.clamp_selection();
        self.check_consistency();
        skipped
    }

    /// Opens document `i` with `range` selected: the span there if there is one, else the
    /// text highlighted as a search hit.
    pub fn jump_to(&mut self, i: usize, range: std::ops::Range<usize>) {
        if i != self.current {
            self.open_doc(i);
        }
        let span = self.doc().and_then(|d| {
            d.file
                .spans
                .iter()
                .position(|s| s.start == range.start && s.end == range.end)
        });
        self.selected = span;
        self.search_hit = span.is_none().then_some(range);
        self.scroll_to_selection = true;
    }
}
